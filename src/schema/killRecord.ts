import { z } from 'zod';
import { OomRecord } from './oomRecord.js';
import { UserspaceKill } from './userspaceKill.js';

/**
 * Every record `scan --json` writes, one timeline: the kernel OOM killer's records (`oom-kill`,
 * `oom-without-kill`) and the userspace killers' (`userspace-kill`). `type` tells them apart.
 */
export const KillRecord = z.union([OomRecord, UserspaceKill]);
export type KillRecord = z.infer<typeof KillRecord>;

/** Who killed: `kernel`, `systemd-oomd` or `earlyoom` (the killer column of scan, report, TUI). */
export type Killer = 'kernel' | UserspaceKill['killer'];

export function killerOf(record: KillRecord): Killer {
  return record.type === 'userspace-kill' ? record.killer : 'kernel';
}
