import type { Cgroup, OomRecord, Task, Victim } from '../../src/schema/oomRecord.js';
import type { FieldsOf } from '../kinds/classify.js';
import type { ExactInt } from '../kinds/kernelInt.js';
import { workloadFromCgroupPath } from '../workload/fromCgroupPath.js';
import type { KillSeen, OomEvent } from './oomEvent.js';
import { parseTaskRow } from './taskTable.js';

export interface RecordContext {
  file: string | null;
  host: string | null;
  /** Kernel release last announced on this host (boot banner, uname), if any. */
  kernel: string | null;
}

/** What the report's lines say, each read once: the record builders below share it. */
interface Report {
  event: OomEvent;
  trigger: FieldsOf<'trigger'> | null;
  cpu: FieldsOf<'cpuLine'> | null;
  summary: FieldsOf<'summary'> | null;
  selection: FieldsOf<'selection'> | null;
  taskIn: FieldsOf<'taskInMemcg'> | null;
  limitReached: string | null;
  memcg: boolean;
}

function readReport(event: OomEvent): Report {
  const summary = event.first('summary');
  const selection = event.first('selection');
  const taskIn = event.first('taskInMemcg');
  const limitReached = event.first('memcgLimitReached')?.memcg ?? null;
  const memcg = summary
    ? summary.oomMemcg !== null
    : taskIn !== null ||
      limitReached !== null ||
      event.has('memcgUsage') ||
      selection?.reason === 'Memory cgroup out of memory' ||
      event.kills.some((k) => k.fields.reason === 'Memory cgroup out of memory');
  return {
    event,
    trigger: event.first('trigger'),
    cpu: event.first('cpuLine') ?? event.first('pidLine'),
    summary,
    selection,
    taskIn,
    limitReached,
    memcg,
  };
}

/** Turns a finished report into records: one per kill, or one oom-without-kill. */
export function eventRecords(event: OomEvent, ctx: RecordContext): OomRecord[] {
  const report = readReport(event);
  const base = baseRecord(report, ctx);
  if (event.kills.length === 0) {
    const { summary } = report;
    const named = event.first('victimExiting') ?? report.selection ?? (summary?.pid != null ? { pid: summary.pid, comm: summary.task ?? '' } : null);
    return [
      {
        ...base,
        type: 'oom-without-kill',
        reason: event.end ?? 'truncated',
        complete: report.trigger !== null && event.end !== null,
        victim: named ? emptyVictim(named.pid, named.comm, report) : null,
      },
    ];
  }
  return event.kills.map((kill) => ({
    ...base,
    time: iso(kill.time ?? event.startTime),
    uptime: kill.uptime ?? event.startUptime,
    victim: victimOf(kill, report),
    reaped: kill.reaped ? { anonRssKb: kill.reaped.anonRssKb, fileRssKb: kill.reaped.fileRssKb, shmemRssKb: kill.reaped.shmemRssKb } : null,
  }));
}

function baseRecord(report: Report, ctx: RecordContext): OomRecord {
  const { event, trigger, cpu, summary } = report;
  const cgroup = report.memcg ? cgroupOf(report) : null;
  const taskMemcg = summary?.taskMemcg ?? report.taskIn?.taskMemcg ?? null;
  const cpuset = event.first('cpuset');
  const record: OomRecord = {
    type: 'oom-kill',
    reason: null,
    eventId: `${ctx.file ?? 'stdin'}:${event.startLine}`,
    host: ctx.host,
    time: iso(event.startTime),
    uptime: event.startUptime,
    kernel: cpu?.release ?? ctx.kernel,
    trigger: trigger
      ? {
          comm: trigger.comm ?? cpu?.comm ?? null,
          pid: cpu?.pid ?? null,
          gfpMask: trigger.gfpMask,
          gfpFlags: trigger.gfpFlags,
          order: trigger.order,
          oomScoreAdj: trigger.oomScoreAdj,
          nodemask: summary?.nodemask ?? trigger.nodemask,
        }
      : null,
    constraint: summary?.constraint ?? (report.memcg ? 'CONSTRAINT_MEMCG' : null),
    cgroup,
    taskMemcg,
    cpuset: summary?.cpuset ?? cpuset?.cpuset ?? null,
    memsAllowed: summary?.memsAllowed ?? cpuset?.memsAllowed ?? null,
    workload: workloadFromCgroupPath(taskMemcg ?? cgroup?.path ?? null),
    tasks: tasksOf(event),
    victim: null,
    alsoKilled: event.all('sharedMm').map((s) => ({ pid: s.fields.pid, comm: s.fields.comm })),
    memInfo: memInfoOf(event),
    pageSizeKb: event.first('buddyList')?.pageSizeKb ?? null,
    reaped: null,
    complete: trigger !== null,
    source: { file: ctx.file, line: event.startLine },
  };
  if (event.rawLines) record.rawLines = event.rawLines;
  if (event.cutLines > 0) record.cutLines = event.cutLines;
  if (event.rateLimited) record.rateLimited = true;
  const stack = stackOf(report);
  if (stack) record.stack = stack;
  const allocations = allocationsOf(event);
  if (allocations) record.allocations = allocations;
  const protection = event.first('memcgProtection');
  if (protection) record.protection = { minKb: protection.minKb, lowKb: protection.lowKb };
  return record;
}

function stackOf(report: Report): OomRecord['stack'] | null {
  const { event, cpu } = report;
  const hardware = event.first('hardwareName')?.hardware ?? null;
  const wq = event.first('workqueue');
  const taints = (event.first('taintDescriptions')?.taints as { flag: string; name: string }[] | undefined) ?? null;
  const preempt = cpu?.preempt ?? null;
  const buildId = cpu?.buildId ?? null;
  if (hardware === null && wq === null && taints === null && preempt === null && buildId === null) return null;
  return { hardware, workqueue: wq ? { name: wq.workqueue, function: wq.function } : null, taints, preempt, buildId };
}

