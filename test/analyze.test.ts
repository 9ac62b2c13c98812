import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../parsers/index.js';
import { Analysis, GroupBy, type AnalysisGroup } from '../src/analyze/analysis.js';
import { analyze } from '../src/analyze/analyze.js';
import { durationText } from '../src/analyze/durationText.js';
import { explainKill } from '../src/analyze/explainKill.js';
import { Explanation } from '../src/analyze/explanation.js';
import { groupsByIndex, killNumbers } from '../src/analyze/killLookup.js';
import { sparkline } from '../src/analyze/sparkline.js';
import type { OomRecord } from '../src/schema/oomRecord.js';
import { CORPUS_RUN, sampleLogs } from './support/corpus.js';
import { plainText } from '../src/analyze/phrase.js';
import { statementPhrase } from '../src/analyze/statementWords.js';
import type { Statement } from '../src/analyze/analysis.js';

/** Statements as plain words, for the few tests that read the wording. */
function say(list: Statement[]): string[] {
  return list.map((s) => plainText(statementPhrase(s)));
}

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

function records(...names: string[]): OomRecord[] {
  return names.flatMap((name) => parseLogText(readFileSync(join(FIXTURES, name), 'utf8'), { file: name }));
}

function group(a: Analysis, key: string): AnalysisGroup {
  const g = a.groups.find((x) => x.key === key);
  if (!g) throw new Error(`no group ${key} in ${a.groups.map((x) => x.key).join(', ')}`);
  return g;
}

