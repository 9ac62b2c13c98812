import { z } from 'zod';
import { MemoryLife } from '../schema/memoryLife.js';
import type { Life } from './memoryLives.js';
import type { MemoryPoint } from './memoryPoint.js';

/**
 * The shape of a life's memory curve, which decides the cause when samples exist:
 * ramp (steady growth to the limit: a leak), step (flat, then a jump: a spike), at-limit (at
 * the limit from the first sample: start-up), follows-pressure (moves with the host's memory
 * pressure: load), flat (none of these). docs/sampling.md has the thresholds.
 */
export const SHAPES = ['ramp', 'step', 'at-limit', 'follows-pressure', 'flat'] as const;
export const Shape = z.enum(SHAPES);
export type Shape = z.infer<typeof Shape>;

export const ShapedLife = MemoryLife.extend({
  shape: Shape,
  jumpBytes: z.number().nullable().describe('the largest rise between two consecutive samples'),
  pressureR: z.number().nullable().describe('correlation of the working set with host memory pressure (PSI some avg10)'),
});
export type ShapedLife = z.infer<typeof ShapedLife>;

export const GroupMemory = z
  .object({
    cgroups: z.array(z.string()).describe('the sampled cgroups joined with this group'),
    samples: z.number().int(),
    first: z.string(),
    last: z.string(),
    growthBytesPerSec: z.number().nullable().describe('median growth of the lives that ramp; null when none does'),
    shape: Shape.nullable().describe('the shape of the lives that ended in a kill (else of all): the most common'),
    lives: z.array(ShapedLife),
    curve: z
      .array(z.tuple([z.number(), z.number(), z.number().nullable()]))
      .describe('[epoch ms, usage bytes, limit bytes] thinned to at most 600 points, for charts'),
  })
  .describe('what memory samples (report --samples) show for this group');
export type GroupMemory = z.infer<typeof GroupMemory>;

/** At the limit from the first sample: this share of the limit. */
const AT_LIMIT_SHARE = 0.9;
/** A step: one rise between two samples of at least this share of the limit. */
const STEP_SHARE = 0.25;
/** A kill this far under the limit at the last sample: the jump that killed was not even sampled. */
const UNSEEN_STEP_SHARE = 0.7;
const PRESSURE_R = 0.7;
/** Host pressure must move by at least this many points (avg10, percent) to be followed. */
const PRESSURE_RANGE = 2;
const MIN_PRESSURE_POINTS = 6;

/**
 * `seriesR`: the correlation over the cgroup's whole series, for lives too short to show it
 * alone (memory that follows load falls with it, and a fall splits lives).
 */
export function shapeOf(points: readonly MemoryPoint[], life: Life, seriesR: number | null = null): { shape: Shape; jumpBytes: number | null; pressureR: number | null } {
  const part = points.slice(life.from, life.to);
  const limit = life.limit;
  let jump: number | null = null;
  let jumpAt = -1;
  for (let i = 1; i < part.length; i++) {
    const rise = part[i]!.workingSet - part[i - 1]!.workingSet;
    if (jump === null || rise > jump) {
      jump = rise;
      jumpAt = i;
    }
  }
  const pressureR = correlation(part) ?? seriesR;
  const result = (shape: Shape) => ({ shape, jumpBytes: jump, pressureR });
  if (limit !== null && life.startBytes >= limit * AT_LIMIT_SHARE) return result('at-limit');
  if (limit !== null) {
    const before = part.slice(0, Math.max(1, jumpAt));
    const flatBefore = before.length < 2 || Math.max(...before.map((p) => p.workingSet)) - Math.min(...before.map((p) => p.workingSet)) < limit * 0.1;
    if (jump !== null && jump >= limit * STEP_SHARE && flatBefore) return result('step');
    if (life.endedBy === 'kill' && life.lastBytes < limit * UNSEEN_STEP_SHARE && !life.growing) return result('step');
  }
  if (pressureR !== null && pressureR >= PRESSURE_R && !(life.trend && life.trend.tau >= 0.9)) return result('follows-pressure');
  if (life.growing) return result('ramp');
  return result('flat');
}

/** Pearson correlation of working set and host pressure over a life; null when either does not move. */
export function correlation(part: readonly MemoryPoint[]): number | null {
  const pairs = part.filter((p) => p.hostPressure !== null);
  if (pairs.length < MIN_PRESSURE_POINTS) return null;
  const xs = pairs.map((p) => p.hostPressure!);
  if (Math.max(...xs) - Math.min(...xs) < PRESSURE_RANGE) return null;
  const ys = pairs.map((p) => p.workingSet);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}
