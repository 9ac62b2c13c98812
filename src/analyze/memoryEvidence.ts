import type { KillRecord } from '../schema/killRecord.js';
import type { Analysis, AnalysisGroup, Cause, Confidence, Hypothesis, Statement } from './analysis.js';
import { splitLives, type Life } from './memoryLives.js';
import { seriesKey, type MemoryPoint } from './memoryPoint.js';
import { correlation, shapeOf, type GroupMemory, type Shape, type ShapedLife } from './memoryShape.js';
import { memoryHeadline } from './memoryWords.js';
import { MIN_TREND_SAMPLES } from './memoryTrend.js';

/** The cause each shape stands for; a flat curve decides nothing. */
const CAUSE_OF: Record<Shape, Cause | null> = { ramp: 'leak', step: 'spike', 'at-limit': 'startup', 'follows-pressure': 'load', flat: null };
/** What a shape rules against: a steady ramp is no start-up and no spike, and so on. */
const AGAINST: Record<Shape, Cause[]> = {
  ramp: ['startup', 'spike'],
  step: ['leak', 'startup'],
  'at-limit': ['leak', 'spike'],
  'follows-pressure': ['leak', 'startup'],
  flat: ['leak'],
};
const RANK: Record<Confidence, number> = { low: 1, medium: 2, high: 3 };
const CONFIDENCE: Confidence[] = ['low', 'medium', 'high'];
/** One life decides alone only with this many samples. */
const STRONG_LIFE_SAMPLES = 8;
const MAX_CURVE = 600;
const CATCH_ALIVE: Statement = {
  kind: 'step-text',
  values: { text: 'Catch the next life alive: `oomlens watch --samples FILE --before-oom CMD` runs CMD (a heap profile; recipes in docs/heap-profiles.md) about 30 s before the limit.' },
};

/**
 * `report --samples`: joins each group with the memory samples of its cgroups, splits them into
 * lives at its kills, and lets the shape of the lives that ended in a kill decide the cause with
 * the measured numbers: the plug-in point into the log's hypotheses (which stay, weighed for or
 * against by the curve). Pure: the samples carry their times.
 */
export function withMemory(a: Analysis, records: readonly KillRecord[], points: readonly MemoryPoint[]): Analysis {
  const series = new Map<string, MemoryPoint[]>();
  for (const p of points) {
    const key = seriesKey(p);
    let list = series.get(key);
    if (!list) series.set(key, (list = []));
    list.push(p);
  }
  for (const list of series.values()) list.sort((x, y) => x.wallMs - y.wallMs);
  const used = new Set<string>();
  const groups = a.groups.map((g) => {
    const mine = [...series.entries()].filter(([, list]) => belongs(g, list[0]!));
    if (mine.length === 0) return g;
    for (const [key] of mine) used.add(key);
    return decide(g, memoryOf(g, records, mine.map(([, list]) => list)));
  });
  const withoutKills = [...series.entries()].filter(([key]) => !used.has(key)).map(([, list]) => memoryOf(null, records, [list]));
  return { ...a, groups, memory: { samples: points.length, cgroups: series.size, withoutKills } };
}

function belongs(g: AnalysisGroup, p: MemoryPoint): boolean {
  if (!g.cgroups.some((c) => c.path === p.cgroup)) return false;
  return g.hosts.length === 0 || g.hosts.some((h) => short(h) === short(p.host));
}

function short(host: string): string {
  return host.split('.')[0]!.toLowerCase();
}

function memoryOf(g: AnalysisGroup | null, records: readonly KillRecord[], lists: MemoryPoint[][]): GroupMemory {
  const lives: ShapedLife[] = [];
  let samples = 0;
  let first = Infinity;
  let last = -Infinity;
  const curve: [number, number, number | null][] = [];
  for (const list of lists) {
    const cgroup = list[0]!.cgroup;
    const killsMs = (g?.members ?? [])
      .filter((m) => m.time !== null && cgroupOf(records[m.index]) === cgroup)
      .map((m) => Date.parse(m.time!));
    const seriesR = correlation(list);
    for (const life of splitLives(list, killsMs)) lives.push(shaped(list, life, seriesR));
    samples += list.length;
    first = Math.min(first, list[0]!.wallMs);
    last = Math.max(last, list.at(-1)!.wallMs);
    const step = Math.max(1, Math.ceil(list.length / Math.floor(MAX_CURVE / lists.length)));
    for (let i = 0; i < list.length; i += step) curve.push([list[i]!.wallMs, list[i]!.usage, list[i]!.limit]);
  }
  lives.sort((x, y) => Date.parse(x.start) - Date.parse(y.start));
  const ramps = lives.filter((l) => l.shape === 'ramp' && l.growthBytesPerSec !== null).map((l) => l.growthBytesPerSec!);
  const base = basisOf(lives);
  return {
    cgroups: lists.map((l) => l[0]!.cgroup),
    samples,
    first: new Date(first).toISOString(),
    last: new Date(last).toISOString(),
    growthBytesPerSec: ramps.length > 0 ? median(ramps) : null,
    shape: base.length > 0 ? mostCommon(base.map((l) => l.shape)) : null,
    lives,
    curve,
  };
}

