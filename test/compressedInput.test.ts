import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/runCli.js';

// Compressed logs, named on the command line and piped into stdin alike: the magic bytes decide,
// never the name. gzip, xz and zstd are read natively; bzip2 and the rest get one line.
const COMPRESSED = join(ROOT, 'fixtures', 'compressed');
const PIN = ['--year', '2026', '--tz', 'UTC', '--quiet'];

function scan(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'oomlens.js'), 'scan', '--json', ...PIN, ...args], { input, encoding: 'utf8', timeout: 30_000 });
  const records = r.stdout.split('\n').filter(Boolean).map(withoutSource);
  return { code: r.status, records, stderr: r.stderr };
}

/** A record without where it came from (the file name differs, the rest must not). */
function withoutSource(line: string): unknown {
  const { eventId: _id, source, ...rest } = JSON.parse(line) as { eventId: string; source: Record<string, unknown> };
  return { ...rest, source: { ...source, file: null } };
}

const plain = scan([join(ROOT, 'fixtures', 'sample-kern.log')]).records;

describe('compressed input', () => {
  it('the plain sample has its 21 kills', () => {
    expect(plain).toHaveLength(21);
  });

  describe.each(['sample-kern.log.gz', 'sample-kern.log.xz', 'sample-kern.log.zst'])('%s', (name) => {
    const path = join(COMPRESSED, name);
    it('as a FILE: the same records as the plain log', () => {
      expect(scan([path])).toEqual({ code: 0, records: plain, stderr: '' });
    });
    it('piped into stdin (no FILE): the same records', () => {
      expect(scan([], readFileSync(path))).toEqual({ code: 0, records: plain, stderr: '' });
    });
    it('piped into stdin as `-`: the same records', () => {
      expect(scan(['-'], readFileSync(path))).toEqual({ code: 0, records: plain, stderr: '' });
    });
    it('through a pipe named as FILE (/dev/stdin of a shell pipeline)', () => {
      const r = spawnSync('sh', ['-c', `cat "$1" | "$2" "$3" scan --json ${PIN.join(' ')} /dev/fd/0`, 'sh', path, process.execPath, join(ROOT, 'bin', 'oomlens.js')], { encoding: 'utf8' });
      expect(r.stdout.split('\n').filter(Boolean).map(withoutSource)).toEqual(plain);
    });
  });

  it('concatenated xz streams and zstd frames are read to the end', () => {
    for (const name of ['two-streams.log.xz', 'two-frames.log.zst']) {
      const r = scan([join(COMPRESSED, name)]);
      expect(r.code).toBe(0);
      expect(r.records).toHaveLength(22);
    }
  });

  it('a truncated xz or zstd file: one line naming the format, exit 1, the records before the damage kept', () => {
    const xz = scan([join(COMPRESSED, 'sample-kern-truncated.log.xz')]);
    expect(xz.code).toBe(1);
    expect(xz.stderr).toBe(`oomlens: ${join(COMPRESSED, 'sample-kern-truncated.log.xz')}: corrupt xz data (truncated); the records before the damage were still reported\n`);
    // The last record is the report the damage cut; those before it are whole.
    expect(xz.records.length).toBeGreaterThan(1);
    expect(xz.records.slice(0, -1)).toEqual(plain.slice(0, xz.records.length - 1));
    const zst = scan([], readFileSync(join(COMPRESSED, 'sample-kern-truncated.log.zst')));
    expect(zst.code).toBe(1);
    expect(zst.stderr).toMatch(/^oomlens: -: corrupt zstd data \(unexpected EOF\); the records before the damage were still reported\n$/);
  });

  it('bzip2, as a FILE or on stdin: one line "not supported, decompress first", exit 1, no "no kills" claim', () => {
    const path = join(COMPRESSED, 'sample-kern.log.bz2');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'oomlens.js'), 'scan', ...PIN, path], { encoding: 'utf8' });
    expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: `oomlens: ${path}: bzip2-compressed input is not supported; decompress it first (bunzip2 -k FILE)\n`,
    });
    const piped = scan([], readFileSync(path));
    expect(piped).toEqual({ code: 1, records: [], stderr: 'oomlens: -: bzip2-compressed input is not supported; decompress it first (bunzip2 -k FILE)\n' });
  });

  it('a directory of rotated .gz, .xz and .zst logs: every member read, only the damaged and bzip2 ones are problems', () => {
    const r = scan([COMPRESSED]);
    expect(r.code).toBe(1);
    const problems = r.stderr.split('\n').filter(Boolean).map((l) => /^oomlens: .*\/([^/]+): /.exec(l)?.[1]);
    expect(problems.sort()).toEqual(['sample-kern-truncated.log.xz', 'sample-kern-truncated.log.zst', 'sample-kern.log.bz2']);
    // gz, xz, zst: 21 each; two-streams/two-frames: 22 each; the truncated xz: what came before its end.
    expect(r.records.length).toBeGreaterThan(3 * 21 + 2 * 22);
  });
});
