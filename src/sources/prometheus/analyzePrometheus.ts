import { partial, pearson, slope, strengthOf } from './correlation.js';
import { KILL_SOURCES, type KillEvent, type KillSourceName } from './killSources.js';
import type { GroupCurves, Hypothesis, PromAnalysis, PromGroup } from './promAnalysis.js';
import { queryRange, windowOf, type RangeSeries, type RangeWindow } from './promClient.js';
import { aroundKills, lifeTimes, matchesGroup, mergeNewest } from './seriesMath.js';
import type { KillRecord } from '../../schema/killRecord.js';
import { logCandidates, sharesCgroup } from './logKills.js';

export const DEFAULT_MEMORY_QUERY = 'container_memory_working_set_bytes{container!="",container!="POD"}';
const K8S_MATCH = ['namespace', 'pod', 'container'];
/** A group is reported when it has this many aligned samples of memory (and work). */
const MIN_SAMPLES = 10;
const QUIET_LIMIT = 20;

export interface PromReportOptions {
  url: string;
  sinceMs: number;
  untilMs: number;
  memoryQuery?: string;
  workQuery?: string | null;
  /** Labels that match memory and work series to a group. */
  match?: string[] | null;
  /** Kills read from logs: these are the kills, and Prometheus adds the curves. */
  records?: readonly KillRecord[] | null;
}

export interface Candidate {
  labels: Record<string, string>;
  bySource: Map<KillSourceName, KillEvent[]>;
  /** Cgroup paths of the kills (from logs): memory series with these `id`s are the workload's. */
  cgroups?: string[];
}

export async function analyzePrometheus(o: PromReportOptions): Promise<{ analysis: PromAnalysis; curves: Map<string, GroupCurves> }> {
  const w = windowOf(o.sinceMs, o.untilMs);
  const memoryQuery = o.memoryQuery ?? DEFAULT_MEMORY_QUERY;
  const workQuery = o.workQuery ?? null;
  const fromLogs = o.records ?? null;
  const [killResults, memory, work] = await Promise.all([
    fromLogs ? Promise.resolve(KILL_SOURCES.map(() => [] as RangeSeries[])) : Promise.all(KILL_SOURCES.map((s) => queryRange(o.url, s.query, w))),
    queryRange(o.url, memoryQuery, w),
    workQuery ? queryRange(o.url, workQuery, w) : Promise.resolve([] as RangeSeries[]),
  ]);

  // Kill events per workload identity, per exporter.
  const candidates: Map<string, Candidate> = fromLogs ? logCandidates(fromLogs, w) : new Map();
  let nodeKills = 0;
  KILL_SOURCES.forEach((source, i) => {
    for (const s of killResults[i]!) {
      const events = source.events(s, w.step, w.start);
      if (source.name === 'node') nodeKills += events.reduce((n, e) => n + e.count, 0);
      const labels = Object.fromEntries(source.identity.filter((l) => s.labels[l] !== undefined).map((l) => [l, s.labels[l]!]));
      const key = keyOf(labels, source.identity);
      const c = candidates.get(key) ?? { labels, bySource: new Map() };
      candidates.set(key, c);
      c.bySource.set(source.name, [...(c.bySource.get(source.name) ?? []), ...events].sort((a, b) => a.t - b.t));
    }
  });

  const curves = new Map<string, GroupCurves>();
  const groups: PromGroup[] = [];
  for (const [key, c] of candidates) {
    const best = [...c.bySource.entries()].map(([source, ev]) => ({ source, events: ev, kills: ev.reduce((n, e) => n + e.count, 0) })).sort((a, b) => b.kills - a.kills)[0]!;
    if (best.kills === 0) continue;
    const group = judge(key, c.labels, best, c, { memory, work, memoryQuery, workQuery, match: o.match ?? null, w });
    groups.push(group.group);
    curves.set(key, group.curves);
  }
  groups.sort((a, b) => b.kills - a.kills || a.key.localeCompare(b.key));

  // Workloads Prometheus has memory for and no kill: the ones growing like a leak come first.
  const killed = new Set(groups.map((g) => g.key));
  const quiet: PromGroup[] = [];
  const seen = new Set<string>();
  for (const s of fromLogs ? [] : memory) {
    const labels = Object.fromEntries((o.match ?? K8S_MATCH).filter((l) => s.labels[l] !== undefined).map((l) => [l, s.labels[l]!]));
    const key = keyOf(labels, o.match ?? K8S_MATCH);
    if (Object.keys(labels).length === 0 || killed.has(key) || seen.has(key)) continue;
    seen.add(key);
    const none = { source: 'none' as KillSourceName, events: [], kills: 0 };
    const g = judge(key, labels, none, { labels, bySource: new Map() }, { memory, work, memoryQuery, workQuery, match: o.match ?? null, w });
    if (g.group.memory) (quiet.push(g.group), curves.set(key, g.curves));
  }
  quiet.sort((a, b) => (b.hypotheses.find((h) => h.cause === 'leak')?.score ?? -1) - (a.hypotheses.find((h) => h.cause === 'leak')?.score ?? -1));

  const workloadGroups = groups.filter((g) => g.killSource !== 'node');
  return {
    analysis: {
      source: {
        prometheus: o.url,
        since: new Date(w.start * 1000).toISOString(),
        until: new Date(w.end * 1000).toISOString(),
        stepSec: w.step,
        killQueries: fromLogs ? [] : KILL_SOURCES.map((s) => s.query),
        memoryQuery,
        workQuery,
        match: o.match ?? null,
      },
      summary: { kills: workloadGroups.reduce((n, g) => n + g.kills, 0), groups: groups.length, nodeKills },
      groups,
      quiet: quiet.slice(0, QUIET_LIMIT),
    },
    curves,
  };
}

