import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { MemoryPoint } from '../src/analyze/memoryPoint.js';
import { MemoryTracker } from '../src/analyze/memoryTracker.js';
import { SamplerMetrics } from '../src/metrics/samplerMetrics.js';
import { WatchOutput } from '../src/schema/watchOutput.js';
import { ROOT } from './support/runCli.js';
import { CliProcess, pollUntil } from './support/watchProcess.js';

const MiB = 1 << 20;
const dir = mkdtempSync(join(tmpdir(), 'oomlens-sampler-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function point(cgroup: string, i: number, ws: number): MemoryPoint {
  return { cgroup, host: 'h', bootId: 'b', wallMs: i * 5000, monoSec: i * 5, usage: ws, workingSet: ws, limit: 1024 * MiB, anon: ws, oomKills: 0, failcnt: null, pids: [1], processes: 1, top: [], hostPressure: null };
}

describe('sampler metrics', () => {
  it('seconds to limit only for cgroups predicted within the hour; sampler health', async () => {
    const registry = new Registry();
    const metrics = new SamplerMetrics(registry);
    const tracker = new MemoryTracker({ leadSec: 30, atShare: 0.9 }, 10);
    for (let i = 0; i < 10; i++) {
      const round = [point('/fast', i, (100 + 10 * i) * MiB), point('/slow', i, 100 * MiB + i * 100_000), point('/flat', i, 100 * MiB + (i % 2) * 4096)];
      tracker.observe(round);
      metrics.round({ samples: round as never, vanished: i === 3 ? 2 : 0, leftOut: 0 }, 0.004, tracker);
    }
    const text = await registry.metrics();
    // /fast: 1024 - 190 MiB left at 2 MiB/s = 417 s. /slow: 20 kB/s, about 13 hours: not exported.
    expect(text).toMatch(/oomlens_cgroup_seconds_to_limit\{cgroup="\/fast"\} 417\n/);
    expect(text).not.toContain('cgroup="/slow"');
    expect(text).not.toContain('cgroup="/flat"');
    expect(text).toContain('oomlens_sampler_cgroups 3');
    expect(text).toContain('oomlens_sampler_vanished_total 2');
    expect(text).toContain('oomlens_sampler_duration_seconds_count 10');
  });

  it('watch --samples on a cgroup v2 tree: hook env, seconds to limit on /metrics, and a kill only memory.events counted', async () => {
    const tree = join(dir, 'v2');
    cpSync(join(ROOT, 'fixtures', 'cgroupfs', 'v2'), tree, { recursive: true });
    const svc = join(tree, 'system.slice', 'web.service');
    const log = join(dir, 'empty.log');
    writeFileSync(log, '');
    const hookOut = join(dir, 'hook.env');
    const w = new CliProcess([
      'watch', log, '--json', '--samples', join(dir, 's.ndjson'), '--sample-every', '200ms', '--cgroup-root', tree, '--cgroup', '/system.slice/web.service',
      '--metrics', '127.0.0.1:0', '--before-oom', 'env | grep ^OOMLENS_ | sort > "$HOOK_OUT"', '--before-oom-lead', '1s',
    ], { ...process.env, HOOK_OUT: hookOut });
    try {
      await w.until('the metrics address', () => /metrics at (http:\S+)/.test(w.stderr), 30_000);
      const url = /metrics at (http:\S+)/.exec(w.stderr)![1]!;
      // Grow 8 MiB per 200 ms towards the 256 MiB limit.
      let usage = 100 * MiB;
      const timer = setInterval(() => {
        usage = Math.min(usage + 8 * MiB, 250 * MiB);
        writeFileSync(join(svc, 'memory.current'), `${usage}\n`);
      }, 200);
      try {
        await pollUntil('a prediction on /metrics', async () => /oomlens_cgroup_seconds_to_limit\{cgroup="\/system.slice\/web.service"\} \d+/.test(await scrape(url)), 20_000);
        await pollUntil('the hook', () => existsSync(hookOut) && readFileSync(hookOut, 'utf8').includes('OOMLENS_TOP_PID'), 20_000);
      } finally {
        clearInterval(timer);
      }
      const env = readFileSync(hookOut, 'utf8');
      expect(env).toContain('OOMLENS_CGROUP=/system.slice/web.service\n');
      expect(env).toContain('OOMLENS_LIMIT_BYTES=268435456\n');
      expect(env).toContain('OOMLENS_PIDS=5001 5002\n');
      expect(env).toMatch(/OOMLENS_REASON=(lead|usage)\n/);
      // A kill in memory.events that no followed log shows.
      writeFileSync(join(svc, 'memory.events'), 'low 0\nhigh 12\nmax 41\noom 5\noom_kill 3\noom_group_kill 0\n');
      writeFileSync(join(svc, 'memory.current'), `${20 * MiB}\n`);
      await w.until('the counted kill', () => w.records().some((r) => r.type === 'counter-oom-kill'), 10_000);
      expect(w.records().find((r) => r.type === 'counter-oom-kill')).toMatchObject({ cgroup: '/system.slice/web.service', count: 1, life: { endedBy: 'kill', growing: true } });
      expect(await scrape(url)).toContain('oomlens_cgroup_unlogged_oom_kills_total{cgroup="/system.slice/web.service"} 1');
      // What watch --json wrote is what `oomlens schema watch` describes.
      for (const r of w.records()) expect(WatchOutput.safeParse(r).success).toBe(true);
    } finally {
      await w.kill('SIGTERM');
    }
  });
});

function scrape(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve(body));
    }).on('error', reject);
  });
}
