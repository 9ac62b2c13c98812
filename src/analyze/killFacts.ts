import type { KillRecord, Killer } from '../schema/killRecord.js';
import { killerOf, victimNameOf } from '../schema/killIdentity.js';
import type { OomRecord, Task } from '../schema/oomRecord.js';
import type { Scope } from './analysis.js';

/**
 * What the analyzer needs to know about one kill, read once from its record: where it sits in
 * time, whether a cgroup limit or the whole host ran out, and how the victim compares with the
 * rest of the task table.
 */
export interface KillFacts {
  index: number;
  record: KillRecord;
  /** The kernel's record (null for a userspace kill): task table, limits, Mem-Info. */
  kernel: OomRecord | null;
  killer: Killer;
  /** The victim's name: its comm, or the unit (cgroup) systemd-oomd killed. */
  victimName: string;
  /** The host, or the file it came from when the log does not name the host. */
  hostKey: string;
  scope: Scope;
  /** Seconds on `clock`: wall-clock epoch seconds, or uptime within one boot. */
  t: number | null;
  /** Kills on the same clock can be subtracted from each other. */
  clock: string | null;
  /** Epoch milliseconds, when the log gave a wall-clock time. */
  wallMs: number | null;
  pageSizeKb: number | null;
  /** Largest task of the table by RSS (null without a table). */
  largest: Task | null;
  victimIsLargest: boolean | null;
  triggeredByOther: boolean | null;
}

const CPU_PAGE_SIZES = [4, 8, 16, 64];

export function scopeOf(r: KillRecord): Scope {
  if (r.type === 'userspace-kill') return 'userspace';
  if (r.cgroup !== null || r.constraint === 'CONSTRAINT_MEMCG') return 'memcg';
  const reason = r.victim?.reason ?? '';
  if (/^Memory cgroup/i.test(reason)) return 'memcg';
  if (r.constraint !== null || r.memInfo !== null || /^Out of memory/i.test(reason)) return 'global';
  return 'unknown';
}

export function taskRssPages(t: Task): number | null {
  if (t.rssPages !== null) return t.rssPages;
  if (t.rssAnonPages === null && t.rssFilePages === null && t.rssShmemPages === null) return null;
  return (t.rssAnonPages ?? 0) + (t.rssFilePages ?? 0) + (t.rssShmemPages ?? 0);
}

/**
 * The page size: as the buddy lists print it, else from the victim's row, whose RSS the kill line
 * also gives in kB (the kernel's own K() conversion), rounded to a real page size.
 */
export function pageSizeOf(r: OomRecord): number | null {
  if (r.pageSizeKb !== null) return r.pageSizeKb;
  const v = r.victim;
  if (!v || !r.tasks || v.anonRssKb === null) return null;
  const row = r.tasks.find((t) => t.pid === v.pid);
  const pages = row ? taskRssPages(row) : null;
  if (!pages) return null;
  const ratio = (v.anonRssKb + (v.fileRssKb ?? 0) + (v.shmemRssKb ?? 0)) / pages;
  return CPU_PAGE_SIZES.find((size) => Math.abs(ratio - size) / size < 0.1) ?? null;
}

function largestTask(tasks: Task[] | null): Task | null {
  let best: Task | null = null;
  let bestRss = -1;
  for (const t of tasks ?? []) {
    const rss = taskRssPages(t) ?? -1;
    if (rss > bestRss) {
      best = t;
      bestRss = rss;
    }
  }
  return best;
}

/** Ties count as largest; a victim missing from the table (or no table) leaves it unknown. */
function victimIsLargest(r: OomRecord, largest: Task | null): boolean | null {
  const v = r.victim;
  const row = v ? r.tasks?.find((t) => t.pid === v.pid) : undefined;
  if (!largest || !row) return null;
  return (taskRssPages(row) ?? -1) >= (taskRssPages(largest) ?? 0);
}

/**
 * Did another process ask for the memory? The trigger's pid is a thread id, so look it up in the
 * task table (rows are processes); a thread not in the table is judged by its name.
 */
export function triggeredByOther(r: OomRecord): boolean | null {
  const trig = r.trigger;
  const v = r.victim;
  if (!trig || !v || (trig.pid === null && trig.comm === null)) return null;
  if (trig.pid !== null) {
    if (trig.pid === v.pid) return false;
    const row = r.tasks?.find((t) => t.pid === trig.pid);
    if (row) return row.pid !== v.pid;
  }
  return trig.comm === null ? null : trig.comm !== v.comm;
}

/**
 * Facts for every kill, in input order. Uptime-only logs get one clock per host and boot (a
 * falling uptime in the same file means a reboot).
 */
export function killFacts(records: KillRecord[]): KillFacts[] {
  const facts: KillFacts[] = [];
  const boots = new Map<string, { boot: number; lastUptime: number }>();
  records.forEach((r, index) => {
    if (r.type !== 'oom-kill' && r.type !== 'userspace-kill') return;
    const kernel = r.type === 'oom-kill' ? r : null;
    const uptime = kernel?.uptime ?? null;
    const hostKey = r.host ?? `(${r.source.file ?? 'stdin'})`;
    const wallMs = r.time !== null ? Date.parse(r.time) : NaN;
    let t: number | null = null;
    let clock: string | null = null;
    if (!Number.isNaN(wallMs)) {
      t = wallMs / 1000;
      clock = `wall ${hostKey}`;
    } else if (uptime !== null) {
      const bootKey = `${r.source.file ?? 'stdin'} ${hostKey}`;
      const seen = boots.get(bootKey) ?? { boot: 0, lastUptime: uptime };
      if (uptime < seen.lastUptime) seen.boot += 1;
      seen.lastUptime = uptime;
      boots.set(bootKey, seen);
      t = uptime;
      clock = `uptime ${bootKey} boot ${seen.boot}`;
    }
    const largest = largestTask(kernel?.tasks ?? null);
    facts.push({
      index,
      record: r,
      kernel,
      killer: killerOf(r),
      victimName: victimNameOf(r) ?? '(unknown process)',
      hostKey,
      scope: scopeOf(r),
      t,
      clock,
      wallMs: Number.isNaN(wallMs) ? null : wallMs,
      pageSizeKb: kernel ? pageSizeOf(kernel) : null,
      largest,
      victimIsLargest: kernel ? victimIsLargest(kernel, largest) : null,
      triggeredByOther: kernel ? triggeredByOther(kernel) : null,
    });
  });
  return facts;
}
