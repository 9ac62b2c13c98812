import type { Random } from './random.js';

/** One process in a dump's task table (memory in pages, as the kernel prints it). */
export interface DumpTask {
  pid: number;
  uid: number;
  name: string;
  totalVmPages: number;
  rssPages: number;
  oomScoreAdj: number;
}

/** What one OOM kill is about; a kernel template turns it into that kernel's lines. */
export interface KillStory {
  /** The allocating task, which is also the victim here (the common case of a crash loop). */
  victim: DumpTask;
  /** The memory cgroup whose limit was hit; null for a host-wide OOM. */
  memcg: string | null;
  /** The victim's own cgroup (`task_memcg=`), for a global OOM too. */
  taskMemcg: string;
  limitKb: number;
  /** Every task in the table, the victim among them. */
  tasks: DumpTask[];
  cpu: number;
}

export type DumpScope = 'global' | 'memcg-v1' | 'memcg-v2';

/** One kernel release's way of printing an OOM kill. */
export interface KernelTemplate {
  release: string;
  scope: DumpScope;
  /** Whether syslog lines of this kernel carry the printk stamp (RHEL 6 logs without). */
  printkTime: boolean;
  /** The cgroup a service of this host runs in (the container runtime of its era). */
  cgroupOf: (service: string, r: Random) => string;
  lines: (s: KillStory, r: Random) => string[];
}

const kb = (pages: number) => pages * 4;
const col = (n: number, width: number) => String(n).padStart(width);
const score = (s: KillStory) => Math.min(1000, Math.round((s.victim.rssPages * 4 * 1000) / Math.max(1, s.limitKb)));

/** The v1 task table of 2.6/3.x kernels ([ pid ] ... nr_ptes ...). */
function tableV1(tasks: DumpTask[], withPmds: boolean, r: Random): string[] {
  const head = withPmds
    ? '[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name'
    : '[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name';
  return [
    head,
    ...tasks.map((t) => {
      const ptes = col(Math.max(4, Math.floor(t.totalVmPages / 512)), 7);
      const pmds = withPmds ? ` ${col(r.int(3, 9), 7)}` : '';
      return `[${col(t.pid, 5)}] ${col(t.uid, 5)} ${col(t.pid, 5)} ${col(t.totalVmPages, 8)} ${col(t.rssPages, 8)} ${ptes}${pmds} ${col(0, 8)} ${col(t.oomScoreAdj, 13)} ${t.name}`;
    }),
  ];
}

/** The 4.19+ task table with pgtables_bytes, optionally the 6.x rss_anon/rss_file/rss_shmem columns. */
function tableModern(tasks: DumpTask[], rssColumns: boolean): string[] {
  const head = rssColumns
    ? '[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name'
    : '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name';
  return [
    'Tasks state (memory values in pages):',
    head,
    ...tasks.map((t) => {
      const pgtables = col(Math.max(8, Math.floor(t.totalVmPages / 512)) * 4096, 14);
      const split = rssColumns ? ` ${col(t.rssPages - (t.rssPages >> 6), 8)} ${col(t.rssPages >> 6, 8)} ${col(0, 9)}` : '';
      return `[${col(t.pid, 7)}] ${col(t.uid, 5)} ${col(t.pid, 5)} ${col(t.totalVmPages, 8)} ${col(t.rssPages, 8)}${split} ${pgtables} ${col(0, 8)} ${col(t.oomScoreAdj, 13)} ${t.name}`;
    }),
  ];
}

function memInfoLines(r: Random, anonPages: number, extra: boolean): string[] {
  return [
    'Mem-Info:',
    `active_anon:${r.int(800, 40000)} inactive_anon:${anonPages} isolated_anon:0`,
    ` active_file:${r.int(0, 400)} inactive_file:${r.int(0, 400)} isolated_file:0`,
    ' unevictable:0 dirty:0 writeback:0',
    ` slab_reclaimable:${r.int(3000, 9000)} slab_unreclaimable:${r.int(8000, 20000)}`,
    ` mapped:${r.int(10, 900)} shmem:${r.int(100, 900)} pagetables:${r.int(2000, 9000)}${extra ? '' : ' bounce:0'}`,
    ...(extra ? [' sec_pagetables:0 bounce:0', ' kernel_misc_reclaimable:0'] : []),
    ` free:${r.int(12000, 30000)} free_pcp:${r.int(0, 90)} free_cma:0`,
  ];
}

