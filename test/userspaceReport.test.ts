import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainText } from '../src/analyze/phrase.js';
import { statementPhrase } from '../src/analyze/statementWords.js';
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../parsers/index.js';
import { Analysis } from '../src/analyze/analysis.js';
import { analyze } from '../src/analyze/analyze.js';
import { runCli } from './support/runCli.js';

const MIXED = 'fixtures/mixed-journal.jsonl';

// The analyzer and the CLI on one journal where the kernel, earlyoom and systemd-oomd all killed.
describe('userspace kills in the analysis', () => {
  const records = parseLogText(readFileSync(join(import.meta.dirname, '..', MIXED), 'utf8'), { file: MIXED, decode: { year: 2026, tz: 'UTC' } });

  it('a unit systemd-oomd kills again and again is recurring, and each group names its killer', () => {
    const a = Analysis.parse(analyze(records, { by: 'comm' }));
    expect(a.summary).toMatchObject({ kills: 6, processes: 4 });
    expect(a.groups.map((g) => [g.label, g.verdict, g.killers])).toEqual([
      ['app-gnome-code-4471.scope', 'recurring', ['systemd-oomd']],
      ['stress-ng', 'one-off', ['kernel']],
      ['rustc', 'one-off', ['earlyoom']],
      ['python3', 'one-off', ['kernel']],
    ]);
    const oomd = a.groups[0]!;
    expect(oomd.members.map((m) => [m.killer, m.scope, m.comm])).toEqual(Array(3).fill(['systemd-oomd', 'userspace', 'app-gnome-code-4471.scope']));
    expect(oomd.medianIntervalSec).toBeCloseTo(600, 1);
    expect(oomd.evidence.map((e) => plainText(statementPhrase(e)))).toContain('systemd-oomd made all 3 kills: memory pressure on /user.slice/user-1000.slice/user@1000.service stayed above 50% for 20 s (66.93% at the latest kill).');
    expect(oomd.evidence.map((e) => plainText(statementPhrase(e)))).toContain('systemd counted 182 processes killed in the unit: it kills the whole cgroup, not one process.');
    // No kernel-side claim about limits for kills no limit caused.
    expect(oomd.evidence.join(' ')).not.toMatch(/cgroup limit|whole-system OOM|too incomplete/);
    expect(a.groups[2]!.evidence.map((e) => plainText(statementPhrase(e)))).toContain('earlyoom made the kill: 2.20% of memory available and 5.96% of swap free at the kill, at or below its SIGTERM limits of 10% and 10%.');
  });

  it('by workload, the unit is one systemd/user workload', () => {
    const a = analyze(records, { by: 'workload' });
    expect(a.groups[0]).toMatchObject({ key: 'user:user-1000/app-gnome-code-4471.scope', verdict: 'recurring', kills: 3, killers: ['systemd-oomd'] });
  });
});

describe('the CLI on a mixed journal', () => {
  it('scan: kills in time order with a KILLER column', () => {
    const { code, stdout } = runCli(['scan', MIXED]);
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^TIME +HOST +KILLER +VICTIM \(PID\)/);
    expect(rows.slice(1).map((r) => r.split(/ {2,}/)[2])).toEqual(['kernel', 'earlyoom', 'systemd-oomd', 'kernel', 'systemd-oomd', 'systemd-oomd']);
    expect(runCli(['scan', '--fail-on-kill', 'fixtures/oomd-unit-line-only.log']).code).toBe(3);
  });

  it('report: every group says who killed', () => {
    const { code, stdout } = runCli(['report', MIXED]);
    expect(code).toBe(0);
    expect(stdout.match(/^ {2}Killed by .*\.$/gm)).toEqual(['  Killed by systemd-oomd.', '  Killed by the kernel OOM killer.', '  Killed by earlyoom.', '  Killed by the kernel OOM killer.']);
    const md = runCli(['report', '--format', 'markdown', MIXED]).stdout;
    expect(md).toContain('(3 kills on ws-1, killed by systemd-oomd)');
  });

  it('html: the kill table names each killer; a userspace kill opens to its own explanation', () => {
    const { code, stdout } = runCli(['report', '--format', 'html', MIXED]);
    expect(code).toBe(0);
    expect(stdout).toContain('<th>Killer</th>');
    expect(stdout.match(/<td>(kernel|systemd-oomd|earlyoom)<\/td>/g)).toEqual(['<td>kernel</td>', '<td>earlyoom</td>', '<td>systemd-oomd</td>', '<td>kernel</td>', '<td>systemd-oomd</td>', '<td>systemd-oomd</td>']);
    expect(stdout).toContain('3 kills on ws-1 by systemd-oomd, medium confidence');
    expect(stdout).toContain('Kill 2 of 6: rustc (pid 23110) on ws-1 at 2026-03-02 10:05:00 UTC, by earlyoom');
  });

  it('explain: a userspace kill in its own terms', () => {
    const { code, stdout } = runCli(['explain', '--pid', '23110', MIXED]);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('Kill 2 of 6: rustc (pid 23110) on ws-1 at 2026-03-02 10:05:00 UTC, by earlyoom');
    expect(stdout).toContain('Command line: rustc --crate-name oomlens_bench --edition=2021 src/main.rs');
    const oomd = runCli(['explain', '--event', '3', MIXED]).stdout;
    expect(oomd).toContain('1. /user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-code-4471.scope: pressure 77.31/52.9/20.15 (avg10/60/300), 11.6 GiB in use (killed)');
  });

  it('schema: the union of both record kinds', () => {
    const schema = JSON.parse(runCli(['schema']).stdout) as { anyOf?: unknown[] };
    expect(schema.anyOf).toHaveLength(2);
    expect(JSON.stringify(schema)).toContain('userspace-kill');
  });
});
