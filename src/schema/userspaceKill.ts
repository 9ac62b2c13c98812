import { z } from 'zod';
import { Workload } from './oomRecord.js';

/**
 * A kill by a userspace OOM killer: systemd-oomd (kills a whole cgroup when its memory pressure
 * or the system's swap use stays too high) or earlyoom (signals the process with the highest
 * oom_score, or RSS, when available memory and free swap are both low). Neither appears in a
 * kernel OOM report; both log to the journal / syslog. As in the kernel record, a value the log
 * did not print is null, never 0, and units are the ones the daemon printed.
 */

const percent = z.number().nullable();

export const UserspaceKiller = z.enum(['systemd-oomd', 'earlyoom']);
export type UserspaceKiller = z.infer<typeof UserspaceKiller>;

export const OomdCandidate = z
  .object({
    rank: z.number().int().describe('1-based place in the list as systemd-oomd logged it (best candidate first)'),
    cgroup: z.string(),
    pressureLimitPercent: percent.describe('`Memory Pressure Limit`'),
    pressureAvg10: percent.describe('`Pressure: Avg10`, percent of time stalled (full)'),
    pressureAvg60: percent,
    pressureAvg300: percent,
    memoryBytes: z.number().nullable().describe('`Current Memory Usage`, read from systemd size text (`43.3G`: 1024-based, as precise as printed)'),
    swapBytes: z.number().nullable().describe('`Swap Usage` (swap-based kills), as precise as printed'),
    pgscan: z.number().int().nullable(),
    lastPgscan: z.number().int().nullable(),
  })
  .describe('one entry of systemd-oomd\'s "Considered N cgroups for killing, top candidates were:" block');
export type OomdCandidate = z.infer<typeof OomdCandidate>;

export const UserspaceVictim = z
  .object({
    cgroup: z.string().nullable().describe('systemd-oomd: the cgroup it killed, every process in it'),
    unit: z
      .string()
      .nullable()
      .describe('systemd-oomd: the unit, from systemd\'s `<unit>: systemd-oomd killed N process(es) in this unit.` line or the cgroup path'),
    processesKilled: z.number().int().nullable().describe('systemd-oomd: N from that unit line; null for `some process(es)`'),
    pid: z.number().int().nullable().describe('earlyoom'),
    comm: z.string().nullable().describe('earlyoom: the process name'),
    uid: z.number().int().nullable().describe('earlyoom 1.4+'),
    vmRssMiB: z.number().nullable().describe('earlyoom: `VmRSS`, MiB'),
    oomScore: z.number().int().nullable().describe('earlyoom: `oom_score` (newer releases)'),
    oomScoreAdj: z.number().int().nullable().describe('earlyoom: `oom_score_adj` (newest releases)'),
    badness: z.number().int().nullable().describe('earlyoom 1.2-1.8: `badness` (oom_score with --prefer/--avoid applied)'),
    cmdline: z.string().nullable().describe('earlyoom: the command line, when logged'),
  })
  .describe('who was killed: a cgroup/unit (systemd-oomd) or a process (earlyoom)');
export type UserspaceVictim = z.infer<typeof UserspaceVictim>;

export const KillReason = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('memory-pressure'),
      cgroup: z.string().nullable().describe('the monitored cgroup whose pressure stayed above its limit'),
      pressurePercent: percent.describe('its memory pressure (avg10) at the kill; null on v247'),
      limitPercent: percent,
      durationSec: z.number().nullable().describe('how long it had to stay above the limit'),
    }),
    z.object({
      kind: z.literal('swap'),
      memoryUsedBytes: z.number().nullable().describe('systemd 250+'),
      memoryTotalBytes: z.number().nullable(),
      swapUsedBytes: z.number().nullable(),
      swapTotalBytes: z.number().nullable(),
      limitPercent: percent.describe('SwapUsedLimit: the use (of memory and swap, 250+) that was exceeded'),
    }),
    z.object({
      kind: z.literal('low-memory'),
      memAvailableMiB: z.number().nullable(),
      memTotalMiB: z.number().nullable(),
      memAvailablePercent: percent,
      swapFreeMiB: z.number().nullable(),
      swapTotalMiB: z.number().nullable(),
      swapFreePercent: percent,
      limitSignal: z.enum(['SIGTERM', 'SIGKILL']).nullable().describe('which limits were crossed (1.2+)'),
      memLimitPercent: percent,
      swapLimitPercent: percent,
      memLimitMiB: z.number().nullable().describe('earlyoom up to 1.1: `min:` of `Out of memory! avail: ... < min: ...`'),
    }),
  ])
  .describe('why the daemon acted, as the numbers it logged');
export type KillReason = z.infer<typeof KillReason>;

export const EarlyoomAction = z
  .object({
    signal: z.enum(['SIGTERM', 'SIGKILL']).nullable().describe('the first signal sent; null for earlyoom up to 1.1 (`Killing process`)'),
    escalated: z.boolean().describe('SIGKILL followed the SIGTERM'),
    escalatedAfterSec: z.number().nullable(),
    exitedAfterSec: z.number().nullable(),
    outcome: z.enum(['exited', 'did-not-exit', 'kill-failed']).nullable().describe('null when the log does not say'),
  })
  .describe('what earlyoom did to the process and what came of it');
export type EarlyoomAction = z.infer<typeof EarlyoomAction>;

export const UserspaceKill = z.object({
  type: z.literal('userspace-kill'),
  killer: UserspaceKiller,
  eventId: z.string().describe('unique per kill: input and line'),
  host: z.string().nullable(),
  time: z.string().nullable().describe('ISO 8601 time of the kill line'),
  victim: UserspaceVictim,
  workload: Workload.nullable().describe('what the victim cgroup path says (systemd-oomd)'),
  reason: KillReason.nullable(),
  consideredCount: z.number().int().nullable().describe('systemd-oomd 251+: N of "Considered N cgroups for killing"'),
  candidates: z.array(OomdCandidate).nullable().describe('systemd-oomd 251+: the ranked candidates, ending with the one killed'),
  action: EarlyoomAction.nullable().describe('earlyoom; null for systemd-oomd (always SIGKILL to the whole cgroup)'),
  source: z.object({
    file: z.string().nullable(),
    line: z.number().int().describe('1-based line of the kill line (or of the only line seen)'),
  }),
  rawLines: z.array(z.string()).optional().describe('the lines the record was read from (only with --raw)'),
});
export type UserspaceKill = z.infer<typeof UserspaceKill>;
