import { describe, expect, it } from 'vitest';
import { splitLives } from '../src/analyze/memoryLives.js';
import type { MemoryPoint } from '../src/analyze/memoryPoint.js';
import { MemoryTracker } from '../src/analyze/memoryTracker.js';
import { isGrowing, trendOf } from '../src/analyze/memoryTrend.js';
import { preOomReason } from '../src/analyze/preOomDecision.js';
import { secondsToLimit } from '../src/analyze/timeToLimit.js';

const MiB = 1 << 20;
const T0 = Date.UTC(2026, 10, 20, 6, 0, 0);

/** A deterministic stream of samples, one every `every` seconds. */
function point(i: number, workingSet: number, o: Partial<MemoryPoint> = {}, every = 5): MemoryPoint {
  return {
    cgroup: '/svc',
    host: 'h',
    bootId: 'b',
    wallMs: T0 + i * every * 1000,
    monoSec: 1000 + i * every,
    usage: workingSet,
    workingSet,
    limit: 64 * MiB,
    anon: workingSet,
    oomKills: 0,
    failcnt: null,
    pids: [100],
    processes: 1,
    top: [],
    hostPressure: null,
    ...o,
  };
}
/** Small deterministic noise in [-amp, amp]. */
const noise = (i: number, amp: number) => Math.round(Math.sin(i * 12.9898) * 43758.5453 % 1 * amp);

describe('the memory trend', () => {
  it('measures a steady ramp exactly through noise and an outlier', () => {
    const t = Array.from({ length: 40 }, (_, i) => i * 5);
    const v = t.map((s, i) => 10 * MiB + s * 200_000 + noise(i, 300_000));
    v[17] = 60 * MiB; // one burst
    const trend = trendOf(t, v)!;
    expect(trend.slope).toBeGreaterThan(200_000 * 0.97);
    expect(trend.slope).toBeLessThan(200_000 * 1.03);
    expect(trend.tau).toBeGreaterThan(0.8);
    expect(isGrowing(trend, 64 * MiB)).toBe(true);
  });

  it('a flat, noisy service is not growing and gets no prediction', () => {
    const t = Array.from({ length: 60 }, (_, i) => i * 5);
    const v = t.map((_, i) => 30 * MiB + noise(i, 2 * MiB));
    const trend = trendOf(t, v);
    expect(isGrowing(trend, 64 * MiB)).toBe(false);
    expect(secondsToLimit(v.at(-1)!, 64 * MiB, trend)).toBeNull();
  });

  it('seconds to the limit: the headroom over the rate; none without a limit; 0 at it', () => {
    const trend = trendOf([0, 5, 10, 15], [10 * MiB, 20 * MiB, 30 * MiB, 40 * MiB])!;
    expect(trend.slope).toBe(2 * MiB);
    expect(secondsToLimit(40 * MiB, 64 * MiB, trend)).toBe(12);
    expect(secondsToLimit(40 * MiB, null, trend)).toBeNull();
    expect(secondsToLimit(64 * MiB, 64 * MiB, null)).toBe(0);
  });
});

describe('lives', () => {
  it('split at a kill (counter or log), a restart (all pids new) and a drop', () => {
    const pts: MemoryPoint[] = [];
    let i = 0;
    // life 1: ramp, ended by the oom_kill counter
    for (let k = 0; k < 6; k++) pts.push(point(i++, (10 + 8 * k) * MiB));
    for (let k = 0; k < 6; k++) pts.push(point(i++, (10 + 8 * k) * MiB, { oomKills: 1, pids: [101] }));
    // life 3 (after restart: new pid, same counter; life 2 ended by restart... no: the counter ended life 1)
    for (let k = 0; k < 4; k++) pts.push(point(i++, 20 * MiB, { oomKills: 1, pids: [102] }));
    // a drop: 20 MiB -> 5 MiB is 15 MiB > 20% of 64 MiB
    for (let k = 0; k < 3; k++) pts.push(point(i++, 5 * MiB, { oomKills: 1, pids: [102] }));
    const lives = splitLives(pts);
    expect(lives.map((l) => [l.endedBy, l.to - l.from])).toEqual([
      ['kill', 6],
      ['restart', 6],
      ['drop', 4],
      ['ongoing', 3],
    ]);
    expect(lives[0]!.growing).toBe(true);
    expect(lives[0]!.trend!.slope).toBeCloseTo((8 * MiB) / 5, 0);
    expect(lives[2]!.growing).toBe(false);
    // A kill from the log (no counter, e.g. an older kernel) between samples 2 and 3.
    const plain = Array.from({ length: 6 }, (_, k) => point(k, (10 + k) * MiB, { oomKills: null }));
    expect(splitLives(plain, [T0 + 12_000]).map((l) => [l.endedBy, l.to - l.from])).toEqual([
      ['kill', 3],
      ['ongoing', 3],
    ]);
  });
});

