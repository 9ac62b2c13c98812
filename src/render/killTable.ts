import { formatKb } from '../units/formatKb.js';
import type { KillRecord } from '../schema/killRecord.js';
import { killerOf } from '../schema/killIdentity.js';
import type { UserspaceKill } from '../schema/userspaceKill.js';
import { terminalSafe } from './terminalSafe.js';

/** The columns `oomlens scan` (and `watch`) print for one kill, without --json. */
export const KILL_TABLE_HEADER = ['TIME', 'HOST', 'KILLER', 'VICTIM (PID)', 'ANON-RSS', 'LIMIT', 'CONSTRAINT', 'WORKLOAD'];

export function killTableRow(r: KillRecord): string[] {
  if (r.type === 'userspace-kill') return userspaceRow(r);
  const when = r.time ?? (r.uptime !== null ? `+${r.uptime.toFixed(3)}s` : '-');
  const named = r.victim ? `${r.victim.comm} (${r.victim.pid})` : null;
  const victim = r.type === 'oom-without-kill' ? `(no kill: ${r.reason}${named ? `, chose ${named}` : ''})` : (named ?? '-');
  const workload = r.workload ? `${r.workload.kind}:${shortId(r.workload.id ?? '')}` : r.cgroup?.path ?? (r.constraint === 'CONSTRAINT_MEMCG' ? '?' : '-');
  return [
    when,
    r.host ?? '-',
    killerOf(r),
    victim,
    formatKb(r.victim?.anonRssKb ?? null),
    formatKb(r.cgroup?.limitKb ?? null),
    (r.constraint ?? (r.cgroup ? 'CONSTRAINT_MEMCG' : '-')).replace(/^CONSTRAINT_/, ''),
    workload,
  ].map(terminalSafe);
}

/**
 * A userspace kill in the same columns: systemd-oomd names a unit (or cgroup), earlyoom a
 * process; the CONSTRAINT column says what the daemon acted on (pressure, swap, low memory).
 */
function userspaceRow(r: UserspaceKill): string[] {
  const v = r.victim;
  const victim = v.pid !== null ? `${v.comm ?? '?'} (${v.pid})` : (v.unit ?? v.cgroup ?? '-');
  const workload = r.workload ? `${r.workload.kind}:${shortId(r.workload.id ?? '')}` : (v.cgroup ?? '-');
  return [r.time ?? '-', r.host ?? '-', r.killer, victim, '-', '-', r.reason ? r.reason.kind.toUpperCase() : '-', workload].map(terminalSafe);
}

export { formatKb } from '../units/formatKb.js';

function shortId(id: string): string {
  return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}
