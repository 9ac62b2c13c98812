/**
 * A robust trend of memory over time: the Theil–Sen slope (the median of the slopes between
 * every pair of samples), which a few outliers (a burst, a cache drop) cannot drag, and
 * Kendall's tau (how consistently later samples are higher), which tells a steady ramp from a
 * flat but noisy curve. Pure: the samples carry their times.
 */
export interface Trend {
  /** Bytes per second (Theil–Sen). */
  slope: number;
  /** Kendall's tau-a over the pairs that differ: 1 always rising, 0 no order, -1 always falling. */
  tau: number;
  samples: number;
  spanSec: number;
}

/** At most this many samples enter the O(n²) pair loop; longer runs are thinned evenly. */
export const MAX_TREND_SAMPLES = 240;

export function trendOf(times: readonly number[], values: readonly number[]): Trend | null {
  const n0 = Math.min(times.length, values.length);
  if (n0 < 3) return null;
  const idx = thin(n0, MAX_TREND_SAMPLES);
  const slopes: number[] = [];
  let concordant = 0;
  let discordant = 0;
  for (let a = 0; a < idx.length; a++) {
    const i = idx[a]!;
    for (let b = a + 1; b < idx.length; b++) {
      const j = idx[b]!;
      const dt = times[j]! - times[i]!;
      if (!(dt > 0)) continue;
      const dy = values[j]! - values[i]!;
      slopes.push(dy / dt);
      if (dy > 0) concordant++;
      else if (dy < 0) discordant++;
    }
  }
  if (slopes.length === 0) return null;
  const spanSec = times[idx.at(-1)!]! - times[idx[0]!]!;
  const tied = concordant + discordant === 0;
  return { slope: median(slopes), tau: tied ? 0 : (concordant - discordant) / (concordant + discordant), samples: n0, spanSec };
}

/** Thresholds of "growing": consistently (tau) and by more than noise over the window. */
export const GROWING_TAU = 0.6;
/** The least rise over the window that counts: 1 MiB, or 2% of the limit. */
export function minimumRise(limit: number | null): number {
  return Math.max(1 << 20, limit === null ? 0 : limit * 0.02);
}

/** Fewer samples than this make no prediction: three points of a start-up ramp are not a trend yet. */
export const MIN_TREND_SAMPLES = 4;

export function isGrowing(t: Trend | null, limit: number | null): t is Trend {
  return t !== null && t.samples >= MIN_TREND_SAMPLES && t.slope > 0 && t.tau >= GROWING_TAU && t.slope * t.spanSec >= minimumRise(limit);
}

function thin(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, k) => Math.round((k * (n - 1)) / (max - 1)));
}

function median(xs: number[]): number {
  xs.sort((a, b) => a - b);
  const m = xs.length >> 1;
  return xs.length % 2 ? xs[m]! : (xs[m - 1]! + xs[m]!) / 2;
}
