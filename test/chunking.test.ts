import { describe, expect, it } from 'vitest';
import { createLogParser, parseLogText } from '../parsers/index.js';
import type { OomRecord } from '../src/schema/oomRecord.js';
import { CORPUS_RUN, sampleLogs } from './support/corpus.js';

/** Parses bytes cut into chunks at the given sizes (cycled). */
function parseChunked(bytes: Buffer, sizes: number[], file: string): OomRecord[] {
  const out: OomRecord[] = [];
  const parser = createLogParser({ file, emit: (r) => out.push(r) });
  let i = 0;
  for (let p = 0; p < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    parser.push(bytes.subarray(p, p + n));
    p += n;
  }
  parser.end();
  return out;
}

const samples = sampleLogs();

describe(`chunk-boundary invariance (${CORPUS_RUN ? '../shared/corpus' : 'fixtures'})`, () => {
  for (const sample of samples) {
    it(sample.name, () => {
      const whole = parseLogText(sample.text, { file: 'x' });
      const bytes = Buffer.from(sample.text);
      for (const sizes of [[1], [7, 3, 101], [4096], [65537]]) {
        expect(parseChunked(bytes, sizes, 'x')).toEqual(whole);
      }
    });
  }
});
