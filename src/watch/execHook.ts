import { spawn } from 'node:child_process';
import type { KillRecord } from '../schema/killRecord.js';
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

  private runOnce(record: KillRecord): Promise<void> {
    return new Promise((resolve) => {
      // Its own process group, so that a timeout ends the hook's children too.
      const child = spawn('/bin/sh', ['-c', this.command], { stdio: ['pipe', 2, 2], detached: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        this.problem(`--exec: hook still running after ${this.timeoutMs / 1000} s; killed`);
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, this.timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        this.problem(`--exec: cannot run the hook: ${err.message}`);
        resolve();
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (code !== 0 && !timedOut) this.problem(`--exec: hook failed (${signal ?? `exit code ${code}`})`);
        resolve();
      });
      // A hook that does not read its stdin is no error.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(`${JSON.stringify(record)}\n`);
    });
  }
}
