import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { elasticFilebeatAnswer, elasticKmsgAnswer, journalExport, lokiAnswer, multiHostStream, plainText } from './support/centralStores.js';
import { runCli } from './support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'oomlens-central-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lines = multiHostStream();

/** What must be the same whatever store the lines went through: who was killed where, in order. */
function story(stdout: string): string[] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .map((r) => `${r.type} ${r.host} ${r.victim?.pid} ${r.victim?.comm} limit=${r.cgroup?.limitKb} ${r.workload?.kind} ${r.complete}`);
}

function scanJson(name: string, content: string | Buffer): { records: string[]; stdout: string; stderr: string } {
  const path = join(dir, name);
  writeFileSync(path, content);
  const out = runCli(['scan', '--json', '--quiet', path]);
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  return { records: story(out.stdout), stdout: out.stdout, stderr: out.stderr };
}

const JOURNAL_REMOTE = '/lib/systemd/systemd-journal-remote';

describe('central stores give the same kill records as the plain log, in order, with hosts', () => {
  const plain = scanJson('kern.log', plainText(lines)).records;

  it('the plain log has the nine kills of three hosts', () => {
    expect(plain).toHaveLength(9);
    expect(plain[0]).toBe('oom-kill web-1 101 java limit=524288 docker true');
    expect(new Set(plain.map((r) => r.split(' ')[1]))).toEqual(new Set(['web-1', 'web-2', 'db-1']));
  });

  it('Loki query_range JSON (newest first, one stream per host, a dump sharing one timestamp)', () => {
    const loki = scanJson('loki.json', lokiAnswer(lines));
    expect(loki.records).toEqual(plain);
    // The stream's nanosecond stamps give the wall time.
    expect(JSON.parse(loki.stdout.split('\n')[0]!).time).toBe('2026-03-01T00:50:57.000Z');
  });

  it('the same answers piped into stdin (curl ... | oomlens scan)', () => {
    for (const body of [lokiAnswer(lines), elasticKmsgAnswer(lines), journalExport(lines).toString('utf8')]) {
      const out = runCli(['scan', '--json', '--quiet', '-'], body);
      expect(out.stderr).toBe('');
      expect(story(out.stdout)).toEqual(plain);
    }
    expect(story(runCli(['scan', '--json', '--quiet', '-'], plainText(lines)).stdout)).toEqual(plain);
  });

  it('Elasticsearch _search hits from Fluent Bit kmsg (shuffled, one ms @timestamp per dump): kmsg sequence order', () => {
    expect(scanJson('es-kmsg.json', elasticKmsgAnswer(lines)).records).toEqual(plain);
  });

  it('OpenSearch _search hits from Filebeat (whole kern.log lines, shuffled): file offset order', () => {
    expect(scanJson('es-filebeat.json', elasticFilebeatAnswer(lines)).records).toEqual(plain);
  });

  it('journalctl -o export text (a binary-form field, two entries out of order): seqnum order', () => {
    expect(scanJson('journal.export', journalExport(lines)).records).toEqual(plain);
  });

  it('a journal file written by systemd-journal-remote, read through journalctl --file', () => {
    if (!existsSync(JOURNAL_REMOTE)) throw new Error('systemd-journal-remote is not installed: apt-get install systemd-journal-remote (.ci/run does)');
    writeFileSync(join(dir, 'in.export'), journalExport(lines));
    const file = join(dir, 'remote.journal');
    const made = spawnSync(JOURNAL_REMOTE, [`--output=${file}`, join(dir, 'in.export')], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const out = runCli(['scan', '--json', '--quiet', file]);
    expect(out.stderr).toBe('');
    expect(story(out.stdout)).toEqual(plain);
  });

  it('a cut or foreign JSON document is one line naming the input', () => {
    const path = join(dir, 'cut.json');
    writeFileSync(path, lokiAnswer(lines).slice(0, 2000));
    const out = runCli(['scan', '--json', '--quiet', path]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(new RegExp(`^oomlens: ${path}: not valid JSON .*a loki answer cut short\\?\\n$`));
  });
});

describe('fleet merge: report reads scan --json NDJSON from many hosts', () => {
  it('merges the records of every host into one report', () => {
    const files: string[] = [];
    for (const host of ['web-1', 'web-2', 'db-1']) {
      const own = plainText(lines.filter((l) => l.host === host));
      writeFileSync(join(dir, `${host}.log`), own);
      const scanned = runCli(['scan', '--json', '--quiet', join(dir, `${host}.log`)]);
      const f = join(dir, `${host}.ndjson`);
      writeFileSync(f, scanned.stdout);
      files.push(f);
    }
    const merged = runCli(['report', '--format', 'json', '--by', 'host', '--quiet', ...files]);
    expect(merged.stderr).toBe('');
    const a = JSON.parse(merged.stdout);
    expect(a.summary.kills).toBe(9);
    expect(a.summary.hosts.sort()).toEqual(['db-1', 'web-1', 'web-2']);
    expect(a.groups.map((g: any) => [g.key, g.kills]).sort()).toEqual([['db-1', 3], ['web-1', 3], ['web-2', 3]]);
    // The same report as from the logs themselves.
    const direct = JSON.parse(runCli(['report', '--format', 'json', '--by', 'host', '--quiet', ...files.map((f) => f.replace('.ndjson', '.log'))]).stdout);
    expect(a.groups.map((g: any) => [g.key, g.kills, g.verdict])).toEqual(direct.groups.map((g: any) => [g.key, g.kills, g.verdict]));
  });

  it('a line that is not a record is named, the others still count', () => {
    const f = join(dir, 'bad.ndjson');
    const good = runCli(['scan', '--json', '--quiet', join(dir, 'web-1.log')]).stdout;
    writeFileSync(f, `${good}{"type":"oom-kill","eventId":"x"}\n`);
    const out = runCli(['report', '--format', 'json', '--quiet', f]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^oomlens: .*bad\.ndjson: line 4: not a kill record \(.*\) \(other lines were read\)\n$/);
    expect(JSON.parse(out.stdout).summary.kills).toBe(3);
  });
});
