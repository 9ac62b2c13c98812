import { spawn } from 'node:child_process';
import type { KillRecord } from '../schema/killRecord.js';
import { MAX_OVERFLOW_ITEMS, OVERFLOW_KEY } from './deliveryLog.js';
import type { ProblemSink } from './lineSource.js';
import type { HookBacklog } from './watchState.js';

/** Records waiting for the hook beyond this are collapsed into one summary call: a stuck hook must not hoard memory. */
export const MAX_QUEUED = 100;
export const DEFAULT_EXEC_TIMEOUT_MS = 10_000;
/** On stop, the hook gets this long to finish; what is left waits in the state for the next start. */
export const DRAIN_MS = 5_000;

/** How one run of a hook ended: ran to its end (whatever its status), or was stopped by us. */
export type HookEnd = 'ran' | 'interrupted';

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

export interface HookHandle {
  ended: Promise<HookEnd>;
  /** Ends the hook and its children now (the run then ends 'interrupted'). */
  interrupt(): void;
}

/**
 * Starts a hook command with `/bin/sh -c`, its input on stdin, in its own process group (so
 * that a timeout ends the hook's children too), its output on our stderr. Failures and a run
 * past its timeout are reported (never thrown) and count as run.
 */
export function startHook(run: HookRun): HookHandle {
  let interrupted = false;
  const child = spawn('/bin/sh', ['-c', run.command], { stdio: ['pipe', 2, 2], detached: true, env: run.env ? { ...process.env, ...run.env } : process.env });
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
      run.problem(`${run.flag}: hook still running after ${run.timeoutMs / 1000} s; killed`);
      killGroup();
    }, run.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      run.problem(`${run.flag}: cannot run the hook: ${err.message}`);
      resolve(interrupted ? 'interrupted' : 'ran');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (interrupted) return resolve('interrupted');
      if (code !== 0 && !timedOut) run.problem(`${run.flag}: hook failed (${signal ?? `exit code ${code}`})`);
      resolve('ran');
    });
  });
  // A hook that does not read its stdin is no error.
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(run.stdin);
  return {
    ended,
    interrupt: () => {
      interrupted = true;
      killGroup();
    },
  };
}

/** Runs a hook to its end (see startHook). */
export async function runHook(run: HookRun): Promise<void> {
  await startHook(run).ended;
}

/**
 * `watch --exec CMD`: runs CMD once per record, one at a time, with the record as one line of
 * JSON on its stdin. Delivery is at least once: a record leaves the backlog when a run of the
 * hook for it ended (`onDone`, which the state journal records); a run cut short by our stop or
 * crash is run again at the next start. Past MAX_QUEUED waiting records, the later ones are
 * collapsed into one summary call (said once on stderr), run when the hook has caught up.
 */
export class ExecHook {
  private readonly queue: { key: string; record: unknown; env?: Record<string, string> }[] = [];
  private overflow: { count: number; items: unknown[] } | null = null;
  /** The summary in the hook's hands (records collapsed meanwhile start a new one). */
  private sending: { count: number; items: unknown[] } | null = null;
  private current: HookHandle | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly command: string,
    private readonly timeoutMs: number,
    private readonly problem: ProblemSink,
    private readonly onDone: (key: string) => void = () => undefined,
  ) {}

  /** Takes back what an earlier run had not delivered. */
  restore(backlog: HookBacklog): void {
    this.queue.push(...backlog.pending);
    if (backlog.overflow) this.overflow = { count: backlog.overflow.count, items: [...backlog.overflow.items] };
    if (this.queue.length > 0 || this.overflow) this.problem(`--exec: passing ${this.queue.length + (this.overflow?.count ?? 0)} record(s) the last run had not delivered to the hook`);
    this.kick();
  }

  /**
   * Queues `record` and says what the state journal must keep for it: the record itself, or
   * (the queue being full) its summary item.
   */
  enqueue(key: string, record: (KillRecord & { life?: unknown }) | CounterRecord, env: Record<string, string> = {}): { rec: unknown } | { over: unknown } {
    if (this.overflow || this.queue.length >= MAX_QUEUED) {
      if (!this.overflow) this.problem(`--exec: ${MAX_QUEUED} records already wait for the hook; later ones go to it as one summary call once it has caught up`);
      this.overflow ??= { count: 0, items: [] };
      const item = summaryItem(record);
      this.overflow.count += 1;
      if (this.overflow.items.length < MAX_OVERFLOW_ITEMS) this.overflow.items.push(item);
      this.kick();
      return { over: item };
    }
    this.queue.push({ key, record, env });
    this.kick();
    return { rec: record };
  }

  /** What has not been delivered yet (the record in the hook's hands included). */
  backlog(): HookBacklog {
    const parts = [this.sending, this.overflow].filter((o) => o !== null);
    const overflow = parts.length === 0 ? null : { count: parts.reduce((n, o) => n + o.count, 0), items: parts.flatMap((o) => o.items).slice(0, MAX_OVERFLOW_ITEMS) };
    return { pending: this.queue.map(({ key, record }) => ({ key, record })), overflow };
  }

  /** Resolves when every queued record has been through the hook. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Stops: waits up to `drainMs` for the backlog, then interrupts the hook. Returns how many
   * records were not delivered (kept in the state, when there is one, for the next start).
   */
  async close(drainMs = DRAIN_MS): Promise<number> {
    let timer: NodeJS.Timeout | null = null;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)));
    await Promise.race([this.idle(), late]);
    clearTimeout(timer!);
    this.stopping = true;
    this.current?.interrupt();
    await this.running;
    return this.queue.length + (this.overflow?.count ?? 0) + (this.sending?.count ?? 0);
  }

  private kick(): void {
    this.running ??= this.drain().finally(() => (this.running = null));
  }

  private async drain(): Promise<void> {
    while (!this.stopping) {
      const next = this.queue[0];
      if (next) {
        if ((await this.run(`${JSON.stringify(next.record)}\n`, next.env)) === 'interrupted') return;
        this.queue.shift();
        this.onDone(next.key);
      } else if (this.overflow) {
        this.sending = this.overflow;
        this.overflow = null;
        const summary = { type: 'oomlens-exec-overflow', count: this.sending.count, records: this.sending.items };
        if ((await this.run(`${JSON.stringify(summary)}\n`)) === 'interrupted') {
          this.overflow = this.sending;
          this.sending = null;
          return;
        }
        this.sending = null;
        this.onDone(OVERFLOW_KEY);
      } else {
        return;
      }
    }
  }

  private async run(stdin: string, env?: Record<string, string>): Promise<HookEnd> {
    this.current = startHook({ flag: '--exec', command: this.command, stdin, env, timeoutMs: this.timeoutMs, problem: this.problem });
    try {
      return await this.current.ended;
    } finally {
      this.current = null;
    }
  }
}

/** What the overflow summary tells the hook of one record. */
/** A record from --samples (a kill the memory counters saw, with no log line). */
type CounterRecord = { type: 'counter-oom-kill'; host: string | null; cgroup: string; time: string };

function summaryItem(r: KillRecord | CounterRecord): unknown {
  if (r.type === 'counter-oom-kill') return { type: r.type, host: r.host, time: r.time, cgroup: r.cgroup };
  if (r.type === 'userspace-kill') return { type: r.type, host: r.host, time: r.time, killer: r.killer, victim: { pid: r.victim.pid, comm: r.victim.comm } };
  return { type: r.type, host: r.host, time: r.time, uptime: r.uptime, victim: r.victim && { pid: r.victim.pid, comm: r.victim.comm }, memcg: r.cgroup?.path ?? null };
}
