import { lineKind } from './lineKind.js';
import { exactInt, kernelLimit, signedInt, sizeInt, STAT_LIMIT_KEYS } from './kernelInt.js';
import { parseKillTail, parseVictimHead } from './victimText.js';
import { parseSummary } from './summaryText.js';
import { parseStatsHeader } from './statsHeader.js';

/**
 * Every kind of line an OOM report is made of, in the order the classifier tries them. Each
 * entry says what it matches (pattern), what it yields (typed fields), what it is in the report
 * (role) and where it was seen (samples). A new kernel format is a new entry (or a new sample on
 * an entry) here; the assembler never sees a regex and never names a kind. Units are converted
 * nowhere: names say the unit the kernel printed.
 */

export const trigger = lineKind({
  name: 'trigger',
  hint: 'oom-killer: gfp_mask=',
  pattern:
    /^(?:(?<comm>.*) invoked )?oom-killer: gfp_mask=(?<gfpMask>0x[0-9a-fA-F]+)(?:\((?<gfpFlags>[^)]*)\))?,?(?: nodemask=(?<nodemask>\(null\)|[\d,-]*),?)?(?:\s+order=(?<order>-?\d+)(?:, (?:oomkilladj=(?<oomkilladj>-?\d+)|oom_adj=(?<oomAdj>-?\d+)(?:, oom_score_adj=(?<oomScoreAdjOld>-?\d+))?|oom_score_adj=(?<oomScoreAdj>-?\d+)))?)?/,
  fields: { comm: 'string?', gfpMask: 'hex', gfpFlags: 'flags?', nodemask: 'string?', order: 'int?', oomScoreAdj: 'int?', oomAdj: 'int?' },
  groups: { oomScoreAdj: ['oomScoreAdjOld'], oomAdj: ['oomkilladj'] },
  role: { role: 'start' },
  // 4.10-4.14 print `, order=...` in a second pr_cont piece.
  incomplete: (f) => f.order === null,
  samples: [
    { kernel: '2.6.16', line: 'oom-killer: gfp_mask=0x201d2, order=0', fields: { comm: null, order: 0 } },
    { kernel: '2.6.24', line: 'java invoked oom-killer: gfp_mask=0x1201d2, order=0, oomkilladj=0', fields: { comm: 'java', oomAdj: 0 } },
    { kernel: '2.6.32-el6', line: 'mysqld invoked oom-killer: gfp_mask=0x200da, order=0, oom_adj=0, oom_score_adj=0', fields: { comm: 'mysqld', oomScoreAdj: 0, oomAdj: 0 } },
    { kernel: '3.10-el7', line: 'in:imjournal invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0', fields: { comm: 'in:imjournal', gfpMask: '0x201da' } },
    { kernel: '4.10', line: 'idle-priority invoked oom-killer: gfp_mask=0x14280ca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), nodemask=(null),  order=0, oom_score_adj=0', fields: { gfpFlags: ['GFP_HIGHUSER_MOVABLE', '__GFP_ZERO'], nodemask: '(null)' } },
    { kernel: '5.13', line: 'kworker/0:1 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1, oom_score_adj=0', fields: { order: -1 } },
    { kernel: '6.11', line: 'stress-ng-vm invoked oom-killer: gfp_mask=0x440dc0(GFP_KERNEL_ACCOUNT|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=1000', fields: { oomScoreAdj: 1000 } },
    { kernel: '5.3', line: 'CPU 11/KVM invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=830', fields: { comm: 'CPU 11/KVM' } },
    // 4.10-4.14 print the line in two pr_cont pieces; another CPU's line can land in between.
    { kernel: '4.12', line: 'java invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=', fields: { comm: 'java', order: null, gfpMask: '0x14200ca' } },
  ],
});

/** The second piece of a 4.10-4.14 trigger line when another CPU's line split it off. */
export const triggerFragment = lineKind({
  name: 'triggerFragment',
  first: '(0123456789,',
  pattern: /^(?<nodemask>\(null\)|[\d,-]+)?,\s+order=(?<order>-?\d+), oom_score_adj=(?<oomScoreAdj>-?\d+)\s*$/,
  fields: { nodemask: 'string?', order: 'int', oomScoreAdj: 'int' },
  role: { role: 'continues', of: 'trigger' },
  samples: [{ kernel: '4.12', line: '(null),  order=0, oom_score_adj=0', fields: { nodemask: '(null)', order: 0, oomScoreAdj: 0 } }],
});

