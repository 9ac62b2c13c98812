import { spawn } from 'node:child_process';
import type { KillRecord } from '../schema/killRecord.js';
import type { MemoryLife } from '../schema/memoryLife.js';
import { lifeEnv } from './lifeEnv.js';
import type { ProblemSink } from './lineSource.js';

/** Kills waiting for the hook beyond this are dropped (and said so): a stuck hook must not hoard memory. */
const MAX_QUEUED = 100;
export const DEFAULT_EXEC_TIMEOUT_MS = 10_000;

/**
 * `watch --exec CMD`: runs CMD with `/bin/sh -c` once per record, one at a time, with the
 * record as one line of JSON on its stdin. The record never becomes part of the command line
 * or the environment. Its stdout and stderr go to our stderr (stdout carries our output). A
 * hook that fails or outlives its timeout is reported and the watch goes on.
 */
export class ExecHook {
  private readonly queue: KillRecord[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly command: string,
    private readonly timeoutMs: number,
    private readonly problem: ProblemSink,
  ) {}

  enqueue(record: KillRecord): void {
    if (this.queue.length >= MAX_QUEUED) {
      this.problem(`--exec: ${MAX_QUEUED} records already wait for the hook; this one is not passed to it`);
      return;
    }
    this.queue.push(record);
    this.running ??= this.drain().finally(() => (this.running = null));
  }

  /** Resolves when every queued record has been through the hook. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (let record = this.queue.shift(); record; record = this.queue.shift()) await this.runOnce(record);
  }

  private async runOnce(record: KillRecord): Promise<void> {
    // With --samples a kill carries the life of its memory: its figures also go in OOMLENS_* variables.
    await runHook(this.command, `${JSON.stringify(record)}\n`, this.timeoutMs, this.problem, '--exec', lifeEnv((record as { life?: MemoryLife }).life ?? null)).ended;
  }
}

/** How one run of a hook ended: ran to its end (whatever its status), or was stopped by us. */
export type HookEnd = 'ran' | 'interrupted';

export interface HookRun {
  ended: Promise<HookEnd>;
  /** Ends the hook and its children now (the run then ends 'interrupted'). */
  interrupt(): void;
}

/**
 * Runs `command` with `/bin/sh -c`, `input` on its stdin, in its own process group (so that a
 * timeout ends the hook's children too). Log text never becomes part of the command line; `env`
 * (values only: cgroup figures for --before-oom, a kill's memory life) is added to ours. Its
 * stdout and stderr go to our stderr (stdout carries our output). A failure or a run past
 * `timeoutMs` is reported (as `label`) and counts as run.
 */
export function runHook(command: string, input: string, timeoutMs: number, problem: ProblemSink, label = '--exec', env: Record<string, string> = {}): HookRun {
  let interrupted = false;
  const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 2, 2], detached: true, env: { ...process.env, ...env } });
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const ended = new Promise<HookEnd>((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      problem(`${label}: hook still running after ${timeoutMs / 1000} s; killed`);
      killGroup();
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      problem(`${label}: cannot run the hook: ${err.message}`);
      resolve(interrupted ? 'interrupted' : 'ran');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (interrupted) return resolve('interrupted');
      if (code !== 0 && !timedOut) problem(`${label}: hook failed (${signal ?? `exit code ${code}`})`);
      resolve('ran');
    });
  });
  // A hook that does not read its stdin is no error.
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(input);
  return {
    ended,
    interrupt: () => {
      interrupted = true;
      killGroup();
    },
  };
}