function buddyLines(r: Random): string[] {
  return [
    `Node 0 DMA free:15360kB min:128kB low:160kB high:192kB reserved_highatomic:0KB active_anon:0kB inactive_anon:0kB present:15992kB managed:15360kB`,
    `lowmem_reserve[]: 0 2910 ${r.int(7000, 16000)} ${r.int(7000, 16000)} ${r.int(7000, 16000)}`,
    'Node 0 DMA: 0*4kB 0*8kB 0*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 1*1024kB (U) 1*2048kB (M) 3*4096kB (M) = 15360kB',
    'Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB',
    `${r.int(200, 4000)} total pagecache pages`,
    '0 pages in swap cache',
    'Free swap  = 0kB',
    'Total swap = 0kB',
    `${r.int(1000000, 4200000)} pages RAM`,
    `${r.int(20000, 90000)} pages reserved`,
  ];
}

const dockerId = (r: Random) => r.hex(64);
const podSlice = (r: Random) =>
  `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${r.hex(8)}_${r.hex(4)}_${r.hex(4)}_${r.hex(4)}_${r.hex(12)}.slice`;

/**
 * The kernels of the generated fleet, oldest first. Each prints its dump the way that release
 * does (the fixtures hold captured examples of these shapes).
 */
export const KERNELS: readonly KernelTemplate[] = [
  {
    release: '2.6.32-754.35.1.el6.x86_64',
    scope: 'global',
    printkTime: false,
    cgroupOf: () => '/',
    lines: (s, r) => [
      `${s.victim.name} invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0`,
      `${s.victim.name} cpuset=/ mems_allowed=0`,
      `Pid: ${s.victim.pid}, comm: ${s.victim.name} Not tainted 2.6.32-754.35.1.el6.x86_64 #1`,
      'Call Trace:',
      '[<ffffffff81134d51>] ? cpuset_print_task_mems_allowed+0x91/0xb0',
      '[<ffffffff81186e62>] ? dump_header+0x90/0x1b0',
      '[<ffffffff811873e2>] ? oom_kill_process+0x82/0x2a0',
      '[<ffffffff81187321>] ? select_bad_process+0xe1/0x120',
      '[<ffffffff81187820>] ? out_of_memory+0x220/0x3c0',
      'Mem-Info:',
      'Node 0 DMA per-cpu:',
      'CPU    0: hi:    0, btch:   1 usd:   0',
      `active_anon:${s.victim.rssPages} inactive_anon:${r.int(1000, 300000)} isolated_anon:0`,
      `active_file:${r.int(100, 400)} inactive_file:${r.int(100, 400)} isolated_file:0`,
      'unevictable:0 dirty:3 writeback:0 unstable:0',
      `free:${r.int(20000, 30000)} slab_reclaimable:${r.int(2000, 4000)} slab_unreclaimable:${r.int(8000, 10000)}`,
      `mapped:${r.int(100, 300)} shmem:112 pagetables:${r.int(3000, 6000)} bounce:0`,
      `${r.int(900, 2000)} total pagecache pages`,
      '0 pages in swap cache',
      'Swap cache stats: add 0, delete 0, find 0/0',
      'Free swap  = 0kB',
      'Total swap = 0kB',
      `${r.int(2000000, 4000000)} pages RAM`,
      `${r.int(60000, 90000)} pages reserved`,
      '[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name',
      ...s.tasks.map((t) => `[${col(t.pid, 5)}] ${col(t.uid, 5)} ${col(t.pid, 5)} ${col(t.totalVmPages, 8)} ${col(t.rssPages, 8)} ${col(s.cpu % 4, 3)} ${col(0, 7)} ${col(t.oomScoreAdj, 13)} ${t.name}`),
      `Out of memory: Kill process ${s.victim.pid} (${s.victim.name}) score ${score(s)} or sacrifice child`,
      `Killed process ${s.victim.pid}, UID ${s.victim.uid}, (${s.victim.name}) total-vm:${kb(s.victim.totalVmPages)}kB, anon-rss:${kb(s.victim.rssPages)}kB, file-rss:${r.int(100, 900)}kB`,
    ],
  },
  {
    release: '3.10.0-1160.el7.x86_64',
    scope: 'memcg-v1',
    printkTime: true,
    cgroupOf: (_service, r) => `/system.slice/docker-${dockerId(r)}.scope`,
    lines: (s, r) => [
      `${s.victim.name} invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0`,
      `${s.victim.name} cpuset=${s.memcg!.split('/').pop()} mems_allowed=0`,
      `CPU: ${s.cpu} PID: ${s.victim.pid} Comm: ${s.victim.name} Kdump: loaded Not tainted 3.10.0-1160.el7.x86_64 #1`,
      'Hardware name: VMware, Inc. VMware Virtual Platform/440BX Desktop Reference Platform, BIOS 6.00 12/12/2018',
      'Call Trace:',
      ' [<ffffffffa0b81340>] dump_stack+0x19/0x1b',
      ' [<ffffffffa0b7bd8a>] dump_header+0x90/0x229',
      ' [<ffffffffa05c254d>] oom_kill_process+0x2cd/0x490',
      ' [<ffffffffa063e3c6>] mem_cgroup_oom_synchronize+0x546/0x570',
      ' [<ffffffffa05c2e33>] pagefault_out_of_memory+0x13/0x50',
      `Task in ${s.memcg} killed as a result of limit of ${s.memcg}`,
      `memory: usage ${s.limitKb}kB, limit ${s.limitKb}kB, failcnt ${r.int(1, 90000)}`,
      `memory+swap: usage ${s.limitKb}kB, limit 9007199254740988kB, failcnt 0`,
      `kmem: usage 0kB, limit 9007199254740988kB, failcnt 0`,
      `Memory cgroup stats for ${s.memcg}: cache:${r.int(0, 900)}KB rss:${kb(s.victim.rssPages)}KB rss_huge:0KB mapped_file:${r.int(0, 90)}KB swap:0KB inactive_anon:0KB active_anon:${kb(s.victim.rssPages)}KB inactive_file:0KB active_file:0KB unevictable:0KB`,
      ...tableV1(s.tasks, false, r),
      `Memory cgroup out of memory: Kill process ${s.victim.pid} (${s.victim.name}) score ${score(s)} or sacrifice child`,
      `Killed process ${s.victim.pid} (${s.victim.name}), UID ${s.victim.uid}, total-vm:${kb(s.victim.totalVmPages)}kB, anon-rss:${kb(s.victim.rssPages)}kB, file-rss:${r.int(100, 9000)}kB, shmem-rss:0kB`,
    ],
  },
  {
    release: '4.14.186-146.268.amzn2.x86_64',
    scope: 'memcg-v1',
    printkTime: true,
    cgroupOf: (_service, r) => `/docker/${dockerId(r)}`,
    lines: (s, r) => [
      `${s.victim.name} invoked oom-killer: gfp_mask=0x14000c0(GFP_KERNEL), nodemask=(null),  order=0, oom_score_adj=0`,
      `${s.victim.name} cpuset=${s.memcg!.split('/').pop()} mems_allowed=0`,
      `CPU: ${s.cpu} PID: ${s.victim.pid} Comm: ${s.victim.name} Not tainted 4.14.186-146.268.amzn2.x86_64 #1`,
      'Hardware name: Amazon EC2 m5.large/, BIOS 1.0 10/16/2017',
      'Call Trace:',
      ' dump_stack+0x66/0x82',
      ' dump_header+0x94/0x229',
      ' oom_kill_process+0x223/0x440',
      ' out_of_memory+0x112/0x4e0',
      ' mem_cgroup_out_of_memory+0x4b/0x80',
      ' mem_cgroup_oom_synchronize+0x2e8/0x320',
      ' pagefault_out_of_memory+0x36/0x7b',
      ' page_fault+0x45/0x50',
      `Task in ${s.memcg} killed as a result of limit of ${s.memcg}`,
      `memory: usage ${s.limitKb}kB, limit ${s.limitKb}kB, failcnt ${r.int(1, 9000)}`,
      `memory+swap: usage ${s.limitKb}kB, limit ${s.limitKb * 2}kB, failcnt 0`,
      `kmem: usage ${r.int(2000, 12000)}kB, limit 9007199254740988kB, failcnt 0`,
      `Memory cgroup stats for ${s.memcg}: cache:${r.int(0, 900)}KB rss:${kb(s.victim.rssPages)}KB rss_huge:0KB shmem:0KB mapped_file:36KB dirty:0KB writeback:0KB swap:0KB inactive_anon:0KB active_anon:${kb(s.victim.rssPages)}KB inactive_file:0KB active_file:0KB unevictable:0KB`,
      ...tableV1(s.tasks, true, r),
      `Memory cgroup out of memory: Kill process ${s.victim.pid} (${s.victim.name}) score ${score(s)} or sacrifice child`,
      `Killed process ${s.victim.pid} (${s.victim.name}) total-vm:${kb(s.victim.totalVmPages)}kB, anon-rss:${kb(s.victim.rssPages)}kB, file-rss:${r.int(100, 9000)}kB, shmem-rss:0kB`,
      `oom_reaper: reaped process ${s.victim.pid} (${s.victim.name}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`,
    ],
  },
  {
    release: '5.10.0-28-cloud-amd64',
    scope: 'memcg-v2',
    printkTime: true,
    cgroupOf: (_service, r) => `${podSlice(r)}/cri-containerd-${dockerId(r)}.scope`,
    lines: (s, r) => [
      `${s.victim.name} invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=${s.victim.oomScoreAdj}`,
      `CPU: ${s.cpu} PID: ${s.victim.pid} Comm: ${s.victim.name} Not tainted 5.10.0-28-cloud-amd64 #1 Debian 5.10.209-2`,
      'Hardware name: Google Google Compute Engine/Google Compute Engine, BIOS Google 01/01/2011',
      'Call Trace:',
      ' dump_stack+0x6b/0x83',
      ' dump_header+0x4a/0x1f3',
      ' oom_kill_process.cold+0xb/0x10',
      ' out_of_memory+0x1bd/0x4e0',
      ' mem_cgroup_out_of_memory+0x134/0x150',
      ' try_charge+0x6a9/0x740',
      ' mem_cgroup_charge+0x7f/0x230',
      ' handle_mm_fault+0xd8c/0x1a30',
      ' exc_page_fault+0x1f8/0x580',
      ' asm_exc_page_fault+0x1e/0x30',
      `memory: usage ${s.limitKb}kB, limit ${s.limitKb}kB, failcnt ${r.int(1, 900)}`,
      'swap: usage 0kB, limit 0kB, failcnt 0',
      `Memory cgroup stats for ${s.memcg}:`,
      `anon ${kb(s.victim.rssPages) * 1024}`,
      `file ${r.int(100000, 9000000)}`,
      `kernel_stack ${r.int(10, 90) * 16384}`,
      'sock 0',
      'shmem 0',
      `pgfault ${r.int(10000, 900000)}`,
      `pgmajfault ${r.int(0, 90)}`,
      ...tableModern(s.tasks, false),
      `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=${s.memcg!.split('/').pop()},mems_allowed=0,oom_memcg=${s.memcg},task_memcg=${s.taskMemcg},task=${s.victim.name},pid=${s.victim.pid},uid=${s.victim.uid}`,
      `Memory cgroup out of memory: Killed process ${s.victim.pid} (${s.victim.name}) total-vm:${kb(s.victim.totalVmPages)}kB, anon-rss:${kb(s.victim.rssPages)}kB, file-rss:${r.int(100, 900)}kB, shmem-rss:0kB, UID:${s.victim.uid} pgtables:${r.int(200, 9000)}kB oom_score_adj:${s.victim.oomScoreAdj}`,
    ],
  },
  {
    release: '6.8.0-50-generic',
    scope: 'global',
    printkTime: true,
    cgroupOf: (service) => `/system.slice/${service}.service`,
    lines: (s, r) => [
      `${s.victim.name} invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=${s.victim.oomScoreAdj}`,
      `CPU: ${s.cpu} PID: ${s.victim.pid} Comm: ${s.victim.name} Not tainted 6.8.0-50-generic #51-Ubuntu`,
      'Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.3-debian-1.16.3-2 04/01/2014',
      'Call Trace:',
      ' <TASK>',
      ' dump_stack_lvl+0x48/0x70',
      ' dump_header+0x4f/0x260',
      ' oom_kill_process+0xf9/0x190',
      ' out_of_memory+0x246/0x590',
      ' __alloc_pages_slowpath.constprop.0+0xa2d/0xe20',
      ' __alloc_pages+0x31d/0x350',
      ' </TASK>',
      ...memInfoLines(r, s.victim.rssPages, true),
      ...buddyLines(r),
      ...tableModern(s.tasks, true),
      `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=${s.taskMemcg},task=${s.victim.name},pid=${s.victim.pid},uid=${s.victim.uid}`,
      `Out of memory: Killed process ${s.victim.pid} (${s.victim.name}) total-vm:${kb(s.victim.totalVmPages)}kB, anon-rss:${kb(s.victim.rssPages)}kB, file-rss:${r.int(100, 900)}kB, shmem-rss:0kB, UID:${s.victim.uid} pgtables:${r.int(2000, 20000)}kB oom_score_adj:${s.victim.oomScoreAdj}`,
      `oom_reaper: reaped process ${s.victim.pid} (${s.victim.name}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`,
    ],
  },
];