describe('verdicts, one fixture each', () => {
  it('recurring leak-like sawtooth: same limit, regular interval, growth estimated from limit / interval', () => {
    const a = analyze(records('verdict-recurring-sawtooth.log'), { by: 'comm' });
    expect(Analysis.parse(a)).toEqual(a);
    expect(a.groups).toHaveLength(1);
    const g = a.groups[0]!;
    expect(g).toMatchObject({ key: 'leaky-api', verdict: 'recurring', confidence: 'high', kills: 8, events: 8, hosts: ['ip-10-0-3-17'], limitKb: 204800, atLimitShare: 1, globalShare: 0, victimLargestShare: 1, triggeredByOtherShare: 0 });
    // Intervals of 14:31, 13:07, 15:09, 13:04, 14:27, 13:04, 15:04 (plus a few ms): the median is 14:27.
    expect(g.medianIntervalSec).toBeCloseTo(867, 0);
    expect(g.intervalCv!).toBeLessThan(0.1);
    expect(g.growthKbPerMin).toBeCloseTo(204800 / (867.007 / 60), 0);
    expect(g.headline).toContain('every ~14 min at its 200.0 MiB limit');
    expect(g.headline).toContain('≈ 14 MiB/min');
    expect(g.headline).toContain('estimate');
    expect(g.victimAnonRssKb).toEqual({ min: 197612, median: (198300 + 198392) / 2, max: 198632 });
    expect(g.members.map((m) => m.pid)).toEqual([48213, 48944, 49675, 50406, 51137, 51868, 52599, 53330]);
    expect(g.nextSteps.find((s) => s.kind === 'step-profile')!.values).toMatchObject({ comm: 'leaky-api' });
    expect(g.growth).toMatchObject({ bound: 'upper', limitKb: 204800 });
    expect(g.hypotheses[0]).toMatchObject({ cause: 'leak', confidence: 'medium' });
  });

  it('recurring, irregular: the same unit at its limit, no growth estimate', () => {
    const [g] = analyze(records('verdict-recurring-irregular.log'), { by: 'comm' }).groups;
    expect(g).toMatchObject({ key: 'celery', verdict: 'recurring', confidence: 'medium', kills: 3, growthKbPerMin: null, limitKb: 1048576 });
    expect(g!.intervalCv!).toBeGreaterThan(0.5);
    expect(g!.headline).not.toMatch(/sawtooth|MiB\/min/);
    expect(g!.killsPerDay).toBeCloseTo(3 / ((Date.parse(g!.last!) - Date.parse(g!.first!)) / 86_400_000), 5);
  });

  it('burst: a crash loop of six kills within 77 s', () => {
    const [g] = analyze(records('verdict-burst-crash-loop.log'), { by: 'comm' }).groups;
    expect(g).toMatchObject({ key: 'imgproc', verdict: 'burst', confidence: 'high', kills: 6, growthKbPerMin: null });
    expect(g!.headline).toMatch(/6 kills of imgproc within 1\.3 min/);
  });

  it('burst told apart: many copies alive at once is a fork storm, one at a time a crash loop', () => {
    const [storm] = analyze(records('verdict-burst-fork-storm.log'), { by: 'comm' }).groups;
    expect(storm).toMatchObject({ key: 'cc1plus', verdict: 'burst', kills: 7, globalShare: 1 });
    expect(storm!.headline).toBe('Burst: 7 kills of cc1plus within 26 s, like a fork storm.');
    expect(storm!.hypotheses[0]).toMatchObject({ cause: 'fork-storm', confidence: 'high' });
    expect(storm!.evidence.find((e) => e.kind === 'copies')!.values).toMatchObject({ copies: 6, comm: 'cc1plus', storm: true });
    expect(storm!.nextSteps[0]!.kind).toBe('step-fork-parent');
    const [loop] = analyze(records('verdict-burst-crash-loop.log'), { by: 'comm' }).groups;
    expect(loop!.headline).toMatch(/like a crash loop: most likely a start-up that needs more than 512\.0 MiB/);
    expect(loop!.evidence.find((e) => e.kind === 'copies')!.values).toMatchObject({ copies: 1, storm: false, newPidEachKill: true });
    expect(say(loop!.evidence)).toContain('At most 1 process named imgproc in any task table, a new pid each kill: one instance restarting, like a crash loop.');
  });

  it('host pressure: global OOMs on one host killing different processes, each group even with one kill', () => {
    const a = analyze(records('verdict-host-pressure.log'), { by: 'comm' });
    expect(a.groups.map((g) => [g.key, g.verdict, g.kills])).toEqual([
      ['node', 'host-pressure', 1],
      ['java', 'host-pressure', 1],
      ['postgres', 'host-pressure', 1],
    ]);
    expect(a.pressureHosts).toEqual([
      expect.objectContaining({ host: 'db-2', globalKills: 3, victims: ['postgres', 'java', 'node'], ramKb: 4194173 * 4, totalSwapKb: 0 }),
    ]);
    expect(a.pressureHosts[0]!.largestConsumers.map((c) => c.name)).toEqual(['postgres', 'java', 'node']);
    const node = group(a, 'node');
    expect(node).toMatchObject({ globalShare: 1, atLimitShare: 0, victimLargestShare: 0, triggeredByOtherShare: 1, limitKb: null });
    expect(node.evidence.find((e) => e.kind === 'victim-not-largest')!.values).toEqual({ name: 'java', pid: 8810, oomScoreAdj: -600 });
    expect(node.evidence.find((e) => e.kind === 'pressure-host')!.values).toMatchObject({ host: 'db-2', ramKb: 4194173 * 4, swapKb: 0 });
    expect(say(node.evidence).join('\n')).toMatch(/db-2 has 16\.0 GiB of RAM and no swap/);
  });

  it('one-off: a single kill, and the confidence says how little a lone kill proves', () => {
    const [g] = analyze(records('verdict-one-off.log'), { by: 'comm' }).groups;
    expect(g).toMatchObject({ key: 'ffmpeg', verdict: 'one-off', confidence: 'low', kills: 1, medianIntervalSec: null, intervalCv: null, killsPerDay: null });
  });

  it('the mixed sample kern.log has all four verdicts, worst first', () => {
    const a = analyze(records('sample-kern.log'), { by: 'comm' });
    expect(a.summary).toEqual({ kills: 21, processes: 7, hosts: ['batch-1', 'db-2', 'ip-10-0-3-17', 'web-3', 'worker-5'], first: '2025-03-09T21:12:40.005Z', last: '2025-03-11T13:42:22.302Z', withoutKill: 0 });
    expect(a.groups.map((g) => [g.key, g.verdict])).toEqual([
      ['leaky-api', 'recurring'],
      ['celery', 'recurring'],
      ['imgproc', 'burst'],
      ['node', 'host-pressure'],
      ['java', 'host-pressure'],
      ['postgres', 'host-pressure'],
      ['ffmpeg', 'one-off'],
    ]);
    // A one-off in a log that covers 1.7 days is more believable than a lone kill.
    expect(group(a, 'ffmpeg').confidence).toBe('medium');
    expect(a.groups.reduce((n, g) => n + g.members.length, 0)).toBe(21);
    for (const g of a.groups) expect(g.timeline!.reduce((x, y) => x + y, 0)).toBe(g.kills);
  });
});

