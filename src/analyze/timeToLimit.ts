import { isGrowing, type Trend } from './memoryTrend.js';

/**
 * Seconds until the working set reaches the limit at the present rate; null when there is no
 * limit or no steady growth (a flat service gets no prediction). 0 when already there.
 */
export function secondsToLimit(current: number, limit: number | null, trend: Trend | null): number | null {
  if (limit === null) return null;
  if (current >= limit) return 0;
  if (!isGrowing(trend, limit)) return null;
  return (limit - current) / trend.slope;
}