function allocationsOf(event: OomEvent): OomRecord['allocations'] | null {
  const title = event.first('allocationsTitle');
  if (!title) return null;
  const top = event.inSection('allocationRow', 'allocations').map((r) => ({ size: r.size, calls: r.calls, file: r.file, line: r.line, module: r.module, function: r.function }));
  return { profiling: title.profiling === 'on' || title.profiling === 'off' ? title.profiling : null, top };
}

/** The task table: rows read against the header's columns; null when no header was printed. */
function tasksOf(event: OomEvent): Task[] | null {
  const header = event.first('taskHeader');
  if (!header) return null;
  const tasks: Task[] = [];
  for (const row of event.inSection('taskRow', 'tasks')) {
    const task = parseTaskRow(row.pid, row.rest, header.columns);
    if (task) tasks.push(task);
  }
  return tasks;
}

/** The OOMing cgroup's `memory.stat`: inline v1 stats (kB) on its header, then its stat lines. */
function statsOf(event: OomEvent): Record<string, ExactInt | null> | null {
  const header = event.first('memcgStatsHeader');
  let stats: Record<string, ExactInt | null> | null = header?.statsKb ? Object.fromEntries(Object.entries(header.statsKb).map(([k, v]) => [`${k}Kb`, v])) : null;
  for (const c of event.linesIn('memcgStats')) {
    if (c.kind === 'statLine') (stats ??= {})[c.fields.key] = c.fields.value;
    else if (c.kind === 'keyValues' && Object.keys(c.fields.values).length === 1) Object.assign((stats ??= {}), c.fields.values);
  }
  return stats;
}

function cgroupOf(report: Report): Cgroup | null {
  const { event } = report;
  const path = report.summary?.oomMemcg ?? report.taskIn?.memcg ?? report.limitReached ?? null;
  const memory = event.first('memcgUsage');
  const stats = statsOf(event);
  if (path === null && !memory && stats === null) return null;
  const counter = (name: string) => {
    const c = event.all('memcgCounter').find((s) => s.fields.counter === name)?.fields;
    return c ? { usageKb: c.usageKb, limitKb: c.limitKb, failcnt: c.failcnt } : null;
  };
  const swap = counter('swap');
  return {
    path,
    usageKb: memory?.usageKb ?? null,
    limitKb: memory?.limitKb ?? null,
    failcnt: memory?.failcnt ?? null,
    swap,
    memsw: counter('memory+swap'),
    kmem: counter('kmem'),
    stats,
    unlimited: unlimitedOf(event),
    version: swap ? 'v2' : stats && ('cacheKb' in stats || 'rssKb' in stats || 'cache' in stats) ? 'v1' : null,
  };
}

/** Limits the kernel printed as "unlimited", in line order: counter names, then memory.stat keys. */
function unlimitedOf(event: OomEvent): string[] {
  const out: string[] = [];
  const counters = [...event.all('memcgUsage'), ...event.all('memcgCounter')].map((s) => s.fields);
  const firsts = counters.filter((c, i) => counters.findIndex((o) => o.counter === c.counter) === i);
  for (const c of firsts) if (c.unlimited) out.push(c.counter);
  for (const c of event.linesIn('memcgStats')) if (c.kind === 'statLine' && c.fields.unlimited) out.push(c.fields.key);
  return out;
}

function memInfoOf(event: OomEvent): OomRecord['memInfo'] {
  if (!event.has('memInfoTitle')) return null;
  let counters: Record<string, number> | null = null;
  const numbers = new Map<string, FieldsOf<'memInfoNumber'>>();
  for (const c of event.linesIn('memInfo')) {
    if (c.kind === 'keyValues') Object.assign((counters ??= {}), c.fields.values);
    else if (c.kind === 'memInfoNumber') numbers.set(c.fields.key, c.fields);
  }
  const n = (key: string) => numbers.get(key);
  return {
    counters: counters ?? {},
    freeSwapKb: n('Free swap')?.kb ?? null,
    totalSwapKb: n('Total swap')?.kb ?? null,
    ramPages: n('pages RAM')?.pages ?? null,
    reservedPages: n('pages reserved')?.pages ?? null,
    pagecachePages: n('total pagecache pages')?.pages ?? null,
    swapCachePages: n('pages in swap cache')?.pages ?? null,
  };
}

function victimOf(kill: KillSeen, report: Report): Victim {
  const f = kill.fields;
  const selected = report.selection?.pid === f.pid ? report.selection : null;
  return {
    pid: f.pid,
    comm: f.comm,
    totalVmKb: f.totalVmKb,
    anonRssKb: f.anonRssKb,
    fileRssKb: f.fileRssKb,
    shmemRssKb: f.shmemRssKb,
    uid: f.uid ?? (report.summary?.pid === f.pid ? report.summary.uid : null),
    pgtablesKb: f.pgtablesKb,
    oomScoreAdj: f.oomScoreAdj,
    score: selected?.score ?? null,
    reason: f.reason,
  };
}

function emptyVictim(pid: number, comm: string, report: Report): Victim {
  const selected = report.selection?.pid === pid ? report.selection : null;
  return {
    pid, comm, totalVmKb: null, anonRssKb: null, fileRssKb: null, shmemRssKb: null,
    uid: report.summary?.pid === pid ? report.summary.uid : null,
    pgtablesKb: null, oomScoreAdj: null, score: selected?.score ?? null, reason: selected?.reason ?? null,
  };
}

function iso(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  return new Date(ms).toISOString();
}
