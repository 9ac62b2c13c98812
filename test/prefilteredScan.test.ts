import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogParser, parseLogText } from '../parsers/index.js';
import type { KillRecord } from '../src/schema/killRecord.js';
import { scanPrefiltered } from '../src/sources/prefilteredScan.js';
import { SegmentPrefilter, type SegmentResult } from '../src/sources/segmentPrefilter.js';
import { CORPUS_RUN, corpusSamples } from './support/corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'oomlens-prefiltered-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** Every fixture log (and corpus sample under `npm run test:corpus`), one after the other, as one big log. */
function allLogs(): string {
  const fixtures = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.log') || f.endsWith('.jsonl'))
    .sort()
    .map((f) => readFileSync(join(FIXTURES, f), 'utf8'));
  return [...(CORPUS_RUN ? corpusSamples().map((s) => s.text) : []), ...fixtures].map((t) => (t.endsWith('\n') ? t : `${t}\n`)).join('');
}

/** The scanner fed only the candidates a prefilter found, over segments of `segmentBytes`. */
async function prefilteredRecords(text: string, segmentBytes: number): Promise<KillRecord[]> {
  const path = join(dir, 'log');
  writeFileSync(path, text);
  const size = Buffer.byteLength(text);
  const fd = openSync(path, 'r');
  const prefilter = new SegmentPrefilter();
  const segments: SegmentResult[] = [];
  for (let from = 0; from < size; from += segmentBytes) segments.push(prefilter.run(fd, size, from, Math.min(size, from + segmentBytes)));
  closeSync(fd);
  const records: KillRecord[] = [];
  const parser = createLogParser({ file: 'x', emit: (r) => records.push(r) });
  const handle = await open(path, 'r');
  try {
    await scanPrefiltered(handle, size, toAsync(segments), parser, { drain: async () => undefined });
  } finally {
    await handle.close();
  }
  return records;
}

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

describe('scan with a prefilter elsewhere', () => {
  const text = allLogs();
  const whole = parseLogText(text, { file: 'x' });

  it('has kills to find', () => expect(whole.filter((r) => r.type === 'oom-kill').length).toBeGreaterThan(50));

  for (const segmentBytes of [1 << 20, 65536, 4093, 211]) {
    it(`gives the records of a full scan, segments of ${segmentBytes} bytes`, async () => {
      expect(await prefilteredRecords(text, segmentBytes)).toEqual(whole);
    });
  }

  it('keeps line numbers across long lines, CRLF and a last line without newline', async () => {
    const sample = CORPUS_RUN ? corpusSamples()[0]!.text : readFileSync(join(FIXTURES, 'sample-kern.log'), 'utf8');
    const odd = [
      'x'.repeat(70_000), // longer than the decoded part of a line
      `${'y'.repeat(1_200_000)} Killed process 1 (far)`, // longer than a prefilter read
      sample.replaceAll('\n', '\r\n'),
      `Tasks state (memory values in pages): ${'z'.repeat(100_000)}`,
      sample.trimEnd(),
    ].join('\n');
    const want = parseLogText(odd, { file: 'x' });
    for (const segmentBytes of [1 << 20, 99_991]) expect(await prefilteredRecords(odd, segmentBytes)).toEqual(want);
  });

  it('reports an empty file as no segments and no records', async () => {
    expect(await prefilteredRecords('', 4096)).toEqual([]);
  });
});

describe('SegmentPrefilter', () => {
  it('cuts segments at line ends, so that they meet exactly and count every line', () => {
    const text = 'a\nbb Killed process 1 (x)\n\nccc\nTasks state (memory values in pages):\nlast';
    const path = join(dir, 'small');
    writeFileSync(path, text);
    const fd = openSync(path, 'r');
    const prefilter = new SegmentPrefilter();
    for (const step of [1, 2, 5, 100]) {
      let lines = 0;
      let end = 0;
      const starts: number[] = [];
      for (let from = 0; from < text.length; from += step) {
        const s = prefilter.run(fd, text.length, from, Math.min(text.length, from + step));
        if (s.end > s.start) expect(s.start).toBe(end);
        end = Math.max(end, s.end);
        starts.push(...s.starts);
        lines += s.lines;
      }
      expect(lines).toBe(6);
      expect(starts).toEqual([2, text.indexOf('Tasks')]);
    }
    closeSync(fd);
  });
});
