import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpsOf, findMemoryController, limitFiles, type KmsgRecord } from './support/realOom.js';

const dir = mkdtempSync(join(tmpdir(), 'oomlens-realoom-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rec(seq: number, message: string): KmsgRecord {
  return { raw: `6,${seq},${seq * 10},-;${message}`, seq, usec: seq * 10, message };
}

describe('the real-kernel helper', () => {
  it('prefers a cgroup v2 tree with the memory controller, else the v1 controller, else says why', () => {
    const v2 = join(dir, 'unified');
    mkdirSync(v2);
    writeFileSync(join(v2, 'cgroup.subtree_control'), 'cpu io memory pids\n');
    const v1 = { dir: join(dir, 'memory'), type: 'cgroup', options: 'rw,relatime,memory' };
    mkdirSync(v1.dir);
    expect(findMemoryController([{ dir: v2, type: 'cgroup2', options: 'rw' }, v1])).toEqual({ ok: true, version: 'v2', root: v2 });
    writeFileSync(join(v2, 'cgroup.subtree_control'), 'cpu pids\n');
    expect(findMemoryController([{ dir: v2, type: 'cgroup2', options: 'rw' }, v1])).toEqual({ ok: true, version: 'v1', root: v1.dir });
    const none = findMemoryController([{ dir: v2, type: 'cgroup2', options: 'rw' }]);
    expect(none.ok).toBe(false);
    expect(none.ok ? '' : none.why).toMatch(/no memory controller enabled.*no cgroup v1 memory controller/);
  });

  it('writes memory.max, no swap and memory.oom.group on v2; the limit then memsw on v1', () => {
    expect(limitFiles('v2', { limitBytes: 64 << 20, oomGroup: true })).toEqual([
      ['memory.max', String(64 << 20)],
      ['memory.swap.max?', '0'],
      ['memory.oom.group', '1'],
    ]);
    expect(limitFiles('v1', { limitBytes: 32 << 20 }).map(([f]) => f)).toEqual(['memory.limit_in_bytes', 'memory.memsw.limit_in_bytes?']);
  });

  it("keeps only the dumps that name our cgroup, whole, and our victims' reaper lines", () => {
    const dump = (s: number, cg: string, pid: number) => [
      rec(s, 'python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0'),
      rec(s + 1, `Memory cgroup stats for ${cg}:`),
      rec(s + 2, 'anon 1'),
      rec(s + 3, `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=${cg},task_memcg=${cg},task=python3,pid=${pid},uid=0`),
      rec(s + 4, `Memory cgroup out of memory: Killed process ${pid} (python3) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0`),
    ];
    const records = [
      ...dump(1, '/oomlens-t-a-1', 10),
      rec(6, 'eth0: link up'),
      ...dump(7, '/oomlens-t-a-12', 11), // another test's cgroup whose name starts like ours
      rec(12, 'oom_reaper: reaped process 11 (python3), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB'),
      rec(13, 'oom_reaper: reaped process 10 (python3), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB'),
    ];
    expect(dumpsOf(records, '/oomlens-t-a-1').map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 13]);
  });
});
