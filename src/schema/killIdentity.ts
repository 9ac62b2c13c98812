import type { KillRecord } from './killRecord.js';

/**
 * Who killed and what, read off any record. Apart from the zod schemas (type imports only) so
 * that the analyzer and the renderers load without building them.
 */
export type Killer = 'kernel' | 'systemd-oomd' | 'earlyoom';

export function killerOf(record: KillRecord): Killer {
  return record.type === 'userspace-kill' ? record.killer : 'kernel';
}

/** What was killed, by name: the process (kernel, earlyoom) or the unit or cgroup (systemd-oomd). */
export function victimNameOf(record: KillRecord): string | null {
  if (record.type !== 'userspace-kill') return record.victim?.comm ?? null;
  const v = record.victim;
  return v.comm ?? v.unit ?? v.cgroup;
}
