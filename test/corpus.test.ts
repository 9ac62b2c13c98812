import { describe, expect, it } from 'vitest';
import { parseLogText } from '../parsers/index.js';
import { OomRecord } from '../src/schema/oomRecord.js';
import { LABEL_FIELDS, corpusSamples, labelValue } from './support/corpus.js';

// The same check as ../shared/tools/score-corpus.py: every labelled field and every kill count.
// Run by `npm run test:corpus` only (vitest.corpus.config.ts); it fails when the corpus is missing.
const samples = corpusSamples();

describe('real-world corpus (../shared/corpus)', () => {
  for (const sample of samples) {
    it(sample.name, () => {
      const records = parseLogText(sample.text, { file: sample.logPath });
      for (const r of records) OomRecord.parse(r);
      const kills = records.filter((r) => r.type === 'oom-kill');
      const want = sample.label.events;
      const got = want.map((_, i) => Object.fromEntries(Object.keys(want[i]!).filter((f) => f in LABEL_FIELDS).map((f) => [f, labelValue(kills[i], f)])));
      const expected = want.map((ev) => Object.fromEntries(Object.entries(ev).filter(([f]) => f in LABEL_FIELDS).map(([f, v]) => [f, f === 'gfpMask' && typeof v === 'string' ? v.toLowerCase() : f === 'cgroupPath' && typeof v === 'string' ? v.replace(/\/+$/, '') || '/' : v])));
      expect(got).toEqual(expected);
      expect(kills.length).toBe(want.length);
    });
  }
});
