import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseLogText } from '../parsers/index.js';
import { KillRecord, killerOf } from '../src/schema/killRecord.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const DECODE = { year: 2026, tz: 'UTC' };

// One journal, three killers: the kernel (a memcg kill, later a global one), earlyoom and
// systemd-oomd (the same unit three times, its PID 1 line before or after oomd's own).
describe('mixed journal JSON', () => {
  const records = parseLogText(readFileSync(join(FIXTURES, 'mixed-journal.jsonl'), 'utf8'), { file: 'mixed-journal.jsonl', decode: DECODE });

  it('every kill appears, in time order, with its killer', () => {
    for (const r of records) KillRecord.parse(r);
    expect(records.map((r) => [r.time, killerOf(r)])).toEqual([
      ['2026-03-02T10:00:00.010Z', 'kernel'],
      ['2026-03-02T10:05:00.002Z', 'earlyoom'],
      ['2026-03-02T10:10:00.009Z', 'systemd-oomd'],
      ['2026-03-02T10:12:00.006Z', 'kernel'],
      ['2026-03-02T10:20:00.000Z', 'systemd-oomd'],
      ['2026-03-02T10:30:00.000Z', 'systemd-oomd'],
    ]);
    const lines = records.map((r) => r.source.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('each record holds what its killer logged', () => {
    const [memcg, early, oomd, global, again, third] = records;
    expect(memcg).toMatchObject({ type: 'oom-kill', constraint: 'CONSTRAINT_MEMCG', victim: { pid: 7001, comm: 'python3' }, workload: { kind: 'docker' } });
    expect(early).toMatchObject({ type: 'userspace-kill', victim: { pid: 23110, comm: 'rustc', oomScore: 811, vmRssMiB: 12204 }, action: { outcome: 'exited', exitedAfterSec: 0.61 } });
    expect(oomd).toMatchObject({ type: 'userspace-kill', victim: { unit: 'app-gnome-code-4471.scope', processesKilled: 63 }, consideredCount: 38, reason: { pressurePercent: 61.42 } });
    expect(global).toMatchObject({ type: 'oom-kill', constraint: 'CONSTRAINT_NONE', victim: { pid: 5120, comm: 'stress-ng' } });
    expect([again, third].map((r) => r?.type === 'userspace-kill' && [r.victim.unit, r.victim.processesKilled])).toEqual([
      ['app-gnome-code-4471.scope', 58],
      ['app-gnome-code-4471.scope', 61],
    ]);
  });
});

describe('oomlens schema', () => {
  it('describes both record kinds', () => {
    const schema = JSON.stringify(z.toJSONSchema(KillRecord));
    expect(schema).toContain('"userspace-kill"');
    expect(schema).toContain('"oom-without-kill"');
    expect(schema).toContain('"earlyoom"');
  });
});
