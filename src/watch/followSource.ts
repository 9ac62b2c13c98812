import { readFile } from 'node:fs/promises';
import { errnoText } from '../render/errnoText.js';
import type { KillRecord } from '../schema/killRecord.js';
import { FileTail } from './fileTail.js';
import { JournalTail } from './journalTail.js';
import { KmsgTail } from './kmsgTail.js';
import type { LineSource, ProblemSink, SourceChunk } from './lineSource.js';
import { ResumableParser, type ParserSetup } from './resumableParser.js';
import { loadState, saveState, StateFileError, type SourcePosition } from './watchState.js';

/** What to follow: a log file by name (across rotations), /dev/kmsg (or a stand-in), the journal. */
export type FollowSpec = { kind: 'file'; path: string } | { kind: 'kmsg'; path: string } | { kind: 'journal' };

export interface FollowOptions {
  /** Keep the position here (written atomically) and resume from it. */
  statePath?: string | null;
  /** Read what the source already holds; by default a fresh start begins at its end. */
  fromStart?: boolean;
  /** Idle time (ms) after which a report that has its kill is written; default 500. */
  settleMs?: number;
  /** Keep each report's raw lines in `rawLines`. */
  keepRaw?: boolean;
  /** Abort to stop: reports that have their kill are written, the state saved, the iteration ends. */
  signal?: AbortSignal;
  /** Non-fatal trouble (a rotated file not found, kmsg overrun, a state write that failed). */
  onProblem?: ProblemSink;
  /** Lines longer than the parser reads, cut short (they count as parse errors). */
  onLongLines?: (count: number) => void;
  /** Each chunk read from the source, as it is taken in (for the source metrics). */
  onChunk?: (chunk: SourceChunk) => void;
  /** Called once the source is open and positioned: input written from now on is seen. */
  onReady?: (position: SourcePosition) => void;
}

export const DEFAULT_SETTLE_MS = 500;

/**
 * Follows a log source and yields each kill record (the kernel's, systemd-oomd's, earlyoom's) as
 * soon as it is complete:
 * at the line that ends it, or `settleMs` after the input went idle (at most twice that while
 * lines keep coming). A record counts as handled once the consumer asks for the next one; with
 * `statePath`, the position is saved then and at each idle point, so a restart resumes with no
 * record lost or repeated. Rejects with `SourceError` (source unreadable) or `StateFileError`.
 *
 * ```ts
 * for await (const record of followRecords({ kind: 'file', path: '/var/log/kern.log' }, { signal })) show(record);
 * ```
 */
