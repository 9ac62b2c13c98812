import type { KillRecord } from '../schema/killRecord.js';
import { victimNameOf } from '../schema/killIdentity.js';
import type { Workload } from '../schema/oomRecord.js';
import type { GroupBy } from './analysis.js';
import { formatKb } from '../render/killTable.js';

/**
 * The group a kill belongs to, for each `--by` view. Workload identity is normalised to what
 * survives a restart where the cgroup path allows it: a Kubernetes pod keeps its UID when a
 * container restarts under a new id, a systemd unit keeps its name. A Docker or Podman path holds
 * only the container id, so a recreated container is a new group.
 */
export interface GroupKey {
  key: string;
  label: string;
}

const UNKNOWN_COMM = '(unknown process)';

export function groupKeyOf(r: KillRecord, by: GroupBy): GroupKey {
  const name = victimNameOf(r) ?? UNKNOWN_COMM;
  switch (by) {
    case 'service':
      return serviceKey(r, name);
    case 'comm':
      return { key: name, label: name };
    case 'workload':
      // systemd's unit line alone names the unit but not its cgroup path.
      if (r.type === 'userspace-kill' && r.workload === null && r.victim.unit !== null) return { key: `systemd:${r.victim.unit}`, label: `systemd ${r.victim.unit}` };
      return workloadKey(r.workload, name);
    case 'cgroup': {
      if (r.type === 'userspace-kill') {
        // systemd-oomd kills a cgroup without any limit being hit; earlyoom acts on the whole host.
        const path = r.victim.cgroup;
        if (path !== null) return { key: path, label: path };
        return r.killer === 'earlyoom' ? { key: '(no cgroup limit)', label: 'no cgroup limit (whole-system OOM)' } : { key: '(unnamed cgroup)', label: 'a cgroup the log does not name' };
      }
      const path = r.cgroup?.path ?? null;
      if (path !== null) return { key: path, label: path };
      return r.cgroup === null && r.constraint !== 'CONSTRAINT_MEMCG'
        ? { key: '(no cgroup limit)', label: 'no cgroup limit (whole-system OOM)' }
        : { key: '(unnamed cgroup)', label: 'a cgroup the log does not name' };
    }
    case 'host': {
      const host = r.host ?? '(unknown host)';
      return { key: host, label: host };
    }
  }
}

function short(id: string): string {
  return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}

export function workloadKey(w: Workload | null, comm: string): GroupKey {
  if (w === null) return { key: `process:${comm}`, label: `${comm} (no container or unit)` };
  switch (w.kind) {
    case 'kubernetes':
      return w.pod !== null
        ? { key: `kubernetes:pod/${w.pod}`, label: `Kubernetes pod ${w.pod}${w.qos ? ` (${w.qos})` : ''}` }
        : { key: `kubernetes:${w.id ?? ''}`, label: `Kubernetes ${w.id ?? ''}` };
    case 'docker':
    case 'podman':
      return { key: `${w.kind}:${w.container ?? w.id ?? ''}`, label: `${w.kind === 'docker' ? 'Docker' : 'Podman'} container ${short(w.container ?? w.id ?? '')}` };
    case 'systemd':
      return { key: `systemd:${w.unit ?? w.id ?? ''}`, label: `systemd ${w.unit ?? w.id ?? ''}` };
    case 'user':
      return { key: `user:${w.id ?? ''}`, label: `user session ${w.id ?? ''}` };
    case 'lxc':
      return { key: `lxc:${w.id ?? ''}`, label: `LXC container ${w.id ?? ''}` };
    case 'machine':
      return { key: `machine:${w.id ?? ''}`, label: `machine ${w.id ?? ''}` };
    case 'other':
      return { key: `cgroup:${w.id ?? ''}`, label: `cgroup ${w.id ?? ''}` };
  }
}

/**
 * The service a kill belongs to: the workload its cgroup path proves (a Kubernetes pod, a Docker
 * or Podman container, a systemd unit or scope), else the plain cgroup path itself, which never
 * merges with another path. Kills outside any memory cgroup (whole-system OOMs) group by process
 * name per host. Kubernetes paths carry only the pod UID and container id, both new when a pod is
 * recreated: kills of one process name at one limit and QoS class on one host are taken to be one
 * workload (likely one Deployment or ReplicaSet; inferred, and labelled so).
 */
export function serviceKey(r: KillRecord, comm: string): GroupKey {
  const host = r.host ?? '(unnamed host)';
  if (r.type === 'userspace-kill') {
    if (r.workload === null && r.victim.unit !== null) return { key: `systemd:${r.victim.unit}`, label: `systemd ${r.victim.unit}` };
    if (r.workload === null && r.victim.cgroup !== null) return { key: `cgroup:${r.victim.cgroup}`, label: r.victim.cgroup };
    return r.workload === null ? { key: `process:${host}:${comm}`, label: `${comm} on ${host} (no cgroup)` } : workloadServiceKey(r.workload, comm, host, null);
  }
  const path = r.cgroup?.path ?? r.taskMemcg ?? null;
  const memcg = r.cgroup !== null || r.constraint === 'CONSTRAINT_MEMCG';
  if (!memcg || path === null || path === '/') {
    return memcg ? { key: `memcg:${host}:${comm}`, label: `${comm} on ${host} (a cgroup the log does not name)` } : { key: `process:${host}:${comm}`, label: `${comm} on ${host} (whole-system OOM, no cgroup)` };
  }
  const w = r.workload;
  if (w === null || w.kind === 'other') return { key: `cgroup:${path}`, label: path };
  return workloadServiceKey(w, comm, host, r.cgroup?.limitKb ?? null);
}

function workloadServiceKey(w: Workload, comm: string, host: string, limitKb: number | null): GroupKey {
  if (w.kind === 'kubernetes') {
    const qos = w.qos ?? 'unknown QoS';
    const limit = limitKb !== null ? ` at a ${formatKb(limitKb)} limit` : '';
    return {
      key: `kubernetes:${host}:${qos}:${comm}:${limitKb ?? ''}`,
      label: `${comm} in Kubernetes ${qos} pods on ${host}${limit}`,
    };
  }
  return workloadKey(w, comm);
}
