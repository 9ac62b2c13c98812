import { KILL_TABLE_HEADER, killTableRow } from './killTable.js';
import type { KillRecord } from '../schema/killRecord.js';

/**
 * Widths for the columns of a live stream, where rows cannot be measured ahead: wide enough
 * for the usual values, so consecutive lines line up. A column not named here gets the width
 * of its header; the last one is not padded.
 */
const WIDTHS: Record<string, number> = { TIME: 24, HOST: 12, KILLER: 12, 'VICTIM (PID)': 24, 'ANON-RSS': 10, LIMIT: 10, CONSTRAINT: 10 };

/** One kill as one line, with the columns of `oomlens scan` (already terminal-safe). */
export function killLine(record: KillRecord): string {
  return padded(killTableRow(record));
}

export function killLineHeader(): string {
  return padded(KILL_TABLE_HEADER);
}

function padded(cells: string[]): string {
  const last = cells.length - 1;
  return `${cells.map((c, i) => (i === last ? c : c.padEnd(WIDTHS[KILL_TABLE_HEADER[i]!] ?? KILL_TABLE_HEADER[i]!.length))).join('  ')}\n`;
}
