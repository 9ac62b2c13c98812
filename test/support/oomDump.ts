/**
 * Kernel OOM reports written for the watch tests: a 5.15 memory-cgroup dump in the syslog
 * (`kern.log`) or `/dev/kmsg` format, with a given victim, and ordinary lines around it.
 */
export interface DumpVictim {
  pid: number;
  comm: string;
  /** Seconds since boot of the first line; each line is 10 µs later. */
  uptime: number;
  /** The memory cgroup (default a Docker container's scope). */
  cgroup?: string;
}

const CONTAINER = 'a3f1c2d4e5b6a7980123456789abcdef0123456789abcdef0123456789abcdef';

/** The messages of one report, without prefixes. */
export function dumpMessages(v: DumpVictim): string[] {
  const cg = v.cgroup ?? `/system.slice/docker-${CONTAINER}.scope`;
  return [
    `${v.comm} invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0`,
    `CPU: 1 PID: ${v.pid} Comm: ${v.comm} Not tainted 5.15.0-91-generic #101-Ubuntu`,
    'Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.3-debian-1.16.3-2 04/01/2014',
    'Call Trace:',
    ' <TASK>',
    ' dump_stack_lvl+0x4a/0x63',
    ' dump_header+0x4a/0x1f4',
    ' oom_kill_process.cold+0xb/0x10',
    ' out_of_memory+0x106/0x2e0',
    ' mem_cgroup_out_of_memory+0x13a/0x150',
    ' </TASK>',
    'memory: usage 524288kB, limit 524288kB, failcnt 42',
    'swap: usage 0kB, limit 0kB, failcnt 0',
    `Memory cgroup stats for ${cg}:`,
    'anon 530000000',
    'file 0',
    'Tasks state (memory values in pages):',
    '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
    `[ ${String(v.pid).padStart(6)}]  1000 ${v.pid}   300000   130000  1200000        0             0 ${v.comm}`,
    `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=${cg},task_memcg=${cg},task=${v.comm},pid=${v.pid},uid=1000`,
    `Memory cgroup out of memory: Killed process ${v.pid} (${v.comm}) total-vm:1200000kB, anon-rss:520000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:1172kB oom_score_adj:0`,
    `oom_reaper: reaped process ${v.pid} (${v.comm}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`,
  ];
}

/** `kern.log` lines (rsyslog's traditional format, printk time kept). */
export function syslogLines(messages: string[], uptime: number, host = 'web-1'): string[] {
  return messages.map((m, i) => `Mar  1 00:50:57 ${host} kernel: [${(uptime + i * 1e-5).toFixed(6).padStart(12)}] ${m}`);
}

/** `/dev/kmsg` records (`PRI,SEQ,USEC,FLAGS;message`), sequence numbers from `seq`. */
export function kmsgLines(messages: string[], uptime: number, seq: number): string[] {
  return messages.map((m, i) => `6,${seq + i},${Math.round((uptime + i * 1e-5) * 1e6)},-;${m}`);
}

/** Ordinary kernel chatter between reports. */
export function noiseMessages(count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => `eth0: link check ${from + i}: NIC Link is Up 1000 Mbps Full Duplex`);
}
