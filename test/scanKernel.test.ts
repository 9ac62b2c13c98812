import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANDIDATE_NEEDLES } from '../parsers/scan/candidateFilter.js';
import { ScanKernel } from '../parsers/scan/scanKernel.js';

const kernel = new ScanKernel(CANDIDATE_NEEDLES, 1 << 16);

function plainCount(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (bytes[i] === 10) n++;
  return n;
}

/** Start offsets of the lines of [from, to) holding a needle wholly inside the range, the slow way. */
function plainCandidateLines(text: string, from: number, to: number): number[] {
  const lines = new Set<number>();
  for (const needle of CANDIDATE_NEEDLES) {
    for (let i = text.indexOf(needle, from); i >= 0 && i + needle.length <= to; i = text.indexOf(needle, i + 1)) {
      lines.add(Math.max(from, text.lastIndexOf('\n', i) + 1));
    }
  }
  return [...lines].sort((a, b) => a - b);
}

// Log-like text: filler, newlines and needles, long enough at times for the four lanes.
const logText = fc
  .array(fc.oneof(fc.constantFrom(...CANDIDATE_NEEDLES), fc.string({ maxLength: 30 }), fc.constant('\n'), fc.constant('x'.repeat(1500))), { maxLength: 60 })
  .map((parts) => parts.join(''));

describe('ScanKernel.countNewlines', () => {
  it('counts like a byte loop, for any bytes and any range (vector runs, the tail, lanes past 255)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 9000 }), fc.nat(), fc.nat(), fc.boolean(), (data, a, b, dense) => {
        // Dense input fills a byte lane with more than 255 newlines across runs.
        const bytes = dense ? data.map((x) => (x % 3 === 0 ? x : 10)) : data;
        kernel.bytes.set(bytes, 0);
        const from = bytes.length === 0 ? 0 : a % bytes.length;
        const to = from + (b % (bytes.length - from + 1));
        expect(kernel.countNewlines(from, to)).toBe(plainCount(bytes, from, to));
      }),
      { numRuns: 400 },
    );
  });
  it('counts a whole buffer of newlines', () => {
    kernel.bytes.fill(10);
    expect(kernel.countNewlines(0, kernel.bytes.length)).toBe(1 << 16);
    expect(kernel.countNewlines(5, 5)).toBe(0);
  });
});

describe('ScanKernel.findCandidates', () => {
  it('finds every line a plain search finds, and only real occurrences, in order', () => {
    fc.assert(
      fc.property(logText, fc.nat(), fc.nat(), (text, a, b) => {
        const length = kernel.bytes.write(text, 'latin1');
        const from = length === 0 ? 0 : a % length;
        const to = from + (b % (length - from + 1));
        const hits: number[] = [];
        kernel.findCandidates(from, to, hits);
        expect(hits).toEqual([...hits].sort((x, y) => x - y));
        for (const h of hits) expect(CANDIDATE_NEEDLES.some((n) => h + n.length <= to && text.startsWith(n, h))).toBe(true);
        const lines = [...new Set(hits.map((h) => Math.max(from, text.lastIndexOf('\n', h) + 1)))];
        expect(lines).toEqual(plainCandidateLines(text, from, to));
      }),
      { numRuns: 400 },
    );
  });
  it('finds a needle in every line of a range full of them (the hit list does not overflow)', () => {
    const line = 'oom-kill:constraint=X\n';
    const length = kernel.bytes.write(line.repeat(Math.floor((1 << 16) / line.length)), 'latin1');
    const hits: number[] = [];
    kernel.findCandidates(0, length, hits);
    expect(hits.length).toBe(Math.floor((1 << 16) / line.length));
  });
});
