import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { KillRecord } from '../src/schema/killRecord.js';
import { scanTimeline, type ScanEnv } from '../src/sources/scanInputs.js';
import { findSystemLog } from '../src/sources/systemLog.js';
import { dumpMessages, syslogLines } from './support/oomDump.js';
import { canMakeRealOom, realOomKill } from './support/tailOom.js';
import { ROOT } from './support/runCli.js';
import { CliProcess } from './support/watchProcess.js';
import { defaultWatchSource } from '../src/cli/watchSource.js';

// The no-FILE default: which of the machine's sources is read, on fake machines (a fake /var/log
// root, fake `journalctl` and `dmesg` on PATH) and on this one (its real ring buffer).
const dir = mkdtempSync(join(tmpdir(), 'oomlens-system-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let machines = 0;
/** A fake machine: files under its root, programs (shell scripts) in its bin. */
function machine(files: Record<string, string>, programs: Record<string, string>): ScanEnv['system'] {
  const root = join(dir, `m${machines++}`);
  for (const [path, content] of Object.entries({ 'proc/stat': 'cpu 1 2 3\nbtime 1790000000\n', ...files })) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const [name, script] of Object.entries(programs)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return { root, pathEnv: bin };
}

/** dmesg's own format: `[uptime] message`. */
const dmesgText = (pid: number, comm: string, uptime: number) =>
  dumpMessages({ pid, comm, uptime }).map((m, i) => `[${(uptime + i * 1e-5).toFixed(6).padStart(12)}] ${m}`).join('\n') + '\n';
const kernLog = (pid: number, comm: string, uptime: number) => syslogLines(dumpMessages({ pid, comm, uptime }), uptime).join('\n') + '\n';
/** A program printing a file of the fake machine. */
const cat = (system: { root: string } | string, file: string) => `cat '${typeof system === 'string' ? system : system.root}/${file}'`;

async function scanOn(system: ScanEnv['system'], args: Record<string, unknown> = {}) {
  const records: KillRecord[] = [];
  const stderr: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((s: string) => stderr.push(s)) as typeof process.stderr.write;
  try {
    const env: ScanEnv = { system, stdinIsLog: () => false, stdin: Readable.from([]) };
    const out = await scanTimeline({ files: [], year: 2026, tz: 'UTC', ...args }, (r) => void records.push(r), env);
    return { ...out, records, stderr: stderr.join(''), victims: records.map((r) => (r.type === 'userspace-kill' ? null : r.victim?.pid)) };
  } finally {
    process.stderr.write = write;
  }
}

describe('the no-FILE default source', () => {
  it('an empty journal (no kernel messages) is passed over for the ring buffer, and the line says so', async () => {
    const ring = join(dir, 'ring-a.txt');
    writeFileSync(ring, dmesgText(4001, 'worker', 500) + dmesgText(4002, 'worker', 600));
    const system = machine({ 'var/log/journal/.keep': '' }, { journalctl: 'exit 0', dmesg: `cat '${ring}'` });
    const r = await scanOn(system);
    expect(r.victims).toEqual([4001, 4002]);
    expect(r.problems).toEqual([]);
    expect(r.inputsRead).toBe(1);
    expect(r.stderr).toBe(
      'oomlens: the journal holds no kernel messages; reading the kernel ring buffer\n' +
        'oomlens: read the kernel ring buffer (dmesg, boot time from /proc/stat): 2 kills\n',
    );
    // Times from the boot time of /proc/stat plus the uptime.
    expect(r.records[0]!.time).toBe(new Date(1_790_000_000_000 + 500_000).toISOString().replace(/\.\d+Z$/, '.000Z'));
  });

  it('journalctl that fails: the ring buffer, with the reason', async () => {
    const ring = join(dir, 'ring-b.txt');
    writeFileSync(ring, dmesgText(4101, 'java', 10));
    const system = machine({}, { journalctl: "echo 'Failed to open journal: No such file' >&2; exit 1", dmesg: `cat '${ring}'` });
    const r = await scanOn(system);
    expect(r.victims).toEqual([4101]);
    expect(r.stderr.split('\n')[0]).toBe('oomlens: the journal could not be read (journalctl exited with status 1: Failed to open journal: No such file); reading the kernel ring buffer');
  });

  it('no journalctl at all: the ring buffer', async () => {
    const ring = join(dir, 'ring-c.txt');
    writeFileSync(ring, dmesgText(4201, 'node', 10));
    const r = await scanOn(machine({}, { dmesg: `cat '${ring}'` }));
    expect(r.victims).toEqual([4201]);
    expect(r.stderr).toBe('oomlens: read the kernel ring buffer (dmesg, boot time from /proc/stat): 1 kill\n');
  });

  it('a journal with kernel messages is read (all boots, the userspace killers too), not the ring buffer', async () => {
    const journal = join(ROOT, 'fixtures', 'journal-json-memcg.jsonl');
    const probe = 'case "$*" in *"-n 1"*) echo "some kernel line"; exit 0;; esac';
    const system = machine({}, { journalctl: `${probe}\ncat '${journal}'`, dmesg: 'echo never >&2; exit 1' });
    const r = await scanOn(system);
    expect(r.victims).toEqual([311]);
    expect(r.stderr).toBe("oomlens: read the journal (the kernel's, systemd-oomd's and earlyoom's messages, all boots): 1 kill\n");
  });

  it('a file set and the ring buffer: the ring buffer adds the kills the files do not have yet, once', async () => {
    const ring = join(dir, 'ring-d.txt');
    // The ring buffer holds the file's last kill and a newer one rsyslog has not written yet.
    writeFileSync(ring, dmesgText(4302, 'api', 700) + dmesgText(4303, 'api', 800));
    const system = machine(
      { 'var/log/kern.log.1': kernLog(4301, 'api', 600), 'var/log/kern.log': kernLog(4302, 'api', 700) },
      { journalctl: 'exit 0', dmesg: `cat '${ring}'` },
    );
    const r = await scanOn(system);
    expect(r.victims).toEqual([4301, 4302, 4303]);
    expect(r.stderr).toBe(
      `oomlens: read ${system.root}/var/log/kern.log and 1 rotated file before it: 2 kills; the kernel ring buffer (dmesg): 1 kill not in the files yet\n`,
    );
  });

  it('the ring buffer holding nothing new, or restricted: the files alone, exit 0, and the line says so', async () => {
    const files = { 'var/log/kern.log': kernLog(4401, 'db', 900) };
    const same = await scanOn(machine(files, { dmesg: `printf '%s' '${dmesgText(4401, 'db', 900)}'` }));
    expect(same.victims).toEqual([4401]);
    expect(same.stderr).toMatch(/: 1 kill; the kernel ring buffer \(dmesg\): no kill that the files do not have\n$/);
    const restricted = await scanOn(machine(files, { dmesg: "echo 'dmesg: read kernel buffer failed: Operation not permitted' >&2; exit 1" }));
    expect(restricted.victims).toEqual([4401]);
    expect(restricted.problems).toEqual([]);
    expect(restricted.stderr).toMatch(/: 1 kill; the kernel ring buffer \(dmesg\) not read \(the kernel ring buffer is (restricted|refused even to root)/);
  });

  it('nothing at all: one problem that says to name a file, and nothing read', async () => {
    const r = await scanOn(machine({}, { journalctl: 'exit 0' }));
    expect(r.inputsRead).toBe(0);
    expect(r.problems).toEqual([{ input: 'kernel log', message: 'found no /var/log/kern.log, /var/log/messages, the journal holds no kernel messages and no dmesg; name a log file' }]);
  });

  it('--quiet keeps the lines off stderr; --since filters count as such', async () => {
    const ring = join(dir, 'ring-e.txt');
    writeFileSync(ring, dmesgText(4501, 'w', 10));
    const system = machine({}, { dmesg: `cat '${ring}'` });
    expect((await scanOn(system, { quiet: true })).stderr).toBe('');
    expect((await scanOn(system, { since: '2000-01-01T00:00:00Z' })).stderr).toMatch(/1 kill that pass the filters\n$/);
  });

  it('findSystemLog: the rotation set oldest first, messages* when there is no kern.log', async () => {
    const system = machine({ 'var/log/kern.log': 'a\n', 'var/log/kern.log.1': 'b\n', 'var/log/kern.log.2.xz': 'c', 'var/log/messages': 'm\n' }, {});
    const log = await findSystemLog(system);
    expect(log).toMatchObject({ kind: 'files', label: `${system.root}/var/log/kern.log and 2 rotated files before it`, ringBuffer: null });
    expect(log.kind === 'files' && log.paths.map((p) => p.slice(system.root.length))).toEqual(['/var/log/kern.log.2.xz', '/var/log/kern.log.1', '/var/log/kern.log']);
    const rhel = machine({ 'var/log/messages': 'a\n', 'var/log/messages-20261120': 'b\n' }, { dmesg: 'exit 0' });
    const other = await findSystemLog(rhel);
    expect(other.kind === 'files' && other.paths.map((p) => p.slice(rhel.root.length))).toEqual(['/var/log/messages-20261120', '/var/log/messages']);
    expect(other).toMatchObject({ ringBuffer: { label: 'dmesg', bootTimeMs: 1_790_000_000_000 } });
  });
});

describe('the no-FILE default on this machine (its real ring buffer)', () => {
  it('scan with no FILE finds a real kill the kernel just made', async () => {
    if (!canMakeRealOom()) throw new Error('needs root and the cgroup v1 memory controller (/sys/fs/cgroup/memory) to make a real OOM kill');
    const pid = await realOomKill('default-source');
    // No FILE, stdin not a log: the machine's own sources (here the journal is empty, so dmesg).
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'oomlens.js'), 'scan', '--json', '--comm', 'tail'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const victims = r.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { victim: { pid: number } }).victim.pid);
    expect(victims).toContain(pid);
    expect(r.stderr).toMatch(/^oomlens: read .*\d+ kills? that pass the filters/m);
  });
});

