import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpMessages, noiseMessages } from './support/oomDump.js';
import { runCli } from './support/runCli.js';

// `oomlens scan` end to end, on the built CLI: inputs, errors and exit codes.
const dir = mkdtempSync(join(tmpdir(), 'oomlens-scan-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer, mtime?: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  if (mtime) utimesSync(path, new Date(mtime), new Date(mtime));
  return path;
}

/** One OOM report (and some noise) as ISO-stamped syslog lines of `host` at `time`. */
function isoReport(time: Date, pid: number, comm: string, host = 'web-1'): string {
  const stamp = time.toISOString().replace('Z', '+00:00');
  return [...noiseMessages(3), ...dumpMessages({ pid, comm, uptime: 500 })].map((m) => `${stamp} ${host} kernel: ${m}\n`).join('');
}

interface Row {
  type: string;
  host: string | null;
  time: string | null;
  victim: { comm: string } | null;
  source: { file: string | null; line: number };
}

function scanJson(args: string[]): { code: number; records: Row[]; stderr: string } {
  const r = runCli(['scan', '--json', ...args]);
  return { code: r.code, stderr: r.stderr, records: r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row) };
}

describe('oomlens scan: inputs', () => {
  const day = (d: number) => new Date(Date.UTC(2026, 10, d, 6, 0, 0));
  const logs = join(dir, 'logs');
  file('logs/kern.log.3.gz', gzipSync(isoReport(day(10), 103, 'oldest')));
  file('logs/kern.log.2.gz', gzipSync(isoReport(day(11), 102, 'older')));
  file('logs/kern.log.1', isoReport(day(12), 101, 'old'));
  file('logs/kern.log', isoReport(day(13), 100, 'newest'));

  it('reads a directory: gzip streamed, the rotation set oldest first, records in time order', () => {
    const { code, records, stderr } = scanJson([logs]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(records.map((r) => r.victim?.comm)).toEqual(['oldest', 'older', 'old', 'newest']);
    expect(records.map((r) => r.source.file)).toEqual(['kern.log.3.gz', 'kern.log.2.gz', 'kern.log.1', 'kern.log'].map((f) => join(logs, f)));
  });

  it('reads globs and stdin', () => {
    expect(scanJson([join(logs, 'kern.log.[12]*')]).records.map((r) => r.victim?.comm)).toEqual(['older', 'old']);
    const r = runCli(['scan', '--json', '-'], isoReport(day(14), 7, 'piped'));
    expect(JSON.parse(r.stdout)).toMatchObject({ victim: { comm: 'piped' }, source: { file: null } });
  });

  it('gives the same records with the prefilter threads as without', () => {
    const big = file('big.log', Array.from({ length: 40 }, (_, i) => isoReport(day(1 + (i % 20)), 1000 + i, `p${i}`, `h${i % 3}`)).join(''));
    const one = runCli(['scan', '--json', '--threads', '1', big]);
    const two = runCli(['scan', '--json', '--threads', '2', big]);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(one.stdout.split('\n').filter(Boolean)).toHaveLength(40);
  });

  it('keeps the input order across many files with the threads, a gzip among them', () => {
    const files = Array.from({ length: 6 }, (_, k) =>
      k === 3
        ? file(`many/part-${k}.log.gz`, gzipSync(isoReport(day(20), 2000 + k, `f${k}`)))
        : file(`many/part-${k}.log`, Array.from({ length: 5 }, (_, i) => isoReport(day(1 + i), 3000 + 10 * k + i, `f${k}-${i}`)).join('')),
    );
    const one = runCli(['scan', '--json', '--threads', '1', ...files]);
    const three = runCli(['scan', '--json', '--threads', '3', ...files]);
    expect(three.stdout).toBe(one.stdout);
    expect(one.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as Row).victim?.comm)).toEqual([
      ...[0, 1, 2].flatMap((k) => [0, 1, 2, 3, 4].map((i) => `f${k}-${i}`)),
      'f3',
      ...[4, 5].flatMap((k) => [0, 1, 2, 3, 4].map((i) => `f${k}-${i}`)),
    ]);
  });
});

