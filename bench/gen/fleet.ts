import { KERNELS, type DumpTask, type KernelTemplate, type KillStory } from './dumps.js';
import { LineSource } from './prefix.js';
import type { Random } from './random.js';

const HOST_NAMES = ['web-1', 'web-2', 'db-1', 'worker-3', 'edge-7', 'batch-2', 'api-4', 'cache-9'];
const SERVICE_NAMES = ['java', 'node', 'python3', 'postgres', 'ruby', 'php-fpm', 'mysqld', 'nginx', 'celery', 'gunicorn', 'envoy', 'redis-server'];
const SYSTEM_TASKS = ['systemd-journal', 'systemd-udevd', 'sshd', 'cron', 'rsyslogd', 'containerd', 'dockerd', 'kubelet', 'agetty', 'chronyd'];
const CONTAINER_INIT = ['tini', 'pause', 'sh', 'dumb-init'];
const LIMITS_KB = [262144, 524288, 1048576, 2097152, 4194304];
const PID_MAX = 4194304;

/** Fisher-Yates with the seeded generator (a random sort comparator is not portable). */
function shuffled<T>(items: readonly T[], r: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** One service of a host: what dies again and again in a crash loop. */
interface Service {
  name: string;
  uid: number;
  cgroup: string;
  limitKb: number;
  totalVmPages: number;
  oomScoreAdj: number;
  weight: number;
}

/** One machine of the fleet: its kernel, its boot time, its services and its pid counter. */
export class Host extends LineSource {
  /** `web-1 ` before a program's tag. */
  readonly hostSpace: Buffer;
  private readonly services: Service[];
  private readonly totalWeight: number;
  private nextPid: number;

  constructor(
    host: string,
    readonly kernel: KernelTemplate,
    bootMicros: number,
    r: Random,
  ) {
    super(host, bootMicros, kernel.printkTime);
    this.hostSpace = Buffer.from(`${host} `, 'latin1');
    this.nextPid = r.int(1000, 30000);
    const names = shuffled(SERVICE_NAMES, r).slice(0, r.int(3, 7));
    // Zipf-like: the first service crash-loops most.
    this.services = names.map((name, i) => ({
      name,
      uid: r.pick([0, 33, 999, 1000, 1001, 65534]),
      cgroup: kernel.cgroupOf(name, r),
      limitKb: r.pick(LIMITS_KB),
      totalVmPages: r.int(200000, 2000000),
      oomScoreAdj: kernel.scope === 'memcg-v2' ? r.pick([985, 999, 1000]) : r.pick([0, 0, 0, 500]),
      weight: 1 / (i + 1),
    }));
    this.totalWeight = this.services.reduce((s, x) => s + x.weight, 0);
  }

  private pid(r: Random): number {
    this.nextPid += r.int(1, 700);
    if (this.nextPid >= PID_MAX) this.nextPid = 300 + (this.nextPid % 1000);
    return this.nextPid;
  }

  private service(r: Random): Service {
    let x = r.float() * this.totalWeight;
    for (const s of this.services) if ((x -= s.weight) < 0) return s;
    return this.services[0]!;
  }

  /** The next kill on this host: a service hits its limit (or the host runs out, on a global kernel). */
  nextKill(r: Random): KillStory {
    const s = this.service(r);
    const global = this.kernel.scope === 'global';
    const limitKb = global ? r.int(4, 16) * 1048576 : s.limitKb;
    const victim: DumpTask = {
      pid: this.pid(r),
      uid: s.uid,
      name: s.name,
      totalVmPages: s.totalVmPages + r.int(0, 50000),
      rssPages: Math.floor((limitKb / 4) * (global ? r.int(70, 92) / 100 : r.int(960, 995) / 1000)),
      oomScoreAdj: s.oomScoreAdj,
    };
    const helper = (name: string, pid: number): DumpTask => ({
      pid,
      uid: r.pick([0, s.uid]),
      name,
      totalVmPages: r.int(200, 90000),
      rssPages: r.int(1, 4000),
      oomScoreAdj: global ? r.pick([0, -250, -999, -1000]) : s.oomScoreAdj,
    });
    const others = global
      ? Array.from({ length: r.int(6, 30) }, (_, i) => helper(r.pick(SYSTEM_TASKS), 300 + i * r.int(5, 60)))
      : Array.from({ length: r.int(1, 3) }, (_, i) => helper(i === 0 ? r.pick(CONTAINER_INIT) : s.name, Math.max(2, victim.pid - r.int(1, 40) - i * 50)));
    const tasks = [...others, victim].sort((a, b) => a.pid - b.pid);
    return { victim, memcg: global ? null : s.cgroup, taskMemcg: s.cgroup, limitKb, tasks, cpu: r.int(0, 7) };
  }
}

/** `count` hosts, named, each with its kernel; the kernels differ between hosts (one per host, in turn). */
export function makeFleet(count: number, seed: number, startMicros: number, r: Random): Host[] {
  return Array.from({ length: count }, (_, i) => {
    const name = i < HOST_NAMES.length ? HOST_NAMES[i]! : `node-${i + 1}`;
    const kernel = KERNELS[(i + seed) % KERNELS.length]!;
    return new Host(name, kernel, startMicros - r.int(100, 5_000_000) * 1e6, r);
  });
}