export async function* followRecords(spec: FollowSpec, options: FollowOptions = {}): AsyncGenerator<KillRecord, void, undefined> {
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const problem = options.onProblem ?? (() => undefined);
  const statePath = options.statePath ?? null;
  const saved = statePath ? await loadState(statePath) : null;
  if (saved && !samePlace(saved.position, spec)) {
    throw new StateFileError(`state file ${statePath} belongs to another source (${describe(saved.position)})`);
  }
  const parser = new ResumableParser(await parserSetup(spec, options.keepRaw ?? false), saved);
  const source = openSource(spec, saved?.position ?? null, options.fromStart ?? false, problem);

  const inbox: { chunk: SourceChunk; taken: () => void }[] = [];
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  let closed = false;
  let sourceEnded = false;
  let failure: unknown = null;
  const running = source
    .run((chunk) => (closed ? Promise.resolve() : new Promise<void>((taken) => (inbox.push({ chunk, taken }), poke()))))
    .catch((err: unknown) => void (failure = err))
    .finally(() => ((sourceEnded = true), poke()));

  let stopping = options.signal?.aborted ?? false;
  const onAbort = () => ((stopping = true), poke());
  options.signal?.addEventListener('abort', onAbort);

  let position: SourcePosition | null = saved?.position ?? null;
  let settleTimer: NodeJS.Timeout | null = null;
  let settleDue = false;
  let firstUnsettled: number | null = null;
  /** Settle `settleMs` after the last input, but no later than twice that after the first. */
  const armSettle = () => {
    const now = Date.now();
    firstUnsettled ??= now;
    if (settleTimer) clearTimeout(settleTimer);
    const at = Math.min(now + settleMs, firstUnsettled + 2 * settleMs);
    settleTimer = setTimeout(() => ((settleTimer = null), (settleDue = true), poke()), at - now);
  };
  // The first save comes as soon as the source is positioned: it keeps a fresh start's place,
  // and a state file that cannot be written stops the watch at once instead of at every save.
  let savedOnce = statePath === null;
  let saveTrouble: string | null = null;
  const save = async () => {
    reportedSinceSave = false;
    if (!statePath || !position || (!savedOnce && saveTrouble !== null)) return;
    try {
      await saveState(statePath, parser.snapshot(position));
      savedOnce = true;
      saveTrouble = null;
    } catch (err) {
      const message = `cannot write state file ${statePath}: ${errnoText(err)}`;
      if (!savedOnce) throw new StateFileError((saveTrouble = message));
      if (message !== saveTrouble) problem(message);
      saveTrouble = message;
    }
  };
  let ready = false;
  const ingest = (item: { chunk: SourceChunk; taken: () => void }): KillRecord[] => {
    const records = parser.ingest(item.chunk);
    options.onChunk?.(item.chunk);
    position = item.chunk.position;
    if (!ready) options.onReady?.(position);
    ready = true;
    item.taken();
    const cut = parser.takeLongLines();
    if (cut > 0) options.onLongLines?.(cut);
    if (item.chunk.data.length > 0) armSettle();
    return records;
  };

  let inHand: KillRecord | null = null;
  let reportedSinceSave = false;
  function* handOut(records: KillRecord[]): Generator<KillRecord, void, undefined> {
    for (const record of records) {
      inHand = record;
      yield record;
      parser.markReported(record);
      inHand = null;
      reportedSinceSave = true;
    }
  }

  // The state is saved only when every record taken from the parser has been handed out and
  // handled: a crash then repeats at most the record in hand, and never loses one.
  let outbox = parser.take();
  try {
    for (;;) {
      yield* handOut(outbox.splice(0));
      if (reportedSinceSave) await save();
      if (failure) throw failure;
      if (stopping || sourceEnded) break;
      const item = inbox.shift();
      if (item) {
        outbox = ingest(item);
        if (!savedOnce && outbox.length === 0) await save();
      } else if (settleDue) {
        settleDue = false;
        firstUnsettled = null;
        outbox = parser.settle();
        if (outbox.length === 0) await save();
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
    // Stopping: take in what the source had already read, then write what is complete.
    source.stop();
    while (!sourceEnded || inbox.length > 0) {
      const item = inbox.shift();
      if (item) outbox.push(...ingest(item));
      else await new Promise<void>((resolve) => (wake = resolve));
    }
    if (failure) throw failure;
    outbox.push(...parser.settle());
    yield* handOut(outbox.splice(0));
  } finally {
    closed = true;
    if (settleTimer) clearTimeout(settleTimer);
    options.signal?.removeEventListener('abort', onAbort);
    source.stop();
    for (const item of inbox.splice(0)) item.taken();
    await running;
    // A consumer that stopped iterating had the record in hand; records it never got are
    // left out of the saved state so that the next run writes them.
    if (inHand) parser.markReported(inHand);
    if (outbox.length === 0) await save();
  }
}

function openSource(spec: FollowSpec, resume: SourcePosition | null, fromStart: boolean, problem: ProblemSink): LineSource {
  switch (spec.kind) {
    case 'file':
      return new FileTail(spec.path, resume?.kind === 'file' ? { resume } : { fromStart }, problem);
    case 'kmsg':
      return new KmsgTail(spec.path, resume?.kind === 'kmsg' ? { resume } : { fromStart }, problem);
    case 'journal':
      return new JournalTail(resume?.kind === 'journal' ? { resume } : { fromStart });
  }
}

async function parserSetup(spec: FollowSpec, keepRaw: boolean): Promise<ParserSetup> {
  switch (spec.kind) {
    case 'file':
      return { file: spec.path, keepRaw, decode: {} };
    case 'kmsg':
      // kmsg stamps are seconds since boot: the boot time turns them into wall time.
      return { file: spec.path, keepRaw, decode: { bootTimeMs: await bootTimeMs() } };
    case 'journal':
      return { file: 'journal', keepRaw, decode: {} };
  }
}

/** Boot time from /proc/stat (whole seconds, so the same in every run). */
async function bootTimeMs(): Promise<number | null> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => '');
  const m = /^btime (\d+)$/m.exec(stat);
  return m ? Number(m[1]) * 1000 : null;
}

function samePlace(position: SourcePosition, spec: FollowSpec): boolean {
  if (position.kind !== spec.kind) return false;
  return position.kind === 'journal' || spec.kind === 'journal' || position.path === spec.path;
}

function describe(position: SourcePosition): string {
  return position.kind === 'journal' ? 'the journal' : `${position.kind} ${position.path}`;
}
