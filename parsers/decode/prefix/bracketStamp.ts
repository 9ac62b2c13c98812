import type { DecodeContext } from '../decodeContext.js';
import { readHostIdent, type Head } from './head.js';
import { readPrintkStamp } from './printkStamp.js';

/**
 * Lines that start with `[`:
 * - raw dmesg / console: `[ 1234.567890] msg`, with an optional caller id;
 * - `journalctl -o short-monotonic`: `[ 1234.567890] host kernel: msg`;
 * - `dmesg -T`: `[Thu Nov 26 06:13:05 2026] msg`, weekday and month in the user's locale
 *   (`[Di Aug 12 03:54:03 2025]`, `[月  1月 26 01:49:41 2026]`).
 * A task-table row (`[ 1094]     0 ...`) has no fraction, so it is not taken for a stamp.
 */
const CTIME = /^\[\S+ +(\S+) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})\] ?/;
/**
 * `dmesg -d` (`[ 1234.567890 <    0.000012>] `) keeps the uptime; `-e`/`reltime`
 * (`[Nov26 06:13] `, `[  +0.000012] `) carry no usable time, so only the prefix goes.
 */
const DELTA = /^\[\s*(\d+)\.(\d+) <\s*\d+\.\d+>\] ?/;
const RELTIME = /^\[(?:[A-Z][a-z]{2}\d{1,2} \d\d:\d\d|\s*[+-]\d+\.\d+)\] ?/;

/** Month names of the locales we have met in `dmesg -T` output (C, de, fr, es, it, nl, pt). */
const LOCAL_MONTHS: Record<string, number> = {};
[
  'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec',
  'Jan Feb Mär Apr Mai Jun Jul Aug Sep Okt Nov Dez',
  'janv. févr. mars avril mai juin juil. août sept. oct. nov. déc.',
  'ene feb mar abr may jun jul ago sep oct nov dic',
  'gen feb mar apr mag giu lug ago set ott nov dic',
  'jan feb mrt apr mei jun jul aug sep okt nov dec',
  'jan fev mar abr mai jun jul ago set out nov dez',
].forEach((row) => row.split(' ').forEach((name, i) => (LOCAL_MONTHS[name.toLowerCase()] ??= i)));

function localMonth(name: string): number | undefined {
  const cjk = /^(\d{1,2})月$/.exec(name);
  if (cjk) return Number(cjk[1]) - 1;
  return LOCAL_MONTHS[name.toLowerCase()] ?? LOCAL_MONTHS[name.toLowerCase().replace(/\.$/, '')];
}

export function readBracketStamp(text: string, ctx: DecodeContext): Head | null {
  const p = readPrintkStamp(text, 0);
  if (p.uptime !== null) {
    const time = ctx.bootTimeMs === null ? null : ctx.bootTimeMs + p.uptime * 1000;
    const head: Head = { host: null, time, uptime: p.uptime, caller: p.caller, ident: null, rest: p.rest };
    if (p.caller === null) {
      // short-monotonic: `host kernel: ` after the stamp.
      const hi = readHostIdent(text, p.rest);
      if (hi && hi.ident === 'kernel') return { ...head, host: hi.host, ident: 'kernel', rest: hi.rest };
    }
    return head;
  }
  const d = DELTA.exec(text);
  if (d) {
    const uptime = Number(`${d[1]}.${d[2]}`);
    const time = ctx.bootTimeMs === null ? null : ctx.bootTimeMs + uptime * 1000;
    return { host: null, time, uptime, caller: null, ident: null, rest: d[0].length };
  }
  const r = RELTIME.exec(text);
  if (r) return { host: null, time: null, uptime: null, caller: null, ident: null, rest: r[0].length };
  const m = CTIME.exec(text);
  if (!m) return null;
  const month = localMonth(m[1]!);
  const time = month === undefined ? null : ctx.clock.toEpoch(+m[6]!, month, +m[2]!, +m[3]!, +m[4]!, +m[5]!);
  const caller = readPrintkStamp(text, m[0].length);
  return { host: null, time, uptime: null, caller: caller.caller, ident: null, rest: caller.rest };
}
