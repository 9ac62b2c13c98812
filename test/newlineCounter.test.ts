import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NewlineCountingBuffer } from '../parsers/scan/newlineCounter.js';

const buf = new NewlineCountingBuffer(1 << 16);

function plainCount(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (bytes[i] === 10) n++;
  return n;
}

describe('NewlineCountingBuffer', () => {
  it('counts like a byte loop, for any bytes and any range (vector runs, the tail, lanes past 255)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 9000 }), fc.nat(), fc.nat(), fc.boolean(), (data, a, b, dense) => {
        // Dense input fills a byte lane with more than 255 newlines across runs.
        const bytes = dense ? data.map((x) => (x % 3 === 0 ? x : 10)) : data;
        buf.bytes.set(bytes, 0);
        const from = bytes.length === 0 ? 0 : a % bytes.length;
        const to = from + (b % (bytes.length - from + 1));
        expect(buf.count(from, to)).toBe(plainCount(bytes, from, to));
      }),
      { numRuns: 400 },
    );
  });
  it('counts a whole buffer of newlines', () => {
    buf.bytes.fill(10);
    expect(buf.count(0, buf.bytes.length)).toBe(1 << 16);
    expect(buf.count(5, 5)).toBe(0);
  });
});
