import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readFile, readdir, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { permissionHint, type InputProblem } from './inputProblem.js';
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

/** The machine whose log is looked for: `/` and $PATH, or a fake tree and fake programs in tests. */
export interface SystemEnv {
  root: string;
  pathEnv: string;
}

export const LIVE_SYSTEM: SystemEnv = { root: '/', pathEnv: process.env.PATH ?? '' };

/**
 * Where the system's own kernel log is. Every choice says in `label` what it reads, so that the
 * closing line on stderr can say which sources were read and what each gave.
 * - `files`: the rotation set, and the ring buffer (`dmesg`) after it when there is one: its
 *   newest kills may not have reached the file yet (rsyslog not flushed, not running, filtered).
 * - `command`: the journal when it holds kernel messages, else the ring buffer; `why` says why
 *   the journal was passed over.
 */
export type SystemLog =
  | { kind: 'files'; paths: string[]; label: string; ringBuffer: CommandSource | null }
  | { kind: 'command'; source: CommandSource; label: string; why: string | null }
  | { kind: 'none'; problem: InputProblem };

const LOG_SETS = ['kern.log', 'messages'];

/** The journal's kernel, systemd-oomd, earlyoom and systemd messages, every boot. */
export const JOURNAL_ARGS = [
  // Not `journalctl -k`: that implies `-b`, the current boot only, and OOM kills often end a boot.
  '_TRANSPORT=kernel',
  '+',
  'SYSLOG_IDENTIFIER=systemd-oomd',
  '+',
  'SYSLOG_IDENTIFIER=earlyoom',
  '+',
  'SYSLOG_IDENTIFIER=systemd',
  '--output=json',
  '--no-pager',
];

/** How long the journal may take to say whether it has a kernel message. */
const PROBE_TIMEOUT_MS = 15_000;

/**
 * Finds the kernel log of the machine we run on: the `/var/log/kern.log*` rotation set, else
 * `/var/log/messages*` (each with the ring buffer after it), else the journal when it holds
 * kernel messages, else `dmesg` with the boot time from /proc/stat. A source that exists but
 * holds nothing (an empty journal in a container) never stands for "no kills".
 */
export async function findSystemLog(env: SystemEnv = LIVE_SYSTEM): Promise<SystemLog> {
  const logDir = join(env.root, 'var', 'log');
  const names = await readdir(logDir).catch(() => [] as string[]);
  const dmesg = await findProgram('dmesg', env.pathEnv);
  const ringBuffer = dmesg ? { label: 'dmesg', command: dmesg, args: [], bootTimeMs: await bootTimeFromProcStat(env.root) } : null;
  for (const set of LOG_SETS) {
    const member = new RegExp(`^${set.replace('.', '\\.')}(?:\\.\\d+|-\\d[\\d-]*)?(?:\\.gz|\\.bz2|\\.xz|\\.zst)?$`);
    const paths = rotationOrder(names.filter((n) => member.test(n)).map((n) => join(logDir, n)));
    if (paths.length === 0) continue;
    const newest = paths[paths.length - 1]!;
    try {
      await access(newest, constants.R_OK);
    } catch {
      return { kind: 'none', problem: { input: newest, message: permissionHint() } };
    }
    const older = paths.length - 1;
    const label = older === 0 ? newest : `${newest} and ${older} rotated file${older === 1 ? '' : 's'} before it`;
    return { kind: 'files', paths, label, ringBuffer };
  }
  let why: string | null = null;
  const journalctl = await findProgram('journalctl', env.pathEnv);
  if (journalctl) {
    const probe = await probeJournal(journalctl);
    if (probe === 'kernel') {
      return {
        kind: 'command',
        source: { label: 'journalctl', command: journalctl, args: JOURNAL_ARGS, bootTimeMs: null },
        label: "the journal (the kernel's, systemd-oomd's and earlyoom's messages, all boots)",
        why: null,
      };
    }
    why = probe === 'empty' ? 'the journal holds no kernel messages' : `the journal could not be read (${probe.failed})`;
  }
  if (ringBuffer) {
    const boot = ringBuffer.bootTimeMs === null ? '' : ', boot time from /proc/stat';
    return { kind: 'command', source: ringBuffer, label: `the kernel ring buffer (dmesg${boot})`, why };
  }
  return {
    kind: 'none',
    problem: { input: 'kernel log', message: `found no /var/log/kern.log, /var/log/messages${why ? `, ${why}` : ', journal'} and no dmesg; name a log file` },
  };
}

/** Whether the journal holds at least one kernel message: its newest one is asked for. */
export async function probeJournal(journalctl: string): Promise<'kernel' | 'empty' | { failed: string }> {
  return new Promise((resolve) => {
    const child = spawn(journalctl, ['_TRANSPORT=kernel', '-n', '1', '--quiet', '--no-pager', '--output=cat'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: PROBE_TIMEOUT_MS,
    });
    let out = 0;
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.length));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', (e) => resolve({ failed: e.message }));
    child.on('close', (code, signal) => {
      if (code === 0) resolve(out > 0 ? 'kernel' : 'empty');
      else resolve({ failed: signal ? `journalctl was stopped (${signal})` : `journalctl exited with status ${code}${err.trim() ? `: ${err.trim().split('\n')[0]}` : ''}` });
    });
  });
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
      if ((await stat(path)).isFile()) return path;
    } catch {
      // not in this directory
    }
  }
  return null;
}
