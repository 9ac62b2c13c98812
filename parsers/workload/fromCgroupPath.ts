import type { Workload } from '../../src/schema/oomRecord.js';

/**
 * Reads the owner of a cgroup from its path: Docker, Kubernetes (pod UID, QoS class, container),
 * Podman, systemd units and user sessions, LXC, systemd-nspawn/libvirt machines. Returns null
 * for the root cgroup and for no path.
 */
const HEX64 = /(?:^|[-/])([0-9a-f]{64})(?:\.scope)?$/;

export function workloadFromCgroupPath(path: string | null): Workload | null {
  if (!path || path === '/') return null;
  const parts = path.split('/').filter(Boolean);
  const last = parts[parts.length - 1] ?? '';
  const container = HEX64.exec(last)?.[1] ?? null;
  const base: Workload = { kind: 'other', id: path, pod: null, qos: null, container, unit: null };

  if (parts[0] === 'kubepods' || parts[0] === 'kubepods.slice') {
    let pod: string | null = null;
    let qos: string | null = 'guaranteed';
    for (const p of parts) {
      const v1 = /^pod([0-9a-f-]{36})$/.exec(p);
      const sd = /^kubepods(?:-(besteffort|burstable))?-pod([0-9a-f_]{36})\.slice$/.exec(p);
      if (v1) pod = v1[1]!;
      if (sd) pod = sd[2]!.replaceAll('_', '-');
      if (p === 'besteffort' || p === 'kubepods-besteffort.slice') qos = 'besteffort';
      if (p === 'burstable' || p === 'kubepods-burstable.slice') qos = 'burstable';
    }
    return { ...base, kind: 'kubernetes', id: pod ?? path, pod, qos };
  }
  if (parts[0] === 'docker' || /^docker-[0-9a-f]{64}\.scope$/.test(parts.find((p) => p.startsWith('docker-')) ?? '')) {
    return { ...base, kind: 'docker', id: container ?? path, container: container ?? dockerId(parts) };
  }
  const libpod = parts.find((p) => p.startsWith('libpod-') && !p.startsWith('libpod-conmon'));
  if (libpod) {
    const id = /^libpod-([0-9a-f]{64})/.exec(libpod)?.[1] ?? null;
    return { ...base, kind: 'podman', id: id ?? path, container: id };
  }
  const lxc = parts[0] === 'lxc' ? parts[1] : /^lxc\.payload\.(.+)$/.exec(parts[0] ?? '')?.[1];
  if (lxc) return { ...base, kind: 'lxc', id: lxc, unit: null };
  const machine = parts.find((p) => p.startsWith('machine-') && p.endsWith('.scope'));
  if (parts[0] === 'machine.slice' && machine) {
    return { ...base, kind: 'machine', id: machine.replace(/\\x2d/g, '-'), unit: machine };
  }
  const user = /^user-(\d+)\.slice$/.exec(parts[1] ?? '');
  if (parts[0] === 'user.slice' && user) {
    const unit = [...parts].reverse().find((p) => /\.(service|scope)$/.test(p) && !/^session-\d+\.scope$/.test(p)) ?? parts[2] ?? null;
    return { ...base, kind: 'user', id: `user-${user[1]}${unit ? `/${unit}` : ''}`, unit };
  }
  const unit = [...parts].reverse().find((p) => /\.(service|scope|slice)$/.test(p));
  if (unit) return { ...base, kind: 'systemd', id: unit, unit };
  return base;
}

function dockerId(parts: string[]): string | null {
  for (const p of parts) {
    const m = /^(?:docker-)?([0-9a-f]{64})(?:\.scope)?$/.exec(p);
    if (m) return m[1]!;
  }
  return null;
}
