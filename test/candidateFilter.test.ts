import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPENERS } from '../parsers/assemble/assembler.js';
import { classify } from '../parsers/kinds/classify.js';
import { LINE_KINDS } from '../parsers/kinds/table.js';
import { CANDIDATE_NEEDLES, CandidateFilter } from '../parsers/scan/candidateFilter.js';
import { findCandidateLines } from '../parsers/scan/lineCandidates.js';
import { ScanKernel } from '../parsers/scan/scanKernel.js';

const filter = new CandidateFilter();

// The kinds the assembler acts on while no report is open: openers, a late reaper line, and
// the boot banner that names the kernel. Of the memcg counters only `memory:` opens a report.
const ACT_WHEN_IDLE = new Set<string>([...OPENERS, 'reaped', 'kernelVersion', 'callbacksSuppressed']);
function actsWhenIdle(line: string): boolean {
  const c = classify(line);
  return c !== null && ACT_WHEN_IDLE.has(c.kind) && !(c.kind === 'memcgCounter' && c.fields.counter !== 'memory');
}
// `Linux (none) 3.2.21 #21 ...` is `uname -a` echoed to a console: no fixed text to search for,
// so it only counts inside an open report.
const UNSEARCHABLE = new Set(['Linux (none) 3.2.21 #21 SMP Thu Jan 10 12:48:07 IST 2013 armv7l GNU/Linux']);

describe('candidate needles', () => {
  for (const kind of LINE_KINDS.filter((k) => ACT_WHEN_IDLE.has(k.name))) {
    for (const sample of kind.samples.filter((s) => actsWhenIdle(s.line) && !UNSEARCHABLE.has(s.line))) {
      it(`${kind.name}: ${sample.line.slice(0, 60)}`, () => {
        const bytes = Buffer.from(`Nov  6 06:13:05 web-1 kernel: [ 12.5] ${sample.line}\n`);
        expect(filter.next(bytes, 0, bytes.length)).toBeGreaterThanOrEqual(0);
      });
    }
  }
  it('finds byte-array journal messages in both JSON spacings', () => {
    for (const text of ['{"__CURSOR":"s","MESSAGE":[75,105]}', '{ "__CURSOR" : "s", "MESSAGE" : [ 75, 105 ] }']) {
      expect(filter.next(Buffer.from(text), 0, text.length)).toBeGreaterThan(0);
    }
  });
  it('skips lines that only mention the OOM killer', () => {
    const text = Buffer.from('Memory cgroup stats are fine: this line mentions oom-killer in passing\nOOM killer disabled.\n');
    expect(filter.next(text, 0, text.length)).toBe(-1);
  });
});

/** Every offset where some needle lies wholly in [from, to), the slow way. */
function naiveHits(buf: Buffer, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) {
    if (CANDIDATE_NEEDLES.some((n) => i + n.length <= to && buf.toString('latin1', i, i + n.length) === n)) out.push(i);
  }
  return out;
}

// Text made of filler and needles, so that needles straddle the lane boundaries of findAll.
const logText = fc
  .array(fc.oneof(fc.constantFrom(...CANDIDATE_NEEDLES), fc.string({ maxLength: 40 }), fc.constant('\n'), fc.constant('x'.repeat(1500))), { maxLength: 40 })
  .map((parts) => Buffer.from(parts.join(''), 'latin1'));

describe('CandidateFilter.findAll', () => {
  it('finds exactly what a naive search finds, in any sub-range', () => {
    fc.assert(
      fc.property(logText, fc.nat(), fc.nat(), (buf, a, b) => {
        const from = buf.length === 0 ? 0 : a % buf.length;
        const to = from + (buf.length - from === 0 ? 0 : b % (buf.length - from + 1));
        const hits: number[] = [];
        filter.findAll(buf, from, to, hits);
        expect(hits).toEqual(naiveHits(buf, from, to));
      }),
      { numRuns: 300 },
    );
  });
  it('agrees with next() on a large range (lanes in use)', () => {
    const parts: string[] = [];
    for (let i = 0; i < 4000; i++) parts.push(i % 97 === 0 ? `x Killed process ${i} (a)` : `noise line ${i} with some text`);
    const buf = Buffer.from(parts.join('\n'));
    const hits: number[] = [];
    filter.findAll(buf, 0, buf.length, hits);
    const viaNext: number[] = [];
    for (let p = filter.next(buf, 0, buf.length); p >= 0; p = filter.next(buf, p + 1, buf.length)) viaNext.push(p);
    expect(hits).toEqual(viaNext);
    expect(hits.length).toBe(42);
  });
});

/** The text in the memory of a scan kernel. */
function countingBuffer(text: string): { buf: ScanKernel; length: number } {
  const buf = new ScanKernel(CANDIDATE_NEEDLES, 1 << 16);
  return { buf, length: buf.bytes.write(text, 'latin1') };
}

describe('findCandidateLines', () => {
  it('reports each candidate line once, with its start and index', () => {
    const text = 'a\nb Killed process 1 (x) oom_reaper: \nc\nTasks state (memory values in pages):\nd';
    const { buf, length } = countingBuffer(text);
    const out = { starts: [] as number[], indexes: [] as number[] };
    const newlines = findCandidateLines(buf, 0, length, 10, out);
    expect(newlines).toBe(4);
    expect(out.starts).toEqual([2, text.indexOf('Tasks')]);
    expect(out.indexes).toEqual([11, 13]);
  });
  it('counts a candidate that ends the range without a newline', () => {
    const { buf, length } = countingBuffer('x\ny Killed process 2 (z)');
    const out = { starts: [] as number[], indexes: [] as number[] };
    expect(findCandidateLines(buf, 0, length, 0, out)).toBe(1);
    expect(out).toEqual({ starts: [2], indexes: [1] });
  });
});
