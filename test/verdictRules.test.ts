import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../parsers/index.js';
import type { Statement } from '../src/analyze/analysis.js';
import { analyze } from '../src/analyze/analyze.js';
import { plainText } from '../src/analyze/phrase.js';
import { runtimeOf } from '../src/analyze/runtime.js';
import { statementPhrase } from '../src/analyze/statementWords.js';
import { st } from '../src/analyze/verdict.js';
import type { OomRecord } from '../src/schema/oomRecord.js';
import { html, trusted } from '../src/report/htmlTemplate.js';
import { markdownCode } from '../src/report/markdownEscape.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const records = (name: string) => parseLogText(read(name), { file: name }) as OomRecord[];
const say = (s: Statement) => plainText(statementPhrase(s));
const kind = (list: Statement[], k: string) => list.find((s) => s.kind === k);

/** Moves a record to `ms` (epoch), as a log written at another time would have it. */
function at(r: OomRecord, ms: number): OomRecord {
  return { ...r, time: new Date(ms).toISOString() };
}

describe('when next, and has it stopped', () => {
  it('a regular group predicts its next kill and when to take the profile', () => {
    const g = analyze(records('verdict-recurring-sawtooth.log'), { by: 'service' }).groups[0]!;
    const last = Date.parse(g.last!);
    const median = g.medianIntervalSec!;
    expect(Date.parse(g.nextKill!.at!)).toBeCloseTo(last + median * 1000, -3);
    expect(Date.parse(g.nextKill!.profileBy!)).toBeLessThan(Date.parse(g.nextKill!.at!));
    expect(Date.parse(g.nextKill!.profileBy!)).toBeGreaterThan(last);
    expect(g.quiet).toBeNull();
  });

  it('a leak that stopped 3.6 days before the log ends is called quiet, with no prediction', () => {
    const leak = records('verdict-recurring-sawtooth.log');
    const [later] = records('verdict-one-off.log');
    const last = Math.max(...leak.map((r) => Date.parse(r.time!)));
    // Another service on the same host, 3.6 days later: the log goes on, the leak does not.
    const tail = { ...at(later!, last + 3.6 * 86_400_000), host: leak[0]!.host };
    const a = analyze([...leak, tail], { by: 'service' });
    const g = a.groups.find((x) => x.comms[0] === 'leaky-api')!;
    expect(g.nextKill).toBeNull();
    expect(g.quiet!.since).toBe(new Date(last).toISOString());
    expect(g.quiet!.cycles).toBeGreaterThan(300);
    expect(say(kind(g.evidence, 'quiet')!)).toMatch(/^Quiet for \d+ cycles \(~14 min each\) since 2025-03-11 09:41 UTC, although the log goes on: fixed, or moved elsewhere\?$/);
    expect(g.nextSteps[0]!.kind).toBe('step-where-moved');
  });
});

describe('restart back-off', () => {
  it("Kubernetes' CrashLoopBackOff doubling is a restart policy: start-up first, no leak", () => {
    const loop = records('verdict-burst-crash-loop.log');
    const t0 = Date.parse(loop[0]!.time!);
    const gaps = [0, 10, 30, 70, 150, 310];
    const a = analyze(loop.map((r, i) => at(r, t0 + gaps[i]! * 1000)), { by: 'service' });
    const g = a.groups[0]!;
    expect(kind(g.evidence, 'backoff')!.values.livesSec).toEqual([10, 20, 40, 80, 160]);
    expect(g.hypotheses[0]).toMatchObject({ cause: 'startup', confidence: 'high' });
    expect(g.hypotheses.map((h) => h.cause)).not.toContain('leak');
    expect(g.growth).toBeNull();
  });
});

describe('grouping by service', () => {
  it('recreated Kubernetes pods of one name, limit and QoS on one host stay one workload, said as inferred', () => {
    const recs = records('verdict-recurring-sawtooth.log').map((r, i) => (i % 2 === 0 ? r : { ...r, workload: { ...r.workload!, pod: `pod-${i}` } }));
    const a = analyze(recs, { by: 'service' });
    expect(a.groups).toHaveLength(1);
    expect(a.groups[0]!.kills).toBe(8);
    expect(kind(a.groups[0]!.evidence, 'inferred-deployment')!.values).toMatchObject({ pods: 5, qos: 'burstable', limitKb: 204800 });
    expect(say(kind(a.groups[0]!.evidence, 'inferred-deployment')!)).toContain('likely one Deployment or ReplicaSet');
  });

  it('two plain cgroups never merge, even with the same process name and limit', () => {
    const recs = records('verdict-recurring-sawtooth.log').map((r, i) => ({ ...r, workload: null, cgroup: { ...r.cgroup!, path: i % 2 === 0 ? '/svc-a' : '/svc-b' } }));
    const a = analyze(recs, { by: 'service' });
    expect(a.groups.map((g) => [g.key, g.kills])).toEqual([
      ['cgroup:/svc-b', 4],
      ['cgroup:/svc-a', 4],
    ]);
  });

  it('kills outside any memory cgroup group by process name per host', () => {
    const a = analyze(records('verdict-host-pressure.log'), { by: 'service' });
    expect(a.groups.map((g) => g.key).sort()).toEqual(['process:db-2:java', 'process:db-2:node', 'process:db-2:postgres']);
  });
});

