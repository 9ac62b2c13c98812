import type { DecodedLine } from '../decodedLine.js';

/**
 * `/dev/kmsg` records: `PRI,SEQ,USEC,FLAGS[,caller=T1][,more];message`, bytes < 0x20, >= 0x7f
 * and `\` escaped as `\xNN` (so embedded newlines arrive as `\x0a`). Facility 0 is the kernel;
 * a PRI >= 8 was injected from userspace. Dictionary lines (` KEY=value`) are dropped by the
 * dispatcher.
 */
const RECORD = /^(\d{1,4}),(\d+),(\d+),([^;]*);/;

export function decodeKmsg(text: string, bootTimeMs: number | null): DecodedLine[] | null {
  const m = RECORD.exec(text);
  if (!m) return null;
  const pri = Number(m[1]);
  const usec = Number(m[3]);
  const caller = /(?:^|,)caller=([TC]\d+)/.exec(m[4]!)?.[1] ?? null;
  const uptime = usec / 1e6;
  const body = unescapeKmsg(text.slice(m[0].length));
  return body.split('\n').map((message, i) => ({
    host: null,
    time: bootTimeMs === null ? null : bootTimeMs + usec / 1000,
    uptime,
    caller,
    ident: pri >= 8 ? 'userspace' : null,
    message,
    continuation: i > 0,
  }));
}

function unescapeKmsg(s: string): string {
  if (!s.includes('\\x')) return s;
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
