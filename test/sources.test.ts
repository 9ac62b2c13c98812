import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { globToRegExp } from '../src/filters/globPattern.js';
import { recordFilter } from '../src/filters/recordFilter.js';
import { parseTimeSpec } from '../src/filters/timeSpec.js';
import type { KillRecord } from '../src/schema/killRecord.js';
import { runLogCommand } from '../src/sources/commandInput.js';
import { sniffCompression } from '../src/sources/compression.js';
import { expandInputs } from '../src/sources/expandInputs.js';
import { HeapPacer } from '../src/sources/heapPacer.js';
import { problemFrom } from '../src/sources/inputProblem.js';
import { rotationOrder } from '../src/sources/rotationOrder.js';
import { scanTimeline } from '../src/sources/scanInputs.js';
import { ScanProgress } from '../src/sources/scanProgress.js';
import { dumpMessages } from './support/oomDump.js';

const dir = mkdtempSync(join(tmpdir(), 'oomlens-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes files (path -> content) under a fresh directory and returns it. */
function tree(name: string, files: Record<string, string | Buffer>): string {
  const root = join(dir, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** A shell script standing in for a system program. */
function fakeProgram(binDir: string, name: string, script: string): void {
  mkdirSync(binDir, { recursive: true });
  writeFileSync(join(binDir, name), `#!/bin/sh\n${script}\n`);
  chmodSync(join(binDir, name), 0o755);
}

/** One OOM report as RFC 3164 syslog lines at `stamp` (`Dec 31 23:59:58`). */
function syslogReport(stamp: string, pid: number, comm: string, host = 'web-1'): string {
  return dumpMessages({ pid, comm, uptime: 100 }).map((m) => `${stamp} ${host} kernel: ${m}\n`).join('');
}

describe('rotationOrder', () => {
  it('reads numbered rotations oldest first, the live file last', () => {
    expect(rotationOrder(['/l/kern.log', '/l/kern.log.1', '/l/kern.log.10.gz', '/l/kern.log.2.gz'])).toEqual([
      '/l/kern.log.10.gz',
      '/l/kern.log.2.gz',
      '/l/kern.log.1',
      '/l/kern.log',
    ]);
  });
  it('reads dateext rotations by date, and keeps sets in the order they first appear', () => {
    expect(rotationOrder(['/l/messages', 'b.log', '/l/messages-20261120.gz', '/l/messages-20261106', '/m/messages.1'])).toEqual([
      '/l/messages-20261106',
      '/l/messages-20261120.gz',
      '/l/messages',
      'b.log',
      '/m/messages.1',
    ]);
  });
});

describe('expandInputs', () => {
  const root = tree('expand', {
    'h1/kern.log': 'a\n',
    'h1/kern.log.1': 'b\n',
    'h1/kern.log.2.gz': gzipSync('c\n'),
    'h1/.hidden': 'x\n',
    'h1/system.journal': 'binary',
    'h2/kern.log': 'd\n',
    'empty/.keep': '',
  });
  const paths = (inputs: Awaited<ReturnType<typeof expandInputs>>['inputs']) => inputs.map((i) => (i.kind === 'stdin' ? '-' : i.path.slice(root.length + 1)));

  it('walks directories, leaves out dot files and binary journals, orders each rotation set', async () => {
    const { inputs, problems } = await expandInputs([root]);
    expect(paths(inputs)).toEqual(['h1/kern.log.2.gz', 'h1/kern.log.1', 'h1/kern.log', 'h2/kern.log']);
    expect(problems).toEqual([]);
    const empty = await expandInputs([join(root, 'empty')]);
    expect(empty).toEqual({ inputs: [], problems: [{ input: join(root, 'empty'), message: 'no log files in this directory' }] });
  });
  it('expands globs, reorders files named in any order, reads a file named twice once, keeps stdin in place', async () => {
    const { inputs } = await expandInputs(['-', join(root, 'h1', 'kern.log'), join(root, '*', 'kern.log*'), join(root, 'h1', 'kern.log')]);
    expect(paths(inputs)).toEqual(['-', 'h1/kern.log.2.gz', 'h1/kern.log.1', 'h1/kern.log', 'h2/kern.log']);
    const deep = await expandInputs([join(root, '**', 'kern.log')]);
    expect(paths(deep.inputs)).toEqual(['h1/kern.log', 'h2/kern.log']);
  });
  it('names what it cannot find', async () => {
    const { inputs, problems } = await expandInputs([join(root, 'nope.log'), join(root, 'x*.log')]);
    expect(inputs).toEqual([]);
    expect(problems.map((p) => p.message)).toEqual(['no such file or directory', 'no file matches this pattern']);
  });
});

describe('sniffCompression', () => {
  it('recognises gzip (with the original mtime), xz and zstd, rejects other compressions by name, passes text', () => {
    const gz = gzipSync('x');
    gz.writeUInt32LE(1_790_000_000, 4);
    expect(sniffCompression(gz)).toEqual({ kind: 'gzip', mtimeMs: 1_790_000_000_000 });
    expect(sniffCompression(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))).toEqual({ kind: 'xz' });
    expect(sniffCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))).toEqual({ kind: 'zstd' });
    expect(sniffCompression(Buffer.from('BZh91AY'))).toMatchObject({ kind: 'unsupported', format: 'bzip2' });
    expect(sniffCompression(Buffer.from('Nov  6 06:13'))).toEqual({ kind: 'none' });
  });
});

describe('parseTimeSpec', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  it('reads spans back from now', () => {
    expect(new Date(parseTimeSpec('24h', now, null)).toISOString()).toBe('2026-11-25T12:00:00.000Z');
    expect(new Date(parseTimeSpec('7d', now, null)).toISOString()).toBe('2026-11-19T12:00:00.000Z');
    expect(new Date(parseTimeSpec('30m', now, null)).toISOString()).toBe('2026-11-26T11:30:00.000Z');
  });
  it('reads ISO 8601, zone-less in the given zone', () => {
    expect(new Date(parseTimeSpec('2026-11-20T06:00:00Z', now, null)).toISOString()).toBe('2026-11-20T06:00:00.000Z');
    expect(new Date(parseTimeSpec('2026-11-20T06:00', now, 'Asia/Tokyo')).toISOString()).toBe('2026-11-19T21:00:00.000Z');
  });
  it('says what it accepts', () => {
    expect(() => parseTimeSpec('yesterday-ish', now, null)).toThrow(/ISO 8601.*24h/);
  });
});

