import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MemoryTracker } from '../src/analyze/memoryTracker.js';
import { pointOf } from '../src/analyze/memoryPoint.js';
import { SamplesFile } from '../src/sample/samplesFile.js';
import { Sampler, type SampleTime } from '../src/sample/sampler.js';
import type { ControllerRoot } from '../src/sample/cgroupTree.js';

/**
 * `npm run bench:sampler [-- --cgroups 500 --rounds 20 --real 50]`: the CPU one sampling round
 * costs (read every cgroup, its processes' statm, append the samples, update the trends), per
 * cgroup and as a share of one core at the default 5 s interval, on fake v1 and v2 trees of N
 * cgroups, against a plain loop that only reads the same files (same process). With root and a
 * writable v1 controller, also on `--real` real cgroups with a process each.
 * Target: 500 cgroups every 5 s under 1% of one core.
 */
const { values } = parseArgs({ options: { cgroups: { type: 'string', default: '500' }, rounds: { type: 'string', default: '20' }, real: { type: 'string', default: '50' } } });
const N = Number(values.cgroups);
const ROUNDS = Number(values.rounds);
const REAL = Number(values.real);
const EVERY_SEC = 5;
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'cgroupfs');
const work = mkdtempSync(join(tmpdir(), 'oomlens-bench-sampler-'));

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** A fake tree of `n` cgroups, two processes each, files copied from the fixture cgroups. */
function fakeTree(version: 'v1' | 'v2', n: number): { root: ControllerRoot; proc: string } {
  const root = join(work, version);
  const proc = join(work, 'proc');
  const model = version === 'v1' ? join(FIXTURES, 'v1', 'svc-leak') : join(FIXTURES, 'v2', 'system.slice', 'web.service');
  cpSync(join(FIXTURES, version === 'v1' ? 'v1' : 'v2'), root, { recursive: true, filter: (src) => !src.includes('svc-') && !src.includes('.slice') && !src.includes('kubepods') && !src.includes('big-limit') });
  if (!existsSync(proc)) cpSync(join(FIXTURES, 'proc'), proc, { recursive: true });
  for (let i = 0; i < n; i++) {
    const d = join(root, `svc-${i}`);
    mkdirSync(d);
    for (const f of readdirSync(model)) writeFileSync(join(d, f), readFileSync(join(model, f)));
    // Most cgroups sit well under their limit; one in ten is near it ("hot": read in full every round).
    const usageFile = version === 'v1' ? 'memory.usage_in_bytes' : 'memory.current';
    if (i % 10 !== 0) writeFileSync(join(d, usageFile), `${version === 'v1' ? 20 << 20 : 80 << 20}\n`);
    const pids = [100000 + 2 * i, 100001 + 2 * i];
    writeFileSync(join(d, 'cgroup.procs'), pids.join('\n') + '\n');
    for (const pid of pids) {
      if (existsSync(join(proc, String(pid)))) continue;
      mkdirSync(join(proc, String(pid)));
      writeFileSync(join(proc, String(pid), 'statm'), `${9000 + i} ${8000 + i} 1652 1 0 7140 0\n`);
      writeFileSync(join(proc, String(pid), 'comm'), 'python3\n');
    }
  }
  return { root: { dir: root, version }, proc };
}

interface Cost {
  cgroups: number;
  usPerRound: number;
  usPerCgroup: number;
  /** Share of one core at one round every 5 s. */
  coreShare: number;
}

/** The median CPU of a round: sample, append to a samples file, feed the tracker. */
function measureSampler(sampler: Sampler, label: string): Cost {
  const file = new SamplesFile(join(work, `${label}.ndjson`), 1 << 30, (m) => console.error(m));
  file.open();
  const tracker = new MemoryTracker({ leadSec: 30, atShare: 0.9 }, 10);
  const costs: number[] = [];
  let cgroups = 0;
  for (let r = 0; r < ROUNDS + 2; r++) {
    const at: SampleTime = { wallMs: Date.now(), monotonicSec: r * EVERY_SEC };
    const t0 = cpuUs();
    const round = sampler.sample(at);
    file.append(round.samples);
    tracker.observe(round.samples.map(pointOf));
    const spent = cpuUs() - t0;
    cgroups = round.samples.length;
    if (r >= 2) costs.push(spent); // the first rounds warm up the JIT
  }
  file.close();
  sampler.close();
  // The mean, not the median: walks of the tree and full reads come every few rounds, and they count.
  const us = costs.reduce((a, b) => a + b, 0) / costs.length;
  return { cgroups, usPerRound: us, usPerCgroup: us / Math.max(1, cgroups), coreShare: us / (EVERY_SEC * 1e6) };
}

