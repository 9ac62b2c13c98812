import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { OomRecord } from '../schema/oomRecord.js';
import { followRecords, type FollowSpec } from '../watch/followSource.js';
import type { TuiApp } from './tuiApp.js';

type LiveView = Pick<TuiApp, 'load' | 'arrive' | 'warn'>;

export interface LiveFollow {
  /** The records the files held when they were read: kills the follower also saw are not new. */
  history(records: readonly OomRecord[]): void;
  /** Settles once following has stopped (the signal aborted) or failed. */
  done: Promise<void>;
}

/** The running system's kernel log is history until it has been quiet this long. */
const CATCH_UP_QUIET_MS = 1000;

/** The kernel log files `watch` follows by default, in the order it tries them. */
const SYSTEM_LOG_FILES = ['/var/log/kern.log', '/var/log/messages'];

/** The system's kernel log file, as `oomlens watch` picks it; null when there is none. */
export async function systemLogFile(): Promise<string | null> {
  for (const path of SYSTEM_LOG_FILES) {
    if (await access(path, constants.R_OK).then(() => true, () => false)) return path;
  }
  return null;
}

/**
 * Feeds kills to the TUI as the watch machinery completes them from log files. Each file is
 * followed from its end, started before it is read so that nothing written in between is
 * missed (a kill seen both ways is kept once).
 */
export function followFiles(paths: string[], view: LiveView, signal: AbortSignal): LiveFollow {
  let seen: Set<string> | null = null;
  const early: OomRecord[] = [];
  const take = (r: OomRecord) => {
    if (seen === null) early.push(r);
    else if (!seen.has(placeOf(r))) view.arrive([r]);
  };
  const done = Promise.all(paths.map((path) => consume({ kind: 'file', path }, false, take, view, signal))).then(() => undefined);
  return {
    history(records) {
      seen = new Set(records.map(placeOf));
      const fresh = early.splice(0).filter((r) => !seen!.has(placeOf(r)));
      if (fresh.length > 0) view.arrive(fresh);
    },
    done,
  };
}

/**
 * Follows the running kernel without a log file: /dev/kmsg when it can be read, else the
 * journal, from the start; what it already held (up to its first quiet second) is loaded as
 * history, not as new kills.
 */
export function followKernel(view: LiveView, signal: AbortSignal): Promise<void> {
  const history: OomRecord[] = [];
  let caughtUp = false;
  let quiet: NodeJS.Timeout | undefined;
  const catchUp = () => {
    caughtUp = true;
    view.load(history.splice(0), []);
  };
  const waitQuiet = () => {
    clearTimeout(quiet);
    quiet = setTimeout(catchUp, CATCH_UP_QUIET_MS);
  };
  waitQuiet();
  const take = (r: OomRecord) => {
    if (caughtUp) return view.arrive([r]);
    history.push(r);
    waitQuiet();
  };
  return kernelSpec()
    .then((spec) => consume(spec, true, take, view, signal))
    .finally(() => clearTimeout(quiet));
}

/** /dev/kmsg when it can be read (root, or dmesg_restrict off), else the journal. */
async function kernelSpec(): Promise<FollowSpec> {
  const kmsg = await access('/dev/kmsg', constants.R_OK).then(() => true, () => false);
  return kmsg ? { kind: 'kmsg', path: '/dev/kmsg' } : { kind: 'journal' };
}

async function consume(spec: FollowSpec, fromStart: boolean, take: (r: OomRecord) => void, view: LiveView, signal: AbortSignal): Promise<void> {
  const where = spec.kind === 'journal' ? 'the journal' : spec.path;
  try {
    for await (const r of followRecords(spec, { fromStart, keepRaw: true, signal, onProblem: (m) => view.warn(`${where}: ${m}`) })) take(r);
  } catch (err) {
    view.warn(`stopped following ${where}: ${(err as Error).message}`);
  }
}

/** Where a report starts; the same kill read twice starts at the same line. */
function placeOf(r: OomRecord): string {
  return `${r.source.file}:${r.source.line}`;
}
