import type { DecodeContext } from '../decodeContext.js';
import type { Head } from './head.js';

/** RFC 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID STRUCTURED-DATA MSG` (`-` for nil). */
const RFC5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+) ?/;

export function readRfc5424(text: string, ctx: DecodeContext): Head | null {
  const m = RFC5424.exec(text);
  if (!m) return null;
  return {
    host: m[3] === '-' ? null : m[3]!,
    time: m[2] === '-' ? null : ctx.clock.isoToEpoch(m[2]!),
    uptime: null,
    caller: null,
    ident: m[4] === '-' ? null : m[4]!,
    rest: m[0].length,
  };
}
