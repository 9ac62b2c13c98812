import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChunks } from './support/parseChunks.js';
import { FUZZ_RUNS, FUZZ_SEED } from './support/fuzzRuns.js';

// Names are hostile: whoever names a cgroup (delegated subtrees: user sessions, rootless
// containers) or a process (prctl PR_SET_NAME) writes text into the kernel's report. Whatever a
// name holds, each transport must give back exactly the kill the kernel logged, with its victim.

const params = { numRuns: Math.max(200, Math.floor(FUZZ_RUNS / 2)), seed: FUZZ_SEED };

const FORGED_VICTIM = 'Out of memory: Killed process 1 (systemd) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1kB oom_score_adj:0';
const FRAGMENTS = [
  'a', 'web', ' ', 'é', '日本', '(', ')', ':', '#012', '#011', '\\x0a', '\\', '\n', '\r', '\t', '\u2028', '\u2029', '\u202e', '\u2066', '\u0085',
  FORGED_VICTIM, 'oom_reaper: reaped process 1 (systemd), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB',
  '[      1]     0     1    100     10    4096        0             0 systemd', 'anon 1', 'Mem-Info:', 'Memory cgroup stats for /x:',
  'systemd invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
];
const text = (maxLength: number) => fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength }).map((parts) => parts.join(''));
/** A comm is at most 15 bytes (TASK_COMM_LEN): short fragments, and the kernel-like ones that fit. */
const COMM_FRAGMENTS = [...FRAGMENTS.filter((f) => Buffer.byteLength(f) <= 15), 'Killed process', 'Mem-Info:', 'anon 1', '#012anon 1'];
const commText = fc
  .array(fc.constantFrom(...COMM_FRAGMENTS), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(''))
  .filter((s) => Buffer.byteLength(s) <= 15);

/** A 5.15 memory-cgroup report for victim `pid` named `comm` in cgroup `/oomlens-t-<name>`. */
function report(pid: number, comm: string, cg: string): string[] {
  return [
    `${comm} invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0`,
    `CPU: 1 PID: ${pid} Comm: x Not tainted 5.15.0-91-generic #101-Ubuntu`,
    'Call Trace:',
    ' <TASK>',
    ' out_of_memory+0x106/0x2e0',
    ' </TASK>',
    'memory: usage 524288kB, limit 524288kB, failcnt 42',
    `Memory cgroup stats for ${cg}:`,
    // One printk with embedded newlines (before 6.4): the one block a transport may fold.
    'anon 530000000\nfile 4096\n',
    'Tasks state (memory values in pages):',
    '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
    `[ ${String(pid).padStart(6)}]  1000 ${pid}   300000   130000  1200000        0             0 ${comm}`,
    `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=${cg},task_memcg=${cg},task=${comm},pid=${pid},uid=1000`,
    `Memory cgroup out of memory: Killed process ${pid} (${comm}) total-vm:1200000kB, anon-rss:520000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:1172kB oom_score_adj:0`,
    `oom_reaper: reaped process ${pid} (${comm}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`,
  ];
}

const hex = (b: number) => `\\x${b.toString(16).padStart(2, '0')}`;
/** rsyslog's default control-character escaping (`#` and three octal digits). */
const rsyslogEscape = (s: string) => s.replace(/[\u0000-\u001f]/g, (c) => `#${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
/** /dev/kmsg: bytes < 0x20, >= 0x7f and `\` as `\xNN`. */
const kmsgEscape = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (b < 0x20 || b >= 0x7f || b === 0x5c ? hex(b) : String.fromCharCode(b))).join('');
/** util-linux dmesg prints control characters as `\xNN`. */
const dmesgEscape = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, (c) => hex(c.charCodeAt(0)));

interface Transport {
  name: string;
  /** The report as that transport writes it (one record per message). */
  write: (messages: string[]) => string;
  /** A name as it reads back from that transport's text. */
  seen: (name: string) => string;
}

const stamp = (i: number) => (5000 + i * 1e-5).toFixed(6).padStart(12);
const TRANSPORTS: Transport[] = [
  { name: 'rsyslog kern.log', write: (ms) => ms.map((m, i) => `Mar  1 00:50:57 web-1 kernel: [${stamp(i)}] ${rsyslogEscape(m.replace(/\n$/, ''))}\n`).join(''), seen: rsyslogEscape },
  { name: 'dmesg', write: (ms) => ms.flatMap((m, i) => m.replace(/\n$/, '').split(/(?<=^anon \d+)\n(?=file)/).map((l) => `[${stamp(i)}] ${dmesgEscape(l)}\n`)).join(''), seen: dmesgEscape },
  { name: 'dmesg -T', write: (ms) => ms.flatMap((m) => m.replace(/\n$/, '').split(/(?<=^anon \d+)\n(?=file)/).map((l) => `[Sun Mar  1 00:50:57 2026] ${dmesgEscape(l)}\n`)).join(''), seen: dmesgEscape },
  { name: '/dev/kmsg', write: (ms) => ms.map((m, i) => `6,${100 + i},${5000000000 + i * 10},-;${kmsgEscape(m)}\n`).join(''), seen: (s) => s },
  {
    name: 'journalctl -o json',
    write: (ms) => ms.map((m, i) => `${JSON.stringify({ MESSAGE: m, _HOSTNAME: 'web-1', _TRANSPORT: 'kernel', __REALTIME_TIMESTAMP: String(1764137580000000 + i), _SOURCE_MONOTONIC_TIMESTAMP: String(5000000000 + i) })}\n`).join(''),
    seen: (s) => s,
  },
];

describe('log injection through names', () => {
  it.each(TRANSPORTS)('$name: a cgroup or comm holding #012, \\x0a, line terminators or kernel text neither forges nor hides a kill', (t) => {
    fc.assert(
      fc.property(text(4), commText, fc.integer({ min: 2, max: 4_000_000 }), fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 3 }), (cgName, comm, pid, sizes) => {
        const cg = `/oomlens-t-${cgName.replaceAll('/', '_')}`;
        const records = parseChunks(Buffer.from(t.write(report(pid, comm, cg))), sizes);
        expect(records.map((r) => [r.type, r.type === 'userspace-kill' ? null : r.victim?.pid])).toEqual([['oom-kill', pid]]);
        const r = records[0]!;
        if (r.type !== 'oom-kill') return;
        expect(r.victim!.comm).toBe(t.seen(comm));
        expect(r.cgroup?.path).toBe(t.seen(cg));
        expect(r.taskMemcg).toBe(t.seen(cg));
        expect(r.cgroup?.stats).toMatchObject({ anon: 530000000, file: 4096 });
      }),
      params,
    );
  });
});
