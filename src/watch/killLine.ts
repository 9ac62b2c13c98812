import { KILL_TABLE_HEADER, killTableRow } from '../render/killTable.js';
import type { OomRecord } from '../schema/oomRecord.js';

/**
 * Widths for the columns of a live stream, where rows cannot be measured ahead: wide enough
 * for the usual values, so consecutive lines line up. The last column is not padded.
 */
const WIDTHS = [24, 12, 24, 10, 10, 8, 0];

/** One kill as one line, with the columns of `oomlens scan` (already terminal-safe). */
export function killLine(record: OomRecord): string {
  return padded(killTableRow(record));
}

export function killLineHeader(): string {
  return padded(KILL_TABLE_HEADER);
}

function padded(cells: string[]): string {
  return `${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(WIDTHS[i] ?? 0))).join('  ')}\n`;
}
