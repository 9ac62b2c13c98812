import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { Analysis, type AnalysisGroup } from '../src/analyze/analysis.js';
import { ROOT, runCli } from './support/runCli.js';
import { isoText, kmsgText, pythonBursts, pythonGroup, pythonLeak, pythonSpike, pythonStartup, realKernelAvailable, realKernelIt, runStory, type Story, type StoryResult } from './support/realOom.js';

/**
 * End to end on the real kernel: real OOM kills in small cgroups of our own, the kernel's own
 * dumps read back from /dev/kmsg, and `oomlens report` on them in every format. The stories run
 * in parallel (about 30 s in all, more on a busy machine). OOMLENS_CAPTURE=1 also writes the dumps as fixtures.
 */
const MiB = 1 << 20;
const avail = realKernelAvailable();
const dir = mkdtempSync(join(tmpdir(), 'oomlens-real-'));
// OOMLENS_KEEP_REAL_LOGS=1 keeps the captured logs to look at.
afterAll(() => (process.env.OOMLENS_KEEP_REAL_LOGS === '1' ? console.log(`real-kernel logs kept in ${dir}`) : rmSync(dir, { recursive: true, force: true })));

const STORIES: Story[] = [
  // As the shared hook: grows 8 MiB/s under 64 MiB, restarted 0.5 s after each kill (~8 s a life).
  { name: 'leak', limitBytes: 64 * MiB, cmd: pythonLeak({ startMiB: 4, stepMiB: 4, everyS: 0.5 }), restarts: 2, restartDelayMs: 500 },
  // Needs 120 MiB at start under 64 MiB, restarted 1 s after each death.
  { name: 'boot', limitBytes: 64 * MiB, cmd: pythonStartup({ needMiB: 120 }), restarts: 3, restartDelayMs: 1000 },
  // Runs at 20 MiB, then asks once for 160 MiB under 128 MiB; not restarted.
  { name: 'spike', limitBytes: 128 * MiB, cmd: pythonSpike({ holdMiB: 20, forS: 2, thenMiB: 160 }) },
  // Grows by 12 MiB with each burst of load; the bursts come at uneven times, so lives differ.
  {
    name: 'load',
    limitBytes: 40 * MiB,
    cmd: (run) => pythonBursts({ baseMiB: 8, burstMiB: 12, atS: [[0.3, 0.6, 1], [2.5, 5, 7.5], [0.3, 0.6, 1]][run]! }),
    restarts: 2,
    restartDelayMs: 500,
  },
];

const results = new Map<string, StoryResult>();
let log = '';

beforeAll(async () => {
  if (!avail.ok) return;
  const done = await Promise.all(STORIES.map((s) => runStory(avail, s)));
  for (const r of done) results.set(r.story.name, r);
  const records = done.flatMap((r) => r.records).sort((a, b) => a.seq - b.seq);
  log = join(dir, 'real-kmsg.log');
  writeFileSync(log, kmsgText(records));
  writeFileSync(join(dir, 'real-iso.log'), isoText(records));
  if (process.env.OOMLENS_CAPTURE === '1') {
    for (const r of done) writeFileSync(join(ROOT, 'fixtures', `k6.18-memcg-${avail.version}-${fixtureName(r.story.name)}-kmsg.log`), kmsgText(r.records));
  }
}, 120_000);

function fixtureName(story: string): string {
  return { leak: 'leak-restarts', boot: 'startup-too-big-restarts', spike: 'one-off-spike', load: 'load-bursts-restarts' }[story] ?? story;
}

function analysis(args: string[] = [], file = log): Analysis {
  const res = runCli(['report', '--format', 'json', ...args, file]);
  expect(res.stderr).toBe('');
  return Analysis.parse(JSON.parse(res.stdout));
}

function groupOf(a: Analysis, story: string): AnalysisGroup {
  const path = results.get(story)!.cgroup.path;
  const g = a.groups.find((x) => x.key === `cgroup:${path}`);
  if (!g) throw new Error(`no group for ${path} in ${a.groups.map((x) => x.key).join(', ')}`);
  return g;
}

function kills(story: string): number {
  return results.get(story)!.runs.filter((r) => r.signal === 'SIGKILL' && !r.stoppedByUs).length;
}