function cgroupOf(r: KillRecord | undefined): string | null {
  if (!r || r.type === 'userspace-kill') return null;
  return r.cgroup?.path ?? null;
}

/** The lives that judge: those that ended in a kill; without any, those long enough to have a trend. */
function basisOf(lives: ShapedLife[]): ShapedLife[] {
  const dying = lives.filter((l) => l.endedBy === 'kill');
  return dying.length > 0 ? dying : lives.filter((l) => l.samples >= MIN_TREND_SAMPLES);
}

function shaped(points: MemoryPoint[], life: Life, seriesR: number | null): ShapedLife {
  const part = points.slice(life.from, life.to);
  const last = part.at(-1)!;
  const s = shapeOf(points, life, seriesR);
  return {
    cgroup: last.cgroup,
    host: last.host,
    start: new Date(life.startMs).toISOString(),
    end: new Date(life.endMs).toISOString(),
    seconds: life.seconds,
    samples: part.length,
    endedBy: life.endedBy,
    startBytes: life.startBytes,
    peakBytes: life.peakBytes,
    lastBytes: life.lastBytes,
    limitBytes: life.limit,
    growthBytesPerSec: life.trend?.slope ?? null,
    growing: life.growing,
    top: last.top,
    ...s,
  };
}

/** The group with its memory, and its hypotheses decided by the shape. */
function decide(g: AnalysisGroup, memory: GroupMemory): AnalysisGroup {
  const base = basisOf(memory.lives);
  const shape = memory.shape;
  const cause = shape ? CAUSE_OF[shape] : null;
  if (!shape || base.length === 0) return { ...g, memory };
  const agree = base.filter((l) => l.shape === shape);
  const strong = agree.length >= 2 || agree.every((l) => l.samples >= STRONG_LIFE_SAMPLES && (l.shape !== 'ramp' || (l.growthBytesPerSec ?? 0) > 0));
  const confidence: Confidence = agree.length === base.length && strong ? 'high' : agree.length * 2 >= base.length ? 'medium' : 'low';
  const why = evidenceOf(shape, agree, base.length);
  let hypotheses: Hypothesis[] = g.hypotheses.map((h) => ({ ...h, because: [...h.because], against: [...h.against] }));
  for (const h of hypotheses) {
    if (!AGAINST[shape].includes(h.cause)) continue;
    h.against.unshift(why);
    if (RANK[h.confidence] >= RANK[confidence] || confidence === 'high') h.confidence = CONFIDENCE[RANK[h.confidence] - 2] ?? h.confidence;
  }
  // A cause the curve rules out at low confidence is dropped, not kept at "low" beside the measured one.
  hypotheses = hypotheses.filter((h) => !(AGAINST[shape].includes(h.cause) && RANK[h.confidence] === 1 && confidence === 'high'));
  if (cause) {
    const existing = hypotheses.find((h) => h.cause === cause);
    const decided: Hypothesis = existing ? { ...existing, confidence, because: [why, ...existing.because] } : { cause, confidence, because: [why], against: [] };
    hypotheses = [decided, ...hypotheses.filter((h) => h.cause !== cause)];
  }
  const top = hypotheses[0] ?? null;
  return {
    ...g,
    memory,
    hypotheses,
    cause: top?.cause ?? null,
    headline: top && cause ? memoryHeadline(g, memory, cause, agree.length, base.length) : g.headline,
    evidence: [why, ...g.evidence],
    // The curve is measured now; what is left is to catch the next life alive.
    nextSteps: [
      ...(cause === 'leak' || cause === 'load' ? [CATCH_ALIVE] : []),
      ...g.nextSteps.filter((n) => n.kind !== 'step-memory-curve'),
    ],
  };
}

function evidenceOf(shape: Shape, agree: ShapedLife[], of: number): Statement {
  const lives = agree.length;
  const limitBytes = agree[0]?.limitBytes ?? null;
  switch (shape) {
    case 'ramp': {
      const rates = agree.map((l) => l.growthBytesPerSec ?? 0);
      return { kind: 'memory-ramp', values: { lives, of, bytesPerSec: median(rates), minBytesPerSec: Math.min(...rates), maxBytesPerSec: Math.max(...rates), startBytes: median(agree.map((l) => l.startBytes)), limitBytes, lifeSec: median(agree.map((l) => l.seconds)) } };
    }
    case 'step':
      return { kind: 'memory-step', values: { lives, of, jumpBytes: Math.max(...agree.map((l) => l.jumpBytes ?? 0)), beforeBytes: median(agree.map((l) => l.lastBytes)), limitBytes } };
    case 'at-limit':
      return { kind: 'memory-at-limit', values: { lives, of, startBytes: median(agree.map((l) => l.startBytes)), limitBytes, lifeSec: median(agree.map((l) => l.seconds)) } };
    case 'follows-pressure':
      return { kind: 'memory-pressure', values: { lives, of, r: median(agree.map((l) => l.pressureR ?? 0)) } };
    case 'flat':
      return { kind: 'memory-flat', values: { lives, of, peakBytes: Math.max(...agree.map((l) => l.peakBytes)), limitBytes } };
  }
}

function mostCommon<T>(xs: T[]): T {
  const counts = new Map<T, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
