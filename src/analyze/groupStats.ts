import type { Consumer } from './analysis.js';
import { largestConsumers } from './consumers.js';
import { byFrequency, median, minMax } from './distribution.js';
import type { KillFacts } from './killFacts.js';
import { recurrenceOf, type Recurrence } from './recurrence.js';
import { dumpFigures, type DumpFigures } from './dumpFigures.js';
import { livesOf, type Lives } from './lives.js';
import { runtimeOf, type Runtime } from './runtime.js';

/** The figures of one group that the verdict is reasoned from. */
export interface GroupStats {
  kills: KillFacts[];
  recurrence: Recurrence;
  hosts: string[];
  hostKeys: string[];
  comms: string[];
  killers: KillFacts['killer'][];
  firstMs: number | null;
  lastMs: number | null;
  rss: { min: number | null; median: number | null; max: number | null };
  limitsKb: number[];
  /** The limit hit most often, and how many kills hit it. */
  limitKb: number | null;
  atTopLimit: number;
  memcg: number;
  global: number;
  /** Kills by systemd-oomd or earlyoom rather than the kernel. */
  userspace: number;
  atLimitShare: number | null;
  globalShare: number | null;
  victimLargest: { yes: number; known: number };
  triggeredByOther: { yes: number; known: number; comms: string[] };
  largestConsumers: Consumer[];
  /** Most processes named like the (first) victim in one task table; null without tables. */
  maxSameNameTasks: number | null;
  /** Wall-clock span of the group; uptime span when the log has no wall-clock times. */
  spanSec: number | null;
  /** Kills per day, only when the kills span at least a day (a shorter span would extrapolate). */
  killsPerDay: number | null;
  dump: DumpFigures;
  lives: Lives;
  runtime: Runtime | null;
  /** Distinct cgroups of the group with their limit, most kills first. */
  cgroups: { path: string | null; limitKb: number | null; kills: number }[];
}

export interface GroupStatsOptions {
  /** Which kills can follow each other as lives (the service of each kill). */
  lineOf?: (k: KillFacts) => string;
  /** The last time the input shows on a clock (for "quiet since"). */
  endOf?: (clock: string) => number | null;
}

const DAY = 86_400;

export function groupStats(kills: KillFacts[], o: GroupStatsOptions = {}): GroupStats {
  const rssValues: number[] = [];
  const limits: number[] = [];
  let memcg = 0;
  let global = 0;
  let firstMs: number | null = null;
  let lastMs: number | null = null;
  const victimLargest = { yes: 0, known: 0 };
  const other = { yes: 0, known: 0, comms: [] as string[] };
  for (const k of kills) {
    const r = k.kernel;
    if (r?.victim?.anonRssKb != null) rssValues.push(r.victim.anonRssKb);
    if (r?.cgroup?.limitKb != null) limits.push(r.cgroup.limitKb);
    if (k.scope === 'memcg') memcg += 1;
    if (k.scope === 'global') global += 1;
    if (k.wallMs !== null) {
      firstMs = firstMs === null ? k.wallMs : Math.min(firstMs, k.wallMs);
      lastMs = lastMs === null ? k.wallMs : Math.max(lastMs, k.wallMs);
    }
    if (k.victimIsLargest !== null) {
      victimLargest.known += 1;
      if (k.victimIsLargest) victimLargest.yes += 1;
    }
    if (k.triggeredByOther !== null) {
      other.known += 1;
      if (k.triggeredByOther) {
        other.yes += 1;
        if (r?.trigger?.comm) other.comms.push(r.trigger.comm);
      }
    }
  }
  const limitsByFrequency = byFrequency(limits);
  const limitKb = limitsByFrequency[0] ?? null;
  const range = minMax(rssValues);
  const known = memcg + global;
  const recurrence = recurrenceOf(kills, o.lineOf);
  const spanSec = firstMs !== null && lastMs !== null ? (lastMs - firstMs) / 1000 : recurrence.spanSec;
  return {
    kills,
    recurrence,
    hosts: byFrequency(kills.flatMap((k) => (k.record.host !== null ? [k.record.host] : []))),
    hostKeys: byFrequency(kills.map((k) => k.hostKey)),
    comms: byFrequency(kills.map((k) => k.victimName)),
    killers: byFrequency(kills.map((k) => k.killer)),
    firstMs,
    lastMs,
    rss: { min: range?.min ?? null, median: median(rssValues), max: range?.max ?? null },
    limitsKb: [...new Set(limits)].sort((a, b) => a - b),
    limitKb,
    atTopLimit: limits.filter((l) => l === limitKb).length,
    memcg,
    global,
    userspace: kills.filter((k) => k.scope === 'userspace').length,
    atLimitShare: known > 0 ? memcg / known : null,
    globalShare: known > 0 ? global / known : null,
    victimLargest,
    triggeredByOther: { ...other, comms: byFrequency(other.comms) },
    largestConsumers: largestConsumers(kills),
    maxSameNameTasks: maxSameName(kills),
    spanSec,
    killsPerDay: spanSec !== null && spanSec >= DAY ? kills.length / (spanSec / DAY) : null,
    dump: dumpFigures(kills),
    lives: livesOf(recurrence, recurrence.livesClock !== null && o.endOf ? o.endOf(recurrence.livesClock) : null),
    runtime: runtimeOf([...byFrequency(kills.map((k) => k.victimName)), ...kills.map((k) => k.record.workload?.unit ?? null)]),
    cgroups: cgroupsOf(kills),
  };
}

function maxSameName(kills: KillFacts[]): number | null {
  let max: number | null = null;
  for (const k of kills) {
    const tasks = k.kernel?.tasks;
    if (!tasks) continue;
    let n = 0;
    for (const t of tasks) if (t.name === k.victimName) n += 1;
    max = Math.max(max ?? 0, n);
  }
  return max;
}

function cgroupsOf(kills: KillFacts[]): GroupStats['cgroups'] {
  const by = new Map<string, GroupStats['cgroups'][number]>();
  for (const k of kills) {
    const path = k.kernel?.cgroup?.path ?? (k.record.type === 'userspace-kill' ? k.record.victim.cgroup : null);
    const limitKb = k.kernel?.cgroup?.limitKb ?? null;
    const key = `${path}\u0000${limitKb}`;
    const c = by.get(key) ?? { path, limitKb, kills: 0 };
    c.kills += 1;
    by.set(key, c);
  }
  return [...by.values()].sort((a, b) => b.kills - a.kills);
}