function keyOf(labels: Record<string, string>, order: readonly string[]): string {
  return order.filter((l) => labels[l] !== undefined).map((l) => labels[l]).join('/');
}

interface Inputs {
  memory: RangeSeries[];
  work: RangeSeries[];
  memoryQuery: string;
  workQuery: string | null;
  match: string[] | null;
  w: RangeWindow;
}

function judge(
  key: string,
  labels: Record<string, string>,
  best: { source: KillSourceName; events: KillEvent[]; kills: number },
  c: Candidate,
  inp: Inputs,
): { group: PromGroup; curves: GroupCurves } {
  const matchLabels = inp.match ?? Object.keys(labels);
  const memSeries = c.cgroups
    ? inp.memory.filter((s) => s.labels.id !== undefined && sharesCgroup(s.labels.id, c.cgroups!))
    : inp.memory.filter((s) => matchesGroup(s.labels, labels, matchLabels));
  const mem = mergeNewest(memSeries);
  const workSeries = inp.work.length === 1 ? inp.work : inp.work.filter((s) => matchesGroup(s.labels, labels, matchLabels));
  const work = mergeNewest(workSeries);
  const killTs = best.events.map((e) => e.t);
  const evidence: string[] = [];
  const kindOf = KILL_SOURCES.find((s) => s.name === best.source);
  if (best.source === 'log') evidence.push(`${best.kills} kill${best.kills === 1 ? '' : 's'} from the log's OOM reports; memory series matched by cgroup path (cAdvisor's id).`);
  if (kindOf) evidence.push(`${best.kills} kill${best.kills === 1 ? '' : 's'} from ${kindOf.note}.`);
  const corroboration = [...c.bySource.entries()]
    .filter(([s]) => s !== best.source)
    .map(([source, ev]) => ({ source, kills: ev.reduce((n, e) => n + e.count, 0) }));
  for (const other of corroboration) {
    if (other.source === 'cadvisor' && other.kills < best.kills) {
      evidence.push(`cAdvisor counted ${other.kills}: its counter is per container instance, and a container restarted after a kill starts a new series at 0.`);
    } else evidence.push(`${other.source} counted ${other.kills}.`);
  }

  let memory: PromGroup['memory'] = null;
  let workOut: PromGroup['work'] = null;
  const hypotheses: Hypothesis[] = [];
  if (mem.length >= MIN_SAMPLES) {
    const life = lifeTimes(mem, killTs);
    const m = mem.map(([, v]) => v);
    const rMT = pearson(m, life);
    const growth = slope(life, m);
    memory = {
      query: inp.memoryQuery,
      series: memSeries.length,
      minBytes: Math.min(...m),
      maxBytes: Math.max(...m),
      growthBytesPerHour: growth === null ? null : growth * 3600,
      timeCorrelation: rMT,
    };
    // Memory and work on the same timestamps.
    const workAt = new Map(work);
    const joined = mem.map(([t, v], i) => ({ t, m: v, life: life[i]!, w: workAt.get(t) })).filter((x): x is { t: number; m: number; life: number; w: number } => x.w !== undefined);
    let leakScore = rMT;
    let loadScore: number | null = null;
    if (inp.workQuery && joined.length >= MIN_SAMPLES) {
      const jm = joined.map((x) => x.m);
      const jw = joined.map((x) => x.w);
      const jl = joined.map((x) => x.life);
      const rMW = pearson(jm, jw);
      const rMTj = pearson(jm, jl);
      const rWT = pearson(jw, jl);
      loadScore = partial(rMW, rMTj, rWT);
      leakScore = partial(rMTj, rMW, rWT);
      const bytesPerUnit = rMW === null ? null : slope(jw, jm);
      workOut = { query: inp.workQuery, correlation: rMW, partialCorrelation: loadScore, strength: strengthOf(rMW), bytesPerUnit, samples: joined.length };
    }
    hypotheses.push(loadHypothesis(inp.workQuery, workOut, loadScore));
    hypotheses.push(leakHypothesis(leakScore, growth, inp.workQuery !== null && workOut !== null));
  } else {
    const missing = `No memory series for it in ${inp.memoryQuery}${matchLabels.length ? ` (matched on ${matchLabels.join(', ')})` : ''}.`;
    evidence.push(missing);
    hypotheses.push(untested('load', 'needs memory and work series'), untested('leak', 'needs a memory series'));
  }
  hypotheses.sort((a, b) => rank(b) - rank(a));
  const kills = aroundKills(mem, best.events, 600);
  const label = labelOf(labels, best.source);
  return {
    group: {
      key,
      label,
      labels,
      kills: best.kills,
      killSource: best.source,
      corroboration,
      first: kills[0]?.time ?? null,
      last: kills.at(-1)?.time ?? null,
      killTimes: kills,
      memory,
      work: workOut,
      cause: hypotheses[0]!.confidence === 'low' ? null : hypotheses[0]!.cause,
      hypotheses,
      headline: headlineOf(label, best.kills, hypotheses, memory),
      evidence,
      nextSteps: nextStepsOf(hypotheses, inp.workQuery),
    },
    curves: { memory: mem, work, kills: killTs },
  };
}

