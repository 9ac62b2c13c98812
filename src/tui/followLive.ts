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

/**
 * Feeds kills to the TUI as the watch machinery completes them. Files are followed from their
 * end, started before they are read so that nothing written in between is missed (a kill seen by
 * both is kept once). The running system's log (kmsg, else the journal) is read from its start,
 * and what it already held (up to its first quiet second) is loaded as history, not as new.
 */
export function followLive(what: string[] | 'system', view: LiveView, signal: AbortSignal): LiveFollow {
  if (what === 'system') return followSystem(view, signal);
  let seen: Set<string> | null = null;
  const early: OomRecord[] = [];
  const take = (r: OomRecord) => {
    if (seen === null) early.push(r);
    else if (!seen.has(placeOf(r))) view.arrive([r]);
  };
  const done = Promise.all(what.map((path) => consume({ kind: 'file', path }, false, take, view, signal))).then(() => undefined);
  return {
    history(records) {
      seen = new Set(records.map(placeOf));
      const fresh = early.splice(0).filter((r) => !seen!.has(placeOf(r)));
      if (fresh.length > 0) view.arrive(fresh);
    },
    done,
  };
}

function followSystem(view: LiveView, signal: AbortSignal): LiveFollow {
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
  const done = systemSpec()
    .then((spec) => consume(spec, true, take, view, signal))
    .finally(() => clearTimeout(quiet));
  return { history: () => undefined, done };
}

/** /dev/kmsg when it can be read (root, or dmesg_restrict off), else the journal. */
async function systemSpec(): Promise<FollowSpec> {
  try {
    await access('/dev/kmsg', constants.R_OK);
    return { kind: 'kmsg', path: '/dev/kmsg' };
  } catch {
    return { kind: 'journal' };
  }
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
