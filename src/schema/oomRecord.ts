import { z } from 'zod';

/**
 * The kill record: one per process the kernel's OOM killer killed (`type: "oom-kill"`), or one
 * per OOM report that ended without a kill (`type: "oom-without-kill"`). This schema is the
 * single source of truth: TypeScript types, `oomlens schema` (JSON Schema) and README's record
 * reference all come from it. A value the log did not print is null, never 0.
 */

// Not .int(): "unlimited" cgroup limits print as 2^54-1 kB, beyond the safe integer range.
const kb = z.number().nullable();

export const Trigger = z
  .object({
    comm: z.string().nullable().describe('the allocating task (`<comm> invoked oom-killer`), often not the victim'),
    pid: z.number().int().nullable().describe('its pid, from the CPU/Pid line of the stack dump'),
    gfpMask: z.string().nullable().describe('allocation flags as printed, hex (`0x24000c0`)'),
    gfpFlags: z.array(z.string()).nullable().describe('symbolic flags (4.5+), e.g. ["GFP_KERNEL"]'),
    order: z.number().int().nullable().describe('allocation order; -1 is SysRq-f'),
    oomScoreAdj: z.number().int().nullable(),
    nodemask: z.string().nullable(),
  })
  .describe('who asked for memory and could not get it');

/** The one exact-integer type: see parsers/kinds/kernelInt.ts, which makes every such value. */
export const ExactInt = z
  .union([z.number().int(), z.string().regex(/^\d+$/)])
  .describe('an integer exactly as the kernel printed it: a JSON number up to 2^53-1, a decimal string above (JavaScript numbers would round it)');

export const MemcgCounter = z.object({
  usageKb: kb,
  limitKb: kb.describe('null when the kernel printed "unlimited" (PAGE_COUNTER_MAX); see Cgroup.unlimited'),
  failcnt: ExactInt.nullable(),
});

export const Cgroup = z
  .object({
    path: z.string().nullable().describe('the memory cgroup whose limit was hit (`oom_memcg=` / `limit of`)'),
    usageKb: kb,
    limitKb: kb.describe('null when unlimited (>= 2^52 kB, PAGE_COUNTER_MAX; then "memory" is in `unlimited`) or not printed'),
    failcnt: ExactInt.nullable(),
    swap: MemcgCounter.nullable().describe('cgroup v2 `swap:` line (5.3+)'),
    memsw: MemcgCounter.nullable().describe('cgroup v1 `memory+swap:` line'),
    kmem: MemcgCounter.nullable().describe('cgroup v1 `kmem:` line'),
    stats: z
      .record(z.string(), ExactInt.nullable())
      .nullable()
      .describe('`Memory cgroup stats` of the OOMing cgroup: v1 values in kB (keys end in Kb), v2 memory.stat in bytes/counts; exact (decimal strings above 2^53-1); a limit key printed as "unlimited" is null'),
    unlimited: z
      .array(z.string())
      .describe('limits the kernel printed as "unlimited" (PAGE_COUNTER_MAX), now null: counter names (`memory`, `memory+swap`, `swap`, `kmem`) and memory.stat keys (`hierarchical_memsw_limit`)'),
    version: z.enum(['v1', 'v2']).nullable().describe('cgroup version when the text tells it'),
  })
  .describe('the memory cgroup that hit its limit; null for a global OOM');

export const Workload = z
  .object({
    kind: z.enum(['docker', 'kubernetes', 'systemd', 'lxc', 'user', 'podman', 'machine', 'other']),
    id: z.string().nullable().describe('container id, unit name, or path'),
    pod: z.string().nullable().describe('Kubernetes pod UID'),
    qos: z.string().nullable().describe('Kubernetes QoS class'),
    container: z.string().nullable().describe('container id (64 hex)'),
    unit: z.string().nullable().describe('systemd unit or slice'),
  })
  .describe('what the cgroup path says about the owner of the memory');

export const Task = z.object({
  pid: z.number().int(),
  uid: z.number().int().nullable(),
  tgid: z.number().int().nullable(),
  totalVmPages: z.number().int().nullable(),
  rssPages: z.number().int().nullable(),
  rssAnonPages: z.number().int().nullable(),
  rssFilePages: z.number().int().nullable(),
  rssShmemPages: z.number().int().nullable(),
  pgtablesBytes: z.number().int().nullable(),
  nrPtes: z.number().int().nullable(),
  nrPmds: z.number().int().nullable(),
  swapents: z.number().int().nullable(),
  oomScoreAdj: z.number().int().nullable(),
  oomAdj: z.number().int().nullable(),
  cpu: z.number().int().nullable(),
  name: z.string(),
});

export const Victim = z.object({
  pid: z.number().int(),
  comm: z.string(),
  totalVmKb: kb,
  anonRssKb: kb,
  fileRssKb: kb,
  shmemRssKb: kb,
  uid: z.number().int().nullable(),
  pgtablesKb: kb,
  oomScoreAdj: z.number().int().nullable(),
  score: z.number().int().nullable().describe('badness score from the `Kill process ... score N` line'),
  reason: z.string().nullable().describe('the kill line prefix: `Out of memory`, `Memory cgroup out of memory`, ...'),
});

