import { describe, expect, it } from 'vitest';
import { classify } from '../parsers/kinds/classify.js';
import { LINE_KINDS } from '../parsers/kinds/table.js';

// Every entry of the line-kind table carries real sample lines; each must classify as its own
// kind with the fields the sample states.
describe('line kind table samples', () => {
  for (const kind of LINE_KINDS) {
    describe(kind.name, () => {
      it('has samples', () => expect(kind.samples.length).toBeGreaterThan(0));
      for (const sample of kind.samples) {
        it(`${sample.kernel}: ${sample.line.slice(0, 70)}`, () => {
          const c = classify(sample.line);
          expect(c?.kind).toBe(kind.name);
          if (sample.fields) expect(c?.fields).toMatchObject(sample.fields as object);
        });
      }
    });
  }
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
});
