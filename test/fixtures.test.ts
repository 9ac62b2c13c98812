import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../parsers/index.js';
import { OomRecord } from '../src/schema/oomRecord.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

function parse(name: string): OomRecord[] {
  const records = parseLogText(readFileSync(join(FIXTURES, name), 'utf8'), { file: name, decode: { year: 2026, tz: 'UTC' } });
  for (const r of records) OomRecord.parse(r);
  return records;
}
const kills = (rs: OomRecord[]) => rs.filter((r) => r.type === 'oom-kill');

describe('kernel families', () => {
  it('2.6.32 RHEL 6 global OOM: Pid line, per-cpu Mem-Info, cpu/oom_adj table, UID victim form', () => {
    const [r] = parse('k2.6.32-global-rhel6-syslog.log');
    expect(r).toMatchObject({
      type: 'oom-kill', host: 'db-2', time: '2026-02-03T22:41:09.000Z', kernel: '2.6.32-754.35.1.el6.x86_64', constraint: null, cgroup: null,
      trigger: { comm: 'mysqld', pid: 2271, gfpMask: '0x201da', order: 0, oomScoreAdj: 0 },
      victim: { pid: 2255, comm: 'mysqld', uid: 27, totalVmKb: 9470840, anonRssKb: 7795124, fileRssKb: 520, shmemRssKb: null, score: 931 },
      memInfo: { freeSwapKb: 0, totalSwapKb: 0, ramPages: 2097151, reservedPages: 81421, pagecachePages: 1183 },
      pageSizeKb: 4, cpuset: '/', memsAllowed: '0', complete: true,
    });
    expect(r!.memInfo!.counters).toMatchObject({ active_anon: 1703350, free: 25403, pagetables: 5302 });
    expect(r!.tasks).toHaveLength(4);
    expect(r!.tasks![3]).toMatchObject({ pid: 2255, uid: 27, cpu: 0, oomAdj: 0, oomScoreAdj: 0, rssPages: 1948911, name: 'mysqld' });
  });

  it('3.2 global OOM kills a process sharing the victim memory', () => {
    const [r] = parse('k3.2-global-sharing-same-memory-dmesg.log');
    expect(r).toMatchObject({ uptime: 4411.02008, victim: { pid: 3118, score: 911 }, alsoKilled: [{ pid: 3120, comm: 'apache2' }], trigger: { pid: 3120 } });
  });

  it('3.10 RHEL 7: two kills back to back, indented Mem-Info continuation lines', () => {
    const rs = parse('two-kills-back-to-back-rhel7.log');
    expect(rs.map((r) => [r.type, r.victim?.pid, r.trigger?.pid, r.tasks?.length])).toEqual([
      ['oom-kill', 1457, 1458, 2],
      ['oom-kill', 1463, 1463, 1],
    ]);
    expect(rs[0]!.memInfo!.counters).toMatchObject({ active_file: 12, free: 12117, pagetables: 1101 });
    expect(rs[0]!.eventId).not.toBe(rs[1]!.eventId);
  });

  it('4.14 memcg v1 Docker: Task in, memory+swap, kmem, inline stats, nodemask in the trigger line', () => {
    const [r] = parse('k4.14-memcg-v1-docker-syslog.log');
    const id = '5d1a0c9f2b7e4d3c8a6f1e0b9d2c7a4e5f3b8d1c6a9e2f7b0d4c3a8e1f6b5d2c';
    expect(r).toMatchObject({
      constraint: 'CONSTRAINT_MEMCG', uptime: 902211.119877,
      trigger: { comm: 'java', pid: 17443, gfpMask: '0x14000c0', gfpFlags: ['GFP_KERNEL'], nodemask: '(null)' },
      cgroup: { path: `/docker/${id}`, usageKb: 1048576, limitKb: 1048576, failcnt: 2211, memsw: { limitKb: 2097152 }, kmem: { usageKb: 9824 }, version: 'v1' },
      taskMemcg: `/docker/${id}`,
      workload: { kind: 'docker', container: id },
      victim: { pid: 17440, anonRssKb: 1035880, shmemRssKb: 0, score: 993 },
      reaped: { anonRssKb: 0, fileRssKb: 0, shmemRssKb: 0 },
    });
    expect(r!.cgroup!.stats).toMatchObject({ rssKb: 1038448, cacheKb: 212 });
    expect(r!.tasks!.map((t) => [t.name, t.nrPtes, t.nrPmds])).toEqual([['tini', 8, 3], ['java', 612, 6]]);
  });

  it('5.10 memcg v2 Kubernetes pod: swap line, memory.stat, oom-kill summary', () => {
    const [r] = parse('k5.10-memcg-v2-kubepods-journal.log');
    expect(r).toMatchObject({
      host: 'node-7', constraint: 'CONSTRAINT_MEMCG',
      cgroup: { usageKb: 524288, limitKb: 524288, swap: { usageKb: 0, limitKb: 0 }, version: 'v2', stats: { anon: 531148800, pgfault: 262144 } },
      workload: { kind: 'kubernetes', pod: '1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b', qos: 'burstable', container: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b' },
      victim: { pid: 30217, uid: 1000, pgtablesKb: 1092, oomScoreAdj: 985, reason: 'Memory cgroup out of memory' },
    });
    expect(r!.cgroup!.path).toMatch(/cri-containerd-9a8b.*\.scope$/);
  });

  it('6.8 global OOM: rss_anon/rss_file/rss_shmem columns, page size from the buddy list, reaper', () => {
    const [r] = parse('k6.8-global-dmesg-rss-columns.log');
    expect(r).toMatchObject({ constraint: 'CONSTRAINT_NONE', cgroup: null, pageSizeKb: 4, taskMemcg: '/user.slice/user-1000.slice/session-3.scope', reaped: { anonRssKb: 0 } });
    expect(r!.tasks![4]).toMatchObject({ pid: 9114, rssAnonPages: 1960201, rssFilePages: 132, rssShmemPages: 0, pgtablesBytes: 15835136, oomScoreAdj: 1000 });
    expect(r!.trigger!.gfpFlags).toEqual(['GFP_HIGHUSER_MOVABLE', '__GFP_COMP', '__GFP_ZERO']);
  });
});

describe('assembly', () => {
  it('separates two hosts whose dumps interleave line by line', () => {
    const rs = parse('interleaved-two-hosts-syslog.log');
    expect(rs.map((r) => [r.host, r.victim?.comm, r.constraint, r.tasks?.length, r.trigger?.pid])).toEqual([
      ['web-1', 'nginx', 'CONSTRAINT_NONE', 2, 812],
      ['web-2', 'node', 'CONSTRAINT_MEMCG', 1, 4410],
    ]);
    expect(rs[0]!.memInfo).toMatchObject({ freeSwapKb: 0, counters: { inactive_anon: 488000, free: 2990 } });
    expect(rs[1]!.cgroup).toMatchObject({ path: '/system.slice/node-app.service', usageKb: 262144, stats: { anon: 266338304 } });
  });

  it('reports a cut-off dump as incomplete, never inventing a kill', () => {
    const rs = parse('truncated-dump-then-next.log');
    expect(rs.map((r) => [r.type, r.reason, r.victim?.pid ?? null, r.complete])).toEqual([
      ['oom-without-kill', 'truncated', null, false],
      ['oom-kill', null, 778, true],
      ['oom-without-kill', 'truncated', null, false],
    ]);
    expect(rs[0]!.cgroup).toMatchObject({ usageKb: 102400, failcnt: 3 });
  });

  it('memory.oom.group: every member is a kill sharing the eventId; the repeated victim line is not; a late reaper still attaches', () => {
    const rs = parse('oom-group-late-reaper-kmsg.log');
    expect(rs.map((r) => [r.victim?.comm, r.victim?.pid])).toEqual([['java', 5120], ['run-batch.sh', 5101], ['cc1plus', 6001]]);
    expect(rs[0]!.eventId).toBe(rs[1]!.eventId);
    expect(rs[2]!.eventId).not.toBe(rs[0]!.eventId);
    expect(rs[0]!.reaped).toEqual({ anonRssKb: 0, fileRssKb: 0, shmemRssKb: 0 });
    expect(rs[1]!.reaped).toBeNull();
    expect(rs[0]!.uptime).toBeCloseTo(6120.30022, 5);
  });

  it('rate-limited storm: victim lines without a dump are kills of their own, with no borrowed context', () => {
    const rs = parse('ratelimited-storm-headerless-kills.log');
    expect(rs.map((r) => [r.victim?.pid, r.trigger?.comm ?? null, r.cgroup?.path ?? null, r.complete])).toEqual([
      [9001, 'loader', '/jobs/loader', true],
      [9002, null, null, false],
      [9003, null, null, false],
    ]);
    expect(rs[1]!.constraint).toBe('CONSTRAINT_MEMCG');
    expect(new Set(rs.map((r) => r.eventId)).size).toBe(3);
  });

  it('reports dumps that end without a kill, and a victim line with no dump before it', () => {
    const rs = parse('no-kill-endings.log');
    expect(rs.map((r) => [r.type, r.reason, r.victim?.comm ?? null, r.trigger?.comm ?? null])).toEqual([
      ['oom-without-kill', 'no-killable-process', null, 'kworker/2:1'],
      ['oom-without-kill', 'victim-exiting', 'app', 'app'],
      ['oom-kill', null, 'orphan', null],
      ['oom-without-kill', 'panic', null, 'big'],
    ]);
    expect(rs[0]!.trigger!.order).toBe(-1);
    expect(rs[2]).toMatchObject({ constraint: null, cgroup: null, complete: false });
  });

  it('joins a summary split by a pr_cont race, keeps caller streams apart, unfolds #012', () => {
    const [r, ...rest] = parse('caller-ids-rsyslog-folded.log');
    expect(rest).toHaveLength(0);
    expect(r).toMatchObject({
      host: 'build-9', time: '2026-05-04T01:11:09.551Z', constraint: 'CONSTRAINT_NONE', taskMemcg: '/system.slice/firewalld.service',
      victim: { pid: 5096, uid: 0 }, memInfo: { counters: { inactive_anon: 400120, free: 1020 }, freeSwapKb: 0 },
      workload: { kind: 'systemd', unit: 'firewalld.service' },
    });
    expect(r!.tasks).toHaveLength(1);
  });

  it('reads cpuset and mempolicy constraints as printed', () => {
    const rs = parse('mempolicy-and-cpuset-constraints.log');
    expect(rs.map((r) => [r.constraint, r.trigger?.nodemask, r.cpuset, r.memsAllowed])).toEqual([
      ['CONSTRAINT_MEMORY_POLICY', '1', '/', '0-1'],
      ['CONSTRAINT_CPUSET', '(null)', 'batch', '1'],
    ]);
  });

  it('reads journalctl -o json, skipping userspace entries and decoding byte-array messages', () => {
    const [r, ...rest] = parse('journal-json-memcg.jsonl');
    expect(rest).toHaveLength(0);
    expect(r).toMatchObject({
      host: 'web-a', time: '2025-11-26T06:13:00.000Z', uptime: 14800.0004,
      cgroup: { limitKb: 204800, stats: { anon: 208896000, file: 4096 } }, victim: { pid: 311, anonRssKb: 200000 },
      workload: { kind: 'docker', container: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
    });
  });

  it('keeps the raw lines of a report on request', () => {
    const text = readFileSync(join(FIXTURES, 'two-kills-back-to-back-rhel7.log'), 'utf8');
    const [first] = parseLogText(text, { keepRaw: true });
    expect(first!.rawLines![0]).toContain('stress invoked oom-killer');
    expect(first!.rawLines!.at(-1)).toContain('Killed process 1457');
  });
});