const CONFIDENCE_RANK = { low: 0, medium: 1, high: 2 } as const;
function rank(h: Hypothesis): number {
  return CONFIDENCE_RANK[h.confidence] * 10 + (h.score ?? -1);
}

function confidenceOf(score: number | null): Hypothesis['confidence'] {
  if (score === null || score < 0.4) return 'low';
  return score >= 0.7 ? 'high' : 'medium';
}

function fmt(r: number | null): string {
  return r === null ? 'undefined' : r.toFixed(2);
}

function loadHypothesis(query: string | null, work: PromGroup['work'], score: number | null): Hypothesis {
  if (query === null) return untested('load', 'give --work PROMQL (a request or job rate) to test whether memory follows the work');
  if (work === null) return untested('load', `no work series matched (${query})`);
  const evidence = [
    `Memory and work: r = ${fmt(work.correlation)} (${work.strength}) over ${work.samples} samples; with time since restart held fixed, r = ${fmt(score)}.`,
  ];
  if (work.bytesPerUnit !== null && (score ?? 0) >= 0.4) evidence.push(`About ${bytesText(work.bytesPerUnit)} more memory per unit of work.`);
  if (work.correlation === null) evidence.push('The work signal (or memory) did not vary: no correlation can be measured.');
  return {
    cause: 'load',
    confidence: confidenceOf(score),
    score,
    summary: (score ?? 0) >= 0.4 ? 'Memory follows the work: the kills come with load peaks.' : 'Memory does not follow the work signal.',
    evidence,
    decides: 'Replay the load at the peak rate against one instance: memory should settle at the same level each time, not keep rising.',
  };
}