export const cpuset = lineKind({
  name: 'cpuset',
  hint: ' mems_allowed=',
  pattern: /^(?<comm>.*) cpuset=(?<cpuset>\S*) mems_allowed=(?<memsAllowed>\S*)$/,
  fields: { comm: 'string', cpuset: 'string', memsAllowed: 'string' },
  role: { role: 'part', opens: false, repeat: 'first' },
  samples: [
    { kernel: '4.10', line: 'idle-priority cpuset=/ mems_allowed=0', fields: { cpuset: '/', memsAllowed: '0' } },
    { kernel: '4.4', line: 'main cpuset=34186d9bd07706222bd427bb647ceed81e8e108eb653ff73c7137099fca1cab6 mems_allowed=0' },
  ],
});

export const cpuLine = lineKind({
  name: 'cpuLine',
  first: 'C',
  pattern:
    /^CPU: (?<cpu>\d+) (?:UID: (?<uid>\d+) )?PID: (?<pid>\d+) Comm: (?<comm>.{1,20}?) (?:Kdump: loaded )?(?:Not tainted|Tainted: [A-Z ]*?) *(?<release>\d+\.\d+[^\s]*)/,
  fields: { pid: 'int', uid: 'int?', comm: 'string', release: 'string', preempt: 'string?', buildId: 'string?' },
  // 6.15 appends the preemption model (`PREEMPT(voluntary) `, a trailing space) and, with
  // CONFIG_STACKTRACE_BUILD_ID, a 40-hex build id.
  read: (g, message) => {
    const pid = signedInt(g.pid);
    if (pid === null) return null;
    const after = message.slice(message.indexOf(g.release!) + g.release!.length);
    return {
      pid, uid: signedInt(g.uid), comm: g.comm!, release: g.release!,
      preempt: /^ #\S+ (PREEMPT\S*)/.exec(after)?.[1] ?? null,
      buildId: / ([0-9a-f]{40})\s*$/.exec(after)?.[1] ?? null,
    };
  },
  role: { role: 'part', opens: false, repeat: 'first' },
  samples: [
    { kernel: '4.4', line: 'CPU: 2 PID: 11345 Comm: main Not tainted 4.4.0-130-generic #156-Ubuntu', fields: { pid: 11345, release: '4.4.0-130-generic' } },
    { kernel: '4.10', line: 'CPU: 0 PID: 689 Comm: vmtoolsd Tainted: G        W       4.10.0-rc6-next-20170202 #498', fields: { comm: 'vmtoolsd' } },
    { kernel: '4.18-el8', line: 'CPU: 3 PID: 1147 Comm: in:imjournal Kdump: loaded Not tainted 4.18.0-553.8.1.el8_10.x86_64 #1', fields: { comm: 'in:imjournal' } },
    { kernel: '6.11', line: 'CPU: 1 UID: 0 PID: 116 Comm: stress-ng-vm Not tainted 6.11.0-10669-g11a299a7933e-dirty #15', fields: { uid: 0, pid: 116 } },
    { kernel: '6.15', line: 'CPU: 2 UID: 0 PID: 7001 Comm: leaky Not tainted 6.15.0-rc3 #1 PREEMPT(voluntary) ', fields: { pid: 7001, release: '6.15.0-rc3', preempt: 'PREEMPT(voluntary)', buildId: null } },
    {
      kernel: '6.18',
      line: 'CPU: 0 UID: 1000 PID: 4242 Comm: java Tainted: G           O        6.18.0 #2 PREEMPT(full)  1f2e3d4c5b6a79880716253443526170a9b8c7d6',
      fields: { uid: 1000, preempt: 'PREEMPT(full)', buildId: '1f2e3d4c5b6a79880716253443526170a9b8c7d6' },
    },
    { kernel: '5.3', line: 'CPU: 11 PID: 70879 Comm: CPU 11/KVM Not tainted 5.3.18-150300.59.101-default #1 SLE15-SP3', fields: { comm: 'CPU 11/KVM' } },
  ],
});

export const pidLine = lineKind({
  name: 'pidLine',
  first: 'P',
  pattern: /^Pid: (?<pid>\d+), comm: (?<comm>.{1,20}?)(?: (?:Not tainted|Tainted: \S+))? (?<release>\d+\.\d+[^\s]*)/,
  fields: { pid: 'int', uid: 'int?', comm: 'string', release: 'string', preempt: 'string?', buildId: 'string?' },
  role: { role: 'part', opens: false, repeat: 'first' },
  samples: [{ kernel: '3.7', line: 'Pid: 2376, comm: mal-80 Not tainted 3.7.0+ #4', fields: { pid: 2376, comm: 'mal-80' } }],
});

