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
  const m = MONTH_STAMP.exec(text);
  if (!m) return null;
  const month = monthIndex(m[1]!);
  if (month === undefined) return null;
  const year = ctx.years.yearFor(month);
  const fraction = m[6] ? Number(`0.${m[6]}`) * 1000 : 0;
  const time = ctx.clock.toEpoch(year, month, +m[2]!, +m[3]!, +m[4]!, +m[5]!) + fraction;
  const hi = readHostIdent(text, m[0].length);
  if (!hi) return { host: null, time, uptime: null, caller: null, ident: null, rest: m[0].length };
  return { host: hi.host, time, uptime: null, caller: null, ident: hi.ident, rest: hi.rest };
}
