import type { Cgroup, OomRecord, Victim } from '../../src/schema/oomRecord.js';
import { workloadFromCgroupPath } from '../workload/fromCgroupPath.js';
import type { KillSeen, OomEvent } from './oomEvent.js';

export interface RecordContext {
  file: string | null;
  host: string | null;
  /** Kernel release last announced on this host (boot banner, uname), if any. */
  kernel: string | null;
}

/** Turns a finished report into records: one per kill, or one oom-without-kill. */
export function eventRecords(event: OomEvent, ctx: RecordContext): OomRecord[] {
  const base = baseRecord(event, ctx);
  if (event.kills.length === 0) {
    const named = event.exiting ?? event.selection ?? (event.summary?.pid != null ? { pid: event.summary.pid, comm: event.summary.task ?? '' } : null);
    return [
      {
        ...base,
        type: 'oom-without-kill',
        reason: event.end ?? 'truncated',
        complete: event.trigger !== null && event.end !== null,
        victim: named ? emptyVictim(named.pid, named.comm, event) : null,
      },
    ];
  }
  return event.kills.map((kill) => ({
    ...base,
    time: iso(kill.time ?? event.startTime),
    uptime: kill.uptime ?? event.startUptime,
    victim: victimOf(kill, event),
    reaped: kill.reaped ? { anonRssKb: kill.reaped.anonRssKb, fileRssKb: kill.reaped.fileRssKb, shmemRssKb: kill.reaped.shmemRssKb } : null,
  }));
}

function baseRecord(event: OomEvent, ctx: RecordContext): OomRecord {
  const memcg = event.isMemcg;
  const cgroup = memcg ? cgroupOf(event) : null;
  const taskMemcg = event.summary?.taskMemcg ?? event.taskIn?.taskMemcg ?? null;
  const record: OomRecord = {
    type: 'oom-kill',
    reason: null,
    eventId: `${ctx.file ?? 'stdin'}:${event.startLine}`,
    host: ctx.host,
    time: iso(event.startTime),
    uptime: event.startUptime,
    kernel: event.cpu?.release ?? ctx.kernel,
    trigger: event.trigger
      ? {
          comm: event.trigger.comm ?? event.cpu?.comm ?? null,
          pid: event.cpu?.pid ?? null,
          gfpMask: event.trigger.gfpMask,
          gfpFlags: event.trigger.gfpFlags,
          order: event.trigger.order,
          oomScoreAdj: event.trigger.oomScoreAdj,
          nodemask: event.summary?.nodemask ?? event.trigger.nodemask,
        }
      : null,
    constraint: event.summary?.constraint ?? (memcg ? 'CONSTRAINT_MEMCG' : null),
    cgroup,
    taskMemcg,
    cpuset: event.summary?.cpuset ?? event.cpuset?.cpuset ?? null,
    memsAllowed: event.summary?.memsAllowed ?? event.cpuset?.memsAllowed ?? null,
    workload: workloadFromCgroupPath(taskMemcg ?? cgroup?.path ?? null),
    tasks: event.tasks,
    victim: null,
    alsoKilled: event.alsoKilled,
    memInfo: memInfoOf(event),
    pageSizeKb: event.pageSizeKb,
    reaped: null,
    complete: event.trigger !== null,
    source: { file: ctx.file, line: event.startLine },
  };
  if (event.rawLines) record.rawLines = event.rawLines;
  if (event.cutLines > 0) record.cutLines = event.cutLines;
  return record;
}

function cgroupOf(event: OomEvent): Cgroup | null {
  const path = event.summary?.oomMemcg ?? event.taskIn?.memcg ?? event.limitReached ?? null;
  const memory = event.counters.get('memory');
  if (path === null && !memory && event.stats === null) return null;
  const counter = (name: string) => {
    const c = event.counters.get(name);
    return c ? { usageKb: c.usageKb, limitKb: c.limitKb, failcnt: c.failcnt } : null;
  };
  const swap = counter('swap');
  const { stats } = event;
  return {
    path,
    usageKb: memory?.usageKb ?? null,
    limitKb: memory?.limitKb ?? null,
    failcnt: memory?.failcnt ?? null,
    swap,
    memsw: counter('memory+swap'),
    kmem: counter('kmem'),
    stats,
    unlimited: event.unlimited,
    version: swap ? 'v2' : stats && ('cacheKb' in stats || 'rssKb' in stats || 'cache' in stats) ? 'v1' : null,
  };
}

function memInfoOf(event: OomEvent): OomRecord['memInfo'] {
  if (!event.memInfoSeen) return null;
  const n = (key: string) => event.memNumbers.get(key);
  return {
    counters: event.memCounters ?? {},
    freeSwapKb: n('Free swap')?.kb ?? null,
    totalSwapKb: n('Total swap')?.kb ?? null,
    ramPages: n('pages RAM')?.pages ?? null,
    reservedPages: n('pages reserved')?.pages ?? null,
    pagecachePages: n('total pagecache pages')?.pages ?? null,
    swapCachePages: n('pages in swap cache')?.pages ?? null,
  };
}

function victimOf(kill: KillSeen, event: OomEvent): Victim {
  const f = kill.fields;
  const selected = event.selection?.pid === f.pid ? event.selection : null;
  return {
    pid: f.pid,
    comm: f.comm,
    totalVmKb: f.totalVmKb,
    anonRssKb: f.anonRssKb,
    fileRssKb: f.fileRssKb,
    shmemRssKb: f.shmemRssKb,
    uid: f.uid ?? (event.summary?.pid === f.pid ? event.summary.uid : null),
    pgtablesKb: f.pgtablesKb,
    oomScoreAdj: f.oomScoreAdj,
    score: selected?.score ?? null,
    reason: f.reason,
  };
}

function emptyVictim(pid: number, comm: string, event: OomEvent): Victim {
  const selected = event.selection?.pid === pid ? event.selection : null;
  return {
    pid, comm, totalVmKb: null, anonRssKb: null, fileRssKb: null, shmemRssKb: null,
    uid: event.summary?.pid === pid ? event.summary.uid : null,
    pgtablesKb: null, oomScoreAdj: null, score: selected?.score ?? null, reason: selected?.reason ?? null,
  };
}

function iso(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  return new Date(ms).toISOString();
}