export const kernelVersion = lineKind({
  name: 'kernelVersion',
  first: 'L',
  pattern: /^Linux (?:version (?<release>\d+\.\d+\S*)|\S+ (?<unameRelease>\d+\.\d+\S*) #)/,
  fields: { release: 'string' },
  groups: { release: ['unameRelease'] },
  role: { role: 'event', effect: 'kernelRelease' },
  samples: [
    { kernel: '2.6.16', line: 'Linux version 2.6.16.21-0.8-smp (geeko@buildhost) (gcc version 4.1.0 (SUSE Linux)) #1 SMP', fields: { release: '2.6.16.21-0.8-smp' } },
    { kernel: '3.2', line: 'Linux (none) 3.2.21 #21 SMP Thu Jan 10 12:48:07 IST 2013 armv7l GNU/Linux', fields: { release: '3.2.21' } },
  ],
});

export const taskInMemcg = lineKind({
  name: 'taskInMemcg',
  first: 'T',
  pattern: /^Task in (?<taskMemcg>.*) killed as a result of limit of (?<memcg>.*?)\s*$/,
  fields: { taskMemcg: 'string', memcg: 'string' },
  role: { role: 'part', opens: true, repeat: 'afterKill' },
  samples: [
    { kernel: '3.13', line: 'Task in /mem2 killed as a result of limit of /mem2', fields: { taskMemcg: '/mem2', memcg: '/mem2' } },
  ],
});

export const memcgLimitReached = lineKind({
  name: 'memcgLimitReached',
  first: 'M',
  pattern: /^Memory limit reached of cgroup (?<memcg>.*?)\s*$/,
  fields: { memcg: 'string' },
  role: { role: 'part', opens: true, repeat: 'afterKill' },
  samples: [{ kernel: '4.14', line: 'Memory limit reached of cgroup /foo', fields: { memcg: '/foo' } }],
});

const COUNTER_FIELDS = { counter: 'string', usageKb: 'kB', limitKb: 'kB?', unlimited: 'bool', failcnt: 'exact?' } as const;

/** A page counter line: a limit printed as the kernel's "unlimited" (PAGE_COUNTER_MAX) is null, flagged. */
function readCounter(g: Record<string, string | undefined>) {
  const usageKb = sizeInt(g.usageKb);
  if (usageKb === null) return null;
  const limit = kernelLimit(g.limitKb, 'kB');
  // Below 2^52 kB once "unlimited" is taken out, so always an exact number.
  return { counter: g.counter!, usageKb, limitKb: limit.value as number | null, unlimited: limit.unlimited, failcnt: exactInt(g.failcnt) };
}

/** The memcg's own `memory:` page counter: the first line of mem_cgroup_print_oom_meminfo(). */
export const memcgUsage = lineKind({
  name: 'memcgUsage',
  first: 'm',
  pattern: /^(?<counter>memory): usage (?<usageKb>\d+)kB, limit (?<limitKb>\d+)kB, failcnt (?<failcnt>\d+)/,
  fields: COUNTER_FIELDS,
  read: readCounter,
  role: { role: 'part', opens: true, repeat: 'afterKill' },
  samples: [{ kernel: '4.4', line: 'memory: usage 204800kB, limit 204800kB, failcnt 4563', fields: { counter: 'memory', usageKb: 204800 } }],
});

/** The other page counters printed after it: `swap:` (v2), `memory+swap:` and `kmem:` (v1). */
export const memcgCounter = lineKind({
  name: 'memcgCounter',
  first: 'msk',
  pattern: /^(?<counter>memory\+swap|swap|kmem): usage (?<usageKb>\d+)kB, limit (?<limitKb>\d+)kB, failcnt (?<failcnt>\d+)/,
  fields: COUNTER_FIELDS,
  read: readCounter,
  role: { role: 'part', opens: false, repeat: 'all' },
  samples: [
    { kernel: '4.4', line: 'memory+swap: usage 0kB, limit 9007199254740988kB, failcnt 0', fields: { counter: 'memory+swap', limitKb: null, unlimited: true } },
    { kernel: '3.13', line: 'memory+swap: usage 0kB, limit 18014398509481983kB, failcnt 0', fields: { counter: 'memory+swap', limitKb: null, unlimited: true } },
    { kernel: '5.15', line: 'swap: usage 0kB, limit 0kB, failcnt 0', fields: { counter: 'swap' } },
    { kernel: '4.4', line: 'kmem: usage 7524kB, limit 9007199254740988kB, failcnt 0', fields: { counter: 'kmem', usageKb: 7524 } },
  ],
});

export const memcgStatsHeader = lineKind({
  name: 'memcgStatsHeader',
  first: 'M',
  pattern: /^Memory cgroup stats for (?<rest>.*)$/,
  fields: { path: 'string', statsKb: 'numbers?' },
  read: (g) => parseStatsHeader(g.rest!),
  // The first header is the OOMing cgroup's own; later ones (<= 5.2) are its children's.
  role: { role: 'part', opens: true, repeat: 'afterKill', section: 'memcgStats' },
  samples: [
    { kernel: '3.8', line: 'Memory cgroup stats for /1:cache:0KB rss:31052KB mapped_file:0KB swap:0KB', fields: { path: '/1' } },
    { kernel: '4.4', line: 'Memory cgroup stats for /lxc/foo: cache:32KB rss:3040KB rss_huge:0KB', fields: { path: '/lxc/foo' } },
    { kernel: '5.3', line: 'Memory cgroup stats for /foo:', fields: { path: '/foo', statsKb: null } },
  ],
});

export const tasksStateTitle = lineKind({
  name: 'tasksStateTitle',
  first: 'T',
  pattern: /^Tasks state \(memory values in pages\):/,
  fields: {},
  role: { role: 'part', opens: true, repeat: 'afterKill', section: null },
  samples: [{ kernel: '4.19', line: 'Tasks state (memory values in pages):' }],
});

export const groupKill = lineKind({
  name: 'groupKill',
  first: 'T',
  pattern: /^Tasks in (?<memcg>.*) are going to be killed due to memory\.oom\.group set/,
  fields: { memcg: 'string' },
  role: { role: 'part', opens: false, repeat: 'all', joinsKills: true },
  samples: [{ kernel: '5.4', line: 'Tasks in /foo/bar are going to be killed due to memory.oom.group set', fields: { memcg: '/foo/bar' } }],
});

export const taskHeader = lineKind({
  name: 'taskHeader',
  first: '[',
  // A header is short; the length guard keeps the lazy match linear on hostile lines.
  pattern: /^(?=.{0,400}$)\[\s*pid\s*\]\s+(?<columns>uid\s+tgid\s+total_vm\s.*?)\s+name\s*$/,
  fields: { columns: 'strings' },
  role: { role: 'part', opens: true, repeat: 'once', section: 'tasks' },
  samples: [
    { kernel: '2.6.38', line: '[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name', fields: { columns: ['uid', 'tgid', 'total_vm', 'rss', 'cpu', 'oom_adj', 'oom_score_adj'] } },
    { kernel: '4.4', line: '[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name' },
    { kernel: '6.11', line: '[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name' },
  ],
});

export const taskRow = lineKind({
  name: 'taskRow',
  first: '[',
  pattern: /^\[\s*(?<pid>\d+)\]\s+(?<rest>-?\d.*)$/,
  fields: { pid: 'int', rest: 'string' },
  role: { role: 'item', section: 'tasks' },
  samples: [
    { kernel: '2.6.36', line: '[ 1094]     0  1094      743       79   0     -17         -1000 udevd', fields: { pid: 1094 } },
    { kernel: '6.8', line: '[    116]     0   116  2628942  1995298  1995157      141         0 16052224        0          1000 stress-ng-vm', fields: { pid: 116 } },
  ],
});

export const summary = lineKind({
  name: 'summary',
  first: 'o',
  pattern: /^oom-kill:(?<body>.*)$/,
  fields: {
    constraint: 'string?', nodemask: 'string?', cpuset: 'string?', memsAllowed: 'string?', oomMemcg: 'string?',
    globalOom: 'bool', taskMemcg: 'string?', task: 'string?', pid: 'int?', uid: 'int?', body: 'string',
  },
  read: (g) => ({ ...parseSummary(g.body!), body: g.body! }),
  role: { role: 'part', opens: true, repeat: 'once', section: null },
  // Split by another CPU's line, the summary lacks its `,task=...,uid=N` tail.
  incomplete: (f) => f.task === null,
  samples: [
    {
      kernel: '6.11',
      line: 'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=stress-ng-vm,pid=116,uid=0',
      fields: { constraint: 'CONSTRAINT_NONE', globalOom: true, taskMemcg: '/', task: 'stress-ng-vm', pid: 116, uid: 0 },
    },
    {
      kernel: '5.2',
      line: 'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),oom_memcg=/foo,task_memcg=/foo,task=stress,pid=210,uid=0',
      fields: { oomMemcg: '/foo', cpuset: null },
    },
    { kernel: '5.x', line: 'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0', fields: { task: null } },
  ],
});

export const summaryFragment = lineKind({
  name: 'summaryFragment',
  first: ',',
  pattern: /^(?<body>,(?:global_oom|oom_memcg=|task_memcg=|task=).*)$/,
  fields: { body: 'string' },
  role: { role: 'continues', of: 'summary' },
  samples: [{ kernel: 'linux-next 2018-12', line: ',global_oom,task_memcg=/,task=firewalld,pid=5096,uid=0' }],
});

export const sharedMm = lineKind({
  name: 'sharedMm',
  hint: ' sharing same memory',
  pattern: /^(?:(?<reason>[^:]*): )?Kill process (?<pid>\d+) \((?<comm>.*)\)(?: in VE "[^"]*")? sharing same memory/,
  fields: { pid: 'int', comm: 'string' },
  role: { role: 'part', opens: false, repeat: 'all' },
  samples: [{ kernel: '3.10', line: 'Kill process 2455 (java) sharing same memory', fields: { pid: 2455, comm: 'java' } }],
});

export const selection = lineKind({
  name: 'selection',
  hint: 'ill process ',
  pattern: /^(?:(?<reason>.*?): )?(?:Kill|kill) process (?<pid>\d+) \((?<comm>.*)\) score (?<score>-?\d+) (?:or sacrifice child|or a child|and children)/,
  fields: { reason: 'string?', pid: 'int', comm: 'string', score: 'int?' },
  role: { role: 'part', opens: true, repeat: 'once', section: null },
  samples: [
    { kernel: '4.4', line: 'Memory cgroup out of memory: Kill process 11344 (main) score 904 or sacrifice child', fields: { pid: 11344, score: 904, reason: 'Memory cgroup out of memory' } },
    { kernel: '2.6.24', line: 'Out of memory: kill process 5790 (SABnzbd.py) score 511952 or a child', fields: { comm: 'SABnzbd.py' } },
    { kernel: '2.6.16', line: 'Out of Memory: Kill process 8498 (oom-killer-try) score 300123 and children.', fields: { pid: 8498 } },
  ],
});

export const victim = lineKind({
  name: 'victim',
  hint: 'Killed process ',
  pattern: /^(?:(?<reason>.*?): )?Killed process (?<pid>\d+)(?:, UID (?<uid>\d+),)? \((?<rest>.*)$/,
  fields: {
    reason: 'string?', pid: 'int', comm: 'string', uid: 'int?', totalVmKb: 'kB?', anonRssKb: 'kB?', fileRssKb: 'kB?',
    shmemRssKb: 'kB?', pgtablesKb: 'kB?', oomScoreAdj: 'int?',
  },
  role: { role: 'kill' },
  read: (g) => {
    const head = parseVictimHead(g.rest!);
    const pid = signedInt(g.pid);
    if (!head || pid === null) return null;
    const tail = parseKillTail(head.tail);
    return {
      reason: g.reason ?? null,
      pid,
      comm: head.comm,
      uid: signedInt(g.uid) ?? tail.uid,
      totalVmKb: tail.kb.get('total-vm') ?? tail.kb.get('vsz') ?? null,
      anonRssKb: tail.kb.get('anon-rss') ?? null,
      fileRssKb: tail.kb.get('file-rss') ?? null,
      shmemRssKb: tail.kb.get('shmem-rss') ?? null,
      pgtablesKb: tail.kb.get('pgtables') ?? null,
      oomScoreAdj: tail.oomScoreAdj,
    };
  },
  samples: [
    { kernel: '2.6.24', line: 'Killed process 5790 (SABnzbd.py)', fields: { pid: 5790, comm: 'SABnzbd.py', totalVmKb: null } },
    { kernel: '2.6.16', line: 'Out of memory: Killed process 8498 (oom-killer-try).', fields: { comm: 'oom-killer-try' } },
    { kernel: '2.6.34', line: 'Killed process 2455 (java) vsz:4194304kB, anon-rss:1048576kB, file-rss:128kB', fields: { totalVmKb: 4194304 } },
    { kernel: '2.6.32-el6', line: 'Killed process 4144, UID 497, (mysqld) total-vm:41772036kB, anon-rss:31443592kB, file-rss:4512kB', fields: { uid: 497, comm: 'mysqld', anonRssKb: 31443592 } },
    { kernel: '3.10-el7', line: 'Killed process 45465 (tail), UID 0, total-vm:7582132kB, anon-rss:7420324kB, file-rss:0kB, shmem-rss:0kB', fields: { comm: 'tail', uid: 0, shmemRssKb: 0 } },
    { kernel: '4.4', line: 'Killed process 11344 (main) total-vm:390360kB, anon-rss:183712kB, file-rss:1016kB', fields: { shmemRssKb: null } },
    {
      kernel: '6.11',
      line: 'Out of memory: Killed process 116 (stress-ng-vm) total-vm:10515768kB, anon-rss:7980628kB, file-rss:564kB, shmem-rss:0kB, UID:0 pgtables:15676kB oom_score_adj:1000',
      fields: { reason: 'Out of memory', uid: 0, pgtablesKb: 15676, oomScoreAdj: 1000 },
    },
    { kernel: '5.4', line: 'Out of memory: Killed process 1 ((sd-pam)) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0', fields: { comm: '(sd-pam)' } },
  ],
});

export const reaped = lineKind({
  name: 'reaped',
  first: 'o',
  pattern: /^oom_reaper: reaped process (?<pid>\d+) \((?<comm>.*)\),? now anon-rss:(?<anonRssKb>\d+)kB,? file-rss:(?<fileRssKb>\d+)kB(?:,? shmem-rss:(?<shmemRssKb>\d+)kB)?/,
  fields: { pid: 'int', comm: 'string', anonRssKb: 'kB?', fileRssKb: 'kB?', shmemRssKb: 'kB?' },
  role: { role: 'event', effect: 'reaper' },
  samples: [
    { kernel: '6.1', line: 'oom_reaper: reaped process 2292670 (main), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB', fields: { pid: 2292670, anonRssKb: 0 } },
    { kernel: '4.5-rc', line: 'oom_reaper: reaped process 3963 (a.out) now anon-rss:0kB file-rss:0kB', fields: { shmemRssKb: null } },
  ],
});

export const unableToReap = lineKind({
  name: 'unableToReap',
  first: 'o',
  pattern: /^oom_reaper: unable to reap pid:(?<pid>\d+) \((?<comm>.*)\)/,
  fields: { pid: 'int', comm: 'string' },
  role: { role: 'event', effect: 'note' },
  samples: [{ kernel: '4.6', line: 'oom_reaper: unable to reap pid:1234 (java)', fields: { pid: 1234 } }],
});

export const noKillable = lineKind({
  name: 'noKillable',
  hint: 'no killable process',
  pattern: /Out of memory and no killable processes/,
  fields: {},
  role: { role: 'end', reason: 'no-killable-process', opens: true },
  samples: [
    { kernel: '4.19', line: 'Out of memory and no killable processes...' },
    { kernel: '4.9', line: 'Kernel panic - not syncing: Out of memory and no killable processes...' },
  ],
});

export const oomPanic = lineKind({
  name: 'oomPanic',
  hint: 'panic',
  pattern: /(?:Out of memory: (?:system-wide|compulsory) panic_on_oom|System is deadlocked on memory)/,
  fields: {},
  role: { role: 'end', reason: 'panic', opens: false },
  samples: [
    { kernel: '4.4', line: 'Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled' },
    { kernel: '5.0', line: 'Kernel panic - not syncing: System is deadlocked on memory' },
  ],
});

export const victimExiting = lineKind({
  name: 'victimExiting',
  hint: ' is already exiting',
  pattern: /^(?:(?<reason>.*?): )?OOM victim (?<pid>\d+) \((?<comm>.*)\) is already exiting/,
  fields: { pid: 'int', comm: 'string' },
  role: { role: 'end', reason: 'victim-exiting', opens: true },
  samples: [{ kernel: '5.x', line: 'Out of memory: OOM victim 1234 (java) is already exiting. Skip killing the task', fields: { pid: 1234 } }],
});

export const sysrqIgnored = lineKind({
  name: 'sysrqIgnored',
  hint: 'OOM request ignored',
  pattern: /OOM request ignored/,
  fields: {},
  role: { role: 'end', reason: 'no-killable-process', opens: false },
  samples: [{ kernel: '5.x', line: 'sysrq: OOM request ignored. No task eligible' }],
});

export const memInfoTitle = lineKind({
  name: 'memInfoTitle',
  first: 'M',
  pattern: /^Mem-[Ii]nfo:/,
  fields: {},
  role: { role: 'part', opens: false, repeat: 'all', section: 'memInfo' },
  samples: [{ kernel: '6.1', line: 'Mem-Info:' }, { kernel: '2.6.16', line: 'Mem-info:' }],
});

export const memInfoNumber = lineKind({
  name: 'memInfoNumber',
  first: '0123456789FT',
  pattern:
    /^(?:(?<pages>\d+) (?<key>total pagecache pages|pages in swap cache|pages RAM|pages reserved|pages HighMem(?:\/MovableOnly)?|pages hwpoisoned|pages cma reserved|pages shared|pages non-shared)|(?<swapWhat>Free swap|Total swap) += (?<kb>-?\d+)kB)\s*$/,
  fields: { key: 'string', pages: 'pages?', kb: 'kB?' },
  groups: { key: ['swapWhat'] },
  role: { role: 'item', section: 'memInfo' },
  samples: [
    { kernel: '6.1', line: '15990 total pagecache pages', fields: { key: 'total pagecache pages', pages: 15990 } },
    { kernel: '6.1', line: 'Free swap  = 0kB', fields: { key: 'Free swap', kb: 0 } },
    { kernel: '6.1', line: 'Total swap = 2097148kB', fields: { key: 'Total swap', kb: 2097148 } },
    { kernel: '6.1', line: '4194174 pages RAM', fields: { pages: 4194174 } },
  ],
});

export const buddyList = lineKind({
  name: 'buddyList',
  hint: 'kB ',
  pattern: /^(?:Node \d+ )?[A-Za-z0-9]+: (?<count>\d+)\*(?<pageSizeKb>\d+)kB /,
  fields: { pageSizeKb: 'kB' },
  role: { role: 'part', opens: false, repeat: 'all' },
  samples: [{ kernel: '6.11', line: 'Node 0 Normal: 14*4kB (UE) 7*8kB (UE) 3*16kB (U) 0*32kB = 576kB', fields: { pageSizeKb: 4 } }],
});

/** `key:value` tokens of the Mem-Info counter block (pages). */
export const keyValues = lineKind({
  name: 'keyValues',
  first: 'abcdefghijklmnopqrstuvwxyz',
  pattern: /^(?<pairs>[a-z_]+:-?\d+(?:\s+[a-z_]+:-?\d+)*)\s*$/,
  fields: { values: 'numbers' },
  groups: { values: ['pairs'] },
  role: { role: 'item', section: ['memInfo', 'memcgStats'] },
  samples: [
    { kernel: '3.7', line: 'active_anon:94139 inactive_anon:41771 isolated_anon:0', fields: { values: { active_anon: 94139, inactive_anon: 41771, isolated_anon: 0 } } },
  ],
});

/** `key value` lines of a cgroup v2 style memory.stat dump (5.3+; bytes or counts). */
export const statLine = lineKind({
  name: 'statLine',
  first: 'abcdefghijklmnopqrstuvwxyz',
  pattern: /^(?<key>[a-z][a-z0-9_]*) (?<value>\d+)\s*$/,
  fields: { key: 'string', value: 'exact?', unlimited: 'bool' },
  read: (g) => {
    if (!STAT_LIMIT_KEYS.has(g.key!)) return { key: g.key!, value: exactInt(g.value), unlimited: false };
    const limit = kernelLimit(g.value, 'bytes');
    return { key: g.key!, value: limit.value, unlimited: limit.unlimited };
  },
  role: { role: 'item', section: 'memcgStats' },
  samples: [
    { kernel: '5.15', line: 'anon 12927234048', fields: { key: 'anon', value: 12927234048 } },
    { kernel: '6.18', line: 'hierarchical_memsw_limit 9223372036854771712', fields: { key: 'hierarchical_memsw_limit', value: null, unlimited: true } },
    { kernel: '6.18', line: 'hierarchical_memory_limit 67108864', fields: { key: 'hierarchical_memory_limit', value: 67108864, unlimited: false } },
    { kernel: '6.18', line: 'total_pgfault 18446744073709551615', fields: { key: 'total_pgfault', value: '18446744073709551615' } },
  ],
});

/** print_tainted_verbose() (6.11+): what each taint flag of the CPU line means. */
export const taintDescriptions = lineKind({
  name: 'taintDescriptions',
  first: 'T',
  pattern: /^Tainted: (?<list>\[[A-Z]\]=[A-Z_]+(?:, \[[A-Z]\]=[A-Z_]+)*)\s*$/,
  fields: { taints: 'object' },
  read: (g) => ({ taints: [...g.list!.matchAll(/\[([A-Z])\]=([A-Z_]+)/g)].map((m) => ({ flag: m[1]!, name: m[2]! })) }),
  role: { role: 'part', opens: false, repeat: 'first' },
  samples: [
    { kernel: '6.11', line: 'Tainted: [O]=OOT_MODULE', fields: { taints: [{ flag: 'O', name: 'OOT_MODULE' }] } },
    { kernel: '6.12', line: 'Tainted: [P]=PROPRIETARY_MODULE, [W]=WARN, [O]=OOT_MODULE, [E]=UNSIGNED_MODULE', fields: { taints: [{ flag: 'P', name: 'PROPRIETARY_MODULE' }, { flag: 'W', name: 'WARN' }, { flag: 'O', name: 'OOT_MODULE' }, { flag: 'E', name: 'UNSIGNED_MODULE' }] } },
  ],
});

/** dump_stack_print_info(): `Hardware name: %s` (the DMI or device-tree description). */
export const hardwareName = lineKind({
  name: 'hardwareName',
  first: 'H',
  pattern: /^Hardware name: (?<hardware>.*\S)\s*$/,
  fields: { hardware: 'string' },
  role: { role: 'part', opens: false, repeat: 'first' },
  samples: [{ kernel: '6.11', line: 'Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.3-debian-1.16.3-2 04/01/2014', fields: { hardware: 'QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.3-debian-1.16.3-2 04/01/2014' } }],
});

/** print_worker_info(): `Workqueue: %s %ps` when a kworker allocated. */
export const workqueue = lineKind({
  name: 'workqueue',
  first: 'W',
  pattern: /^Workqueue: (?<workqueue>\S+) (?<function>\S+)/,
  fields: { workqueue: 'string', function: 'string' },
  role: { role: 'part', opens: false, repeat: 'first' },
  samples: [{ kernel: '6.8', line: 'Workqueue: events_unbound flush_to_ldisc', fields: { workqueue: 'events_unbound', function: 'flush_to_ldisc' } }],
});

/**
 * `oom_kill_process: N callbacks suppressed` (lib/ratelimit.c): printed when the next interval
 * of dump_header()'s rate limit (10 per 5 s) begins, counting the dumps it left out: the kill
 * lines around it lost their context to the rate limit.
 */
export const callbacksSuppressed = lineKind({
  name: 'callbacksSuppressed',
  first: 'od',
  pattern: /^(?<func>oom_kill_process|dump_header): (?<missed>\d+) callbacks suppressed/,
  fields: { func: 'string', missed: 'int' },
  role: { role: 'event', effect: 'rateLimit' },
  samples: [{ kernel: '6.6', line: 'oom_kill_process: 12 callbacks suppressed', fields: { func: 'oom_kill_process', missed: 12 } }],
});

/** cgroup v2 (6.19): the memcg's memory.min and memory.low, printed in kB. */
export const memcgProtection = lineKind({
  name: 'memcgProtection',
  first: 'M',
  pattern: /^Memory cgroup min protection (?<minKb>\d+)kB -- low protection (?<lowKb>\d+)kB/,
  fields: { minKb: 'kB?', lowKb: 'kB?' },
  role: { role: 'part', opens: false, repeat: 'first' },
  samples: [{ kernel: '6.19', line: 'Memory cgroup min protection 0kB -- low protection 262144kB', fields: { minKb: 0, lowKb: 262144 } }],
});

/** __show_mem() with CONFIG_MEM_ALLOC_PROFILING (6.10+): the title of the top-10 allocation sites. */
export const allocationsTitle = lineKind({
  name: 'allocationsTitle',
  first: 'M',
  pattern: /^Memory allocations(?: \(profiling is currently turned (?<profiling>on|off)\))?:\s*$/,
  fields: { profiling: 'string?' },
  role: { role: 'part', opens: false, repeat: 'first', section: 'allocations' },
  samples: [
    { kernel: '6.10', line: 'Memory allocations:', fields: { profiling: null } },
    { kernel: '6.18', line: 'Memory allocations (profiling is currently turned on):', fields: { profiling: 'on' } },
  ],
});

/**
 * One allocation site: `"%12s %8llu %s:%u [%s] func:%s"` (size as string_get_size() printed it,
 * calls, file:line, module when not built in, function). The size stays as printed.
 */
export const allocationRow = lineKind({
  name: 'allocationRow',
  first: '0123456789',
  pattern: /^(?<size>\d+(?:\.\d+)? ?[KMGTPE]?i?B) +(?<calls>\d+) (?<file>\S+):(?<line>\d+) (?:\[(?<module>[^\]\s]+)\] )?func:(?<function>\S+)\s*$/,
  fields: { size: 'string', calls: 'exact', file: 'string', line: 'int', module: 'string?', function: 'string' },
  role: { role: 'item', section: 'allocations' },
  samples: [
    { kernel: '6.10', line: '    1.00 GiB   262144 mm/memory.c:1085 func:folio_prealloc', fields: { size: '1.00 GiB', calls: 262144, file: 'mm/memory.c', line: 1085, module: null, function: 'folio_prealloc' } },
    { kernel: '6.18', line: '   12.5 MiB     3201 fs/xfs/xfs_icache.c:81 [xfs] func:xfs_inode_alloc', fields: { module: 'xfs', function: 'xfs_inode_alloc' } },
  ],
});

export const LINE_KINDS = [
  taskRow,
  taskHeader,
  trigger,
  triggerFragment,
  victim,
  selection,
  sharedMm,
  summary,
  summaryFragment,
  reaped,
  unableToReap,
  cpuLine,
  pidLine,
  cpuset,
  taskInMemcg,
  memcgLimitReached,
  memcgUsage,
  memcgCounter,
  memcgStatsHeader,
  tasksStateTitle,
  groupKill,
  noKillable,
  oomPanic,
  victimExiting,
  sysrqIgnored,
  memInfoTitle,
  memInfoNumber,
  buddyList,
  keyValues,
  statLine,
  kernelVersion,
  taintDescriptions,
  hardwareName,
  workqueue,
  callbacksSuppressed,
  memcgProtection,
  allocationsTitle,
  allocationRow,
] as const;