describe('grouping views', () => {
  it('--by workload keeps a Kubernetes pod together across container restarts (new container id each time)', () => {
    const recs = records('verdict-recurring-sawtooth.log');
    expect(new Set(recs.map((r) => r.cgroup!.path)).size).toBe(8);
    const a = analyze(recs, { by: 'workload' });
    expect(a.groups.map((g) => [g.key, g.verdict, g.kills])).toEqual([['kubernetes:pod/33061569-6a09-409a-a53e-df2bb363743d', 'recurring', 8]]);
    expect(a.groups[0]!.label).toBe('Kubernetes pod 33061569-6a09-409a-a53e-df2bb363743d (burstable)');
  });

  it('--by cgroup splits what --by workload joins; --by host groups per host', () => {
    const recs = records('sample-kern.log');
    const byCgroup = analyze(recs, { by: 'cgroup' });
    // Each restarted container is its own cgroup, a single kill each; the analyzer still points
    // at the other kills of the same process at a limit.
    const containers = byCgroup.groups.filter((g) => g.key.includes('kubepods-burstable-pod33061569'));
    expect(containers.map((g) => [g.verdict, g.confidence])).toEqual(Array(8).fill(['recurring', 'low']));
    expect(containers[0]!.headline).toMatch(/leaky-api was killed 7 times more elsewhere/);
    expect(group(byCgroup, '(no cgroup limit)')).toMatchObject({ verdict: 'host-pressure', kills: 3 });
    const byHost = analyze(recs, { by: 'host' });
    expect(byHost.groups.map((g) => [g.key, g.verdict])).toEqual([
      ['ip-10-0-3-17', 'recurring'],
      ['worker-5', 'recurring'],
      ['web-3', 'burst'],
      ['db-2', 'host-pressure'],
      ['batch-1', 'one-off'],
    ]);
  });

  it('a single kill in a container is flagged when the same process died at the same limit in another container; a unit is not', () => {
    const recs = records('verdict-burst-crash-loop.log', 'verdict-one-off.log');
    // Rename the one-off's victim so it looks like imgproc under another unit.
    const lone = recs.find((r) => r.victim?.comm === 'ffmpeg')!;
    lone.victim!.comm = 'imgproc';
    lone.cgroup!.limitKb = 524288;
    // A systemd unit is no container: a recreated unit keeps its name, so the same name elsewhere is another service.
    expect(group(analyze(recs, { by: 'workload' }), 'systemd:transcode-worker.service')).toMatchObject({ verdict: 'one-off' });
    const id = 'f'.repeat(64);
    lone.workload = { kind: 'docker', id, pod: null, qos: null, container: id, unit: null };
    const key = `docker:${id}`;
    const a = analyze(recs, { by: 'workload' });
    const g = group(a, key);
    expect(g).toMatchObject({ verdict: 'recurring', confidence: 'low' });
    expect(g.headline).toMatch(/imgproc was killed 6 times more elsewhere/);
    expect(g.evidence.find((e) => e.kind === 'same-limit-elsewhere')!.values).toMatchObject({ comm: 'imgproc', times: 6, limitKb: 524288 });
    // Ranked after the real bursts and recurrences, before the one-offs.
    expect(a.groups.map((x) => x.key).indexOf(key)).toBe(1);
  });
});

