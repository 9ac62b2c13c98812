import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogParser, parseLogText } from '../parsers/index.js';
import { KillRecord } from '../src/schema/killRecord.js';
import type { OomRecord } from '../src/schema/oomRecord.js';
import { sampleLogs } from './support/corpus.js';
import { parseChunks } from './support/parseChunks.js';
import { FUZZ_RUNS, FUZZ_SEED } from './support/fuzzRuns.js';

const params = { numRuns: FUZZ_RUNS, seed: FUZZ_SEED };
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const samples = sampleLogs();


/** What a kill says about the kernel's report, without where it sat in the file. */
function essence(r: OomRecord) {
  const { eventId: _e, source: _s, ...rest } = r;
  return rest;
}

describe('parser properties', () => {
  it('never throws on arbitrary bytes, and every record validates', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 }), (bytes, sizes) => {
        parseChunks(bytes, sizes); // validates every record
      }),
      params,
    );
  });

  it('never throws on OOM-shaped junk (real line kinds with random edits)', () => {
    const lines = samples.flatMap((s) => s.text.split('\n')).filter((l) => /oom|Killed|memory|pid|Task/.test(l));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...lines), fc.nat(), fc.string({ maxLength: 8 })), { maxLength: 60 }),
        (edits) => {
          const text = edits.map(([line, at, insert]) => line.slice(0, at % (line.length + 1)) + insert + line.slice(at % (line.length + 1))).join('\n');
          for (const r of parseLogText(text)) KillRecord.parse(r);
        },
      ),
      params,
    );
  });

  it('gives the same records for any chunking of the same bytes', () => {
    const bytes = samples.map((s) => Buffer.from(s.text));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), fc.array(fc.integer({ min: 1, max: 1 << 20 }), { minLength: 1, maxLength: 8 }), (i, sizes) => {
        expect(parseChunks(bytes[i]!, sizes)).toEqual(parseChunks(bytes[i]!));
      }),
      { ...params, numRuns: Math.max(10, FUZZ_RUNS / 2) },
    );
  });

  it('never invents a kill from a truncated report, and marks a cut report incomplete', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: samples.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (i, cut) => {
        const lines = samples[i]!.text.split('\n');
        const kept = lines.slice(0, Math.floor(lines.length * cut)).join('\n');
        const full = parseLogText(samples[i]!.text).filter((r) => r.type === 'oom-kill');
        const part = parseLogText(kept).filter((r) => r.type === 'oom-kill');
        expect(part.length).toBeLessThanOrEqual(full.length);
        // Every kill found in the cut text is a kill of the whole text, with the same victim.
        for (const k of part) expect(full.some((f) => f.victim?.pid === k.victim?.pid && f.victim?.comm === k.victim?.comm)).toBe(true);
      }),
      params,
    );
  });

  it('finds every dump with the same fields when hosts interleave line by line, with noise', () => {
    const a = readFileSync(join(FIXTURES, 'k4.14-memcg-v1-docker-syslog.log'), 'utf8').trimEnd().split('\n');
    // Same day for both hosts: a month going backwards would read as a year rollover.
    const b = readFileSync(join(FIXTURES, 'k5.10-memcg-v2-kubepods-journal.log'), 'utf8').trimEnd().replaceAll('Mar 02 ', 'Oct 11 ').split('\n');
    const alone = [...parseLogText(a.join('\n')), ...parseLogText(b.join('\n'))].map(essence);
    const noise = 'Oct 11 04:20:31 other-host kernel: [ 1.000000] eth0: link up, Killed processes none, oom-killer mentioned in passing';
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'n'), { minLength: a.length + b.length, maxLength: a.length + b.length + 40 }), (order) => {
        const out: string[] = [];
        let i = 0;
        let j = 0;
        for (const pick of order) {
          if (pick === 'a' && i < a.length) out.push(a[i++]!);
          else if (pick === 'b' && j < b.length) out.push(b[j++]!);
          else out.push(noise);
        }
        out.push(...a.slice(i), ...b.slice(j));
        const got = parseLogText(out.join('\n')).map(essence);
        expect(got.sort((x, y) => String(x.host).localeCompare(String(y.host)))).toEqual(alone.sort((x, y) => String(x.host).localeCompare(String(y.host))));
      }),
      params,
    );
  });

  it('splices dumps into each other: complete dumps around a cut one are still found', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: samples.length - 1 }), fc.integer({ min: 0, max: samples.length - 1 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (i, j, cut) => {
        const first = samples[i]!.text.split('\n');
        const cutText = first.slice(0, Math.floor(first.length * cut)).join('\n');
        const spliced = `${cutText}\n${samples[j]!.text}`;
        for (const r of parseLogText(spliced)) KillRecord.parse(r);
        const killsOfSecond = parseLogText(samples[j]!.text).filter((r) => r.type === 'oom-kill').length;
        const killsSpliced = parseLogText(spliced).filter((r) => r.type === 'oom-kill').length;
        expect(killsSpliced).toBeGreaterThanOrEqual(killsOfSecond - 1);
      }),
      params,
    );
  });
});

describe('pathological input', () => {
  it('a 50 MB line with no newline: no hang, no throw, memory bounded', () => {
    const chunk = Buffer.alloc(1 << 20, 0x41);
    const out: OomRecord[] = [];
    const parser = createLogParser({ emit: (r) => out.push(r) });
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 50; i++) parser.push(chunk);
    parser.push(Buffer.from(' Killed process 1 (x) total-vm:1kB, anon-rss:1kB, file-rss:0kB\n'));
    parser.end();
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * (1 << 20));
    expect(out).toEqual([]);
  });

  it('NUL bytes, invalid UTF-8 and CRLF around a real dump do not hide it', () => {
    const dump = readFileSync(join(FIXTURES, 'k4.14-memcg-v1-docker-syslog.log'), 'utf8').replaceAll('\n', '\r\n');
    const junk = Buffer.from([0, 0xff, 0xfe, 0xc3, 0x28, 10, 0, 0, 13, 10]);
    const records = parseChunks(Buffer.concat([junk, Buffer.from(dump), junk]));
    expect(records.filter((r) => r.type === 'oom-kill').map((r) => r.victim?.comm)).toEqual(['java']);
  });
});

describe('line length cap', () => {
  it('says in the record that a line of the report was cut', () => {
    const pad = 'x'.repeat(100 * 1024);
    const text = [
      '[  1.000000] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
      `[  1.000001] CPU: 0 PID: 1 Comm: a Not tainted 6.1.0 #1 ${pad}`,
      '[  1.000002] Out of memory: Killed process 1 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0',
    ].join('\n');
    for (const sizes of [[text.length], [4096], [70000]]) {
      const [r] = parseChunks(Buffer.from(text), sizes);
      expect(r).toMatchObject({ type: 'oom-kill', cutLines: 1, trigger: { pid: 1 } });
    }
    expect(parseLogText(text.replace(pad, ''))[0]!.cutLines).toBeUndefined();
  });
});
