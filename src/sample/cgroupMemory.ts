import { join } from 'node:path';
import { parseKeyed, parsePressure, parseSingle, parseV1Limit, parseV2Limit, type Pressure } from './cgroupFiles.js';
import type { CgroupVersion } from './cgroupTree.js';
import { readSmall, type FileReader } from './smallFile.js';

/** What the memory controller's files say about one cgroup, values exact (bigint). */
export interface CgroupMemory {
  usage: bigint;
  /** null: no limit. */
  limit: bigint | null;
  high: bigint | null;
  peak: bigint | null;
  anon: bigint | null;
  file: bigint | null;
  shmem: bigint | null;
  kernel: bigint | null;
  inactiveFile: bigint | null;
  events: { high: bigint | null; max: bigint | null; oom: bigint | null; oomKill: bigint | null } | null;
  failcnt: bigint | null;
  oomKills: bigint | null;
  pressure: Pressure | null;
}

/** The memory.stat keys we keep, per version (v1: the hierarchical `total_` ones, like usage). */
const STAT_KEYS = {
  v1: { anon: 'total_rss', file: 'total_cache', shmem: 'total_shmem', kernel: null, inactiveFile: 'total_inactive_file' },
  v2: { anon: 'anon', file: 'file', shmem: 'shmem', kernel: 'kernel', inactiveFile: 'inactive_file' },
} as const;

/** The limit file alone (discovery reads it for every cgroup): undefined when unreadable or gone. */
export function readLimit(dir: string, version: CgroupVersion, readFile: FileReader = readSmall): bigint | null | undefined {
  const text = readFile(join(dir, version === 'v1' ? 'memory.limit_in_bytes' : 'memory.max'));
  if (text === null) return undefined;
  return version === 'v1' ? parseV1Limit(text) : parseV2Limit(text);
}

/**
 * Reads one cgroup's memory files. Null when the cgroup has no usage file (the v2 root) or
 * vanished while being read: a container that stopped is no error.
 *
 * With `previous` and not `full`, only the files that move fast or count kills are read
 * (usage, limit, the OOM counters); memory.stat (which the kernel computes over the whole
 * subtree), peak, failcnt, high and pressure are carried over. The sampler reads them fully
 * every few rounds and every round for a cgroup near its limit.
 */
export function readCgroupMemory(dir: string, version: CgroupVersion, readFile: FileReader = readSmall, previous: CgroupMemory | null = null, full = true): CgroupMemory | null {
  const read = (name: string) => readFile(join(dir, name));
  const usageText = read(version === 'v1' ? 'memory.usage_in_bytes' : 'memory.current');
  const usage = usageText === null ? null : parseSingle(usageText);
  if (usage === null) return null;
  const limit = readLimit(dir, version, readFile);
  if (limit === undefined) return null;
  const countersText = read(version === 'v1' ? 'memory.oom_control' : 'memory.events');
  const counters = countersText === null ? null : parseKeyed(countersText);
  const events =
    version === 'v2' && counters
      ? { high: counters.get('high') ?? null, max: counters.get('max') ?? null, oom: counters.get('oom') ?? null, oomKill: counters.get('oom_kill') ?? null }
      : null;
  const oomKills = counters?.get('oom_kill') ?? null;
  if (previous && !full) return { ...previous, usage, limit, events, oomKills };

  const statText = read('memory.stat');
  if (statText === null) return null;
  const stat = parseKeyed(statText);
  const keys = STAT_KEYS[version];
  const statOf = (k: string | null) => (k === null ? null : (stat.get(k) ?? null));
  const common = {
    usage,
    limit,
    events,
    oomKills,
    anon: statOf(keys.anon),
    file: statOf(keys.file),
    shmem: statOf(keys.shmem),
    kernel: statOf(keys.kernel),
    inactiveFile: statOf(keys.inactiveFile),
  };
  if (version === 'v1') {
    const failcnt = read('memory.failcnt');
    const peak = read('memory.max_usage_in_bytes');
    return {
      ...common,
      high: null,
      peak: peak === null ? null : parseSingle(peak),
      failcnt: failcnt === null ? null : parseSingle(failcnt),
      pressure: null,
    };
  }
  const high = read('memory.high');
  const peak = read('memory.peak');
  const pressure = read('memory.pressure');
  return {
    ...common,
    high: high === null ? null : (parseV2Limit(high) ?? null),
    peak: peak === null ? null : parseSingle(peak),
    failcnt: null,
    pressure: pressure === null ? null : parsePressure(pressure),
  };
}
