import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { reportCrash } from '../src/cli/main.js';
import { ROOT } from './support/runCli.js';
import { runAsNobody, worldReadableCli } from './support/asNobody.js';

// Every command that reads inputs, against what goes wrong on real hosts: one line on stderr
// naming the input and the problem, the documented exit code, never a stack trace.
const root = process.getuid?.() === 0;
// Under /tmp, not the repo: the unprivileged user must reach the files (mode 755 all the way).
const dir = mkdtempSync('/tmp/oomlens-cli-errors-');
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// `nobody` runs a world-readable copy of the CLI: the checkout may sit in a private directory.
const cli = root ? worldReadableCli(ROOT) : null;
afterAll(() => cli?.remove());

const log = join(dir, 'kern.log');
copyFileSync(join(ROOT, 'fixtures', 'k4.14-memcg-v1-docker-syslog.log'), log);
chmodSync(log, 0o644);
const missing = join(dir, 'missing.log');
const emptyDir = join(dir, 'empty');
mkdirSync(emptyDir);
const corruptGz = join(dir, 'kern.log.2.gz');
writeFileSync(corruptGz, gzipSync(Buffer.alloc(4096, 'Mar  2 10:00:00 h kernel: x\n')).subarray(0, 60));
const secret = join(dir, 'secret.log');
writeFileSync(secret, 'x\n', { mode: 0o000 });
chmodSync(secret, 0o000);