describe('the pre-OOM decision', () => {
  const o = { leadSec: 30, atShare: 0.9 };
  it('fires on the lead time or the usage share, once per life', () => {
    expect(preOomReason({ workingSet: 40 * MiB, limit: 64 * MiB, secondsToLimit: 29 }, false, o)).toBe('lead');
    expect(preOomReason({ workingSet: 40 * MiB, limit: 64 * MiB, secondsToLimit: 31 }, false, o)).toBeNull();
    expect(preOomReason({ workingSet: 58 * MiB, limit: 64 * MiB, secondsToLimit: null }, false, o)).toBe('usage');
    expect(preOomReason({ workingSet: 58 * MiB, limit: 64 * MiB, secondsToLimit: 1 }, true, o)).toBeNull();
    expect(preOomReason({ workingSet: 58 * MiB, limit: null, secondsToLimit: null }, false, o)).toBeNull();
  });

  it('the tracker fires once in a growing life, and again after the kill re-arms it', () => {
    const tracker = new MemoryTracker(o, 10);
    const fired: number[] = [];
    let i = 0;
    for (let life = 0; life < 2; life++) {
      for (let k = 0; k < 14; k++, i++) {
        const [obs] = tracker.observe([point(i, (8 + 4 * k) * MiB, { oomKills: life, pids: [100 + life] }, 1)]);
        if (obs!.preOom) fired.push(i);
      }
    }
    // 4 MiB/s from 8 MiB: under the 30 s lead as soon as there is a trend (4 samples).
    expect(fired).toEqual([3, 17]);
  });

  it('a flat service never fires', () => {
    const tracker = new MemoryTracker(o, 10);
    const obs = Array.from({ length: 100 }, (_, i) => tracker.observe([point(i, 30 * MiB + noise(i, MiB))])[0]!);
    expect(obs.filter((x) => x.preOom || x.secondsToLimit !== null)).toEqual([]);
  });
});

describe('kills joined with the curve', () => {
  const o = { leadSec: 30, atShare: 0.9 };
  function grow(tracker: MemoryTracker, from: number, n: number, kills: number) {
    return Array.from({ length: n }, (_, k) => tracker.observe([point(from + k, (10 + 5 * k) * MiB, { oomKills: kills, pids: [100 + kills] })])[0]!);
  }

  it('a counter kill no log record explains is reported after the grace, with its life', () => {
    const tracker = new MemoryTracker(o, 10);
    grow(tracker, 0, 8, 0);
    const [obs] = tracker.observe([point(8, 10 * MiB, { oomKills: 1, pids: [101] })]);
    expect(obs!.ended).toMatchObject({ endedBy: 'kill', samples: 8, seconds: 35, startBytes: 10 * MiB, peakBytes: 45 * MiB, growing: true });
    expect(obs!.ended!.growthBytesPerSec).toBe(MiB);
    expect(tracker.unexplained(1000 + 8 * 5 + 5)).toEqual([]);
    const late = tracker.unexplained(1000 + 8 * 5 + 10);
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ cgroup: '/svc', count: 1, life: { endedBy: 'kill', samples: 8 } });
  });

  it('a log kill after the counter explains it and gets the ended life', () => {
    const tracker = new MemoryTracker(o, 10);
    grow(tracker, 0, 8, 0);
    tracker.observe([point(8, 10 * MiB, { oomKills: 1, pids: [101] })]);
    const life = tracker.noteLogKill('h', ['/svc'], 1041);
    expect(life).toMatchObject({ endedBy: 'kill', samples: 8 });
    expect(tracker.unexplained(2000)).toEqual([]);
  });

  it('a log kill before the counter moves gets the life going on, and explains one counted kill', () => {
    const tracker = new MemoryTracker(o, 10);
    grow(tracker, 0, 8, 0);
    expect(tracker.noteLogKill('h', ['/svc'], 1038)).toMatchObject({ endedBy: 'ongoing', samples: 8 });
    tracker.observe([point(8, 10 * MiB, { oomKills: 2, pids: [101] })]);
    expect(tracker.unexplained(2000)).toMatchObject([{ count: 1 }]); // two counted, one logged
  });

  it("a kill in a child cgroup counts in a sampled parent's counter (v2) and gets the parent's life", () => {
    const tracker = new MemoryTracker(o, 10);
    grow(tracker, 0, 8, 0);
    expect(tracker.noteLogKill('h', ['/svc/worker'], 1038)).toMatchObject({ cgroup: '/svc', endedBy: 'ongoing' });
    tracker.observe([point(8, 10 * MiB, { oomKills: 1, pids: [101] })]);
    expect(tracker.unexplained(2000)).toEqual([]);
  });
});
