import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { findSystemLog, LIVE_SYSTEM, type SystemEnv } from '../sources/systemLog.js';
import type { FollowSpec } from '../watch/followSource.js';

/** What `watch` follows without FILE, and the line on stderr that says so and why. */
export type WatchDefault = { spec: FollowSpec; note: string } | { spec: null; problem: string };

/**
 * The same choice as `scan` without FILE, for a live source: the kernel log file (rotation set's
 * newest), else the journal when it holds kernel messages, else /dev/kmsg (the ring buffer, live).
 * Never a file that does not exist: that would wait forever on a machine without syslog.
 */
export async function defaultWatchSource(kmsgPath: string, env: SystemEnv = LIVE_SYSTEM): Promise<WatchDefault> {
  const log = await findSystemLog(env);
  switch (log.kind) {
    case 'files': {
      const newest = log.paths[log.paths.length - 1]!;
      return { spec: { kind: 'file', path: newest }, note: `no FILE: following ${newest}, the kernel log file` };
    }
    case 'command':
      if (log.source.label === 'journalctl') return { spec: { kind: 'journal' }, note: 'no FILE: following the journal, which holds the kernel messages' };
      return kmsg(kmsgPath, env, log.why ?? 'no kernel log file and no journal');
    case 'none':
      return kmsg(kmsgPath, env, 'no kernel log file and no journal with kernel messages');
  }
}

async function kmsg(kmsgPath: string, env: SystemEnv, why: string): Promise<WatchDefault> {
  const path = kmsgPath.startsWith('/') && env.root !== '/' ? join(env.root, kmsgPath) : kmsgPath;
  try {
    await access(path, constants.R_OK);
  } catch {
    return { spec: null, problem: `no FILE, ${why}, and ${path} cannot be read: name a log file, or run as a user that may read ${path}` };
  }
  return { spec: { kind: 'kmsg', path }, note: `no FILE: following ${path} (${why})` };
}
