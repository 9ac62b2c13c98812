import type { MemoryPoint } from './memoryPoint.js';
import { isGrowing, trendOf, type Trend } from './memoryTrend.js';

/** Why a life ended: a kill (log or counter), all processes replaced, a large drop; or it goes on. */
export type LifeEnd = 'kill' | 'restart' | 'drop' | 'ongoing';

/**
 * A drop that ends a life: the working set falls by at least this share of the limit (without a
 * limit, of what it was) and by at least 1 MiB. A service that frees a cache now and then
 * drops less; a restart or a kill drops more.
 */
const DROP_SHARE_OF_LIMIT = 0.2;
const DROP_SHARE_WITHOUT_LIMIT = 0.3;
const DROP_MIN_BYTES = 1 << 20;

/**
 * What ends a life between two consecutive samples of one cgroup, if anything: a kill (the
 * kernel's oom_kill counter went up, or `killed` says a logged kill fell in between), all the
 * processes replaced, or a large drop.
 */
export function boundaryBetween(prev: MemoryPoint, cur: MemoryPoint, killed = false): Exclude<LifeEnd, 'ongoing'> | null {
  // The kernel's counter is exact; a logged kill time is not (syslog seconds, a boot time in whole
  // seconds), so it only counts where the cgroup has no counter.
  const counted = prev.oomKills !== null && cur.oomKills !== null;
  if (counted ? cur.oomKills! > prev.oomKills! : killed) return 'kill';
  if (prev.bootId !== cur.bootId || cur.monoSec < prev.monoSec) return 'restart';
  if (cur.pids.length > 0 && prev.pids.length > 0 && !cur.pids.some((p) => prev.pids.includes(p))) return 'restart';
  const fall = prev.workingSet - cur.workingSet;
  const need = prev.limit !== null ? prev.limit * DROP_SHARE_OF_LIMIT : prev.workingSet * DROP_SHARE_WITHOUT_LIMIT;
  if (fall >= need && fall >= DROP_MIN_BYTES) return 'drop';
  return null;
}

export interface Life {
  startMs: number;
  endMs: number;
  seconds: number;
  /** Index range [from, to) in the points given. */
  from: number;
  to: number;
  endedBy: LifeEnd;
  startBytes: number;
  peakBytes: number;
  lastBytes: number;
  limit: number | null;
  trend: Trend | null;
  growing: boolean;
}

/**
 * Splits one cgroup's samples (time order) into lives. `killsMs`: wall times of the kills the
 * log shows for this cgroup; a kill between two samples ends the life at the first of them.
 */
export function splitLives(points: readonly MemoryPoint[], killsMs: readonly number[] = []): Life[] {
  const kills = [...killsMs].sort((a, b) => a - b);
  const lives: Life[] = [];
  let from = 0;
  let k = 0;
  for (let i = 1; i <= points.length; i++) {
    let end: LifeEnd | null = null;
    if (i === points.length) end = 'ongoing';
    else {
      let killed = false;
      while (k < kills.length && kills[k]! <= points[i]!.wallMs) {
        if (kills[k]! > points[i - 1]!.wallMs) killed = true;
        k++;
      }
      end = boundaryBetween(points[i - 1]!, points[i]!, killed);
    }
    if (end === null) continue;
    lives.push(lifeOf(points, from, i, end));
    from = i;
  }
  return lives;
}

export function lifeOf(points: readonly MemoryPoint[], from: number, to: number, endedBy: LifeEnd): Life {
  const part = points.slice(from, to);
  const first = part[0]!;
  const last = part.at(-1)!;
  const trend = trendOf(
    part.map((p) => p.monoSec),
    part.map((p) => p.workingSet),
  );
  let peak = 0;
  for (const p of part) peak = Math.max(peak, p.usage);
  return {
    startMs: first.wallMs,
    endMs: last.wallMs,
    seconds: last.monoSec - first.monoSec,
    from,
    to,
    endedBy,
    startBytes: first.workingSet,
    peakBytes: peak,
    lastBytes: last.workingSet,
    limit: last.limit,
    trend,
    growing: isGrowing(trend, last.limit),
  };
}