describe('real OOM kills on this kernel', () => {
  realKernelIt('every story died as planned, by the kernel, and its dump was read back whole', async () => {
    expect(kills('leak')).toBe(3);
    expect(kills('boot')).toBe(4);
    expect(kills('spike')).toBe(1);
    expect(kills('load')).toBe(3);
    for (const r of results.values()) expect(r.records.filter((x) => x.message.includes('invoked oom-killer')).length).toBe(kills(r.story.name));
  });

  realKernelIt('default report: one group per cgroup; leak, start-up, spike and load told apart, with the numbers of the dumps', async () => {
    const a = analysis();
    expect(a.by).toBe('service');
    expect(a.groups).toHaveLength(4);

    const leak = groupOf(a, 'leak');
    expect(leak).toMatchObject({ verdict: 'recurring', kills: 3, limitKb: 65536, comms: ['python3'], cause: 'leak', runtime: 'python' });
    expect(leak.hypotheses[0]).toMatchObject({ cause: 'leak', confidence: 'medium' });
    expect(leak.hypotheses.slice(1).every((h) => h.confidence !== 'high')).toBe(true);
    // limit ÷ life (kill to kill) against what each run really did: 60 MiB grown over its measured life.
    expect(leak.growth).toMatchObject({ bound: 'upper', limitKb: 65536 });
    const runs = results.get('leak')!.runs;
    const realMiBs = 60 / (runs.reduce((n, r) => n + (r.endedMs - r.startedMs), 0) / runs.length / 1000);
    expect(leak.growth!.kbPerMin / 60 / 1024).toBeGreaterThan(0.8 * realMiBs);
    expect(leak.growth!.kbPerMin / 60 / 1024).toBeLessThan(1.5 * realMiBs);
    expect(leak.livesCv!).toBeLessThan(0.15);
    expect(leak.nextKill).not.toBeNull();
    expect(leak.evidence.map((e) => e.kind)).toEqual(expect.arrayContaining(['lives', 'small-steps', 'growth', 'next-kill', 'memory-kinds']));
    expect(leak.nextSteps.find((s) => s.kind === 'step-profile')!.values).toMatchObject({ runtime: 'python', comm: 'python3' });

    const boot = groupOf(a, 'boot');
    expect(boot).toMatchObject({ kills: 4, limitKb: 65536, cause: 'startup' });
    expect(boot.hypotheses[0]).toMatchObject({ cause: 'startup', confidence: 'high' });
    const big = boot.evidence.find((e) => e.kind === 'big-allocation')!;
    // 120 MiB asked for under 64 MiB: the victim had mapped more than the limit.
    expect(big.values.maxTotalVmKb as number).toBeGreaterThan(120 * 1024);
    const raise = boot.nextSteps.find((s) => s.kind === 'step-raise-limit-startup')!;
    expect(raise.values.atLeastKb as number).toBeGreaterThanOrEqual(120 * 1024);

    const spike = groupOf(a, 'spike');
    expect(spike).toMatchObject({ verdict: 'one-off', kills: 1, limitKb: 131072, cause: 'spike' });
    expect(spike.evidence.find((e) => e.kind === 'big-allocation')!.values.maxTotalVmKb as number).toBeGreaterThan(160 * 1024);

    const load = groupOf(a, 'load');
    // Kills within a minute: a burst in time, whose lives follow the load rather than a clock.
    expect(load).toMatchObject({ kills: 3, limitKb: 40960, cause: 'load' });
    expect(load.livesCv!).toBeGreaterThan(0.15);
    expect(load.hypotheses.find((h) => h.cause === 'leak')?.confidence ?? 'none').not.toBe('high');
  });

  realKernelIt('every format says the same: the cause in each group title, the log text escaped once', async () => {
    const term = runCli(['report', log]).stdout;
    const titles = term.split('\n').filter((l) => /^[A-Z][A-Z-]+ \(/.test(l));
    expect(titles).toHaveLength(4);
    expect(titles.find((t) => t.includes(results.get('leak')!.cgroup.path))).toMatch(/cause: leak \(medium\)$/);
    expect(titles.find((t) => t.includes(results.get('boot')!.cgroup.path))).toMatch(/cause: startup \(high\)$/);
    expect(titles.find((t) => t.includes(results.get('spike')!.cgroup.path))).toMatch(/^ONE-OFF .*cause: spike/);
    const md = runCli(['report', '--format', 'markdown', log]).stdout;
    expect(md.match(/^### \d+\. /gm)).toHaveLength(4);
    expect(md).toMatch(/Causes, most likely first: startup \(high\)/);
    expect(md).toContain('`oomlens watch`');
    expect(md).not.toContain('\\`');
    const html = runCli(['report', '--format', 'html', log]).stdout;
    expect(html.match(/<article class="group"/g)).toHaveLength(4);
    expect(html).toContain('<span class="cause high">startup (high)</span>');
    expect(html.match(/<svg class="chart lives"/g)).toHaveLength(3);
    // The same dumps as `dmesg --time-format iso` prints them give the same groups and causes.
    const iso = analysis([], join(dir, 'real-iso.log'));
    expect(iso.groups.map((g) => [g.key, g.cause]).sort()).toEqual(analysis().groups.map((g) => [g.key, g.cause]).sort());
  });

  realKernelIt('--by comm: one python3 group that lists its cgroups and limits and estimates no growth across them', async () => {
    const a = analysis(['--by', 'comm']);
    expect(a.groups).toHaveLength(1);
    const g = a.groups[0]!;
    expect(g).toMatchObject({ key: 'python3', kills: 11, growth: null });
    expect(g.limitsKb).toEqual([40960, 65536, 131072]);
    const cgroups = g.evidence.find((e) => e.kind === 'cgroups')!.values.cgroups as { path: string; limitKb: number }[];
    expect(cgroups.map((c) => c.path).sort()).toEqual([...results.values()].map((r) => r.cgroup.path).sort());
  });

  realKernelIt('exact numbers: the kernel’s "unlimited" is null and flagged, nothing is rounded', async () => {
    const res = runCli(['scan', '--json', log]);
    const records = res.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(records).toHaveLength(11);
    for (const r of records) {
      // v1 prints `kmem: … limit 9007199254740988kB` (PAGE_COUNTER_MAX): no limit.
      expect(r.cgroup.kmem.limitKb).toBeNull();
      expect(r.cgroup.unlimited).toContain('kmem');
      expect(res.stdout).not.toContain('9007199254740988');
    }
  });

  realKernelIt('memory.oom.group: one OOM event kills every task of the cgroup (cgroup v2 only)', async (a) => {
    if (a.version !== 'v2') {
      console.log('memory.oom.group story: this machine has cgroup v1, which has no memory.oom.group; the v2 group kill is covered by fixtures/oom-group-late-reaper-kmsg.log');
      return;
    }
    const r = await runStory(a, { name: 'oomgroup', limitBytes: 64 * MiB, oomGroup: true, cmd: pythonGroup({ copies: 3, eachMiB: 12 }) });
    const file = join(dir, 'oomgroup.log');
    writeFileSync(file, kmsgText(r.records));
    const g = analysis([], file).groups[0]!;
    expect(g).toMatchObject({ events: 1 });
    expect(g.kills).toBeGreaterThanOrEqual(3);
  });
});
