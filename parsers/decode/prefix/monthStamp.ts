import { monthIndex } from '../../time/wallClock.js';
import type { DecodeContext } from '../decodeContext.js';
import { readHostIdent, type Head } from './head.js';

/**
 * RFC 3164 syslog (`Nov  6 06:13:05 host kernel: msg`, space-padded day, host optional) and
 * journalctl `short` / `short-precise` (`Dec 04 17:13:12.123456 host kernel: msg`). No year:
 * the context's year tracker supplies it.
 */
const MONTH_STAMP = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? /;

export function readMonthStamp(text: string, ctx: DecodeContext): Head | null {
  // A dense log has thousands of lines in one second with the same stamp text: it is read and
  // converted once (no regex, no date math), as long as the year has not moved meanwhile.
  const seen = ctx.lastMonthStamp;
  let time: number;
  let length: number;
  if (seen !== null && text.startsWith(seen.stamp) && ctx.years.yearFor(seen.month) === seen.year) {
    time = seen.time;
    length = seen.stamp.length;
  } else {
    const m = MONTH_STAMP.exec(text);
    if (!m) return null;
    const month = monthIndex(m[1]!);
    if (month === undefined) return null;
    const year = ctx.years.yearFor(month);
    const fraction = m[6] ? Number(`0.${m[6]}`) * 1000 : 0;
    time = ctx.clock.toEpoch(year, month, +m[2]!, +m[3]!, +m[4]!, +m[5]!) + fraction;
    length = m[0].length;
    // Only whole-second stamps repeat exactly; a fraction makes every stamp new.
    ctx.lastMonthStamp = m[6] ? null : { stamp: m[0], month, year, time };
  }
  const hi = hostIdentAt(text, length, ctx);
  if (!hi) return { host: null, time, uptime: null, caller: null, ident: null, rest: length };
  return { host: hi.host, time, uptime: null, caller: null, ident: hi.ident, rest: hi.rest };
}

/** `host kernel: ` after the stamp; the previous line's is checked first (a dump comes from one host). */
function hostIdentAt(text: string, from: number, ctx: DecodeContext): { host: string | null; ident: string | null; rest: number } | null {
  const seen = ctx.lastHostIdent;
  if (seen !== null && text.startsWith(seen.text, from)) return { host: seen.host, ident: seen.ident, rest: from + seen.text.length };
  const hi = readHostIdent(text, from);
  ctx.lastHostIdent = hi === null ? null : { text: text.slice(from, hi.rest), host: hi.host, ident: hi.ident };
  return hi;
}
