import { describe, expect, it } from 'vitest';
import { classify, tryKind } from '../parsers/kinds/classify.js';
import { hasType, type FieldType } from '../parsers/kinds/fieldTypes.js';
import { LINE_KINDS } from '../parsers/kinds/table.js';

// Every entry of the line-kind table carries real sample lines; each must classify as its own
// kind, yield exactly the fields the entry declares with their declared types, and hold the
// values the sample states (lnav's format tests are the model).
describe('line kind table samples', () => {
  for (const kind of LINE_KINDS) {
    describe(kind.name, () => {
      it('has samples', () => expect(kind.samples.length).toBeGreaterThan(0));
      for (const sample of kind.samples) {
        it(`${sample.kernel}: ${sample.line.slice(0, 70)}`, () => {
          const c = classify(sample.line);
          expect(c?.kind).toBe(kind.name);
          if (sample.fields) expect(c?.fields).toMatchObject(sample.fields as object);
          const spec = kind.fields as Record<string, FieldType>;
          const fields = c!.fields as Record<string, unknown>;
          expect(Object.keys(fields).sort()).toEqual(Object.keys(spec).sort());
          for (const [name, type] of Object.entries(spec)) {
            expect(hasType(type, fields[name]), `${name}: ${type} = ${JSON.stringify(fields[name])}`).toBe(true);
          }
        });
      }
    });
  }

  it('no sample line is read by two kinds', () => {
    const doubles: string[] = [];
    for (const owner of LINE_KINDS) {
      for (const sample of owner.samples) {
        for (const other of LINE_KINDS) {
          if (other !== owner && tryKind(other, sample.line.trimStart())) doubles.push(`${owner.name} sample also ${other.name}: ${sample.line}`);
        }
      }
    }
    expect(doubles).toEqual([]);
  });

  it('every role that names another kind names one in the table', () => {
    const names = new Set<string>(LINE_KINDS.map((k) => k.name));
    for (const kind of LINE_KINDS) {
      const role = kind.role as { role: string; of?: string };
      if (role.role === 'continues') {
        expect(names.has(role.of!)).toBe(true);
        expect('incomplete' in LINE_KINDS.find((k) => k.name === role.of)!).toBe(true);
      }
    }
  });
});

describe('classify', () => {
  it('ignores lines that only mention the OOM killer', () => {
    expect(classify('Memory cgroup stats are fine: this line mentions oom-killer in passing')).toBeNull();
    expect(classify('OOM killer disabled.')).toBeNull();
  });
  it('reads leading-space continuation lines', () => {
    expect(classify(' active_file:24655 inactive_file:60269 isolated_file:0')?.kind).toBe('keyValues');
  });
  it('never throws on junk', () => {
    for (const junk of ['', ' ', '[', 'Killed process (', 'oom-kill:', '\u0000\u0001', 'Task in ', '[ pid ]']) {
      expect(() => classify(junk)).not.toThrow();
    }
  });
  it('keeps integers exact: counters above 2^53 as decimal strings, "unlimited" limits null and flagged', () => {
    expect(classify('memory+swap: usage 0kB, limit 18014398509481983kB, failcnt 0')?.fields).toMatchObject({ limitKb: null, unlimited: true, usageKb: 0 });
    expect(classify('memory: usage 512kB, limit 9007199254740988kB, failcnt 0')?.fields).toMatchObject({ limitKb: null, unlimited: true });
    expect(classify('memory: usage 512kB, limit 1048576kB, failcnt 18446744073709551615')?.fields).toMatchObject({ limitKb: 1048576, failcnt: '18446744073709551615' });
    expect(classify('total_pgfault 18446744073709551615')?.fields).toMatchObject({ value: '18446744073709551615' });
  });
});
