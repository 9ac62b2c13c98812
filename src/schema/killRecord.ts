import { z } from 'zod';
import { OomRecord } from './oomRecord.js';
import { UserspaceKill } from './userspaceKill.js';
import type { Killer as KillerName } from './killIdentity.js';

/**
 * Every record `scan --json` writes, one timeline: the kernel OOM killer's records (`oom-kill`,
 * `oom-without-kill`) and the userspace killers' (`userspace-kill`). `type` tells them apart.
 */
export const KillRecord = z.union([OomRecord, UserspaceKill]);
export type KillRecord = z.infer<typeof KillRecord>;
export type Killer = KillerName;

/** Who killed: the kernel's OOM killer, systemd-oomd or earlyoom (the killer column of scan, report, TUI). */
export const Killer = z.enum(['kernel', 'systemd-oomd', 'earlyoom'] satisfies KillerName[]);

export { killerOf, victimNameOf } from './killIdentity.js';