function leakHypothesis(score: number | null, growth: number | null, workHeldFixed: boolean): Hypothesis {
  const evidence = [
    `Memory against time since the last restart: r = ${fmt(score)}${workHeldFixed ? ' with the work held fixed' : ''}.`,
  ];
  if (growth !== null && (score ?? 0) >= 0.4) evidence.push(`It grows about ${bytesText(growth * 3600)} per hour of uptime.`);
  return {
    cause: 'leak',
    confidence: confidenceOf(score),
    score,
    summary: (score ?? 0) >= 0.4 ? 'Memory grows with uptime whatever the work: leak-like (a sawtooth of restarts).' : 'Memory does not grow steadily with uptime.',
    evidence,
    decides: 'Two heap profiles an hour apart at the same load: a leak shows the same allocation site growing.',
  };
}

function untested(cause: Hypothesis['cause'], why: string): Hypothesis {
  return { cause, confidence: 'low', score: null, summary: `Not tested: ${why}.`, evidence: [], decides: why };
}

function headlineOf(label: string, kills: number, hs: Hypothesis[], memory: PromGroup['memory']): string {
  const what = kills === 0 ? `${label}: no kill in the window` : `${label}: ${kills} kill${kills === 1 ? '' : 's'}`;
  const top = hs[0]!;
  if (memory === null) return `${what}; Prometheus has no memory series for it.`;
  if (top.confidence === 'low') return `${what}; memory followed neither the work nor uptime (a flat, idle or spiky workload).`;
  return `${what}; ${top.cause === 'load' ? 'memory follows the work (load)' : 'memory grows regardless of the work (leak-like)'}, ${top.confidence} confidence.`;
}

function nextStepsOf(hs: Hypothesis[], work: string | null): string[] {
  const top = hs[0]!;
  const steps = top.confidence === 'low' ? [] : [top.decides];
  if (work === null) steps.push('Run again with --work PROMQL (e.g. sum(rate(http_requests_total{job="..."}[1m]))) to test load against leak.');
  if (top.cause === 'load' && top.confidence !== 'low') steps.push('Size the limit for the peak work (bytes per unit × peak rate) or cap concurrency.');
  if (top.cause === 'leak' && top.confidence !== 'low') steps.push('Catch it before the next kill: oomlens watch samples the cgroup and can run a heap-profile hook.');
  return steps;
}

function labelOf(labels: Record<string, string>, source: KillSourceName | 'none'): string {
  if (labels.namespace !== undefined || labels.pod !== undefined) {
    return `Kubernetes ${[labels.namespace, labels.pod].filter(Boolean).join('/')}${labels.container ? ` container ${labels.container}` : ''}`;
  }
  if (source === 'node') return `node ${labels.instance ?? ''} (all OOM kills on it)`;
  if (labels.workload !== undefined) return `${labels.workload_kind ?? ''} ${labels.workload} on ${labels.host ?? '?'}`.trim();
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ');
}

export function bytesText(bytes: number): string {
  const abs = Math.abs(bytes);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = abs;
  while (v >= 1024 && i < units.length - 1) (v /= 1024), (i += 1);
  return `${bytes < 0 ? '-' : ''}${v >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}
