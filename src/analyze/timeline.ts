import type { Analysis } from './analysis.js';
import type { KillFacts } from './killFacts.js';

/** The bins every group's timeline shares, so sparklines line up under each other. */
export const TIMELINE_BINS = 48;

export function timelineOf(kills: KillFacts[]): Analysis['timeline'] {
  let first = Infinity;
  let last = -Infinity;
  for (const k of kills) {
    if (k.wallMs === null) continue;
    if (k.wallMs < first) first = k.wallMs;
    if (k.wallMs > last) last = k.wallMs;
  }
  if (first === Infinity) return null;
  const bins = last > first ? TIMELINE_BINS : 1;
  // The last kill falls into the last bin, not past it.
  const binSec = last > first ? (last - first) / 1000 / bins : 1;
  return { first: new Date(first).toISOString(), last: new Date(last).toISOString(), bins, binSec };
}

/** Kills per bin; null when none of them has a wall-clock time. */
export function binCounts(timeline: Analysis['timeline'], kills: KillFacts[]): number[] | null {
  if (timeline === null) return null;
  const start = Date.parse(timeline.first);
  const counts = new Array<number>(timeline.bins).fill(0);
  let any = false;
  for (const k of kills) {
    if (k.wallMs === null) continue;
    any = true;
    const bin = Math.min(timeline.bins - 1, Math.floor((k.wallMs - start) / 1000 / timeline.binSec));
    counts[bin]! += 1;
  }
  return any ? counts : null;
}
