import { spawn } from 'node:child_process';
import { describe, expect } from 'vitest';
import { MemorySample } from '../src/schema/memorySample.js';
import { findControllerRoots } from '../src/sample/cgroupTree.js';
import { Sampler } from '../src/sample/sampler.js';
import { makeCgroup, realKernelIt, sleep, wrap } from './support/realOom.js';

const now = () => ({ wallMs: Date.now(), monotonicSec: performance.now() / 1000 });

describe('the sampler on the real memory controller', () => {
  realKernelIt('reads a real cgroup exactly, with its process, and says nothing when it is gone', async (a) => {
    const cg = makeCgroup(a, 'sampler', { limitBytes: 48 << 20 });
    const [file, ...args] = wrap(cg, ['python3', '-c', "import time\na=b'x'*(20<<20)\nprint('ready', flush=True)\ntime.sleep(30)"]);
    const child = spawn(file!, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      expect(findControllerRoots().some((r) => r.version === a.version && r.dir === a.root)).toBe(true);
      const sampler = new Sampler({ globs: [cg.path] });
      const { samples } = sampler.sample(now());
      expect(samples).toHaveLength(1);
      const s = MemorySample.parse(samples[0]);
      expect(s.cgroup).toBe(cg.path);
      expect(s.version).toBe(a.version);
      expect(s.limitBytes).toBe(48 << 20);
      expect(s.usageBytes as number).toBeGreaterThan(20 << 20);
      expect(s.usageBytes as number).toBeLessThan(48 << 20);
      expect(s.anonBytes as number).toBeGreaterThan(19 << 20);
      expect(s.oomKills).toBe(0);
      expect(s.pids).toEqual([child.pid]);
      expect(s.top[0]).toMatchObject({ pid: child.pid, comm: 'python3' });
      expect(s.top[0]!.rssBytes).toBeGreaterThan(20 << 20);
      // By default (no glob) a cgroup with a finite limit is sampled.
      expect(new Sampler().sample(now()).samples.map((x) => x.cgroup)).toContain(cg.path);
    } finally {
      child.kill('SIGKILL');
      await sleep(50);
      await cg.remove();
    }
    const after = new Sampler({ globs: [cg.path] }).sample(now());
    expect(after.samples).toEqual([]);
  });
});
