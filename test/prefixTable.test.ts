import { describe, expect, it } from 'vitest';
import { DecodeContext } from '../parsers/decode/decodeContext.js';
import { decodeLine } from '../parsers/decode/decodeLine.js';
import type { DecodedLine } from '../parsers/decode/decodedLine.js';
import { PREFIX_DECODERS, decodersFor, type PrefixDecoder } from '../parsers/decode/prefix/table.js';

const ctx = () => new DecodeContext({ year: 2026, tz: 'UTC' });

function claims(d: PrefixDecoder, line: string): boolean {
  const c = ctx();
  switch (d.form) {
    case 'records':
      return d.read(line, c) !== null;
    case 'head':
      return d.read(line, c) !== null;
    case 'wrapper':
      return d.read(line) !== null;
  }
}

// The prefix decoders, like the line kinds, carry samples: each decodes to what it states and
// is claimed first by its own entry among those for its first character.
describe('prefix decoder table', () => {
  for (const d of PREFIX_DECODERS) {
    describe(d.name, () => {
      it('has samples', () => expect(d.samples.length).toBeGreaterThan(0));
      for (const sample of d.samples) {
        it(sample.line.slice(0, 70), () => {
          const out: DecodedLine[] = [];
          decodeLine(sample.line, ctx(), (l) => out.push(l));
          expect(out[0]).toMatchObject(sample.gives);
          expect(decodersFor(sample.line.charAt(0)).find((o) => claims(o, sample.line))?.name).toBe(d.name);
        });
      }
    });
  }

  it('no sample is claimed by two decoders, but for the level-only fallback after the full forms', () => {
    const allowed = new Set(['bracketStamp sample also levelOnly', 'rfc5424 sample also levelOnly']);
    const doubles: string[] = [];
    for (const d of PREFIX_DECODERS) {
      for (const s of d.samples) {
        for (const o of decodersFor(s.line.charAt(0))) {
          const pair = `${d.name} sample also ${o.name}`;
          if (o !== d && claims(o, s.line) && !allowed.has(pair)) doubles.push(`${pair}: ${s.line}`);
        }
      }
    }
    expect(doubles).toEqual([]);
  });
});
