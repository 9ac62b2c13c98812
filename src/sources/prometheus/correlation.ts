/**
 * The statistics `report --prometheus` states: Pearson correlation, partial correlation (the
 * link between two signals once a third is accounted for) and least-squares slope. Plain
 * arithmetic over aligned samples; null when a signal does not vary (no correlation exists).
 */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = Math.min(x.length, y.length);
  if (n < 3) return null;
  const mx = mean(x, n);
  const my = mean(y, n);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Relative to the values' own size: float noise on a flat line is not variation.
  if (sxx <= 1e-12 * n * (mx * mx + 1) || syy <= 1e-12 * n * (my * my + 1)) return null;
  return clamp(sxy / Math.sqrt(sxx * syy));
}

/** Correlation of x and y with z held fixed; null when any pair is undefined or z explains x or y fully. */
export function partial(rxy: number | null, rxz: number | null, ryz: number | null): number | null {
  if (rxy === null) return null;
  if (rxz === null || ryz === null) return rxy;
  const d = Math.sqrt((1 - rxz * rxz) * (1 - ryz * ryz));
  return d < 1e-9 ? null : clamp((rxy - rxz * ryz) / d);
}

/** dy/dx of the least-squares line; null when x does not vary. */
export function slope(x: readonly number[], y: readonly number[]): number | null {
  const n = Math.min(x.length, y.length);
  if (n < 2) return null;
  const mx = mean(x, n);
  const my = mean(y, n);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  return sxx === 0 ? null : sxy / sxx;
}

export type Strength = 'none' | 'weak' | 'moderate' | 'strong';

/** Words for |r|, as the report says them. */
export function strengthOf(r: number | null): Strength {
  const a = Math.abs(r ?? 0);
  return a >= 0.7 ? 'strong' : a >= 0.4 ? 'moderate' : a >= 0.2 ? 'weak' : 'none';
}

function mean(v: readonly number[], n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i]!;
  return s / n;
}

function clamp(r: number): number {
  return Math.max(-1, Math.min(1, r));
}