describe(`every sample log (${CORPUS_RUN ? '../shared/corpus' : 'fixtures'})`, () => {
  const samples = sampleLogs();
  it('analyses into a valid Analysis in every view, and every kill explains', () => {
    const recs = samples.flatMap((x) => parseLogText(x.text, { file: x.logPath }));
    expect(killNumbers(recs).size).toBeGreaterThan(10);
    for (const by of GroupBy.options) {
      const a = analyze(recs, { by });
      Analysis.parse(a);
      expect(a.groups.reduce((n, g) => n + g.kills, 0)).toBe(a.summary.kills);
      const groupOf = groupsByIndex(a);
      for (const [index, n] of killNumbers(recs)) Explanation.parse(explainKill(recs[index]!, { killNumber: n, totalKills: a.summary.kills, index, group: groupOf.get(index) ?? null }));
    }
  });
});

describe('edge cases', () => {
  it('no records: an empty analysis', () => {
    expect(analyze([], { by: 'comm' })).toEqual({
      by: 'comm',
      summary: { kills: 0, processes: 0, hosts: [], first: null, last: null, withoutKill: 0 },
      timeline: null,
      pressureHosts: [],
      groups: [],
    });
  });

  it('ignores record types it does not know, and counts reports without a kill apart', () => {
    const recs = records('verdict-one-off.log');
    const unknown = { ...recs[0]!, type: 'a-later-kind' } as unknown as OomRecord;
    const noKill: OomRecord = { ...recs[0]!, type: 'oom-without-kill', reason: 'victim-exiting', victim: null };
    const a = analyze([unknown, noKill, ...recs], { by: 'comm' });
    expect(a.summary).toMatchObject({ kills: 1, withoutKill: 1 });
    expect(a.groups[0]!.members[0]!.index).toBe(2);
  });

  it('logs without wall-clock times use uptime within a boot, and a falling uptime starts a new boot', () => {
    const recs = records('verdict-recurring-sawtooth.log').map((r) => ({ ...r, time: null }));
    const a = analyze(recs, { by: 'comm' });
    expect(a.timeline).toBeNull();
    expect(a.groups[0]).toMatchObject({ verdict: 'recurring', first: null, last: null, timeline: null });
    expect(a.groups[0]!.medianIntervalSec).toBeCloseTo(867, 0);
    // The same kills after a reboot: intervals are never taken across the reboot.
    const rebooted = recs.map((r, i) => (i >= 4 ? { ...r, uptime: r.uptime! - 400_000 } : r));
    const b = analyze(rebooted, { by: 'comm' });
    expect(b.groups[0]!.medianIntervalSec!).toBeGreaterThan(13 * 60);
    expect(b.groups[0]!.medianIntervalSec!).toBeLessThan(16 * 60);
    expect(b.groups[0]!.intervalCv!).toBeLessThan(0.1);
  });

  it('kills of one memory.oom.group invocation count as one event', () => {
    const recs = records('verdict-one-off.log');
    const sibling: OomRecord = { ...recs[0]!, victim: { ...recs[0]!.victim!, pid: 77101, comm: 'ffmpeg' } };
    const [g] = analyze([recs[0]!, sibling], { by: 'comm' }).groups;
    expect(g).toMatchObject({ kills: 2, events: 1, verdict: 'one-off', medianIntervalSec: null });
  });

  it('is linear enough for a thousand kills', () => {
    const base = records('verdict-recurring-sawtooth.log');
    const many = Array.from({ length: 1000 }, (_, i) => ({ ...base[i % base.length]!, eventId: `e${i}`, time: new Date(Date.parse('2025-01-01T00:00:00Z') + i * 840_000).toISOString() }));
    const started = performance.now();
    const a = analyze(many, { by: 'workload' });
    expect(performance.now() - started).toBeLessThan(500);
    expect(a.groups[0]).toMatchObject({ kills: 1000, verdict: 'recurring' });
  });
});

describe('helpers for renderers', () => {
  it('sparkline: blank for no kill, the lowest bar for any kill, full bar at the maximum', () => {
    expect(sparkline([0, 1, 4, 8, 0])).toBe(' ▁▄█ ');
    expect(sparkline([0, 0])).toBe('  ');
  });

  it('durationText: compact units', () => {
    expect([0.25, 40, 76.4, 867, 5400, 86_400 * 3.2].map(durationText)).toEqual(['250 ms', '40 s', '1.3 min', '14 min', '1.5 h', '3.2 d']);
  });
});
