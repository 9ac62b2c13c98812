import type { KillEvent } from './killSources.js';
import type { RangeSeries } from './promClient.js';

/**
 * Several series of one workload as one curve. A restarted container is a new series, and the
 * old one lingers for Prometheus's lookback (5 min) where no staleness marker ended it: at each
 * time the series that began last is the live one.
 */
export function mergeNewest(series: readonly RangeSeries[]): [number, number][] {
  const byStart = [...series].filter((s) => s.samples.length > 0).sort((a, b) => a.samples[0]![0] - b.samples[0]![0]);
  const at = new Map<number, number>();
  for (const s of byStart) for (const [t, v] of s.samples) at.set(t, v);
  return [...at.entries()].sort((a, b) => a[0] - b[0]);
}

/** A series belongs to a group when it has at least one of the match labels and agrees on every one both have. */
export function matchesGroup(series: Record<string, string>, group: Record<string, string>, match: readonly string[]): boolean {
  let shared = 0;
  for (const l of match) {
    if (series[l] === undefined || group[l] === undefined) continue;
    if (series[l] !== group[l]) return false;
    shared += 1;
  }
  return shared > 0;
}

/** A drop to under this share of the previous sample is a restart even without a kill seen. */
const RESTART_DROP = 0.6;

/** Seconds since the last restart (a kill, or a sharp drop of memory) at each sample. */
export function lifeTimes(mem: readonly [number, number][], kills: readonly number[]): number[] {
  const out: number[] = [];
  let start = mem[0]?.[0] ?? 0;
  let k = 0;
  for (let i = 0; i < mem.length; i++) {
    const [t, v] = mem[i]!;
    let restarted = false;
    while (k < kills.length && kills[k]! <= t) (k += 1), (restarted = true);
    if (i > 0 && v < mem[i - 1]![1] * RESTART_DROP) restarted = true;
    if (restarted) start = t;
    out.push(t - start);
  }
  return out;
}

/** Each kill with the memory peak in `beforeSec` before it and the first value after. */
export function aroundKills(mem: readonly [number, number][], events: readonly KillEvent[], beforeSec: number) {
  return events.map((e) => {
    let peak: number | null = null;
    let after: number | null = null;
    for (const [t, v] of mem) {
      if (t < e.t && t >= e.t - beforeSec) peak = Math.max(peak ?? v, v);
      if (t >= e.t && after === null) after = v;
    }
    return { time: new Date(e.t * 1000).toISOString(), count: e.count, peakBytesBefore: peak, bytesAfter: after };
  });
}
