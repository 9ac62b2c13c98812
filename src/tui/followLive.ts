import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { KillRecord } from '../schema/killRecord.js';
import type { SystemLog } from '../sources/systemLog.js';
import { followRecords, type FollowSpec } from '../watch/followSource.js';
import type { TuiApp } from './tuiApp.js';

type LiveView = Pick<TuiApp, 'arrive' | 'warn'>;

export interface LiveFollow {
  /** The records the inputs held when they were read: a kill the follower also saw is not new. */
  history(records: readonly KillRecord[]): void;
  /** Settles once following has stopped (the signal aborted) or failed. */
  done: Promise<void>;
}

/**
 * What to follow for the system's kernel log, as found for reading it: the newest file of the
 * rotation set, the journal, or /dev/kmsg when the log is read through dmesg (null when it
 * cannot be read).
 */
export async function followSpecOf(log: SystemLog): Promise<FollowSpec | null> {
  switch (log.kind) {
    case 'files':
      return { kind: 'file', path: log.paths[log.paths.length - 1]! };
    case 'command':
      if (log.source.label === 'journalctl') return { kind: 'journal' };
      return (await access('/dev/kmsg', constants.R_OK).then(() => true, () => false)) ? { kind: 'kmsg', path: '/dev/kmsg' } : null;
    case 'none':
      return null;
  }
}

/**
 * Feeds kills to the TUI as the watch machinery completes them. Each source is followed from its
 * end, started before the inputs are read so that nothing written in between is missed; a kill
 * both ways saw (same host, time and victim) is kept once, as history.
 */
export function followLive(specs: FollowSpec[], view: LiveView, signal: AbortSignal): LiveFollow {
  let seen: Set<string> | null = null;
  const early: KillRecord[] = [];
  const take = (r: KillRecord) => {
    if (seen === null) early.push(r);
    else if (!seen.has(identityOf(r))) view.arrive([r]);
  };
  const done = Promise.all(specs.map((spec) => consume(spec, take, view, signal))).then(() => undefined);
  return {
    history(records) {
      seen = new Set(records.map(identityOf));
      const fresh = early.splice(0).filter((r) => !seen!.has(identityOf(r)));
      if (fresh.length > 0) view.arrive(fresh);
    },
    done,
  };
}

async function consume(spec: FollowSpec, take: (r: KillRecord) => void, view: LiveView, signal: AbortSignal): Promise<void> {
  const where = spec.kind === 'journal' ? 'the journal' : spec.path;
  try {
    for await (const r of followRecords(spec, { keepRaw: true, signal, onProblem: (m) => view.warn(`${where}: ${m}`) })) take(r);
  } catch (err) {
    view.warn(`stopped following ${where}: ${(err as Error).message}`);
  }
}

/** A kill as the kernel told it, whichever way it was read (file, journal, kmsg). */
function identityOf(r: KillRecord): string {
  if (r.type === 'userspace-kill') return [r.type, r.killer, r.host, r.time, r.victim.pid, r.victim.comm ?? r.victim.unit ?? r.victim.cgroup].join('\u0000');
  return [r.type, r.host, r.time ?? r.uptime, r.victim?.pid ?? r.trigger?.pid, r.victim?.comm ?? r.trigger?.comm].join('\u0000');
}