describe('recordFilter', () => {
  const kill = (over: Partial<Record<'host' | 'time' | 'comm' | 'cgroup', string | null>>) =>
    ({
      type: 'oom-kill',
      host: over.host ?? 'web-1',
      time: over.time === undefined ? '2026-11-26T10:00:00.000Z' : over.time,
      victim: { comm: over.comm ?? 'java' },
      trigger: null,
      cgroup: { path: over.cgroup ?? '/kubepods.slice/kubepods-burstable.slice/pod1' },
      taskMemcg: null,
    }) as unknown as KillRecord;
  it('passes everything without filters', () => expect(recordFilter({})).toBeNull());
  it('matches host, comm and cgroup globs (* spans / in cgroups)', () => {
    const f = recordFilter({ hosts: ['web-*', 'db-1'], comms: ['ja?a'], cgroups: ['/kubepods*'] })!;
    expect(f(kill({}))).toBe(true);
    expect(f(kill({ host: 'db-2' }))).toBe(false);
    expect(f(kill({ comm: 'python3' }))).toBe(false);
    expect(f(kill({ cgroup: '/system.slice/x.service' }))).toBe(false);
  });
  it('keeps a time window and drops records without a time from it', () => {
    const f = recordFilter({ sinceMs: Date.parse('2026-11-26T09:00:00Z'), untilMs: Date.parse('2026-11-26T11:00:00Z') })!;
    expect(f(kill({}))).toBe(true);
    expect(f(kill({ time: '2026-11-26T08:59:59.000Z' }))).toBe(false);
    expect(f(kill({ time: null }))).toBe(false);
  });
});

describe('globToRegExp', () => {
  it('has *, ?, classes, negated classes and escapes', () => {
    expect(globToRegExp('web-[0-9]*').test('web-12.example')).toBe(true);
    expect(globToRegExp('web-[!0-9]').test('web-1')).toBe(false);
    expect(globToRegExp('a\\*b').test('a*b')).toBe(true);
    expect(globToRegExp('a\\*b').test('axb')).toBe(false);
    expect(globToRegExp('x.y').test('xzy')).toBe(false);
  });
});

describe('permission problems', () => {
  const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
  it('tell a user to run as root or join adm; never tell root to run as root', () => {
    expect(problemFrom('/var/log/kern.log', denied, 1000).message).toMatch(/^permission denied: run as root, or join the group .*adm/);
    const root = problemFrom('/var/log/kern.log', denied, 0).message;
    expect(root).not.toMatch(/run as root/);
    expect(root).toMatch(/^permission denied even to root: a security module/);
  });
});

