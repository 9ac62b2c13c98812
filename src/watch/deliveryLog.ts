import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { errnoText } from '../render/errnoText.js';
import type { ProblemSink } from './lineSource.js';
import { loadState, saveState, type HookBacklog, type OutputMark, type WatchState } from './watchState.js';

/**
 * What `watch --state` has delivered, durable per record. The state file is a checkpoint,
 * written atomically after each batch and at quiet points; between checkpoints every record
 * is written ahead into `STATE.journal` (one appended line, no rename, no fsync: it survives
 * the process being killed) before it is printed, with what the `--exec` hook owes for it:
 *
 * - `{"e":EPOCH,"w":KEY,"l":LINE,"out":{dev,ino,size}|null,"rec":RECORD|"over":ITEM}` before the print,
 * - `{"e":EPOCH,"s":KEY}` once it was printed, `{"e":EPOCH,"d":KEY}` once the hook confirmed it.
 *
 * A restart reads the checkpoint and the journal lines of its epoch (older lines belong to a
 * checkpoint written since): every record shown is skipped, the hook's backlog is run again. The
 * one record written ahead but not confirmed shown counts as shown when stdout is the same
 * regular file and grew past the size noted before it, else it is printed again.
 */
export class DeliveryLog {
  private epoch = newEpoch();
  private fd: number | null = null;
  private trouble: string | null = null;
  private headNoted: string | null = null;
  /** Where the last checkpoint stands. */
  checkpointed: WatchState['position'] | null = null;
  /** The hook's backlog, for checkpoints (set by the hook's owner). */
  hookBacklog: () => HookBacklog | null = () => null;

  private constructor(
    private readonly statePath: string,
    private readonly problem: ProblemSink,
    /** The checkpoint with the journal's shown records folded into `reported`. */
    readonly saved: WatchState | null,
    /** What the hook had not confirmed when the last run ended. */
    readonly recoveredHook: HookBacklog,
  ) {}

  static async open(statePath: string, problem: ProblemSink, output: () => OutputMark | null): Promise<DeliveryLog> {
    const state = await loadState(statePath);
    const entries = state?.epoch ? readJournal(`${statePath}.journal`, state.epoch) : [];
    const hook: HookBacklog = { pending: [...(state?.hook?.pending ?? [])], overflow: state?.hook?.overflow ? { ...state.hook.overflow, items: [...state.hook.overflow.items] } : null };
    const reported = [...(state?.reported ?? [])];
    const shown = new Set(entries.flatMap((e) => (e.s !== undefined ? [e.s] : [])));
    const last = [...entries].reverse().find((e) => e.w !== undefined);
    for (const e of entries) {
      if (e.d === OVERFLOW_KEY) hook.overflow = null;
      else if (e.d !== undefined) hook.pending = hook.pending.filter((p) => p.key !== e.d);
      if (e.w === undefined) continue;
      // A later entry is written only once the record before it was printed.
      if (e === last && !shown.has(e.w) && !grewPast(e.out ?? null, output())) continue;
      reported.push({ key: e.w, line: e.l ?? 0 });
      if (e.rec !== undefined) hook.pending.push({ key: e.w, record: e.rec });
      if (e.over !== undefined) {
        hook.overflow ??= { count: 0, items: [] };
        hook.overflow.count += 1;
        if (hook.overflow.items.length < MAX_OVERFLOW_ITEMS) hook.overflow.items.push(e.over);
      }
    }
    const saved = state ? { ...state, reported } : null;
    const head = entries.find((e) => e.h !== undefined);
    if (saved && head && saved.position.kind === 'file' && saved.position.offset === 0 && head.ino === saved.position.ino) {
      saved.position = { ...saved.position, head: head.h };
    }
    return new DeliveryLog(statePath, problem, saved, hook);
  }

  /** Written ahead of printing `record` (whose parser key and line are given). */
  willShow(key: string, line: number, out: OutputMark | null, hook: { rec: unknown } | { over: unknown } | null): void {
    this.append({ e: this.epoch, w: key, l: line, out, ...(hook ?? {}) });
  }

  /** The first bytes of the file a checkpoint at offset 0 points to: they identify it once rotated. */
  noteHead(ino: number, head: Buffer): void {
    if (this.headNoted === this.epoch) return;
    this.headNoted = this.epoch;
    this.append({ e: this.epoch, ino, h: head.toString('base64') });
  }

  shown(key: string): void {
    this.append({ e: this.epoch, s: key });
  }

  hookDone(key: string): void {
    this.append({ e: this.epoch, d: key });
  }

  /** Writes the checkpoint (a new epoch), then empties the journal. Throws what saveState throws. */
  async checkpoint(state: WatchState, out: OutputMark | null): Promise<void> {
    this.checkpointed = state.position;
    const epoch = newEpoch();
    await saveState(this.statePath, { ...state, epoch, output: out, hook: this.hookBacklog() });
    this.epoch = epoch;
    try {
      this.fd ??= openSync(`${this.statePath}.journal`, 'a', 0o600);
      ftruncateSync(this.fd, 0);
    } catch (err) {
      this.say(err);
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private append(entry: Record<string, unknown>): void {
    try {
      this.fd ??= openSync(`${this.statePath}.journal`, 'a', 0o600);
      writeSync(this.fd, `${JSON.stringify(entry)}\n`);
      this.trouble = null;
    } catch (err) {
      this.say(err);
    }
  }

  private say(err: unknown): void {
    const message = `cannot write ${this.statePath}.journal: ${errnoText(err)} (a restart may repeat the records shown since the last state save)`;
    if (message !== this.trouble) this.problem(message);
    this.trouble = message;
  }
}

export const OVERFLOW_KEY = 'overflow';
export const MAX_OVERFLOW_ITEMS = 1000;

interface JournalEntry {
  e: string;
  w?: string;
  l?: number;
  out?: OutputMark | null;
  rec?: unknown;
  over?: unknown;
  s?: string;
  d?: string;
  ino?: number;
  h?: string;
}

function readJournal(path: string, epoch: string): JournalEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const out: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const e = JSON.parse(line) as JournalEntry;
      if (e && e.e === epoch) out.push(e);
    } catch {
      // The last line of a killed process may be cut: it was not confirmed.
    }
  }
  return out;
}

function grewPast(before: OutputMark | null, now: OutputMark | null): boolean {
  return before !== null && now !== null && before.dev === now.dev && before.ino === now.ino && now.size > before.size;
}

function newEpoch(): string {
  return randomBytes(8).toString('hex');
}

/** stdout as a regular file (dev, inode, size), or null for a pipe, a terminal, a socket. */
export function stdoutMark(): OutputMark | null {
  try {
    const st = fstatSync(1);
    if (!st.isFile()) return null;
    // stderr into the same file would make its size say nothing about our records.
    const err = fstatSync(2);
    if (err.dev === st.dev && err.ino === st.ino) return null;
    return { dev: st.dev, ino: st.ino, size: st.size };
  } catch {
    return null;
  }
}
