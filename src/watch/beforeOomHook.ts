import type { Observation } from '../analyze/memoryTracker.js';
import type { MemorySample } from '../schema/memorySample.js';
import { exactText } from '../sample/exactCount.js';
import { runHook } from './execHook.js';
import type { ProblemSink } from './lineSource.js';

export const DEFAULT_BEFORE_OOM_TIMEOUT_MS = 60_000;
/** Hooks at once (a heap dump is heavy; a host full of leaking cgroups must not fork without end). */
export const BEFORE_OOM_CONCURRENCY = 2;
const MAX_QUEUED = 50;

/**
 * `watch --before-oom CMD`: runs CMD (`/bin/sh -c`) for a cgroup that is about to reach its
 * limit, with the figures in the environment and the sample on stdin, never in the command line.
 * At most BEFORE_OOM_CONCURRENCY at once, one per cgroup at a time, each bounded by a timeout.
 */
export class BeforeOomHook {
  private readonly queue: { cgroup: string; env: Record<string, string>; stdin: string }[] = [];
  private readonly running = new Set<string>();
  private readonly done = new Set<Promise<void>>();
  /** Runs started, for tests and metrics. */
  started = 0;

  constructor(
    private readonly command: string,
    private readonly timeoutMs: number,
    private readonly problem: ProblemSink,
  ) {}

  fire(obs: Observation, sample: MemorySample): void {
    if (!obs.preOom) return;
    if (this.running.has(sample.cgroup) || this.queue.some((q) => q.cgroup === sample.cgroup)) return;
    if (this.queue.length >= MAX_QUEUED) {
      this.problem(`--before-oom: ${MAX_QUEUED} cgroups already wait for the hook; not run for ${sample.cgroup}`);
      return;
    }
    const env: Record<string, string> = {
      OOMLENS_CGROUP: sample.cgroup,
      OOMLENS_HOST: sample.host,
      OOMLENS_REASON: obs.preOom,
      OOMLENS_USAGE_BYTES: exactText(sample.usageBytes),
      OOMLENS_WORKING_SET_BYTES: exactText(sample.workingSetBytes),
      OOMLENS_LIMIT_BYTES: sample.limitBytes === null ? '' : exactText(sample.limitBytes),
      OOMLENS_SECONDS_TO_LIMIT: obs.secondsToLimit === null ? '' : String(Math.max(0, Math.round(obs.secondsToLimit))),
      OOMLENS_GROWTH_BYTES_PER_SEC: obs.trend ? String(Math.round(obs.trend.slope)) : '',
      OOMLENS_PIDS: sample.pids.join(' '),
      OOMLENS_TOP_PID: sample.top[0] ? String(sample.top[0].pid) : '',
    };
    const stdin = `${JSON.stringify({
      type: 'before-oom',
      reason: obs.preOom,
      secondsToLimit: obs.secondsToLimit,
      growthBytesPerSec: obs.trend?.slope ?? null,
      sample,
    })}\n`;
    this.queue.push({ cgroup: sample.cgroup, env, stdin });
    this.pump();
  }

  /** Resolves when every hook started or queued has ended. */
  async idle(): Promise<void> {
    while (this.done.size > 0) await Promise.all([...this.done]);
  }

  private pump(): void {
    while (this.running.size < BEFORE_OOM_CONCURRENCY && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.running.add(next.cgroup);
      this.started++;
      const run = runHook({ flag: '--before-oom', command: this.command, stdin: next.stdin, env: next.env, timeoutMs: this.timeoutMs, problem: this.problem }).then(() => {
        this.running.delete(next.cgroup);
        this.done.delete(run);
        this.pump();
      });
      this.done.add(run);
    }
  }
}