function run(args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'oomlens.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL', ...options });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Exactly one stderr line, naming the input and saying what is wrong. */
function expectOneLine(stderr: string, line: RegExp) {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(line)]);
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.each(['scan', 'report', 'explain'])('oomlens %s: unreadable inputs', (command) => {
  const cases: [string, string, RegExp][] = [
    ['a missing file', missing, /no such file or directory$/],
    ['a directory with no logs', emptyDir, /no log files in this directory$/],
    ['a corrupt gzip', corruptGz, /corrupt gzip data/],
    ['a device that never ends', '/dev/zero', /is a device, not a log file/],
  ];
  it.each(cases)('%s: one line, exit 1, the other inputs still read', (_what, input, problem) => {
    const r = run([command, '--quiet', input, log]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, new RegExp(`^oomlens: ${esc(input)}: ${problem.source}`));
    expect(r.stdout).toMatch(/java/);
  });

  it('/dev/null is an empty input: no kills, exit 0', () => {
    const r = run([command, '/dev/null']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/no OOM kills found/i);
  });

  it.skipIf(!root)('permission denied (as nobody): one line that says what to do, exit 1', () => {
    const r = runAsNobody(cli!.bin, [command, secret]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, new RegExp(`^oomlens: ${esc(secret)}: permission denied: run as root, or join the group`));
  });

  it.each([
    [['--no-such-flag'], /^oomlens: Unknown argument/],
    [['--since', 'yesterday-ish'], /^oomlens: --since: 'yesterday-ish' is not a time/],
    [['--until', '2026-13-45'], /^oomlens: --until: '2026-13-45' is not a time/],
    [['--tz', 'Mars/Olympus_Mons'], /^oomlens: --tz: 'Mars\/Olympus_Mons' is not an IANA time zone/],
  ])('usage error %j: says what is wrong, exit 2', (args, line) => {
    const r = run([command, ...args, log]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(line);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});

describe('oomlens watch: unusable sources and state files', () => {
  const watch = (args: string[], options: SpawnSyncOptions = {}) => run(['watch', '--settle', '50', ...args], options);

  it.each([
    ['a directory', emptyDir, /is a directory$/],
    ['a device', '/dev/zero', /is not a regular file/],
  ])('FILE that is %s: one line, exit 1', (_what, input, problem) => {
    const r = watch([input]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, new RegExp(`^oomlens: cannot follow ${esc(input)}: ${problem.source}`));
  });

  it.skipIf(!root)('FILE that may not be read (as nobody): one line, exit 1', () => {
    const r = runAsNobody(cli!.bin, ['watch', '--settle', '50', secret]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, new RegExp(`^oomlens: cannot follow ${esc(secret)}: permission denied`));
  });

  it('--state that is a device: refused before it is read or replaced', () => {
    const r = watch([log, '--state', '/dev/full']);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, /^oomlens: cannot read state file \/dev\/full: not a regular file$/);
    expect(existsSync('/dev/full')).toBe(true);
  });

  it.skipIf(!root)('--state in a directory nobody may write: exit 1 at once', () => {
    const ro = join(dir, 'ro');
    mkdirSync(ro, { mode: 0o555 });
    chmodSync(ro, 0o555);
    const r = runAsNobody(cli!.bin, ['watch', '--settle', '50', log, '--state', join(ro, 'state.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^oomlens: cannot write state file ${esc(join(ro, 'state.json'))}: permission denied \\(EACCES\\)$`, 'm'));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  // Real mounts (root only): a read-only file system, and one with no space left.
  describe.skipIf(!root)('--state on a read-only or full file system', () => {
    const mounts: string[] = [];
    const mount = (name: string, options: string) => {
      const at = join(dir, name);
      mkdirSync(at);
      const m = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', at]);
      if (m.status !== 0) return null;
      mounts.push(at);
      return at;
    };
    afterAll(() => {
      for (const at of mounts) spawnSync('umount', [at]);
    });

    it('read-only: one line, exit 1', (ctx) => {
      const at = mount('rofs', 'ro,size=64k');
      if (!at) return ctx.skip();
      const r = watch([log, '--state', join(at, 'state.json')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/cannot write state file .*rofs\/state\.json: read-only file system \(EROFS\)$/m);
    });

    it('full: one line, exit 1, and no half-written temp file left behind', (ctx) => {
      const at = mount('full', 'size=16k');
      if (!at) return ctx.skip();
      writeFileSync(join(at, 'filler'), Buffer.alloc(16 * 1024));
      const r = watch(['--from-start', log, '--state', join(at, 'state.json')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/cannot write state file .*full\/state\.json: no space left on device \(ENOSPC\)$/m);
      expect(readdirSync(at)).toEqual(['filler']);
    });
  });

  it('invalid flags: exit 2', () => {
    for (const args of [['--settle', '-5'], ['--metrics', 'not-a-port'], ['--no-such-flag'], [log, '--kmsg']]) {
      const r = watch(args);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(/^oomlens: /);
    }
  });
});

describe('output and unexpected errors', () => {
  it('stdout on a full device: one line, exit 1', () => {
    for (const args of [['scan', log], ['scan', '--json', log], ['report', '--format', 'html', log]]) {
      const r = spawnSync(`exec node bin/oomlens.js ${args.join(' ')} > /dev/full`, { shell: '/bin/sh', cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(1);
      expectOneLine(r.stderr, /^oomlens: cannot write the output: no space left on device \(ENOSPC\)$/);
    }
  });

  it('--debug is accepted by every command', () => {
    expect(run(['scan', '--debug', log]).code).toBe(0);
    expect(run(['report', log, '--debug']).code).toBe(0);
  });

  it('an unexpected error is one line (exit 2); with --debug, its stack', () => {
    const writes: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => writes.push(s)) as typeof process.stderr.write;
    try {
      const bug = new Error('cannot read properties of undefined (reading \x1b[2J)');
      expect(reportCrash(bug, ['report', 'x.log'])).toBe(2);
      expect(reportCrash(bug, ['report', '--debug', 'x.log'])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(writes[0]).toBe('oomlens: cannot read properties of undefined (reading \\x1b[2J) (--debug shows where)\n');
    expect(writes[1]).toMatch(/^Error: cannot read properties[^\n]*\n\s+at .*cliErrors\.test\.ts/);
  });
});

describe('a newcomer’s first commands', () => {
  it('scan /nonexistent: the error only, no "no kills found" claim about an input never read', () => {
    for (const command of ['scan', 'report', 'explain']) {
      const r = run([command, join(dir, 'nonexistent.log')]);
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
      expectOneLine(r.stderr, /nonexistent\.log: no such file or directory$/);
    }
  });

  it('--since later than --until is a usage error naming both', () => {
    const r = run(['scan', '--since', '2026-03-02', '--until', '2026-03-01', log]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^oomlens: --since \(2026-03-02.*\) is later than --until \(2026-03-01.*\)/);
  });

  it.each([
    [['scan', '--threads', 'abc', log], /^oomlens: --threads: 'abc' is not a count of threads: give a whole number, 1 or more$/],
    [['scan', '--year', '20x6', log], /^oomlens: --year: '20x6' is not a year/],
    [['watch', '--metrics', 'nope', log], /^oomlens: --metrics: not PORT, HOST:PORT, \[IPv6\]:PORT or :PORT: nope$/],
    [['sacn', log], /^oomlens: Did you mean scan\?$/],
  ])('%j: one clear message naming the option and the allowed forms (no NaN, no \\x0a)', (args, line) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(line);
    expect(r.stderr).not.toMatch(/NaN|\\x0a/);
  });

  it('--version, --help for every command, and completion --help is help, not the script', () => {
    expect(run(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    for (const command of ['scan', 'report', 'explain', 'watch', 'tui', 'schema']) {
      const r = run([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`oomlens ${command}`));
    }
    const c = run(['completion', '--help']);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/^oomlens completion\n/);
    expect(c.stdout).not.toMatch(/begin-oomlens-completions/);
  });
});