describe('watch with no FILE: the same choice, said on stderr', () => {
  it('the file set, else the journal with kernel messages, else /dev/kmsg; never a file that does not exist', async () => {
    const files = machine({ 'var/log/kern.log': 'a\n', 'var/log/kern.log.1': 'b\n' }, { journalctl: 'echo k; exit 0' });
    expect(await defaultWatchSource('/dev/kmsg', files)).toEqual({
      spec: { kind: 'file', path: `${files.root}/var/log/kern.log` },
      note: `no FILE: following ${files.root}/var/log/kern.log, the kernel log file`,
    });
    const journal = machine({}, { journalctl: 'echo k; exit 0', dmesg: 'exit 0' });
    expect(await defaultWatchSource('/dev/kmsg', journal)).toMatchObject({ spec: { kind: 'journal' }, note: expect.stringMatching(/following the journal/) });
    const bare = machine({ 'dev/kmsg': '' }, { journalctl: 'exit 0', dmesg: 'exit 0' });
    expect(await defaultWatchSource('/dev/kmsg', bare)).toEqual({
      spec: { kind: 'kmsg', path: `${bare.root}/dev/kmsg` },
      note: `no FILE: following ${bare.root}/dev/kmsg (the journal holds no kernel messages)`,
    });
    const nothing = machine({}, {});
    expect(await defaultWatchSource('/dev/kmsg', nothing)).toMatchObject({ spec: null, problem: expect.stringMatching(/cannot be read: name a log file/) });
  });

  it('on this machine: `oomlens watch` with no FILE reports a real kill the kernel makes', async () => {
    if (!canMakeRealOom()) throw new Error('needs root and the cgroup v1 memory controller (/sys/fs/cgroup/memory) to make a real OOM kill');
    const watch = new CliProcess(['watch', '--json', '--settle', '200']);
    try {
      await watch.until('the watcher to start', () => /^oomlens: watching /m.test(watch.stderr), 20_000);
      expect(watch.stderr).toMatch(/^oomlens: no FILE: following /);
      const pid = await realOomKill('watch-default');
      await watch.until(`the kill of ${pid}`, () => watch.records().some((r) => r.victim?.pid === pid), 20_000);
    } finally {
      await watch.kill('SIGTERM');
    }
  });
});