export const MemInfo = z
  .object({
    counters: z.record(z.string(), z.number()).describe('the Mem-Info counter block, in pages'),
    freeSwapKb: kb,
    totalSwapKb: kb,
    ramPages: z.number().int().nullable(),
    reservedPages: z.number().int().nullable(),
    pagecachePages: z.number().int().nullable(),
    swapCachePages: z.number().int().nullable(),
  })
  .describe('the global Mem-Info figures');

export const StackInfo = z.object({
  hardware: z.string().nullable().describe('`Hardware name:` (DMI)'),
  workqueue: z.object({ name: z.string(), function: z.string() }).nullable().describe('`Workqueue:` when a kworker allocated'),
  taints: z.array(z.object({ flag: z.string(), name: z.string() })).nullable().describe('`Tainted: [O]=OOT_MODULE, ...` (6.11+)'),
  preempt: z.string().nullable().describe('preemption model from the CPU line (6.15+), e.g. PREEMPT(voluntary)'),
  buildId: z.string().nullable().describe('vmlinux build id from the CPU line, when printed'),
});

export const Allocations = z.object({
  profiling: z.enum(['on', 'off']).nullable().describe('6.18+ says whether profiling is still on'),
  top: z.array(
    z.object({
      size: z.string().describe('as the kernel printed it (string_get_size, e.g. "1.00 GiB")'),
      calls: ExactInt,
      file: z.string(),
      line: z.number().int(),
      module: z.string().nullable(),
      function: z.string(),
    }),
  ),
});

export const Reaped = z.object({ anonRssKb: kb, fileRssKb: kb, shmemRssKb: kb });

export const OomRecord = z.object({
  type: z.enum(['oom-kill', 'oom-without-kill']),
  reason: z
    .enum(['no-killable-process', 'victim-exiting', 'panic', 'truncated'])
    .nullable()
    .describe('why an oom-without-kill has no kill; null for oom-kill'),
  eventId: z.string().describe('the same for every record of one OOM invocation'),
  host: z.string().nullable(),
  time: z.string().nullable().describe('ISO 8601 time of the kill line (or of the report start)'),
  uptime: z.number().nullable().describe('seconds since boot, from the printk stamp'),
  kernel: z.string().nullable().describe('kernel release, from the stack dump or a boot line'),
  trigger: Trigger.nullable(),
  constraint: z
    .string()
    .nullable()
    .describe('CONSTRAINT_NONE | CONSTRAINT_CPUSET | CONSTRAINT_MEMORY_POLICY | CONSTRAINT_MEMCG (as printed, 5.0+); before 5.0 CONSTRAINT_MEMCG for a memcg OOM, else null'),
  cgroup: Cgroup.nullable(),
  taskMemcg: z.string().nullable().describe("the victim's cgroup (`task_memcg=` / `Task in X`)"),
  cpuset: z.string().nullable(),
  memsAllowed: z.string().nullable(),
  workload: Workload.nullable(),
  tasks: z.array(Task).nullable().describe('the task table (pages, except pgtablesBytes); null when not shown'),
  victim: Victim.nullable(),
  alsoKilled: z
    .array(z.object({ pid: z.number().int(), comm: z.string() }))
    .describe('processes killed with the victim because they shared its memory (`sharing same memory`)'),
  memInfo: MemInfo.nullable(),
  pageSizeKb: z.number().int().nullable().describe('page size, from the buddy lists when printed'),
  reaped: Reaped.nullable().describe('what oom_reaper left of the victim'),
  complete: z.boolean().describe('false when the report was cut off or began mid-way'),
  source: z.object({
    file: z.string().nullable(),
    line: z.number().int().describe('1-based line where the report starts'),
  }),
  rawLines: z.array(z.string()).optional().describe('the report as logged (only with --raw)'),
  cutLines: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('lines of this report longer than 64 KiB, of which only the first 64 KiB were read (absent when none)'),
  rateLimited: z
    .literal(true)
    .optional()
    .describe("the kernel's rate limit on dump_header() (`oom_kill_process: N callbacks suppressed`) suppressed this kill's context: the dump is missing, not cut off (absent otherwise)"),
  stack: StackInfo.optional().describe('what the stack dump said about the machine (absent when it printed none of it)'),
  allocations: Allocations.optional().describe('memory allocation profiling (6.10+): the kernel code holding the most memory (absent when not printed)'),
  protection: z
    .object({ minKb: kb, lowKb: kb })
    .optional()
    .describe("cgroup v2 memory.min / memory.low of the OOMing cgroup (6.19+; the first 6.19 release printed them 4096x too large: not compared with RAM)"),
});
export type OomRecord = z.infer<typeof OomRecord>;
export type Trigger = z.infer<typeof Trigger>;
export type Cgroup = z.infer<typeof Cgroup>;
export type Task = z.infer<typeof Task>;
export type Victim = z.infer<typeof Victim>;
export type MemInfo = z.infer<typeof MemInfo>;
export type Workload = z.infer<typeof Workload>;
