import { sparkline } from '../analyze/sparkline.js';

/**
 * A timeline's bins as a sparkline of at most `width` columns: neighbouring bins are added up
 * (a bin is never split), so the shape survives any pane width.
 */
export function timelineText(counts: readonly number[], width: number): string {
  return sparkline(resample(counts, width));
}

export function resample(counts: readonly number[], width: number): number[] {
  if (width <= 0) return [];
  if (counts.length <= width) return [...counts];
  const out = new Array<number>(width).fill(0);
  for (let i = 0; i < counts.length; i++) out[Math.floor((i * width) / counts.length)]! += counts[i]!;
  return out;
}
