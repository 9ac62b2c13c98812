import { describe, expect, it } from 'vitest';
import { splitLives } from '../src/analyze/memoryLives.js';
import type { MemoryPoint } from '../src/analyze/memoryPoint.js';
import { correlation, shapeOf } from '../src/analyze/memoryShape.js';
import { runCli } from './support/runCli.js';

const F = 'fixtures/samples/real-v1-leak-8mib-per-s-64mib';
const MiB = 1 << 20;
const TRUTH = 8 * MiB;

function report(format: string, extra: string[] = []) {
  return runCli(['report', '--samples', `${F}.ndjson`, `${F}.log`, '--format', format, ...extra]);
}

describe('report --samples on a captured real leak (v1, 64 MiB, 8 MiB/s, restarted once)', () => {
  it('json: the group has its memory, two lives ended by kills, a leak (high) at the measured rate', () => {
    const r = report('json');
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.groups).toHaveLength(1);
    const g = a.groups[0];
    expect(g.cause).toBe('leak');
    expect(g.hypotheses[0]).toMatchObject({ cause: 'leak', confidence: 'high' });
    expect(g.hypotheses.filter((h: any) => h.confidence === 'high')).toHaveLength(1);
    expect(g.hypotheses[0].because[0]).toMatchObject({ kind: 'memory-ramp', values: { lives: 2, of: 2 } });
    expect(g.memory.samples).toBe(64);
    const dying = g.memory.lives.filter((l: any) => l.endedBy === 'kill');
    expect(dying.map((l: any) => l.shape)).toEqual(['ramp', 'ramp']);
    for (const l of dying) expect(Math.abs(l.growthBytesPerSec - TRUTH) / TRUTH).toBeLessThan(0.2);
    expect(Math.abs(g.memory.growthBytesPerSec - TRUTH) / TRUTH).toBeLessThan(0.2);
    expect(g.memory.curve.length).toBeGreaterThan(50);
    expect(g.nextSteps.map((n: any) => n.kind)).not.toContain('step-memory-curve');
    expect(a.memory).toMatchObject({ samples: 64, cgroups: 1, withoutKills: [] });
  });

  it('terminal: a sparkline per life; markdown the same in a code block', () => {
    const t = report('terminal');
    expect(t.stdout).toMatch(/a leak of \+8\.\d MiB\/s, measured in both lives \(64 memory samples\)/);
    const lives = t.stdout.split('\n').filter((l) => /^\s+\|[▁▂▃▄▅▆▇█ ]+\| .*ended by a kill$/.test(l));
    expect(lives).toHaveLength(2);
    for (const l of lives) expect(l).toMatch(/ramp, \+8\.\d MiB\/s, peak 6\d\.\d MiB of 64\.0 MiB/);
    const m = report('markdown');
    expect(m.stdout).toMatch(/```\nmemory: 64 samples, 3 lives, growth \+8\.\d MiB\/s\n/);
  });

  it('html: the real sawtooth, usage and limit over time, both kills marked', () => {
    const r = report('html');
    const svg = /<svg class="memory-chart"[\s\S]*?<\/svg>/.exec(r.stdout)?.[0] ?? '';
    expect(svg).toMatch(/<path d="M[^"]+" fill="none" stroke="#b42318" stroke-dasharray/); // the limit
    expect(svg.match(/<g class="kill">/g)).toHaveLength(2);
    // The usage line climbs and falls back twice: a sawtooth.
    const ys = [...(/<path d="([^"]+)" fill="none" stroke="#175cd3"/.exec(svg)?.[1] ?? '').matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1]));
    const falls = ys.slice(1).filter((y, i) => y - ys[i]! > 60).length; // SVG y grows downwards
    expect(falls).toBe(2);
  });

  it('a samples file that cannot be read is an input error, said in one line', () => {
    const r = runCli(['report', '--samples', 'fixtures/samples/none.ndjson', `${F}.log`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^oomlens: --samples fixtures\/samples\/none\.ndjson: cannot read: .*ENOENT/m);
  });
});

describe('the shape of a life decides the cause', () => {
  const limit = 64 * MiB;
  const pts = (values: number[], o: Partial<MemoryPoint>[] = []): MemoryPoint[] =>
    values.map((v, i) => ({
      cgroup: '/s', host: 'h', bootId: 'b', wallMs: i * 5000, monoSec: i * 5, usage: v, workingSet: v, limit, anon: v,
      oomKills: i === values.length - 1 ? 1 : 0, failcnt: null, pids: [1], processes: 1, top: [], hostPressure: null, ...o[i],
    }));
  const first = (p: MemoryPoint[]) => shapeOf(p, splitLives(p)[0]!, correlation(p)).shape;

  it('ramp (leak), step (spike), at-limit (start-up), follows-pressure (load), flat', () => {
    expect(first(pts([10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 1].map((m) => m * MiB)))).toBe('ramp');
    expect(first(pts([20, 20.2, 19.9, 20.1, 20, 62, 1].map((m) => m * MiB)))).toBe('step');
    expect(first(pts([20, 20.2, 19.9, 20.1, 20, 20, 1].map((m) => m * MiB)))).toBe('step'); // killed far under the limit: the jump was not sampled
    expect(first(pts([60, 61, 62, 63, 1].map((m) => m * MiB)))).toBe('at-limit');
    const load = [20, 30, 25, 40, 22, 45, 30, 50, 28, 55, 2];
    expect(first(pts(load.map((m) => m * MiB), load.map((m) => ({ hostPressure: m / 5 }))))).toBe('follows-pressure');
    const flat = pts([30, 31, 30, 29, 30, 31, 30, 30].map((m) => m * MiB)).map((p) => ({ ...p, oomKills: 0 }));
    expect(first(flat)).toBe('flat');
  });
});
