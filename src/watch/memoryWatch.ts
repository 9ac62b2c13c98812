import { MemoryTracker, type CounterKill, type Observation } from '../analyze/memoryTracker.js';
import { pointOf } from '../analyze/memoryPoint.js';
import type { PreOomOptions } from '../analyze/preOomDecision.js';
import type { MemoryLife } from '../schema/memoryLife.js';
import type { MemorySample } from '../schema/memorySample.js';
import { SamplesFile } from '../sample/samplesFile.js';
import { Sampler, type SampleRound } from '../sample/sampler.js';
import type { ProblemSink } from './lineSource.js';

export interface MemoryWatchOptions {
  sampler: Sampler;
  everyMs: number;
  file: SamplesFile | null;
  preOom: PreOomOptions;
  /** A sample about to reach its limit (the pre-OOM decision said so). */
  onPreOom?: (obs: Observation, sample: MemorySample) => void;
  /** Kills the oom_kill counter showed that no log record explained. */
  onCounterKill?: (kill: CounterKill) => void;
  /** After each round: what was read and how long it took. */
  onRound?: (round: SampleRound, durationSec: number, tracker: MemoryTracker) => void;
  problem: ProblemSink;
}

/** CLOCK_MONOTONIC seconds (libuv's hrtime is CLOCK_MONOTONIC on Linux: since boot, like the kernel's stamps). */
export function monotonicSec(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1e6;
}

/**
 * The sampling side of `watch --samples`: every `everyMs` (on a fixed beat; a slow round skips
 * beats rather than piling up) reads the cgroups, appends to the samples file, and feeds the
 * tracker, which decides the pre-OOM hook and joins kills with the curve.
 */
export class MemoryWatch {
  readonly tracker: MemoryTracker;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private started = 0;

  constructor(private readonly o: MemoryWatchOptions) {
    // A counter kill waits two rounds (at least 2 s) for its log record: the dump settles first.
    this.tracker = new MemoryTracker(o.preOom, Math.max(2, (2 * o.everyMs) / 1000));
  }

  start(): void {
    this.started = performance.now();
    this.tick(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.o.file?.close();
    this.o.sampler.close();
  }

  /** A kill the log reported: joins it with the curve and returns the life that ended in it. */
  logKill(host: string, cgroups: string[]): MemoryLife | null {
    return this.tracker.noteLogKill(host, cgroups, monotonicSec());
  }

  /** Runs one round now (also what the timer calls). */
  sampleOnce(): void {
    const t0 = performance.now();
    let round: SampleRound;
    try {
      round = this.o.sampler.sample({ wallMs: Date.now(), monotonicSec: monotonicSec() });
    } catch (err) {
      this.o.problem(`sampling the cgroups failed: ${(err as Error).message}`);
      return;
    }
    this.o.file?.append(round.samples);
    const observations = this.tracker.observe(round.samples.map(pointOf));
    for (let i = 0; i < observations.length; i++) {
      const obs = observations[i]!;
      if (obs.preOom) this.o.onPreOom?.(obs, round.samples[i]!);
    }
    for (const kill of this.tracker.unexplained(monotonicSec())) this.o.onCounterKill?.(kill);
    this.o.onRound?.(round, (performance.now() - t0) / 1000, this.tracker);
  }

  private tick(beat: number): void {
    if (this.stopped) return;
    this.sampleOnce();
    // The next beat after now: rounds stay on the grid, and a slow one skips beats.
    const elapsed = performance.now() - this.started;
    const next = Math.max(beat + 1, Math.ceil(elapsed / this.o.everyMs));
    this.timer = setTimeout(() => this.tick(next), next * this.o.everyMs - elapsed);
  }
}
