import { join } from 'node:path';
import { parseKeyed, parsePressure, parseSingle, parseV1Limit, parseV2Limit, type Pressure } from './cgroupFiles.js';
import type { CgroupVersion } from './cgroupTree.js';
import { readSmall } from './smallFile.js';

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
export function readLimit(dir: string, version: CgroupVersion): bigint | null | undefined {
  const text = readSmall(join(dir, version === 'v1' ? 'memory.limit_in_bytes' : 'memory.max'));
  if (text === null) return undefined;
  return version === 'v1' ? parseV1Limit(text) : parseV2Limit(text);
}

/**
 * Reads one cgroup's memory files. Null when the cgroup has no usage file (the v2 root) or
 * vanished while being read: a container that stopped is no error.
 */
export function readCgroupMemory(dir: string, version: CgroupVersion): CgroupMemory | null {
  const read = (name: string) => readSmall(join(dir, name));
  const usageText = read(version === 'v1' ? 'memory.usage_in_bytes' : 'memory.current');
  const usage = usageText === null ? null : parseSingle(usageText);
  if (usage === null) return null;
  const limit = readLimit(dir, version);
  if (limit === undefined) return null;
  const statText = read('memory.stat');
  if (statText === null) return null;
  const stat = parseKeyed(statText);
  const keys = STAT_KEYS[version];
  const statOf = (k: string | null) => (k === null ? null : (stat.get(k) ?? null));
  const common = {
    usage,
    limit,
    anon: statOf(keys.anon),
    file: statOf(keys.file),
    shmem: statOf(keys.shmem),
    kernel: statOf(keys.kernel),
    inactiveFile: statOf(keys.inactiveFile),
  };
  if (version === 'v1') {
    const failcnt = read('memory.failcnt');
    const peak = read('memory.max_usage_in_bytes');
    const oomControl = read('memory.oom_control');
    return {
      ...common,
      high: null,
      peak: peak === null ? null : parseSingle(peak),
      events: null,
      failcnt: failcnt === null ? null : parseSingle(failcnt),
      oomKills: oomControl === null ? null : (parseKeyed(oomControl).get('oom_kill') ?? null),
      pressure: null,
    };
  }
  const high = read('memory.high');
  const peak = read('memory.peak');
  const eventsText = read('memory.events');
  const pressure = read('memory.pressure');
  const events = eventsText === null ? null : parseKeyed(eventsText);
  return {
    ...common,
    high: high === null ? null : (parseV2Limit(high) ?? null),
    peak: peak === null ? null : parseSingle(peak),
    events: events && {
      high: events.get('high') ?? null,
      max: events.get('max') ?? null,
      oom: events.get('oom') ?? null,
      oomKill: events.get('oom_kill') ?? null,
    },
    failcnt: null,
    oomKills: events?.get('oom_kill') ?? null,
    pressure: pressure === null ? null : parsePressure(pressure),
  };
}