describe('runLogCommand', () => {
  it('turns a restricted dmesg into a line that says what to do', async () => {
    const bin = join(dir, 'bin-dmesg');
    fakeProgram(bin, 'dmesg', "echo 'dmesg: read kernel buffer failed: Operation not permitted' >&2; exit 1");
    const run = runLogCommand({ label: 'dmesg', command: join(bin, 'dmesg'), args: [], bootTimeMs: null }, 1000);
    run.stdout.resume();
    expect(await run.outcome).toMatch(/dmesg_restrict.*run as root/);
    // As root, "run as root" would send the user in a circle.
    const asRoot = runLogCommand({ label: 'dmesg', command: join(bin, 'dmesg'), args: [], bootTimeMs: null }, 0);
    asRoot.stdout.resume();
    expect(await asRoot.outcome).toBe('the kernel ring buffer is refused even to root (a container without CAP_SYSLOG, or a security module): name a log file');
  });
  it('notices a journal that shows the user only their own messages', async () => {
    const bin = join(dir, 'bin-journal');
    fakeProgram(bin, 'journalctl', "echo 'Hint: You are currently not seeing messages from other users and the system.' >&2; exit 0");
    const run = runLogCommand({ label: 'journalctl', command: join(bin, 'journalctl'), args: [], bootTimeMs: null }, 1000);
    run.stdout.resume();
    expect(await run.outcome).toMatch(/systemd-journal or adm group/);
    const asRoot = runLogCommand({ label: 'journalctl', command: join(bin, 'journalctl'), args: [], bootTimeMs: null }, 0);
    asRoot.stdout.resume();
    expect(await asRoot.outcome).not.toMatch(/run as root/);
  });
});

describe('scanTimeline: time', () => {
  async function times(path: string, args: Record<string, unknown> = {}): Promise<(string | null)[]> {
    const out: (string | null)[] = [];
    const { problems } = await scanTimeline({ files: [path], quiet: true, ...args }, (r) => void out.push(r.time));
    expect(problems).toEqual([]);
    return out;
  }

  it('infers the year from the file mtime and steps it at the Dec -> Jan rollover', async () => {
    const path = join(dir, 'rollover.log');
    writeFileSync(path, syslogReport('Dec 31 23:59:58', 100, 'a') + syslogReport('Jan  1 00:00:30', 200, 'b'));
    utimesSync(path, new Date('2027-01-02T00:00:00Z'), new Date('2027-01-02T00:00:00Z'));
    expect(await times(path, { tz: 'UTC' })).toEqual(['2026-12-31T23:59:58.000Z', '2027-01-01T00:00:30.000Z']);
  });
  it('takes --year for the first line instead', async () => {
    const path = join(dir, 'rollover.log');
    expect(await times(path, { tz: 'UTC', year: 2020 })).toEqual(['2020-12-31T23:59:58.000Z', '2021-01-01T00:00:30.000Z']);
  });
  it('reads zone-less stamps in --tz', async () => {
    const path = join(dir, 'tz.log');
    writeFileSync(path, syslogReport('Jun 15 12:00:00', 100, 'a'));
    utimesSync(path, new Date('2026-07-01T00:00:00Z'), new Date('2026-07-01T00:00:00Z'));
    expect(await times(path, { tz: 'America/New_York' })).toEqual(['2026-06-15T16:00:00.000Z']);
  });
  it('turns raw dmesg uptimes into times with --boot-time, and leaves them null without', async () => {
    const path = join(dir, 'dmesg.log');
    writeFileSync(path, dumpMessages({ pid: 7, comm: 'x', uptime: 0 }).map((m, i) => `[  ${(3600 + i * 1e-5).toFixed(6)}] ${m}\n`).join(''));
    expect(await times(path)).toEqual([null]);
    expect(await times(path, { 'boot-time': '2026-11-26T00:00:00Z' })).toEqual(['2026-11-26T01:00:00.000Z']);
  });
});

describe('ScanProgress', () => {
  const out = (isTTY: boolean) => ({ isTTY, columns: 100, text: '', write(t: string) { this.text += t; return true; } });
  it('draws nothing when stderr is not a terminal, or the input is small, or --quiet', () => {
    for (const [o, total, enabled] of [[out(false), 1e9, true], [out(true), 1e6, true], [out(true), 1e9, false]] as const) {
      const p = new ScanProgress(total, o, enabled);
      p.advance(total / 2);
      p.stop();
      expect(o.text).toBe('');
    }
  });
  it('says bytes done of the total, the rate, kills so far and the time left', () => {
    const p = new ScanProgress(1_000_000_000, out(false));
    p.advance(250_000_000);
    p.kill();
    const started = Date.now();
    expect(p.line(started + 1000)).toMatch(/^scanned 250\/1000 MB {2}\d+ MB\/s {2}1 kill {2}ETA 0:0\d$/);
  });
});

describe('HeapPacer', () => {
  it('collects once per 256 MiB of input when gc is exposed', () => {
    const holder = globalThis as { gc?: () => void };
    const saved = holder.gc;
    let runs = 0;
    holder.gc = () => void (runs += 1);
    try {
      const pacer = new HeapPacer();
      for (let i = 0; i < 600; i++) pacer.advance(1 << 20);
      expect(runs).toBe(2);
    } finally {
      holder.gc = saved;
    }
  });
});
