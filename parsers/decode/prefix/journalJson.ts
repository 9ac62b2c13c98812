import type { DecodedLine } from '../decodedLine.js';
import { splitFoldedBlock } from '../foldedBlock.js';

/**
 * `journalctl -o json` (and `--output=json-seq` minus its RS byte): one JSON object per line.
 * MESSAGE is a string, or an array of bytes when it is not valid UTF-8; timestamps are
 * microseconds as decimal strings.
 */
export function decodeJournalJson(text: string): DecodedLine[] | null {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return null;
  const e = entry as Record<string, unknown>;
  const message = messageText(e.MESSAGE);
  if (message === null) return null;
  const realtime = microseconds(e.__REALTIME_TIMESTAMP);
  const monotonic = microseconds(e._SOURCE_MONOTONIC_TIMESTAMP);
  const transport = typeof e._TRANSPORT === 'string' ? e._TRANSPORT : null;
  const identifier = typeof e.SYSLOG_IDENTIFIER === 'string' ? e.SYSLOG_IDENTIFIER : null;
  const ident = transport === 'kernel' ? 'kernel' : (identifier ?? (typeof e._COMM === 'string' ? e._COMM : null));
  const host = typeof e._HOSTNAME === 'string' ? e._HOSTNAME : null;
  return splitFoldedBlock(message, '\n').map((m, i) => ({
    host,
    time: realtime === null ? null : realtime / 1000,
    uptime: transport === 'kernel' && monotonic !== null ? monotonic / 1e6 : null,
    caller: null,
    ident,
    message: m,
    continuation: i > 0,
  }));
}

function messageText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((b) => typeof b === 'number')) {
    return Buffer.from(v as number[]).toString('utf8');
  }
  return null;
}

function microseconds(v: unknown): number | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
