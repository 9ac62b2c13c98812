import type { MemoryLife } from '../schema/memoryLife.js';
import { boundaryBetween, lifeOf, type LifeEnd } from './memoryLives.js';
import { seriesKey, type MemoryPoint } from './memoryPoint.js';
import { trendOf, type Trend } from './memoryTrend.js';
import { preOomReason, type PreOomOptions, type PreOomReason } from './preOomDecision.js';
import { secondsToLimit } from './timeToLimit.js';

/** The prediction looks at the recent part of a life: enough to be robust, short enough to follow a change. */
export const TREND_WINDOW = 60;
/** A life keeps at most this many samples (thinned evenly when longer) for its summary. */
const LIFE_SAMPLES = 240;
/** A cgroup not seen for this many rounds is forgotten (containers come and go). */
const FORGET_AFTER_ROUNDS = 3;

export interface Observation {
  point: MemoryPoint;
  trend: Trend | null;
  secondsToLimit: number | null;
  /** Run the pre-OOM hook now, and why. */
  preOom: PreOomReason | null;
  /** The life that ended just before this sample (it starts a new one), if one did. */
  ended: MemoryLife | null;
}

/** Kills the oom_kill counter showed that no log record explained in time (rate-limited or unread dumps). */
export interface CounterKill {
  cgroup: string;
  host: string;
  count: number;
  /** When the counter was seen higher. */
  wallMs: number;
  life: MemoryLife;
}

interface Series {
  life: MemoryPoint[];
  /** Samples in the life (`life` is thinned when long). */
  count: number;
  recent: MemoryPoint[];
  last: MemoryPoint;
  fired: boolean;
  lastEnded: { life: MemoryLife; claimed: boolean; monoSec: number } | null;
  waitingCounter: { wallMs: number; monoSec: number; count: number; life: MemoryLife }[];
  logKillsAhead: number[];
  seenRound: number;
}

/**
 * The live side of the memory analysis, for `watch`: per cgroup, the current life, its trend,
 * the time to the limit, the pre-OOM decision, and kills joined with the curve. Pure state: the
 * samples carry their time, and nothing here reads a clock.
 */
export class MemoryTracker {
  private readonly series = new Map<string, Series>();
  private round = 0;

  constructor(
    private readonly preOom: PreOomOptions,
    /** How long a counter kill waits for its log record before it is reported alone. */
    private readonly graceSec: number,
  ) {}

  /** One round of samples. */
  observe(points: readonly MemoryPoint[]): Observation[] {
    this.round++;
    const out: Observation[] = [];
    for (const point of points) {
      const key = seriesKey(point);
      let s = this.series.get(key);
      let ended: MemoryLife | null = null;
      if (!s) {
        s = { life: [], count: 0, recent: [], last: point, fired: false, lastEnded: null, waitingCounter: [], logKillsAhead: [], seenRound: this.round };
        this.series.set(key, s);
      } else {
        const end = boundaryBetween(s.last, point);
        if (end) {
          ended = summary(s, end);
          // Only a kill's life is kept for the log record: the drop or restart that follows a kill
          // (the reaper frees the memory, the supervisor starts anew) must not take its place.
          if (end === 'kill') {
            s.lastEnded = { life: ended, claimed: false, monoSec: point.monoSec };
            this.countKills(s, point, ended);
          }
          s.life = [];
          s.count = 0;
          s.recent = [];
          s.fired = false;
        }
      }
      s.last = point;
      s.seenRound = this.round;
      s.life.push(point);
      s.count++;
      if (s.life.length > LIFE_SAMPLES) s.life = s.life.filter((_, i) => i % 2 === 0 || i === s.life.length - 1);
      s.recent.push(point);
      if (s.recent.length > TREND_WINDOW) s.recent.shift();
      const trend = trendOf(
        s.recent.map((p) => p.monoSec),
        s.recent.map((p) => p.workingSet),
      );
      const toLimit = secondsToLimit(point.workingSet, point.limit, trend);
      const preOom = preOomReason({ workingSet: point.workingSet, limit: point.limit, secondsToLimit: toLimit }, s.fired, this.preOom);
      if (preOom) s.fired = true;
      out.push({ point, trend, secondsToLimit: toLimit, preOom, ended });
    }
    for (const [key, s] of this.series) if (this.round - s.seenRound >= FORGET_AFTER_ROUNDS) this.series.delete(key);
    return out;
  }

