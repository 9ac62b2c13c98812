import { spawn } from 'node:child_process';
import type { KillRecord } from '../schema/killRecord.js';
import type { ProblemSink } from './lineSource.js';

/** Kills waiting for the hook beyond this are dropped (and said so): a stuck hook must not hoard memory. */
const MAX_QUEUED = 100;
export const DEFAULT_EXEC_TIMEOUT_MS = 10_000;

/**
 * `watch --exec CMD`: runs CMD with `/bin/sh -c` once per record, one at a time, with the
 * record as one line of JSON on its stdin. The record never becomes part of the command line
 * (with --samples, the figures of the memory's life before the kill are also in OOMLENS_*
 * variables, values only). Its stdout and stderr go to our stderr (stdout carries our output). A
 * hook that fails or outlives its timeout is reported and the watch goes on.
 */
export class ExecHook {
  private readonly queue: { record: object; env: Record<string, string> }[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly command: string,
    private readonly timeoutMs: number,
    private readonly problem: ProblemSink,
  ) {}

  /** `env`: extra environment for this run (the life of the memory before a kill, with --samples). */
  enqueue(record: KillRecord | object, env: Record<string, string> = {}): void {
    if (this.queue.length >= MAX_QUEUED) {
      this.problem(`--exec: ${MAX_QUEUED} records already wait for the hook; this one is not passed to it`);
      return;
    }
    this.queue.push({ record, env });
    this.running ??= this.drain().finally(() => (this.running = null));
  }

  /** Resolves when every queued record has been through the hook. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (let item = this.queue.shift(); item; item = this.queue.shift()) await this.runOnce(item);
  }

  private runOnce(item: { record: object; env: Record<string, string> }): Promise<void> {
    return runHook({ flag: '--exec', command: this.command, stdin: `${JSON.stringify(item.record)}\n`, env: item.env, timeoutMs: this.timeoutMs, problem: this.problem });
  }
}

export interface HookRun {
  /** The option, for messages (`--exec`, `--before-oom`). */
  flag: string;
  command: string;
  stdin: string;
  /** Added to our environment: values only ever go here or on stdin, never into the command line. */
  env?: Record<string, string>;
  timeoutMs: number;
  problem: ProblemSink;
}

/**
 * Runs a hook command with `/bin/sh -c`, its input on stdin, its output on our stderr. Resolves
 * when it has ended; failures and timeouts are reported, never thrown.
 */
export function runHook(run: HookRun): Promise<void> {
  return new Promise((resolve) => {
    // Its own process group, so that a timeout ends the hook's children too.
    const child = spawn('/bin/sh', ['-c', run.command], { stdio: ['pipe', 2, 2], detached: true, env: run.env ? { ...process.env, ...run.env } : process.env });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      run.problem(`${run.flag}: hook still running after ${run.timeoutMs / 1000} s; killed`);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, run.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      run.problem(`${run.flag}: cannot run the hook: ${err.message}`);
      resolve();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0 && !timedOut) run.problem(`${run.flag}: hook failed (${signal ?? `exit code ${code}`})`);
      resolve();
    });
    // A hook that does not read its stdin is no error.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(run.stdin);
  });
}
