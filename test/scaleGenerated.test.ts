import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/runCli.js';

/**
 * The project's own log generator (bench/genKernlog.ts) at a scale unit tests can afford, and
 * the scan against its truth file: every kill of five kernels (2.6.32 to 6.8), four syslog
 * formats, five hosts interleaved, found once on its exact line, none extra. No timing here:
 * speed is the bench's (npm run bench).
 */
const GENERATOR = join(ROOT, 'dist', 'bench', 'genKernlog.js');
const dir = mkdtempSync(join(tmpdir(), 'oomlens-scale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Truth {
  type: string;
  host: string | null;
  victimPid: number;
  victimComm: string;
  line: number;
  kernel: string;
  cgroup: string | null;
}

function generate(name: string, args: string[]): { log: string; truth: Truth[] } {
  const log = join(dir, name);
  const r = spawnSync(process.execPath, [GENERATOR, '--out', log, ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const lines = readFileSync(`${log}.truth.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Truth);
  return { log, truth: lines.filter((l) => l.type === 'kill') };
}

function scanKills(log: string): { key: string; cgroup: string | null; complete: boolean }[] {
  const r = runCli(['scan', '--json', '--quiet', log]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; host: string | null; victim: { pid: number; comm: string }; source: { line: number }; cgroup: { path: string | null } | null; complete: boolean })
    .filter((rec) => rec.type === 'oom-kill')
    .map((rec) => ({ key: `${rec.host}|${rec.victim.pid}|${rec.victim.comm}|${rec.source.line}`, cgroup: rec.cgroup?.path ?? null, complete: rec.complete }));
}

const keyOf = (t: Truth) => `${t.host}|${t.victimPid}|${t.victimComm}|${t.line}`;

describe('generated logs against their truth', () => {
  for (const format of ['syslog', 'iso', 'journal', 'dmesg']) {
    it(`dense ${format}: every kill found on its line, with its cgroup, none extra`, () => {
      const { log, truth } = generate(`dense-${format}.log`, ['--seed', '7', '--kills', '600', '--hosts', '5', '--format', format]);
      expect(truth).toHaveLength(600);
      if (format !== 'dmesg') expect(new Set(truth.map((t) => t.kernel)).size).toBe(5);
      // Records come out as each report ends: hosts' reports may finish out of start order.
      const found = scanKills(log).sort((a, b) => a.key.localeCompare(b.key));
      const want = [...truth].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
      expect(found.map((f) => f.key)).toEqual(want.map(keyOf));
      expect(found.map((f) => f.cgroup)).toEqual(want.map((t) => t.cgroup));
      expect(found.every((f) => f.complete)).toBe(true);
    });
  }

  it('sparse: exactly the kills asked for, spread over the size asked for', () => {
    const { log, truth } = generate('sparse.log', ['--seed', '3', '--size', '24MiB', '--kills', '40', '--hosts', '4']);
    expect(truth).toHaveLength(40);
    const size = readFileSync(log).length;
    expect(size).toBeGreaterThanOrEqual(24 * 2 ** 20);
    expect(size).toBeLessThan(24 * 2 ** 20 + 4096);
    expect(truth[39]!.line - truth[0]!.line).toBeGreaterThan(50_000);
    expect(scanKills(log).map((f) => f.key).sort()).toEqual(truth.map(keyOf).sort());
  });
});

describe('the generator', () => {
  const md5 = (args: string[]) => {
    const r = spawnSync(process.execPath, [GENERATOR, '--out', '-', ...args], { maxBuffer: 64 << 20 });
    expect(r.status, r.stderr.toString()).toBe(0);
    return createHash('md5').update(r.stdout).digest('hex');
  };

  it('is deterministic for a seed, and the seed matters', () => {
    const one = md5(['--seed', '11', '--size', '2MiB', '--kills', '5']);
    expect(md5(['--seed', '11', '--size', '2MiB', '--kills', '5'])).toBe(one);
    expect(md5(['--seed', '12', '--size', '2MiB', '--kills', '5'])).not.toBe(one);
  });

  it('refuses a size it cannot read, in one line', () => {
    const r = spawnSync(process.execPath, [GENERATOR, '--size', 'lots', '--out', '-'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('genKernlog: --size lots: not a size (say 512, 64KiB, 50MB, 1GiB)');
  });
});
