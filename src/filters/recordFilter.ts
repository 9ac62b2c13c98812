import type { KillRecord } from '../schema/killRecord.js';
import { globToRegExp } from './globPattern.js';

/** The record filters every batch command takes (`inputOptions`); all given ones must hold. */
export interface RecordFilterOptions {
  /** Epoch ms; records without a time do not pass a time filter. */
  sinceMs?: number | null;
  untilMs?: number | null;
  /** Globs; a record passes when one of them matches. */
  hosts?: readonly string[];
  /** Matched against the victim's comm (the allocating task's when no victim is named). */
  comms?: readonly string[];
  /** Matched against the OOMing cgroup and the victim's (the killed / monitored cgroup for systemd-oomd). */
  cgroups?: readonly string[];
}

/** Builds the predicate, or null when no filter is given. */
export function recordFilter(options: RecordFilterOptions): ((record: KillRecord) => boolean) | null {
  const since = options.sinceMs ?? null;
  const until = options.untilMs ?? null;
  const hosts = anyOf(options.hosts);
  const comms = anyOf(options.comms);
  const cgroups = anyOf(options.cgroups);
  if (since === null && until === null && !hosts && !comms && !cgroups) return null;
  return (record) => {
    if (since !== null || until !== null) {
      const t = record.time === null ? NaN : Date.parse(record.time);
      if (Number.isNaN(t) || (since !== null && t < since) || (until !== null && t > until)) return false;
    }
    if (hosts && !hosts([record.host])) return false;
    if (comms && !comms(commsOf(record))) return false;
    if (cgroups && !cgroups(cgroupsOf(record))) return false;
    return true;
  };
}

function anyOf(globs: readonly string[] | undefined): ((values: (string | null)[]) => boolean) | null {
  if (!globs || globs.length === 0) return null;
  const patterns = globs.map(globToRegExp);
  return (values) => values.some((v) => v !== null && patterns.some((p) => p.test(v)));
}

function commsOf(record: KillRecord): (string | null)[] {
  if (record.type === 'userspace-kill') return [record.victim.comm];
  return [record.victim?.comm ?? record.trigger?.comm ?? null];
}

function cgroupsOf(record: KillRecord): (string | null)[] {
  if (record.type === 'userspace-kill') return [record.victim.cgroup, record.reason?.kind === 'memory-pressure' ? record.reason.cgroup : null];
  return [record.cgroup?.path ?? null, record.taskMemcg];
}
