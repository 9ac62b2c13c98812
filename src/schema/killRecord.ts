import { z } from 'zod';
import { OomRecord } from './oomRecord.js';
import { UserspaceKill } from './userspaceKill.js';

/**
 * Every record `scan --json` writes, one timeline: the kernel OOM killer's records (`oom-kill`,
 * `oom-without-kill`) and the userspace killers' (`userspace-kill`). `type` tells them apart.
 */
export const KillRecord = z.union([OomRecord, UserspaceKill]);
export type KillRecord = z.infer<typeof KillRecord>;

/** Who killed: the kernel's OOM killer, systemd-oomd or earlyoom (the killer column of scan, report, TUI). */
export const Killer = z.enum(['kernel', 'systemd-oomd', 'earlyoom']);
export type Killer = z.infer<typeof Killer>;

export function killerOf(record: KillRecord): Killer {
  return record.type === 'userspace-kill' ? record.killer : 'kernel';
}

/** What was killed, by name: the process (kernel, earlyoom) or the unit or cgroup (systemd-oomd). */
export function victimNameOf(record: KillRecord): string | null {
  if (record.type !== 'userspace-kill') return record.victim?.comm ?? null;
  const v = record.victim;
  return v.comm ?? v.unit ?? v.cgroup;
}