describe('oomlens scan: filters', () => {
  const now = Date.now();
  const path = file(
    'filters.log',
    isoReport(new Date(now - 3 * 86400_000), 1, 'java', 'web-1') + isoReport(new Date(now - 3600_000), 2, 'python3', 'db-1') + isoReport(new Date(now - 60_000), 3, 'java', 'web-2'),
  );
  const comms = (args: string[]) => scanJson([...args, path]).records.map((r) => r.victim?.comm);

  it('keeps a relative or ISO time window', () => {
    expect(comms(['--since', '24h'])).toEqual(['python3', 'java']);
    expect(comms(['--since', '2h', '--until', '30m'])).toEqual(['python3']);
    expect(comms(['--until', new Date(now - 86400_000).toISOString()])).toEqual(['java']);
  });
  it('matches --host, --comm and --cgroup globs', () => {
    expect(scanJson(['--host', 'web-*', path]).records.map((r) => r.host)).toEqual(['web-1', 'web-2']);
    expect(comms(['--comm', 'py*'])).toEqual(['python3']);
    expect(comms(['--cgroup', '/system.slice/docker-*', '--host', 'db-1'])).toEqual(['python3']);
    expect(comms(['--cgroup', '/kubepods*'])).toEqual([]);
  });
});

describe('oomlens scan: errors and exit codes', () => {
  const good = file('good.log', isoReport(new Date('2026-11-20T06:00:00Z'), 5, 'ok'));
  const quiet = file('quiet.log', noiseMessages(5).map((m) => `Nov 20 06:00:00 web-1 kernel: ${m}\n`).join(''));

  it('exits 0 with or without kills', () => {
    expect(runCli(['scan', good]).code).toBe(0);
    const none = runCli(['scan', quiet]);
    expect(none).toMatchObject({ code: 0, stdout: 'no OOM kills found\n' });
  });

  it('exits 1 when an input cannot be read, says so in one line, and still reports the rest', () => {
    const gz = gzipSync(isoReport(new Date('2026-11-20T06:00:00Z'), 6, 'cut'));
    const corrupt = file('corrupt.log.gz', Buffer.concat([gz.subarray(0, 40), Buffer.alloc(64, 0x55)]));
    const bz2 = file('old.log.bz2', Buffer.from('BZh91AY&SY\x01\x02\x03', 'latin1'));
    const empty = join(dir, 'empty-dir');
    mkdirSync(empty, { recursive: true });
    const { code, records, stderr } = scanJson([join(dir, 'missing.log'), corrupt, bz2, empty, good]);
    expect(code).toBe(1);
    expect(records.map((r) => r.victim?.comm)).toEqual(['ok']);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines).toEqual(
      expect.arrayContaining([
        `oomlens: ${join(dir, 'missing.log')}: no such file or directory`,
        `oomlens: ${bz2}: bzip2-compressed input is not supported; decompress it first (bunzip2 -k FILE)`,
        `oomlens: ${empty}: no log files in this directory`,
        expect.stringMatching(new RegExp(`^oomlens: ${corrupt}: corrupt gzip data`)),
      ]),
    );
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 on a usage error, with one line saying what is wrong', () => {
    for (const args of [['--since', 'last tuesday'], ['--tz', 'Mars/Olympus'], ['--threads', '0'], ['--boot-time', 'soon']]) {
      const r = runCli(['scan', ...args, good]);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(new RegExp(`^oomlens: --${args[0]!.slice(2)}: `));
    }
  });

  it('exits 3 with --fail-on-kill when a kill was found (also when another input failed), 0 when none', () => {
    expect(runCli(['scan', '--fail-on-kill', good]).code).toBe(3);
    expect(runCli(['scan', '--fail-on-kill', good, join(dir, 'missing.log')]).code).toBe(3);
    expect(runCli(['scan', '--fail-on-kill', quiet]).code).toBe(0);
    expect(runCli(['scan', '--fail-on-kill', '--comm', 'nothing-like-it', good]).code).toBe(0);
  });

  it('makes hostile file names safe on the terminal', () => {
    const r = runCli(['scan', join(dir, 'evil\x1b]0;pwned\x07.log')]);
    expect(r.stderr).toContain('evil\\x1b]0;pwned\\x07.log: no such file or directory');
  });
});

describe('a log piped into stdin with no FILE', () => {
  it('is read instead of the system log', () => {
    const root = join(import.meta.dirname, '..');
    const log = readFileSync(join(root, 'fixtures', 'k4.14-memcg-v1-docker-syslog.log'));
    const run = spawnSync(process.execPath, [join(root, 'bin', 'oomlens.js'), 'scan', '--json'], { input: log, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n').map((l) => JSON.parse(l).victim.comm)).toEqual(['java']);
  });
});
