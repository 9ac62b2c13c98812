import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySample } from '../src/schema/memorySample.js';
import { parseKeyed, parsePids, parsePressure, parseStatmResidentPages, parseV1Limit, parseV2Limit } from '../src/sample/cgroupFiles.js';
import { cgroupGlob } from '../src/sample/cgroupGlob.js';
import { findControllerRoots } from '../src/sample/cgroupTree.js';
import { exact } from '../src/sample/exactCount.js';
import { Sampler, WALK_EVERY } from '../src/sample/sampler.js';
import { ROOT } from './support/runCli.js';

const FAKE = join(ROOT, 'fixtures', 'cgroupfs');
const at = { wallMs: Date.UTC(2026, 10, 20, 6, 0, 0), monotonicSec: 1234.5 };
const tmp = mkdtempSync(join(tmpdir(), 'oomlens-sampler-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function fakeSampler(version: 'v1' | 'v2', globs?: string[], dir = join(FAKE, version)) {
  return new Sampler({ roots: [{ dir, version }], globs, procRoot: join(FAKE, 'proc'), host: 'h1' });
}

describe('cgroup file readers', () => {
  it("maps the kernel's 'no limit' to null, keeps every other value exact", () => {
    expect(parseV1Limit('9223372036854771712\n')).toBeNull(); // 4 KiB pages
    expect(parseV1Limit('9223372036854710272\n')).toBeNull(); // 64 KiB pages
    expect(parseV1Limit('67108864\n')).toBe(67108864n);
    expect(parseV1Limit('garbage')).toBeUndefined();
    expect(parseV2Limit('max\n')).toBeNull();
    expect(parseV2Limit('268435456\n')).toBe(268435456n);
    expect(exact(9007199254745088n)).toBe('9007199254745088');
    expect(exact(9007199254740991n)).toBe(9007199254740991);
    expect(exact(18446744073709551615n)).toBe('18446744073709551615');
  });

  it('reads keyed files, PSI, cgroup.procs and statm', () => {
    expect(parseKeyed('low 0\nhigh 12\noom_kill 18446744073709551615\nbad line\n')).toEqual(
      new Map([
        ['low', 0n],
        ['high', 12n],
        ['oom_kill', 18446744073709551615n],
      ]),
    );
    expect(parsePressure('some avg10=1.50 avg60=0.75 avg300=0.20 total=123456\nfull avg10=0.50 avg60=0.25 avg300=0.05 total=23456\n')).toEqual({
      some: { avg10: 1.5, avg60: 0.75, avg300: 0.2, totalUs: 123456 },
      full: { avg10: 0.5, avg60: 0.25, avg300: 0.05, totalUs: 23456 },
    });
    expect(parsePressure('nonsense')).toBeNull();
    expect(parsePids('12\n34\n\n')).toEqual([12, 34]);
    expect(parseStatmResidentPages('9262 8491 1652 1 0 7140 0\n')).toBe(8491);
  });

  it('globs cgroup paths segment-wise: * within a segment, ** across', () => {
    expect(cgroupGlob('/svc-*').test('/svc-a')).toBe(true);
    expect(cgroupGlob('/svc-*').test('/svc-a/child')).toBe(false);
    expect(cgroupGlob('/kubepods.slice/**').test('/kubepods.slice')).toBe(true);
    expect(cgroupGlob('/kubepods.slice/**').test('/kubepods.slice/a/b.scope')).toBe(true);
    expect(cgroupGlob('/kubepods.slice/**').test('/kubepods.slicex')).toBe(false);
    expect(cgroupGlob('/**/web.service').test('/system.slice/web.service')).toBe(true);
    expect(cgroupGlob('/**/web.service').test('/web.service')).toBe(true);
    expect(cgroupGlob('svc-[ab]').test('/svc-b')).toBe(true);
    expect(cgroupGlob('/$(touch x)').test('/$(touch x)')).toBe(true);
  });

  it('finds the v1 memory hierarchy and a cgroup2 mount offering memory in mountinfo', () => {
    const info = [
      `30 25 0:26 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory`,
      `31 25 0:27 / /sys/fs/cgroup/cpu rw,relatime shared:10 - cgroup cgroup rw,cpu`,
      `32 25 0:28 / ${join(FAKE, 'v2').replace(/ /g, '\\040')} rw,relatime - cgroup2 cgroup2 rw`,
    ].join('\n');
    expect(findControllerRoots(info)).toEqual([
      { dir: '/sys/fs/cgroup/memory', version: 'v1' },
      { dir: join(FAKE, 'v2'), version: 'v2' },
    ]);
  });
});

describe('the sampler on a fake cgroupfs tree', () => {
  it('v1: samples every cgroup with a finite limit, exactly, with its processes', () => {
    const { samples, vanished } = fakeSampler('v1').sample(at);
    expect(vanished).toBe(0);
    expect(samples.map((s) => s.cgroup)).toEqual(['/big-limit', '/kubepods', '/kubepods/pod-a', '/svc-leak']);
    for (const s of samples) expect(MemorySample.parse(s)).toEqual(s);
    const leak = samples.find((s) => s.cgroup === '/svc-leak')!;
    expect(leak).toMatchObject({
      time: '2026-11-20T06:00:00.000Z',
      monotonicSec: 1234.5,
      bootId: '55d4a0f0-0000-4000-8000-000000000001',
      version: 'v1',
      usageBytes: 52428800,
      limitBytes: 67108864,
      highBytes: null,
      peakBytes: 67108864,
      anonBytes: 52002816,
      fileBytes: 425984,
      failcnt: 17,
      oomKills: 3,
      events: null,
      pressure: null,
      processes: 1,
      pids: [4242],
      top: [{ pid: 4242, comm: 'python3', rssBytes: 12800 * 4096 }],
    });
    expect(leak.hostPressure?.some.avg10).toBe(1.5);
    expect(samples.find((s) => s.cgroup === '/big-limit')!.limitBytes).toBe('9007199254745088');
    // The pod's limit sits above its containers: their processes count for it, largest first.
    const pod = samples.find((s) => s.cgroup === '/kubepods/pod-a')!;
    expect(pod.processes).toBe(3);
    expect(pod.top.map((p) => [p.comm, p.rssBytes])).toEqual([
      ['java', 100 << 20],
      ['envoy', 20 << 20],
      ['sh', 10 << 20],
    ]);
  });

  it('v2: memory.max/high/peak/events/stat/pressure; `max` is no limit', () => {
    const { samples } = fakeSampler('v2').sample(at);
    expect(samples.map((s) => s.cgroup)).toEqual([
      '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod123.slice/cri-containerd-abc.scope',
      '/system.slice/web.service',
    ]);
    const web = samples[1]!;
    expect(MemorySample.parse(web)).toEqual(web);
    expect(web).toMatchObject({
      version: 'v2',
      usageBytes: 220000000,
      limitBytes: 268435456,
      highBytes: 234881024,
      peakBytes: 260000000,
      workingSetBytes: 215000000,
      anonBytes: 200000000,
      fileBytes: 15000000,
      shmemBytes: 500000,
      kernelBytes: 4500000,
      events: { high: 12, max: 40, oom: 4, oomKill: 2 },
      oomKills: 2,
      failcnt: null,
      processes: 2,
      top: [
        { pid: 5001, comm: 'node', rssBytes: 200 << 20 },
        { pid: 5002, comm: 'node worker', rssBytes: 5 << 20 },
      ],
    });
    expect(web.pressure?.some.avg10).toBe(3.25);
  });

  it('--cgroup globs choose cgroups whatever their limit', () => {
    const names = (g: string[]) => fakeSampler('v2', g).sample(at).samples.map((s) => s.cgroup);
    expect(names(['/system.slice/*'])).toEqual(['/system.slice/cron.service', '/system.slice/web.service']);
    expect(names(['/kubepods.slice/**'])).toHaveLength(4);
    expect(names(['/nothing-*'])).toEqual([]);
  });

  it('a cgroup that vanishes between the listing and the reading is no error', () => {
    const copy = join(tmp, 'v1');
    cpSync(join(FAKE, 'v1'), copy, { recursive: true });
    const sampler = fakeSampler('v1', undefined, copy);
    expect(sampler.sample(at).samples).toHaveLength(4);
    // Half-gone: the directory is still listed but its files are going (as during rmdir).
    rmSync(join(copy, 'svc-leak', 'memory.usage_in_bytes'));
    rmSync(join(copy, 'kubepods'), { recursive: true });
    const round = sampler.sample(at);
    expect(round.samples.map((s) => s.cgroup)).toEqual(['/big-limit']);
    // svc-leak half-gone, kubepods and pod-a gone since the last walk of the tree.
    expect(round.vanished).toBe(3);
    // The next walk no longer lists the removed ones; svc-leak is still listed and still half-gone.
    for (let i = 2; i < WALK_EVERY; i++) sampler.sample(at);
    expect(sampler.sample(at).vanished).toBe(1);
  });
});
