import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../parsers/index.js';
import { OomRecord } from '../src/schema/oomRecord.js';
import { runCli } from './support/runCli.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

function parse(name: string): OomRecord[] {
  const records = parseLogText(readFileSync(join(FIXTURES, name), 'utf8'), { file: name, decode: { year: 2026, tz: 'UTC' } });
  return records.map((r) => OomRecord.parse(r));
}

describe('kernel drift 6.8 -> 7.0', () => {
  it('6.18 global OOM: CPU line with UID and PREEMPT(voluntary) + trailing space, Tainted: [O] line, Hardware name, Balloon/free_highatomic, allocation profiling top rows', () => {
    const [r, ...rest] = parse('k6.18-global-preempt-taint-alloc-profiling-dmesg.log');
    expect(rest).toHaveLength(0);
    expect(r).toMatchObject({
      kernel: '6.18.0-1-amd64', trigger: { comm: 'leaky', pid: 7001 }, constraint: 'CONSTRAINT_NONE', pageSizeKb: 4,
      stack: { hardware: 'QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.3-debian-1.16.3-2 04/01/2014', taints: [{ flag: 'O', name: 'OOT_MODULE' }], preempt: 'PREEMPT(voluntary)', buildId: null, workqueue: null },
      memInfo: { ramPages: 2097152, reservedPages: 66288, totalSwapKb: 0 },
      victim: { pid: 7001, anonRssKb: 7841600 },
    });
    expect(r!.memInfo!.counters).toMatchObject({ active_anon: 1960480, kernel_misc_reclaimable: 0, free: 12288 });
    expect(r!.allocations).toEqual({
      profiling: 'on',
      top: [
        { size: '7.48 GiB', calls: 1960480, file: 'mm/memory.c', line: 1085, module: null, function: 'folio_prealloc' },
        { size: '35.1 MiB', calls: 9010, file: 'mm/slub.c', line: 2456, module: null, function: 'alloc_slab_page' },
        { size: '16.0 MiB', calls: 4100, file: 'mm/pgtable-generic.c', line: 417, module: null, function: '__pte_alloc_one_noprof' },
        { size: '12.5 MiB', calls: 3201, file: 'fs/xfs/xfs_icache.c', line: 81, module: 'xfs', function: 'xfs_inode_alloc' },
      ],
    });
    expect(r!.tasks!.map((t) => [t.pid, t.rssAnonPages, t.rssFilePages, t.pgtablesBytes])).toEqual([[412, 120, 520, 110592], [7001, 1960400, 40, 15843328]]);
  });

  it('6.19 memcg v2 over kmsg: min/low protection line, Workqueue line, sock_throttled, no sanity check of protection against RAM', () => {
    const [r] = parse('k6.19-memcg-v2-protection-kmsg.log');
    expect(r).toMatchObject({
      kernel: '6.19.0', constraint: 'CONSTRAINT_MEMCG', protection: { minKb: 0, lowKb: 262144 },
      stack: { workqueue: { name: 'events_unbound', function: 'flush_to_ldisc' }, preempt: 'PREEMPT(lazy)' },
      cgroup: { path: '/system.slice/worker.service', usageKb: 524288, failcnt: 7, version: 'v2', stats: { sock_throttled: 3, anon: 532676608 } },
    });
  });

  it('explain names the allocation sites, and on v2 >= 6.15 says what failcnt counts', () => {
    const a = runCli(['explain', 'fixtures/k6.18-global-preempt-taint-alloc-profiling-dmesg.log', '--pid', '7001']);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('Memory allocation profiling names the kernel code holding the most memory: 7.48 GiB in folio_prealloc (mm/memory.c:1085)');
    const b = runCli(['explain', 'fixtures/k6.19-memcg-v2-protection-kmsg.log', '--pid', '5301']);
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('On cgroup v2 from 6.15 the failcnt (7) counts memory.events "max"');
  });
});

describe('rate-limited dumps', () => {
  it('bare kill lines before `oom_kill_process: N callbacks suppressed` are marked, the full dumps and the kill after the next dump are not', () => {
    const rs = parse('ratelimit-callbacks-after-bare-kills.log');
    expect(rs.map((r) => [r.victim?.pid, r.trigger !== null, r.rateLimited ?? false])).toEqual([
      [9101, true, false],
      [9102, false, true],
      [9103, false, true],
      [9104, true, false],
      [9105, false, false],
    ]);
  });

  it('bare kill lines after the suppression line are marked too; explain says the rate limit ate the dump', () => {
    const rs = parse('ratelimited-storm-headerless-kills.log');
    expect(rs.map((r) => r.rateLimited ?? false)).toEqual([false, true, true]);
    const { code, stdout } = runCli(['explain', 'fixtures/ratelimited-storm-headerless-kills.log', '--pid', '9002']);
    expect(code).toBe(0);
    expect(stdout).toContain("The kernel's rate limit on OOM reports");
    expect(stdout).not.toContain('The report is incomplete (cut off');
  });
});

describe('prefixes', () => {
  it('dmesg -x -T lines, mail-quoted and indented, between prose', () => {
    const [r, ...rest] = parse('prefix-dmesg-x-ctime-mail-quoted.log');
    expect(rest).toHaveLength(0);
    expect(r).toMatchObject({
      time: '2023-08-17T17:29:27.000Z', kernel: '6.1.0-13-amd64', trigger: { comm: 'cc1plus', pid: 30411 }, constraint: 'CONSTRAINT_NONE',
      victim: { pid: 30411, anonRssKb: 3520492, uid: 1000 }, complete: true,
    });
    expect(r!.tasks).toHaveLength(1);
  });
});

describe('text as people paste it', () => {
  it('crash> log output, a kill line re-wrapped by a mail client, grep -- separators, blank lines, a trigger line that lost its stamp', () => {
    const rs = parse('paste-rewrapped-grep-crash-log.log');
    expect(rs.map((r) => [r.type, r.victim?.pid, r.trigger?.comm ?? null, r.trigger?.pid ?? null, r.complete])).toEqual([
      ['oom-kill', 5120, null, null, false],
      ['oom-kill', 6001, null, null, false],
      ['oom-kill', 7001, 'stress', 7001, true],
    ]);
    // The tail after `anon-rss:1046000kB,` came on the next line: joined, because the kernel's
    // format continues after that comma; nothing was invented.
    expect(rs[0]!.victim).toMatchObject({ anonRssKb: 1046000, fileRssKb: 2000, shmemRssKb: 0, uid: 1000, pgtablesKb: 2256 });
    expect(rs[0]).toMatchObject({ constraint: 'CONSTRAINT_MEMCG', taskMemcg: '/kubepods/burstable/pod11111111-2222-3333-4444-555555555555/aaaa', cgroup: { usageKb: 1048576 } });
    expect(rs[0]!.tasks).toHaveLength(1);
    expect(rs[2]!.uptime).toBe(7400.000004);
  });

  it('a prefix-less line that does not complete the kill line is left alone', () => {
    const text = '[ 1.000001] Out of memory: Killed process 9 (a) total-vm:10kB, anon-rss:5kB,\nsomething else entirely\n';
    const [r] = parseLogText(text, {}).map((x) => OomRecord.parse(x));
    expect(r!.victim).toMatchObject({ pid: 9, anonRssKb: 5, fileRssKb: null });
  });
});
