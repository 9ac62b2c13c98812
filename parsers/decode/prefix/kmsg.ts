import type { DecodedLine } from '../decodedLine.js';
import { splitFoldedBlock } from '../foldedBlock.js';

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
  return splitFoldedBlock(body, '\n').map((message, i) => ({
    host: null,
    time: bootTimeMs === null ? null : bootTimeMs + usec / 1000,
    uptime,
    caller,
    ident: pri >= 8 ? 'userspace' : null,
    message,
    continuation: i > 0,
  }));
}

/** `\xNN` escapes are the bytes the kernel wrote (UTF-8 names, mostly): decoded as UTF-8, lossy. */
function unescapeKmsg(s: string): string {
  if (!s.includes('\\x')) return s;
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of s.matchAll(/\\x([0-9a-fA-F]{2})/g)) {
    if (m.index > last) parts.push(Buffer.from(s.slice(last, m.index), 'utf8'));
    parts.push(Buffer.of(parseInt(m[1]!, 16)));
    last = m.index + 4;
  }
  if (last < s.length) parts.push(Buffer.from(s.slice(last), 'utf8'));
  return Buffer.concat(parts).toString('utf8');
}