describe('values that do not add up', () => {
  it('a victim holding ~0% of the limit while another process asked, and a kill line with more resident than mapped, are odd', () => {
    const [r] = records('verdict-one-off.log');
    const tiny: OomRecord = { ...r!, victim: { ...r!.victim!, anonRssKb: 12, fileRssKb: 0, shmemRssKb: 0 }, trigger: { ...r!.trigger!, pid: 999_999, comm: 'other' }, tasks: null };
    const g1 = analyze([tiny], { by: 'service' }).groups[0]!;
    expect(kind(g1.evidence, 'odd-tiny-victim')!.values).toMatchObject({ rssKb: 12, limitKb: 4194304, trigger: 'other' });
    const forged: OomRecord = { ...r!, victim: { ...r!.victim!, totalVmKb: 1000, anonRssKb: 5_000_000 } };
    const g2 = analyze([forged], { by: 'service' }).groups[0]!;
    expect(kind(g2.evidence, 'odd-values')!.values).toMatchObject({ what: 'rss-above-total-vm' });
  });

  it('a name whose summed RSS exceeds the RAM gets the shared-pages caveat', () => {
    const recs = records('verdict-host-pressure.log');
    const r = recs[0]!;
    const big = { ...r, tasks: [...r.tasks!, ...r.tasks!.map((t) => ({ ...t, pid: t.pid + 100_000, rssPages: 4_000_000 }))] };
    const g = analyze([big, ...recs.slice(1)], { by: 'service' }).groups.find((x) => x.members.some((m) => m.eventId === r.eventId))!;
    expect(say(kind(g.evidence, 'shared-pages')!)).toMatch(/more than the host's 16\.0 GiB of RAM: shared pages are counted once per process/);
  });

  it('an unknown limit is said in words, never as "-"', () => {
    expect(say(st('step-startup-memory', { comm: 'x', limitKb: null }))).toBe('Check whether an unknown limit is enough for x to start at all: its memory right after start-up against the limit.');
  });
});

describe('advice for the runtime', () => {
  it('recognises java, python3, node and Go binaries by name or unit, and names the profiler', () => {
    expect(runtimeOf(['java'])).toBe('jvm');
    expect(runtimeOf(['python3.11'])).toBe('python');
    expect(runtimeOf(['node'])).toBe('node');
    expect(runtimeOf(['prometheus'])).toBe('go');
    expect(runtimeOf(['worker', 'gunicorn.service'])).toBe('python');
    expect(runtimeOf(['ffmpeg'])).toBeNull();
    const step = (runtime: string | null) => say(st('step-profile', { comm: 'svc', runtime, lifeSec: 60, byMs: null }));
    expect(step('jvm')).toContain('jcmd <pid> GC.heap_dump');
    expect(step('python')).toMatch(/tracemalloc.*memray attach <pid>/);
    expect(step('node')).toContain('--heapsnapshot-signal=SIGUSR2');
    expect(step('go')).toContain('go tool pprof');
    expect(step(null)).toMatch(/^Take heap profiles of svc/);
  });
});

describe('escaping once, per format', () => {
  it('markdown code spans: a fence longer than any backtick run inside', () => {
    expect(markdownCode('oomlens watch')).toBe('`oomlens watch`');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
    expect(markdownCode('two\nlines')).toBe('`two lines`');
  });

  it('the html template escapes every value unless it is markup it made or marked trusted', () => {
    const name = '<script>alert(1)</script>';
    expect(html`<b>${name}</b>`.html).toBe('<b>&lt;script&gt;alert(1)&lt;/script&gt;</b>');
    expect(html`<a title="${'" onmouseover="x'}">`.html).toBe('<a title="&quot; onmouseover=&quot;x">');
    expect(html`<ul>${['<i>', html`<li>${'&'}</li>`]}</ul>`.html).toBe('<ul>&lt;i&gt;<li>&amp;</li></ul>');
    expect(html`${trusted('<svg/>')}${null}${false}${0}`.html).toBe('<svg/>0');
  });
});

describe('exact numbers', () => {
  it('kernel values above 2^53 stay exact in records and JSON; "unlimited" is null and flagged', () => {
    const text = read('k6.18-memcg-v1-leak-restarts-kmsg.log')
      .replace(/;hierarchical_memsw_limit \d+/, ';hierarchical_memsw_limit 9223372036854771712')
      .replace(/;total_pgfault \d+/, ';total_pgfault 18446744073709551615');
    const [r] = parseLogText(text, { file: 'x' }) as OomRecord[];
    expect(r!.cgroup!.stats!.hierarchical_memsw_limit).toBeNull();
    expect(r!.cgroup!.stats!.total_pgfault).toBe('18446744073709551615');
    expect(r!.cgroup!.unlimited).toEqual(['kmem', 'hierarchical_memsw_limit']);
    const json = JSON.stringify(r);
    expect(json).toContain('"total_pgfault":"18446744073709551615"');
    expect(json).not.toMatch(/9223372036854772000|9007199254740988/);
  });
});
