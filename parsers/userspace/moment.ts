/** Where and when a line was: its 1-based line number and its wall-clock time (epoch ms), if any. */
export interface Moment {
  line: number;
  time: number | null;
}

/**
 * Whether two lines are close enough to belong to one kill: within `seconds` when both carry a
 * time, else within `lines` lines (bare `journalctl -o cat` text has no time at all).
 */
export function near(a: Moment, b: Moment, seconds: number, lines: number): boolean {
  if (a.time !== null && b.time !== null) return Math.abs(a.time - b.time) <= seconds * 1000;
  return Math.abs(a.line - b.line) <= lines;
}

export function isoTime(ms: number | null): string | null {
  return ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}
