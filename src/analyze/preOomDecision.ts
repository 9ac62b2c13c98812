/**
 * `watch --before-oom CMD`: when to run CMD for a cgroup. Pure: the caller gives the present
 * figures and whether the hook already ran in this life (it runs once per life, and a kill or
 * a drop begins a new life, which re-arms it).
 */
export interface PreOomOptions {
  /** Run when the predicted time to the limit is under this (`--before-oom-lead`, default 30 s). */
  leadSec: number;
  /** Or when usage reaches this share of the limit (`--before-oom-at`, default 0.9). */
  atShare: number;
}

export const DEFAULT_PRE_OOM: PreOomOptions = { leadSec: 30, atShare: 0.9 };

export type PreOomReason = 'lead' | 'usage';

export function preOomReason(
  now: { workingSet: number; limit: number | null; secondsToLimit: number | null },
  firedThisLife: boolean,
  options: PreOomOptions = DEFAULT_PRE_OOM,
): PreOomReason | null {
  if (firedThisLife || now.limit === null) return null;
  if (now.workingSet >= now.limit * options.atShare) return 'usage';
  if (now.secondsToLimit !== null && now.secondsToLimit <= options.leadSec) return 'lead';
  return null;
}
