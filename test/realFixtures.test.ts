import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../parsers/index.js';
import { Analysis } from '../src/analyze/analysis.js';
import { analyze } from '../src/analyze/analyze.js';
import { runCli } from './support/runCli.js';

/**
 * The dumps captured from the real kernel (Linux 6.18, cgroup v1, test/realKernel.test.ts with
 * OOMLENS_CAPTURE=1), judged on every machine: the verdicts must hold on the kernel's own text.
 */
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const FILES = {
  leak: 'k6.18-memcg-v1-leak-restarts-kmsg.log',
  boot: 'k6.18-memcg-v1-startup-too-big-restarts-kmsg.log',
  spike: 'k6.18-memcg-v1-one-off-spike-kmsg.log',
  load: 'k6.18-memcg-v1-load-bursts-restarts-kmsg.log',
};

function records(...names: string[]) {
  return names.flatMap((n) => parseLogText(readFileSync(join(FIXTURES, n), 'utf8'), { file: n }));
}

describe('real 6.18 dumps', () => {
  const all = analyze(records(...Object.values(FILES)), { by: 'service' });
  const of = (file: string) => {
    const path = readFileSync(join(FIXTURES, file), 'utf8').match(/oom_memcg=(\/oomlens-t-[a-z]+-[0-9a-f]+)/)![1]!;
    return all.groups.find((g) => g.key === `cgroup:${path}`)!;
  };

  it('keep one group per cgroup, all four of them python3', () => {
    expect(Analysis.parse(all)).toEqual(all);
    expect(all.groups).toHaveLength(4);
    expect(all.groups.every((g) => g.comms.join() === 'python3')).toBe(true);
  });

  it('the leak: leak first (medium, from the log alone), nothing else high, growth an upper bound within its one limit', () => {
    const g = of(FILES.leak);
    expect(g).toMatchObject({ verdict: 'recurring', cause: 'leak', kills: 3, limitKb: 65536, runtime: 'python' });
    expect(g.hypotheses[0]!.confidence).toBe('medium');
    expect(g.hypotheses.filter((h) => h.confidence === 'high')).toEqual([]);
    expect(g.growth).toMatchObject({ bound: 'upper', limitKb: 65536, startKb: null });
    expect(g.evidence.find((e) => e.kind === 'small-steps')).toBeDefined();
  });

  it('the start-up loop: startup first and high, from the same big allocation at every kill; advice from total-vm', () => {
    const g = of(FILES.boot);
    expect(g.hypotheses[0]).toMatchObject({ cause: 'startup', confidence: 'high' });
    expect(g.hypotheses[0]!.because.map((s) => s.kind)).toContain('big-allocation');
    const raise = g.nextSteps.find((s) => s.kind === 'step-raise-limit-startup')!;
    expect(raise.values.atLeastKb as number).toBeGreaterThan(120 * 1024);
    expect(g.growth).toBeNull();
  });

  it('the spike: a one-off, one big allocation', () => {
    const g = of(FILES.spike);
    expect(g).toMatchObject({ verdict: 'one-off', cause: 'spike', kills: 1, limitKb: 131072 });
  });

  it('the load bursts: load first, not a steady beat, no leak at more than low', () => {
    const g = of(FILES.load);
    expect(g.cause).toBe('load');
    expect(g.livesCv!).toBeGreaterThan(0.15);
    expect(g.hypotheses.find((h) => h.cause === 'leak')?.confidence ?? 'low').toBe('low');
  });

  it('exact numbers: v1 kmem "unlimited" is null and flagged; hierarchical limits exact', () => {
    const [r] = records(FILES.leak);
    expect(r!.type === 'oom-kill' && r!.cgroup).toMatchObject({ limitKb: 65536, kmem: { limitKb: null }, unlimited: ['kmem'] });
    expect(r!.type === 'oom-kill' && r!.cgroup?.stats).toMatchObject({ hierarchical_memory_limit: 67108864 });
    const json = runCli(['scan', '--json', join('fixtures', FILES.leak)]).stdout;
    expect(json).not.toMatch(/9007199254740988|9223372036854772000/);
  });

  it("the issue's three python3 services in one log (2 MiB/s leak, 100 MiB start-up, one-off 160 MiB): in every format", () => {
    const file = join('fixtures', 'k6.18-memcg-v1-three-python3-services-kmsg.log');
    const a = Analysis.parse(JSON.parse(runCli(['report', '--format', 'json', file]).stdout));
    expect(a.groups).toHaveLength(3);
    const by = (s: string) => a.groups.find((g) => g.key.includes(`oomlens-t-issue-${s}-`))!;
    expect(by('leak')).toMatchObject({ verdict: 'recurring', cause: 'leak', kills: 4 });
    expect(by('leak').hypotheses.filter((h) => h.confidence === 'high')).toEqual([]);
    expect(by('leak').livesCv!).toBeLessThan(0.05);
    expect(by('boot').hypotheses[0]).toMatchObject({ cause: 'startup', confidence: 'high' });
    expect(by('spike')).toMatchObject({ verdict: 'one-off', cause: 'spike' });
    const titles = runCli(['report', file]).stdout.split('\n').filter((l) => /^[A-Z][A-Z-]+ \(/.test(l));
    expect(titles.map((t) => t.replace(/ {2}.*; cause: /, ' ')).sort()).toEqual(['BURST (high confidence) startup (high)', 'ONE-OFF (low confidence) spike (medium)', 'RECURRING (medium confidence) leak (medium)']);
    const md = runCli(['report', '--format', 'markdown', file]).stdout;
    expect(md.match(/^Causes, most likely first: \S+ \(\w+\)/gm)!.map((l) => l.split(': ')[1]).sort()).toEqual(['leak (medium)', 'spike (medium)', 'startup (high)']);
    const html = runCli(['report', '--format', 'html', file]).stdout;
    for (const c of ['leak (medium)', 'startup (high)', 'spike (medium)']) expect(html).toContain(`">${c}</span>`);
  });
});
