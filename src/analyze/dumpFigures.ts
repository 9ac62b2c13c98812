import type { ExactInt } from '../../parsers/kinds/kernelInt.js';
import type { OomRecord } from '../schema/oomRecord.js';
import { taskRssPages, type KillFacts } from './killFacts.js';

/**
 * What the dumps themselves say about the memory, beyond the times of the kills: whether the
 * victim was in the middle of one big allocation (far more mapped than resident), what kind of
 * memory filled the cgroup (anon, file, kernel), how often the limit was hit, and values that do
 * not add up (a victim holding almost nothing, a kill line with impossible numbers).
 */
export interface DumpFigures {
  /** Kills whose victim had mapped at least BIG_ALLOCATION_SHARE of the limit beyond what was resident. */
  bigAllocation: number;
  /** Kills where that could be told (victim line and limit known). */
  allocationKnown: number;
  /** The largest total-vm of a victim (kB): at least what it was asking for. */
  maxTotalVmKb: number | null;
  minTotalVmKb: number | null;
  /** Memory by kind at the latest kill that shows it (kB). */
  memoryKinds: { anonKb: number | null; fileKb: number | null; shmemKb: number | null; kernelKb: number | null; from: 'memory.stat' | 'kill line' } | null;
  /** The cgroup's failcnt at the latest kill, exact. */
  failcnt: ExactInt | null;
  /** Memcg kills whose victim held under TINY_VICTIM_SHARE of the limit while another process asked. */
  tinyVictims: { pid: number; rssKb: number; limitKb: number; trigger: string | null }[];
  /** Kill lines whose numbers cannot be true. */
  implausible: { pid: number; what: 'rss-above-total-vm' | 'rss-above-ram' | 'rss-above-limit' }[];
  /** A name's RSS summed over one task table above the host's RAM: shared pages counted twice. */
  sharedPages: { name: string; sumKb: number; ramKb: number } | null;
}

/** Mapped-but-not-resident beyond this share of the limit: the victim was in one big allocation. */
export const BIG_ALLOCATION_SHARE = 0.4;
/** A victim holding less than this share of the limit it was killed at is odd. */
export const TINY_VICTIM_SHARE = 0.05;

export function dumpFigures(kills: KillFacts[]): DumpFigures {
  const out: DumpFigures = { bigAllocation: 0, allocationKnown: 0, maxTotalVmKb: null, minTotalVmKb: null, memoryKinds: null, failcnt: null, tinyVictims: [], implausible: [], sharedPages: null };
  for (const k of kills) {
    const r = k.kernel;
    const v = r?.victim;
    if (!r || !v) continue;
    const rss = v.anonRssKb !== null ? v.anonRssKb + (v.fileRssKb ?? 0) + (v.shmemRssKb ?? 0) : null;
    const limit = r.cgroup?.limitKb ?? null;
    if (v.totalVmKb !== null) {
      out.maxTotalVmKb = Math.max(out.maxTotalVmKb ?? 0, v.totalVmKb);
      out.minTotalVmKb = Math.min(out.minTotalVmKb ?? Infinity, v.totalVmKb);
    }
    if (rss !== null && v.totalVmKb !== null && limit !== null && limit > 0) {
      out.allocationKnown += 1;
      if (v.totalVmKb - rss >= BIG_ALLOCATION_SHARE * limit) out.bigAllocation += 1;
    }
    if (k.scope === 'memcg' && rss !== null && limit !== null && limit > 0 && rss < TINY_VICTIM_SHARE * limit && k.triggeredByOther) {
      out.tinyVictims.push({ pid: v.pid, rssKb: rss, limitKb: limit, trigger: r.trigger?.comm ?? null });
    }
    const ramKb = r.memInfo?.ramPages != null && k.pageSizeKb !== null ? r.memInfo.ramPages * k.pageSizeKb : null;
    if (rss !== null && v.totalVmKb !== null && v.anonRssKb! > v.totalVmKb) out.implausible.push({ pid: v.pid, what: 'rss-above-total-vm' });
    else if (rss !== null && ramKb !== null && rss > ramKb) out.implausible.push({ pid: v.pid, what: 'rss-above-ram' });
    else if (rss !== null && limit !== null && k.scope === 'memcg' && rss > limit * 1.5 + 1024) out.implausible.push({ pid: v.pid, what: 'rss-above-limit' });
    const kinds = memoryKinds(r);
    if (kinds) out.memoryKinds = kinds;
    if (r.cgroup?.failcnt != null) out.failcnt = r.cgroup.failcnt;
    if (ramKb !== null && r.tasks && k.pageSizeKb !== null) out.sharedPages = sharedPages(r, ramKb, k.pageSizeKb) ?? out.sharedPages;
  }
  return out;
}

function kb(v: ExactInt | null | undefined, unit: 'bytes' | 'kB'): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return unit === 'bytes' ? n / 1024 : n;
}

/** Anon, file, shmem and kernel memory: memory.stat (v2 keys, v1 keys, the pre-5.3 kB line), else the kill line. */
function memoryKinds(r: OomRecord): DumpFigures['memoryKinds'] {
  const s = r.cgroup?.stats;
  if (s) {
    if ('anon' in s) return { anonKb: kb(s.anon, 'bytes'), fileKb: kb(s.file, 'bytes'), shmemKb: kb(s.shmem, 'bytes'), kernelKb: kb(s.kernel, 'bytes'), from: 'memory.stat' };
    if ('rss' in s) return { anonKb: kb(s.rss, 'bytes'), fileKb: kb(s.cache, 'bytes'), shmemKb: kb(s.shmem, 'bytes'), kernelKb: r.cgroup?.kmem?.usageKb ?? null, from: 'memory.stat' };
    if ('rssKb' in s) return { anonKb: kb(s.rssKb, 'kB'), fileKb: kb(s.cacheKb, 'kB'), shmemKb: kb(s.shmemKb, 'kB'), kernelKb: r.cgroup?.kmem?.usageKb ?? null, from: 'memory.stat' };
  }
  const v = r.victim;
  if (v && v.anonRssKb !== null) return { anonKb: v.anonRssKb, fileKb: v.fileRssKb, shmemKb: v.shmemRssKb, kernelKb: null, from: 'kill line' };
  return null;
}

function sharedPages(r: OomRecord, ramKb: number, pageKb: number): DumpFigures['sharedPages'] {
  const perName = new Map<string, number>();
  for (const t of r.tasks ?? []) perName.set(t.name, (perName.get(t.name) ?? 0) + (taskRssPages(t) ?? 0));
  for (const [name, pages] of perName) if (pages * pageKb > ramKb) return { name, sumKb: pages * pageKb, ramKb };
  return null;
}
