import type { MemorySample, TopProcess } from '../schema/memorySample.js';

/**
 * One sample reduced to what the memory analysis uses. Sizes are doubles here: rates and
 * shares need arithmetic, and every printed size comes from the samples themselves.
 */
export interface MemoryPoint {
  cgroup: string;
  host: string;
  bootId: string | null;
  wallMs: number;
  monoSec: number;
  usage: number;
  /** Usage without inactive file cache: what the trend and the pre-OOM decision look at. */
  workingSet: number;
  /** null: no limit. */
  limit: number | null;
  anon: number | null;
  oomKills: number | null;
  failcnt: number | null;
  pids: number[];
  processes: number;
  top: TopProcess[];
  /** Host memory PSI `some` avg10 (percent), for "does it follow the host's pressure". */
  hostPressure: number | null;
}

const num = (v: number | string) => (typeof v === 'number' ? v : Number(v));
const opt = (v: number | string | null) => (v === null ? null : num(v));

export function pointOf(s: MemorySample): MemoryPoint {
  return {
    cgroup: s.cgroup,
    host: s.host,
    bootId: s.bootId,
    wallMs: Date.parse(s.time),
    monoSec: s.monotonicSec,
    usage: num(s.usageBytes),
    workingSet: num(s.workingSetBytes),
    limit: opt(s.limitBytes),
    anon: opt(s.anonBytes),
    oomKills: opt(s.oomKills),
    failcnt: opt(s.failcnt),
    pids: s.pids,
    processes: s.processes,
    top: s.top,
    hostPressure: s.hostPressure?.some.avg10 ?? null,
  };
}

/** The key that keeps one cgroup's points apart from another's (and another host's). */
export function seriesKey(p: { host: string; cgroup: string }): string {
  return `${p.host}\u0000${p.cgroup}`;
}