  /**
   * A kill the log reported, in these cgroups (the OOMing one and the victim's; their ancestors
   * count it too on cgroup v2). Returns the life of the first of them that is sampled (or of its
   * nearest sampled ancestor): the one that just ended, or the one going on when the sampler has
   * not seen the end yet.
   */
  noteLogKill(host: string, cgroups: readonly string[], monoSec: number): MemoryLife | null {
    let life: MemoryLife | null = null;
    const seen = new Set<string>();
    for (const cgroup of cgroups) {
      for (const path of withAncestors(cgroup)) {
        if (seen.has(path)) continue;
        seen.add(path);
        const s = this.series.get(seriesKey({ host, cgroup: path }));
        if (!s) continue;
        const waiting = s.waitingCounter[0];
        if (waiting) {
          if (--waiting.count === 0) s.waitingCounter.shift();
        } else if (s.last.oomKills !== null) s.logKillsAhead.push(monoSec);
        if (life === null) life = this.lifeAtKill(s, monoSec);
      }
    }
    return life;
  }

  /** Counter kills whose grace has passed without a log record: report them now. */
  unexplained(nowMonoSec: number): CounterKill[] {
    const out: CounterKill[] = [];
    for (const s of this.series.values()) {
      while (s.waitingCounter.length > 0 && nowMonoSec - s.waitingCounter[0]!.monoSec >= this.graceSec) {
        const w = s.waitingCounter.shift()!;
        out.push({ cgroup: s.last.cgroup, host: s.last.host, count: w.count, wallMs: w.wallMs, life: w.life });
      }
      s.logKillsAhead = s.logKillsAhead.filter((t) => nowMonoSec - t < 3 * this.graceSec);
    }
    return out;
  }

  /** The present trend of every cgroup seen in the last round, for metrics. */
  *current(): Generator<{ point: MemoryPoint; secondsToLimit: number | null }> {
    for (const s of this.series.values()) {
      if (s.seenRound !== this.round) continue;
      const trend = trendOf(
        s.recent.map((p) => p.monoSec),
        s.recent.map((p) => p.workingSet),
      );
      yield { point: s.last, secondsToLimit: secondsToLimit(s.last.workingSet, s.last.limit, trend) };
    }
  }

  private countKills(s: Series, point: MemoryPoint, life: MemoryLife): void {
    let count = point.oomKills !== null && s.last.oomKills !== null ? point.oomKills - s.last.oomKills : 1;
    while (count > 0 && s.logKillsAhead.length > 0) {
      s.logKillsAhead.shift();
      count--;
    }
    if (count > 0) s.waitingCounter.push({ wallMs: point.wallMs, monoSec: point.monoSec, count, life });
  }

  private lifeAtKill(s: Series, monoSec: number): MemoryLife {
    const ended = s.lastEnded;
    if (ended && !ended.claimed && Math.abs(ended.monoSec - monoSec) <= 3 * this.graceSec) {
      ended.claimed = true;
      return ended.life;
    }
    return summary(s, 'ongoing');
  }
}

function summary(s: Series, endedBy: LifeEnd): MemoryLife {
  const life = lifeOf(s.life, 0, s.life.length, endedBy);
  const last = s.life.at(-1)!;
  return {
    cgroup: last.cgroup,
    host: last.host,
    start: new Date(life.startMs).toISOString(),
    end: new Date(life.endMs).toISOString(),
    seconds: life.seconds,
    samples: s.count,
    endedBy,
    startBytes: life.startBytes,
    peakBytes: life.peakBytes,
    lastBytes: life.lastBytes,
    limitBytes: life.limit,
    growthBytesPerSec: life.trend?.slope ?? null,
    growing: life.growing,
    top: last.top,
  };
}

function* withAncestors(path: string): Generator<string> {
  let p = path;
  for (;;) {
    yield p;
    if (p === '/' || p === '') return;
    const cut = p.lastIndexOf('/');
    p = cut <= 0 ? '/' : p.slice(0, cut);
  }
}
