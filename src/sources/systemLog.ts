import { constants } from 'node:fs';
import { access, readFile, readdir, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { PERMISSION_HINT, type InputProblem } from './inputProblem.js';
import { rotationOrder } from './rotationOrder.js';

/** A program whose output is read as a log (`journalctl`, `dmesg`). */
export interface CommandSource {
  /** What to call it in messages. */
  label: string;
  command: string;
  args: string[];
  /** Boot time (epoch ms) for uptime-only output: the live system's, from /proc/stat. */
  bootTimeMs: number | null;
}

/** Where the system's own kernel log is, and the line that says so on stderr. */
export type SystemLog =
  | { kind: 'files'; paths: string[]; note: string }
  | { kind: 'command'; source: CommandSource; note: string }
  | { kind: 'none'; problem: InputProblem };

const LOG_SETS = ['kern.log', 'messages'];

/**
 * Finds the kernel log of the machine we run on (under `root`, `/` but for tests): the
 * `/var/log/kern.log*` rotation set, else `/var/log/messages*`, else the journal (when
 * journalctl and a journal are there), else `dmesg` with the boot time from /proc/stat.
 */
export async function findSystemLog(root = '/', pathEnv = process.env.PATH ?? ''): Promise<SystemLog> {
  const logDir = join(root, 'var', 'log');
  const names = await readdir(logDir).catch(() => [] as string[]);
  for (const set of LOG_SETS) {
    const member = new RegExp(`^${set.replace('.', '\\.')}(?:\\.\\d+|-\\d[\\d-]*)?(?:\\.gz|\\.bz2|\\.xz|\\.zst)?$`);
    const paths = rotationOrder(names.filter((n) => member.test(n)).map((n) => join(logDir, n)));
    if (paths.length === 0) continue;
    const newest = paths[paths.length - 1]!;
    try {
      await access(newest, constants.R_OK);
    } catch {
      return { kind: 'none', problem: { input: newest, message: PERMISSION_HINT } };
    }
    const older = paths.length - 1;
    const note = older === 0 ? `reading ${newest}` : `reading ${newest} and ${older} rotated file${older === 1 ? '' : 's'} before it`;
    return { kind: 'files', paths, note };
  }
  const journalctl = await findProgram('journalctl', pathEnv);
  if (journalctl && (await isDir(join(root, 'var', 'log', 'journal')) || (await isDir(join(root, 'run', 'log', 'journal'))))) {
    // Not `journalctl -k`: that implies `-b`, the current boot only, and OOM kills often end a boot.
    // The userspace killers' lines too, and systemd's (its `<unit>: systemd-oomd killed ...`).
    const args = ['_TRANSPORT=kernel', '+', 'SYSLOG_IDENTIFIER=systemd-oomd', '+', 'SYSLOG_IDENTIFIER=earlyoom', '+', 'SYSLOG_IDENTIFIER=systemd', '--output=json', '--no-pager'];
    return {
      kind: 'command',
      source: { label: 'journalctl', command: journalctl, args, bootTimeMs: null },
      note: `reading the kernel's, systemd-oomd's and earlyoom's messages in the journal, all boots (journalctl ${args.join(' ')})`,
    };
  }
  const dmesg = await findProgram('dmesg', pathEnv);
  if (dmesg) {
    const bootTimeMs = await bootTimeFromProcStat(root);
    return {
      kind: 'command',
      source: { label: 'dmesg', command: dmesg, args: [], bootTimeMs },
      note: `reading the kernel ring buffer (dmesg)${bootTimeMs === null ? '' : ', boot time from /proc/stat'}`,
    };
  }
  return {
    kind: 'none',
    problem: { input: 'kernel log', message: 'found no /var/log/kern.log, /var/log/messages, journal or dmesg; name a log file' },
  };
}

/** `btime` of /proc/stat: when the system booted, in epoch seconds. */
async function bootTimeFromProcStat(root: string): Promise<number | null> {
  const text = await readFile(join(root, 'proc', 'stat'), 'utf8').catch(() => '');
  const m = /^btime (\d+)$/m.exec(text);
  return m ? Number(m[1]) * 1000 : null;
}

async function findProgram(name: string, pathEnv: string): Promise<string | null> {
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    const path = join(dir, name);
    try {
      await access(path, constants.X_OK);
      return path;
    } catch {
      // not in this directory
    }
  }
  return null;
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}
