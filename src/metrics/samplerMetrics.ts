import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { MemoryTracker } from '../analyze/memoryTracker.js';
import type { SampleRound } from '../sample/sampler.js';

/** Only cgroups predicted to reach their limit within this are exported: a gauge per cgroup on a big host must stay small. */
export const PREDICTION_HORIZON_SEC = 3600;
/** And at most this many of them, the soonest first. */
export const MAX_PREDICTED_SERIES = 100;
const MAX_LABEL_CHARS = 200;

/**
 * The sampler's metrics for `watch --samples --metrics`, in the watch's registry:
 * `oomlens_cgroup_seconds_to_limit{cgroup}` for the cgroups heading for their limit within an
 * hour, and the sampler's own health.
 */
export class SamplerMetrics {
  private readonly toLimit: Gauge<'cgroup'>;
  private readonly cgroups: Gauge;
  private readonly duration: Histogram;
  private readonly vanished: Counter;
  private readonly leftOut: Gauge;
  private readonly unlogged: Counter<'cgroup'>;
  private readonly unloggedSeen = new Set<string>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.toLimit = new Gauge({
      name: 'oomlens_cgroup_seconds_to_limit',
      help: `Predicted seconds until the cgroup's working set reaches its memory limit at its present growth (only cgroups predicted within ${PREDICTION_HORIZON_SEC} s, at most ${MAX_PREDICTED_SERIES})`,
      labelNames: ['cgroup'],
      registers,
    });
    this.cgroups = new Gauge({ name: 'oomlens_sampler_cgroups', help: 'Cgroups read in the last sampling round', registers });
    this.duration = new Histogram({
      name: 'oomlens_sampler_duration_seconds',
      help: 'Time one sampling round took (all cgroups)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.vanished = new Counter({ name: 'oomlens_sampler_vanished_total', help: 'Cgroups that were gone when read (containers stopping): no error', registers });
    this.leftOut = new Gauge({ name: 'oomlens_sampler_left_out_cgroups', help: 'Matching cgroups not read in the last round (beyond the cgroup cap)', registers });
    this.unlogged = new Counter({
      name: 'oomlens_cgroup_unlogged_oom_kills_total',
      help: "OOM kills a cgroup's oom_kill counter showed with no kernel report read (rate-limited or lost dumps)",
      labelNames: ['cgroup'],
      registers,
    });
  }

  round(round: SampleRound, durationSec: number, tracker: MemoryTracker): void {
    this.cgroups.set(round.samples.length);
    this.duration.observe(durationSec);
    if (round.vanished > 0) this.vanished.inc(round.vanished);
    this.leftOut.set(round.leftOut);
    const soon: { cgroup: string; sec: number }[] = [];
    for (const c of tracker.current()) {
      if (c.secondsToLimit !== null && c.secondsToLimit <= PREDICTION_HORIZON_SEC) soon.push({ cgroup: c.point.cgroup, sec: c.secondsToLimit });
    }
    soon.sort((a, b) => a.sec - b.sec);
    this.toLimit.reset();
    for (const s of soon.slice(0, MAX_PREDICTED_SERIES)) this.toLimit.set({ cgroup: bounded(s.cgroup) }, Math.round(s.sec));
  }

  unloggedKills(cgroup: string, count: number): void {
    let label = bounded(cgroup);
    if (!this.unloggedSeen.has(label)) {
      if (this.unloggedSeen.size >= MAX_PREDICTED_SERIES) label = 'other';
      else this.unloggedSeen.add(label);
    }
    this.unlogged.inc({ cgroup: label }, count);
  }
}

function bounded(value: string): string {
  return value.length > MAX_LABEL_CHARS ? `${value.slice(0, MAX_LABEL_CHARS - 1)}…` : value;
}
