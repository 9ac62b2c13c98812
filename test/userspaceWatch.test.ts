import { appendFileSync, chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLogText } from '../parsers/index.js';
import { KillMetrics } from '../src/metrics/killMetrics.js';
import { CliProcess } from './support/watchProcess.js';

const ROOT = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'oomlens-userspace-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('watch: userspace killers live', () => {
  it('--journal follows the whole journal: kernel, earlyoom and systemd-oomd kills, in order', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    copyFileSync(join(ROOT, 'fixtures', 'mixed-journal.jsonl'), join(dir, 'journal.jsonl'));
    // A stand-in journalctl: notes its arguments and follows the journal file.
    writeFileSync(join(bin, 'journalctl'), '#!/bin/sh\necho "$*" > "$JOURNAL_DIR/args"\nexec tail -n +1 -f "$JOURNAL_DIR/journal.jsonl"\n');
    chmodSync(join(bin, 'journalctl'), 0o755);
    const w = new CliProcess(['watch', '--journal', '--json', '--settle', '100'], { ...process.env, PATH: `${bin}:/usr/bin:/bin`, JOURNAL_DIR: dir });
    await w.until('six kills', () => w.lines.length >= 6);
    expect((await w.kill('SIGTERM')).code).toBe(0);
    expect(w.records().map((r) => [r.type, r.killer ?? 'kernel', r.victim.comm ?? r.victim.unit])).toEqual([
      ['oom-kill', 'kernel', 'python3'],
      ['userspace-kill', 'earlyoom', 'rustc'],
      ['userspace-kill', 'systemd-oomd', 'app-gnome-code-4471.scope'],
      ['oom-kill', 'kernel', 'stress-ng'],
      ['userspace-kill', 'systemd-oomd', 'app-gnome-code-4471.scope'],
      ['userspace-kill', 'systemd-oomd', 'app-gnome-code-4471.scope'],
    ]);
  });

  it('a file: the table line names the killer', async () => {
    const log = join(dir, 'daemon.log');
    writeFileSync(log, '');
    const w = new CliProcess(['watch', '--settle', '100', log]);
    await w.until('the watch to start', () => w.stderr.includes('watching'));
    appendFileSync(log, readFileSync(join(ROOT, 'fixtures', 'earlyoom-1.7-badness-uid-escalated.log')));
    await w.until('the kill', () => w.lines.some((l) => l.text.includes('java')));
    expect((await w.kill('SIGTERM')).code).toBe(0);
    expect(w.lines.map((l) => l.text)).toContainEqual(expect.stringMatching(/ earlyoom +java \(31337\) /));
  });
});

describe('metrics', () => {
  it('counts userspace kills in the one kill counter, by killer', async () => {
    const m = new KillMetrics({ localHost: 'here' });
    const text = readFileSync(join(ROOT, 'fixtures', 'mixed-journal.jsonl'), 'utf8');
    for (const r of parseLogText(text, { decode: { year: 2026, tz: 'UTC' } })) m.observe(r);
    const exposition = await m.registry.metrics();
    expect(exposition).toContain('oomlens_kills_total{killer="systemd-oomd",host="ws-1",workload_kind="user",workload="user-1000/app-gnome-code-4471.scope"} 3');
    expect(exposition).toContain('oomlens_kills_total{killer="earlyoom",host="ws-1",workload_kind="none",workload="rustc"} 1');
    expect(exposition.match(/^oomlens_kills_total\{killer="kernel"/gm)).toHaveLength(2);
  });
});

