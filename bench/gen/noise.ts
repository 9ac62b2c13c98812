import type { Random } from './random.js';

/** A line that is not part of any OOM report: what fills a real kern.log or syslog between kills. */
export interface NoiseLine {
  /** null: a kernel line; else the syslog tag of the program (`sshd[812]`). */
  tag: string | null;
  text: string;
}

const ip = (r: Random) => `${r.int(1, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
const mac = (r: Random) => r.hex(12).replace(/(..)(?!$)/g, '$1:');
const macHeader = (r: Random) => `${mac(r)}:${mac(r)}:08:00`;
const veth = (r: Random) => `veth${r.hex(7)}`;

/** Kernel messages of a busy container host, with rough weights (firewall logging dominates). */
const KERNEL_NOISE: readonly [number, (r: Random) => string][] = [
  [30, (r) => `[UFW BLOCK] IN=eth0 OUT= MAC=${macHeader(r)} SRC=${ip(r)} DST=10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)} LEN=${r.int(40, 1500)} TOS=0x00 PREC=0x00 TTL=${r.int(30, 250)} ID=${r.int(1, 65535)} DF PROTO=TCP SPT=${r.int(1024, 65535)} DPT=${r.pick([22, 23, 445, 3389, 5900, 8080])} WINDOW=${r.int(1024, 65535)} RES=0x00 SYN URGP=0`],
  [10, (r) => `audit: type=1400 audit(${r.int(1700000000, 1790000000)}.${r.int(100, 999)}:${r.int(100, 99999)}): apparmor="DENIED" operation="open" class="file" profile="${r.pick(['snap.lxd.daemon', 'cri-containerd.apparmor.d', 'docker-default'])}" name="/proc/${r.int(2, 99999)}/mountinfo" pid=${r.int(2, 99999)} comm="${r.pick(['lxd', 'runc', 'node', 'java'])}" requested_mask="r" denied_mask="r" fsuid=0 ouid=0`],
  [8, (r) => `${r.pick(['docker0', 'cni0', 'br-' + r.hex(12)])}: port ${r.int(1, 40)}(${veth(r)}) entered ${r.pick(['blocking', 'forwarding', 'disabled'])} state`],
  [6, (r) => `IPv6: ADDRCONF(NETDEV_CHANGE): ${veth(r)}: link becomes ready`],
  [4, (r) => `device ${veth(r)} ${r.pick(['entered', 'left'])} promiscuous mode`],
  [3, (r) => `eth0: renamed from ${veth(r)}`],
  [2, () => 'nf_conntrack: nf_conntrack: table full, dropping packet'],
  [2, (r) => `TCP: request_sock_TCP: Possible SYN flooding on port ${r.pick([80, 443, 8443])}. Sending cookies.  Check SNMP counters.`],
  [2, (r) => `perf: interrupt took too long (${r.int(2500, 9000)} > ${r.int(2500, 9000)}), lowering kernel.perf_event_max_sample_rate to ${r.int(20000, 80000)}`],
  [2, (r) => `EXT4-fs (${r.pick(['nvme0n1p1', 'sda1', 'dm-0'])}): mounted filesystem ${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)} r/w with ordered data mode. Quota mode: none.`],
  [2, () => `overlayfs: upper fs does not support RENAME_WHITEOUT.`],
  [1, (r) => `blk_update_request: I/O error, dev sdb, sector ${r.int(1000000, 900000000)} op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 0`],
  [1, (r) => `INFO: task ${r.pick(['kworker/u8:2', 'jbd2/sda1-8', 'postgres'])}:${r.int(100, 99999)} blocked for more than ${r.pick([120, 241, 362])} seconds.`],
  [1, (r) => `NFS: server storage-${r.int(1, 9)} not responding, still trying`],
  [1, (r) => `NFS: server storage-${r.int(1, 9)} OK`],
  [1, (r) => `traps: ${r.pick(['node', 'ruby'])}[${r.int(100, 99999)}] general protection fault ip:${r.hex(12)} sp:7ffd${r.hex(8)} error:0 in libc.so.6[${r.hex(12)}+${r.hex(6)}]`],
  [1, (r) => `${r.pick(['node', 'java', 'python3'])}[${r.int(100, 99999)}]: segfault at ${r.hex(8)} ip 0000${r.hex(12)} sp 00007ff${r.hex(9)} error 6 in ${r.pick(['libc.so.6', 'libjvm.so', 'node'])}[${r.hex(12)}+${r.hex(6)}]`],
  [1, (r) => `xfs filesystem being remounted at /var/lib/kubelet/pods/${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}/volume-subpaths supports timestamps until 2038 (0x7fffffff)`],
];

/** What else a syslog file holds: daemons, cron, sshd, the container runtime. */
const PROGRAM_NOISE: readonly [number, (r: Random) => NoiseLine][] = [
  [12, (r) => ({ tag: `sshd[${r.int(300, 99999)}]`, text: `${r.pick(['Invalid user', 'Connection closed by invalid user'])} ${r.pick(['admin', 'test', 'oracle', 'ubuntu', 'pi'])} ${ip(r)} port ${r.int(1024, 65535)}${r.chance(0.5) ? ' [preauth]' : ''}` })],
  [6, (r) => ({ tag: `CRON[${r.int(300, 99999)}]`, text: `(root) CMD (${r.pick(['command -v debian-sa1 > /dev/null && debian-sa1 1 1', '/usr/lib/php/sessionclean', 'test -x /usr/sbin/anacron || run-parts --report /etc/cron.hourly'])})` })],
  [8, (r) => ({ tag: 'systemd[1]', text: r.pick([`Started Session ${r.int(1, 99999)} of User deploy.`, `Starting ${r.pick(['logrotate', 'apt-daily', 'man-db', 'fstrim'])}.service...`, `run-containerd-runc-k8s.io-${r.hex(64)}-runc.${r.hex(6)}.mount: Deactivated successfully.`]) })],
  [8, (r) => ({ tag: `containerd[${r.int(500, 2000)}]`, text: `time="2026-0${r.int(1, 9)}-1${r.int(0, 9)}T${r.int(10, 23)}:${r.int(10, 59)}:${r.int(10, 59)}.${r.int(100000000, 999999999)}Z" level=info msg="${r.pick(['shim disconnected', 'cleaning up dead shim', 'TaskExit event in podsandbox handler', 'TaskOOM event container_id:' + r.hex(64)])}" id=${r.hex(64)} namespace=k8s.io` })],
  [6, (r) => ({ tag: `kubelet[${r.int(500, 2000)}]`, text: `I0${r.int(100, 999)} ${r.int(10, 23)}:${r.int(10, 59)}:${r.int(10, 59)}.${r.int(100000, 999999)}    ${r.int(500, 2000)} kubelet.go:${r.int(1000, 2999)}] "SyncLoop (PLEG): event for pod" pod="${r.pick(['default', 'payments', 'search'])}/${r.pick(['api', 'worker', 'indexer'])}-${r.hex(10)}-${r.hex(5)}" event={"ID":"${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}","Type":"ContainerStarted"}` })],
  [3, (r) => ({ tag: `dockerd[${r.int(500, 2000)}]`, text: `time="2026-03-0${r.int(1, 9)}T0${r.int(0, 9)}:${r.int(10, 59)}:${r.int(10, 59)}.${r.int(100000000, 999999999)}Z" level=info msg="ignoring event" container=${r.hex(64)} module=libcontainerd namespace=moby topic=/tasks/delete type="*events.TaskDelete"` })],
  [2, (r) => ({ tag: `rsyslogd[${r.int(400, 900)}]`, text: `imjournal: ${r.int(1000, 90000)} messages lost due to rate-limiting (20000 allowed within 600 seconds)` })],
  [1, (r) => ({ tag: `app[${r.int(300, 99999)}]`, text: `warning: heap at ${r.int(80, 99)}% of the container limit, the oom-killer may run soon` })],
];

function weighted<T>(table: readonly [number, T][]): (r: Random) => T {
  const total = table.reduce((sum, [w]) => sum + w, 0);
  return (r) => {
    let x = r.float() * total;
    for (const [w, item] of table) if ((x -= w) < 0) return item;
    return table[table.length - 1]![1];
  };
}

const kernelNoise = weighted(KERNEL_NOISE);
const programNoise = weighted(PROGRAM_NOISE);

/** One noise line: a kernel message, or (when programs log to this file) a daemon's line one time in three. */
export function noiseLine(r: Random, withPrograms: boolean): NoiseLine {
  if (withPrograms && r.chance(1 / 3)) return programNoise(r)(r);
  return { tag: null, text: kernelNoise(r)(r) };
}

/**
 * 32768 noise lines rendered once, then drawn at random: rendering each of a 16 GiB log's
 * 100 million lines anew would make the generator, not the scan, the slow end of a pipe.
 * Prefixes (time, host, printk stamp) are still written per line.
 */
export class NoisePool {
  private readonly lines: { kernel: boolean; bytes: Buffer }[];

  constructor(r: Random, withPrograms: boolean) {
    this.lines = Array.from({ length: 32768 }, () => {
      const n = noiseLine(r, withPrograms);
      const text = n.tag === null ? `${n.text}\n` : `${n.tag}: ${n.text}\n`;
      return { kernel: n.tag === null, bytes: Buffer.from(text, 'latin1') };
    });
  }

  /** A line's text after its prefix (a program's line starts with its tag), and whether it is the kernel's. */
  draw(r: Random): { kernel: boolean; bytes: Buffer } {
    return this.lines[r.u32() & 32767]!;
  }
}
