import type { KillRecord } from '../schema/killRecord.js';
import { killerOf, victimNameOf } from '../schema/killIdentity.js';
import type { Workload } from '../schema/oomRecord.js';

/** The labels of `oomlens_kills_total` and `oomlens_last_kill_timestamp_seconds`. */
export type KillLabelName = 'killer' | 'host' | 'workload_kind' | 'workload';
export type KillLabels = Record<KillLabelName, string>;

/** Labels whose values come from log text: the series budget folds these. */
export const LOG_DERIVED: readonly KillLabelName[] = ['host', 'workload'];

/** Longest label value kept: a log line may be 64 KiB, a scrape of 500 such series must not be. */
export const MAX_LABEL_CHARS = 128;

/** The workload kinds, plus `none` for a process outside any container or unit. */
export type WorkloadKind = Workload['kind'] | 'none';

/**
 * What names the workload, per kind: the pod UID survives a container restart, a container
 * id is shown as `docker ps` shows it (12 hex), a unit by its name, else the cgroup path.
 */
const WORKLOAD_NAME: Record<Workload['kind'], (w: Workload) => string | null> = {
  kubernetes: (w) => w.pod ?? w.id,
  docker: (w) => shortId(w.container ?? w.id),
  podman: (w) => shortId(w.container ?? w.id),
  systemd: (w) => w.unit ?? w.id,
  user: (w) => w.id,
  lxc: (w) => w.id,
  machine: (w) => w.id,
  other: (w) => w.id,
};

/** The kill's labels, or null for a record that killed nothing (`oom-without-kill`, no victim line). */
export function killLabelsOf(record: KillRecord, localHost: string): KillLabels | null {
  if (record.type === 'oom-without-kill' || (record.type === 'oom-kill' && !record.victim)) return null;
  const host = bounded(record.host ?? localHost);
  const process = victimNameOf(record) ?? 'unknown';
  let w = record.workload;
  // systemd names the unit it stopped even when systemd-oomd's line gave no cgroup path.
  if (w === null && record.type === 'userspace-kill' && record.victim.unit !== null) {
    w = { kind: 'systemd', id: record.victim.unit, unit: record.victim.unit, pod: null, qos: null, container: null };
  }
  const workload_kind: WorkloadKind = w?.kind ?? 'none';
  const workload = bounded((w ? WORKLOAD_NAME[w.kind](w) : null) ?? process);
  return { killer: killerOf(record), host, workload_kind, workload };
}

export function bounded(value: string): string {
  return value.length > MAX_LABEL_CHARS ? `${value.slice(0, MAX_LABEL_CHARS - 1)}…` : value;
}

function shortId(id: string | null): string | null {
  return id !== null && /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}
