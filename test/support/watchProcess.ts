import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'oomlens.js');

/** An `oomlens` process run by a test (the built CLI), with its output as it arrives. */
export class CliProcess {
  /** stdout lines, with when each arrived (performance.now()). */
  readonly lines: { text: string; at: number }[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcessWithoutNullStreams;
  private partial = '';
  private readonly waiters = new Set<() => void>();

  constructor(args: string[], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(process.execPath, [BIN, ...args], { env, stdio: 'pipe' });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const at = performance.now();
      const parts = (this.partial + d).split('\n');
      this.partial = parts.pop()!;
      for (const text of parts) this.lines.push({ text, at });
      this.notify();
    });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => {
      this.stderr += d;
      this.notify();
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => this.notify());
  }

  /** stdout lines parsed as JSON (for --json). */
  records(): Record<string, any>[] {
    return this.lines.map((l) => JSON.parse(l.text) as Record<string, any>);
  }

  /** Resolves when `ready()` holds; rejects after `timeoutMs` saying what it waited for. */
  async until(what: string, ready: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (ready()) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!ready()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; stdout:\n${this.lines.map((l) => l.text).join('\n')}\nstderr:\n${this.stderr}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    return this.exited;
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** Polls `ready` every 25 ms until it holds; rejects after `timeoutMs`. */
export async function pollUntil(what: string, ready: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
