import type { KillRecord } from '../schema/killRecord.js';
import { victimNameOf } from '../schema/killIdentity.js';
import type { Workload } from '../schema/oomRecord.js';
import type { GroupBy } from './analysis.js';

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
