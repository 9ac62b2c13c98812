import { z } from 'zod';

/**
 * One memory sample of one cgroup, as `watch --samples FILE` appends it (one JSON object per
 * line). This schema is the single source of truth: the types, `oomlens schema sample` and the
 * docs derive from it. A value the kernel did not give (a file this cgroup version or kernel
 * does not have) is null, never 0.
 */

/** Exact 64-bit values: a JSON number up to 2^53 (8 PiB), beyond that the exact decimal string. */
export const Exact = z
  .union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d+$/)])
  .describe('a count or size: a JSON number when below 2^53, else its exact decimal string');

const bytes = Exact.nullable();

export const PressureLine = z.object({
  avg10: z.number().describe('share of the last 10 s (percent) some/all tasks stalled on memory'),
  avg60: z.number(),
  avg300: z.number(),
  totalUs: z.number().int().describe('microseconds stalled in total'),
});

export const Pressure = z
  .object({ some: PressureLine, full: PressureLine.nullable() })
  .describe('pressure stall information (PSI) for memory');

export const TopProcess = z.object({
  pid: z.number().int(),
  comm: z.string().describe('/proc/PID/comm, as the kernel gives it (may be anything: escape before showing)'),
  rssBytes: z.number().int().nonnegative().describe('resident set (/proc/PID/statm)'),
});

export const MemorySample = z.object({
  type: z.literal('memory-sample'),
  host: z.string(),
  time: z.string().describe('wall-clock time of the sample, ISO 8601 UTC'),
  monotonicSec: z
    .number()
    .describe('CLOCK_MONOTONIC seconds (on Linux: since boot, like the kernel log stamps); intervals use this, not the wall clock'),
  bootId: z.string().nullable().describe('/proc/sys/kernel/random/boot_id: monotonic times compare only within one boot'),
  cgroup: z.string().describe('path under the memory controller, as the kernel prints it (`oom_memcg=`)'),
  version: z.enum(['v1', 'v2']),
  usageBytes: Exact.describe('v2 memory.current, v1 memory.usage_in_bytes'),
  limitBytes: bytes.describe('v2 memory.max, v1 memory.limit_in_bytes; null: no limit (`max`, v1 9223372036854771712)'),
  highBytes: bytes.describe('v2 memory.high (null: `max`, or v1)'),
  peakBytes: bytes.describe('v2 memory.peak (5.19+), v1 memory.max_usage_in_bytes'),
  workingSetBytes: Exact.describe('usage minus inactive file cache (what cannot simply be dropped); predictions use this'),
  anonBytes: bytes.describe('memory.stat anon (v1 total_rss)'),
  fileBytes: bytes.describe('memory.stat file (v1 total_cache)'),
  shmemBytes: bytes.describe('memory.stat shmem (v1 total_shmem)'),
  kernelBytes: bytes.describe('memory.stat kernel (v2, 5.18+)'),
  inactiveFileBytes: bytes.describe('memory.stat inactive_file (v1 total_inactive_file)'),
  events: z
    .object({ high: bytes, max: bytes, oom: bytes, oomKill: bytes })
    .nullable()
    .describe('v2 memory.events counters (this cgroup and below)'),
  failcnt: bytes.describe('v1 memory.failcnt: times usage hit the limit (reclaim, not always a kill)'),
  oomKills: bytes.describe('OOM kills counted by the kernel: v2 memory.events oom_kill, v1 memory.oom_control oom_kill (4.13+)'),
  pressure: Pressure.nullable().describe('the cgroup memory.pressure (v2)'),
  hostPressure: Pressure.nullable().describe('/proc/pressure/memory at the same moment'),
  processes: z.number().int().nonnegative().describe('processes in the cgroup and below'),
  pids: z.array(z.number().int()).describe('their pids (the first 64)'),
  top: z.array(TopProcess).describe('the largest by resident set, largest first (at most 3)'),
});
export type MemorySample = z.infer<typeof MemorySample>;
export type Pressure = z.infer<typeof Pressure>;
export type TopProcess = z.infer<typeof TopProcess>;
