import type { AnalysisGroup, GroupBy } from '../analyze/analysis.js';
import { formatKb } from '../render/killTable.js';
import type { KillRecord } from '../schema/killRecord.js';
import { killerOf, victimNameOf } from '../schema/killIdentity.js';
import type { Column } from './columns.js';
import { verdictStyle } from './killDetail.js';
import { timelineText } from './timelineText.js';

/** The columns of the groups pane. `isFresh` marks groups with kills that arrived live. */
export function groupColumns(isFresh: (g: AnalysisGroup) => boolean): Column<AnalysisGroup>[] {
  return [
    { title: 'GROUP', width: 10, flex: true, drop: 0, value: (g) => `${isFresh(g) ? '+' : ' '}${g.label}`, style: (g) => (isFresh(g) ? 'yellow-fg' : null) },
    { title: 'KILLS', width: 5, align: 'right', drop: 0, value: (g) => String(g.kills) },
    { title: 'VERDICT', width: 13, drop: 1, value: (g) => g.verdict, style: (g) => verdictStyle(g.verdict) },
    { title: 'TIMELINE', width: 12, drop: 2, value: (g) => (g.timeline ? timelineText(g.timeline, 12) : '') },
  ];
}

/**
 * The columns of the kills pane. The victim's name is redundant when grouped by it, so it goes
 * first then; otherwise it outlives the limit and constraint. For a userspace kill, CONSTR says what
 * the daemon acted on (PRESS: memory pressure, SWAP, LOWMEM: low memory).
 */
export function killColumns(by: GroupBy, isFresh: (r: KillRecord) => boolean): Column<KillRecord>[] {
  return [
    { title: 'TIME', width: 15, drop: 0, value: (r) => `${isFresh(r) ? '+' : ' '}${shortTime(r)}`, style: (r) => (isFresh(r) ? 'yellow-fg' : null) },
    { title: 'HOST', width: 10, flex: true, drop: 3, value: (r) => r.host ?? '-' },
    { title: 'KILLER', width: 7, drop: 7, value: (r) => KILLER_SHORT[killerOf(r)] },
    { title: 'PID', width: 7, align: 'right', drop: 0, value: (r) => (r.victim?.pid != null ? String(r.victim.pid) : '-') },
    { title: 'VICTIM', width: 12, drop: by === 'comm' ? 9 : 4, value: (r) => victimNameOf(r) ?? `(${r.type})` },
    { title: 'ANON-RSS', width: 10, align: 'right', drop: 0, value: (r) => (r.type === 'userspace-kill' ? '-' : formatKb(r.victim?.anonRssKb ?? null)) },
    { title: 'LIMIT', width: 10, align: 'right', drop: 6, value: (r) => (r.type === 'userspace-kill' ? '-' : formatKb(r.cgroup?.limitKb ?? null)) },
    { title: 'CONSTR', width: 6, drop: 5, value: constraintText },
  ];
}

const KILLER_SHORT = { kernel: 'kernel', 'systemd-oomd': 'oomd', earlyoom: 'earlyoom' } as const;
const REASON_SHORT = { 'memory-pressure': 'PRESS', swap: 'SWAP', 'low-memory': 'LOWMEM' } as const;

function constraintText(r: KillRecord): string {
  if (r.type === 'userspace-kill') return r.reason ? REASON_SHORT[r.reason.kind] : '-';
  return (r.constraint ?? (r.cgroup ? 'MEMCG' : '-')).replace(/^CONSTRAINT_/, '').replace('MEMORY_POLICY', 'MPOL');
}

/** `03-02 01:10:05` (UTC), or the uptime when the log has no wall-clock time. */
export function shortTime(r: KillRecord): string {
  if (r.time !== null) {
    const ms = Date.parse(r.time);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString().slice(5, 19).replace('T', ' ');
  }
  const uptime = r.type === 'userspace-kill' ? null : r.uptime;
  return uptime !== null ? `+${uptime.toFixed(1)}s` : '-';
}
