import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySample } from '../src/schema/memorySample.js';
import { readSamplesFile, SamplesFile } from '../src/sample/samplesFile.js';
import { Sampler } from '../src/sample/sampler.js';
import { ROOT, runCli } from './support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'oomlens-samples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FAKE = join(ROOT, 'fixtures', 'cgroupfs');

function round(i: number): MemorySample[] {
  const sampler = new Sampler({ roots: [{ dir: join(FAKE, 'v2'), version: 'v2' }], procRoot: join(FAKE, 'proc'), host: 'h1' });
  return sampler.sample({ wallMs: Date.UTC(2026, 10, 20, 6, 0, i * 5), monotonicSec: 100 + i * 5 }).samples;
}

describe('the samples file', () => {
  it('appends NDJSON, rotates at the size into FILE.1 (one old file), and reads both back in order', async () => {
    const path = join(dir, 'rot.ndjson');
    const problems: string[] = [];
    const oneRound = Buffer.byteLength(round(0).map((s) => `${JSON.stringify(s)}\n`).join(''));
    const file = new SamplesFile(path, oneRound * 3, (m) => problems.push(m));
    file.open();
    for (let i = 0; i < 10; i++) file.append(round(i));
    file.close();
    expect(problems).toEqual([]);
    expect(statSync(path).size).toBeLessThanOrEqual(oneRound * 3);
    expect(statSync(`${path}.1`).size).toBeLessThanOrEqual(oneRound * 3);
    expect(existsSync(`${path}.2`)).toBe(false);
    const back: MemorySample[] = [];
    const r = await readSamplesFile(path, (s) => back.push(s));
    expect(r.badLines).toBe(0);
    // 10 rounds of 2 cgroups written; the oldest rotated away: what is left is the newest, in order.
    const monos = back.map((s) => s.monotonicSec);
    expect(monos).toEqual([...monos].sort((a, b) => a - b));
    expect(monos.at(-1)).toBe(145);
    expect(back.length).toBeGreaterThanOrEqual(8); // FILE.1 full (3 rounds) and at least one round in FILE
    expect(back.length % 2).toBe(0);
  });

  it('appends to an existing file, and counts lines that are not samples without failing', async () => {
    const path = join(dir, 'append.ndjson');
    writeFileSync(path, `${JSON.stringify(round(0)[0])}\n{"cut in the mid`);
    appendFileSync(path, '\n{"type":"other"}\n');
    const file = new SamplesFile(path, 1 << 20, () => undefined);
    file.open();
    file.append(round(1));
    file.close();
    const back: MemorySample[] = [];
    const r = await readSamplesFile(path, (s) => back.push(s));
    expect(back).toHaveLength(3);
    expect(r).toEqual({ badLines: 2, firstBad: `${path} line 2: not JSON` });
  });

  it('a missing FILE is an error (a missing FILE.1 is not)', async () => {
    await expect(readSamplesFile(join(dir, 'none.ndjson'), () => undefined)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a write that fails is said once, and the watch goes on', () => {
    const problems: string[] = [];
    const file = new SamplesFile('/dev/full', 1 << 30, (m) => problems.push(m));
    file.open();
    file.append(round(0));
    file.append(round(1));
    file.close();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/cannot write samples file \/dev\/full: .*ENOSPC/);
  });

  it('oomlens schema sample prints the JSON Schema of the records, which the samples match', () => {
    const r = runCli(['schema', 'sample']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown>; required: string[] };
    for (const key of Object.keys(round(0)[0]!)) expect(schema.properties).toHaveProperty(key);
    expect(schema.required).toEqual(expect.arrayContaining(['cgroup', 'usageBytes', 'limitBytes', 'time', 'monotonicSec']));
    expect(readFileSync(join(FAKE, 'README.md'), 'utf8')).toMatch(/fake cgroupfs/i);
  });
});