/** The files the sampler reads per cgroup (besides /proc). */
const PLAIN_FILES = {
  v1: ['memory.usage_in_bytes', 'memory.limit_in_bytes', 'memory.stat', 'memory.oom_control', 'memory.failcnt', 'memory.max_usage_in_bytes', 'cgroup.procs'],
  v2: ['memory.current', 'memory.max', 'memory.stat', 'memory.events', 'memory.high', 'memory.peak', 'memory.pressure', 'cgroup.procs'],
};

/** The reference: only reading the same files, in a plain loop. */
function measurePlainReads(sampler: Sampler): number {
  const files: string[] = [];
  const at = { wallMs: Date.now(), monotonicSec: 0 };
  for (const s of sampler.sample(at).samples) {
    const d = join(sampler.controllerRoots[0]!.dir, s.cgroup);
    for (const f of PLAIN_FILES[s.version]) if (existsSync(join(d, f))) files.push(join(d, f));
  }
  const costs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = cpuUs();
    for (const f of files) readFileSync(f, 'latin1');
    costs.push(cpuUs() - t0);
  }
  return median(costs);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function line(label: string, c: Cost, plainUs?: number): string {
  const ratio = plainUs !== undefined ? `  (${(c.usPerRound / plainUs).toFixed(1)}x a plain read of the same files)` : '';
  return `${label.padEnd(34)} ${String(c.cgroups).padStart(4)} cgroups  ${(c.usPerRound / 1000).toFixed(1).padStart(6)} ms CPU/round  ${c.usPerCgroup.toFixed(0).padStart(4)} µs/cgroup  ${(c.coreShare * 100).toFixed(2)}% of a core at 5 s${ratio}`;
}

/** Real cgroups on the v1 controller, one sleeping process each; always removed. */
async function realCost(n: number): Promise<string> {
  const v1 = '/sys/fs/cgroup/memory';
  if (process.getuid?.() !== 0 || !existsSync(join(v1, 'memory.usage_in_bytes'))) return 'real controller: not measured (needs root and the v1 memory controller at /sys/fs/cgroup/memory)';
  const prefix = `oomlens-t-bench-${randomBytes(3).toString('hex')}`;
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const d = join(v1, `${prefix}-${i}`);
      mkdirSync(d);
      dirs.push(d);
      writeFileSync(join(d, 'memory.limit_in_bytes'), String(64 << 20));
      const child = spawn('sh', ['-c', 'echo $$ > "$0"; exec sleep 120', join(d, 'cgroup.procs')], { stdio: 'ignore' });
      children.push(child);
    }
    await new Promise((r) => setTimeout(r, 300));
    const sampler = new Sampler({ roots: [{ dir: v1, version: 'v1' }], globs: [`/${prefix}-*`] });
    return line('real v1 controller', measureSampler(sampler, 'real'), measurePlainReads(sampler));
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    for (const d of dirs) {
      for (let i = 0; i < 50; i++) {
        try {
          rmdirSync(d);
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    }
  }
}

try {
  console.log(`sampler cost: mean of ${ROUNDS} rounds (CPU time of this process: user + system)`);
  for (const version of ['v1', 'v2'] as const) {
    const { root, proc } = fakeTree(version, N);
    const sampler = new Sampler({ roots: [root], procRoot: proc, host: 'bench' });
    const cost = measureSampler(sampler, version);
    console.log(line(`fake ${version} tree`, cost, measurePlainReads(sampler)));
    if (N === 500 && cost.coreShare >= 0.01) console.log(`  over the target: 500 cgroups every 5 s must cost under 1% of one core`);
  }
  console.log(await realCost(REAL));
} finally {
  if (!process.env.KEEP) rmSync(work, { recursive: true, force: true }); else console.log(work);
}
