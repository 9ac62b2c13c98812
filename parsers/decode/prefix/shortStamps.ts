import type { DecodeContext } from '../decodeContext.js';
import { readHostIdent, type Head } from './head.js';

/**
 * The rarer journalctl outputs: `short-full` (`Thu 2026-11-26 06:13:05 UTC host kernel: msg`)
 * and `short-unix` (`1764137585.123456 host kernel: msg`).
 */
const SHORT_FULL = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) (\S+) /;
const SHORT_UNIX = /^(\d{9,11}\.\d{6}) /;

export function readShortFull(text: string, ctx: DecodeContext): Head | null {
  const m = SHORT_FULL.exec(text);
  if (!m) return null;
  const zone = m[3] === 'UTC' || m[3] === 'GMT' ? 'Z' : /^[+-]\d\d:?\d\d$/.test(m[3]!) ? m[3]! : '';
  const time = ctx.clock.isoToEpoch(`${m[1]}T${m[2]}${zone}`);
  const hi = readHostIdent(text, m[0].length);
  if (!hi) return null;
  return { host: hi.host, time, uptime: null, caller: null, ident: hi.ident, rest: hi.rest };
}

export function readShortUnix(text: string): Head | null {
  const m = SHORT_UNIX.exec(text);
  if (!m) return null;
  const hi = readHostIdent(text, m[0].length);
  if (!hi) return null;
  return { host: hi.host, time: Number(m[1]) * 1000, uptime: null, caller: null, ident: hi.ident, rest: hi.rest };
}
