import { describe, expect, it } from 'vitest';
import { Analysis } from '../src/analyze/analysis.js';
import { runCli } from './support/runCli.js';

// `oomlens report` end to end, on the built CLI.
describe('oomlens report', () => {
  it('terminal: the headline, then every group worst first with its verdict, timeline, evidence and next steps', () => {
    const { code, stdout, stderr } = runCli(['report', 'fixtures/sample-kern.log']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('21 kills of 7 processes on 5 hosts (batch-1, db-2, ip-10-0-3-17, web-3, worker-5), 2025-03-09 21:12 UTC to 2025-03-11 13:42 UTC (1.7 d).');
    const titles = lines.filter((l) => /^(RECURRING|BURST|HOST PRESSURE|ONE-OFF) /.test(l));
    // Grouped by service by default: the pod's workload, the unit, the container, the process per host.
    expect(titles).toEqual([
      'RECURRING (high confidence)  leaky-api in Kubernetes burstable pods on ip-10-0-3-17 at a 200.0 MiB limit: 8 kills on ip-10-0-3-17; cause: leak (medium)',
      'RECURRING (medium confidence)  systemd celery-worker.service: 3 kills on worker-5; cause: spike (medium)',
      'BURST (high confidence)  Docker container df6815644d1b: 6 kills on web-3; cause: startup (high)',
      'HOST PRESSURE (high confidence)  node on db-2 (whole-system OOM, no cgroup): 1 kill on db-2; cause: host-pressure (high)',
      'HOST PRESSURE (high confidence)  java on db-2 (whole-system OOM, no cgroup): 1 kill on db-2; cause: host-pressure (high)',
      'HOST PRESSURE (high confidence)  postgres on db-2 (whole-system OOM, no cgroup): 1 kill on db-2; cause: host-pressure (high)',
      'ONE-OFF (medium confidence)  systemd transcode-worker.service: 1 kill on batch-1; cause: limit-too-close (low)',
    ]);
    expect(stdout).toContain('leaky-api is killed every ~14 min at its 200.0 MiB limit: most likely a leak of at most ≈ 14 MiB/min (an upper-bound estimate).');
    expect(stdout.match(/^ {2}Causes, most likely first:$/gm)).toHaveLength(7);
    expect(lines.filter((l) => /^ {2}kills \|[ ▁▂▃▄▅▆▇█]{48}\|$/.test(l))).toHaveLength(7);
    expect(stdout.match(/^ {2}What we saw:$/gm)).toHaveLength(7);
    expect(stdout.match(/^ {2}Next steps:$/gm)).toHaveLength(7);
    // Only the kernel killed here, so no group needs to say who killed.
    expect(stdout).not.toContain('Killed by');
  });

  it('terminal: log-derived text cannot reach the terminal as control sequences', () => {
    const { code, stdout } = runCli(['report', '--by', 'workload', 'fixtures/report-hostile-names.log']);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(stdout).toContain('\\x1b]0;pwned\\x07');
  });

  it('markdown: an overview table and a section per group; log text cannot break the table or inject HTML', () => {
    const sample = runCli(['report', '--format', 'markdown', '--by', 'comm', 'fixtures/sample-kern.log']);
    expect(sample.code).toBe(0);
    expect(sample.stdout).toMatch(/^## OOM kill report\n/);
    expect(sample.stdout).toContain('| 1 | leaky-api | recurring | high | 8 | ip-10-0-3-17 |');
    expect(sample.stdout.match(/^### \d+\. /gm)).toHaveLength(7);
    expect(sample.stdout).toContain('### 3. imgproc: burst (high confidence)');

    const hostile = runCli(['report', '--format', 'markdown', 'fixtures/report-hostile-names.log']).stdout;
    expect(hostile).not.toMatch(/<svg|<script/);
    expect(hostile).toContain('&lt;svg onload=x&gt;');
    expect(hostile).toContain('a\\|b\\*\\_\\[c\\](d)&amp;amp');
    // Every table row keeps its ten cells: no unescaped pipe from a process name.
    const rows = hostile.split('\n').filter((l) => l.startsWith('| '));
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(10);
  });

  it('json: one document that validates against the Analysis schema, groups worst first', () => {
    const { code, stdout } = runCli(['report', '--format', 'json', '--by', 'workload', 'fixtures/sample-kern.log']);
    expect(code).toBe(0);
    const a = Analysis.parse(JSON.parse(stdout));
    expect(a.by).toBe('workload');
    expect(a.summary).toMatchObject({ kills: 21, processes: 7 });
    expect(a.groups.map((g) => g.verdict)).toEqual(['recurring', 'recurring', 'burst', 'host-pressure', 'host-pressure', 'host-pressure', 'one-off']);
    const saw = a.groups[0]!;
    expect(saw).toMatchObject({ key: 'kubernetes:pod/33061569-6a09-409a-a53e-df2bb363743d', by: 'workload', kills: 8, hosts: ['ip-10-0-3-17'], limitKb: 204800 });
    expect(saw.growthKbPerMin).toBeGreaterThan(0);
    expect(a.groups.filter((g) => g.growthKbPerMin !== null)).toHaveLength(1);
  });

  it('markdown: commands are code spans, never escaped backticks; log backticks cannot open one', () => {
    const md = runCli(['report', '--format', 'markdown', 'fixtures/sample-kern.log']).stdout;
    expect(md).toContain('Keep watching for a repeat (`oomlens watch`).');
    expect(md).toContain('(`systemctl status`, `kubectl describe pod`, `docker inspect`)');
    expect(md).not.toContain('\\`oomlens');
    const hostile = runCli(['report', '--format', 'markdown', 'fixtures/report-hostile-names.log']).stdout;
    // Every backtick that came from the log is escaped; only our code spans use bare ones.
    for (const line of hostile.split('\n')) expect(line.replace(/\\`/g, '').replace(/`[^`]+`/g, '')).not.toContain('`');
  });

  it('caps what a person reads: --top N worst groups, the rest counted; --all shows every group', () => {
    const top2 = runCli(['report', '--top', '2', 'fixtures/sample-kern.log']).stdout;
    expect(top2.split('\n').filter((l) => /^(RECURRING|BURST|HOST PRESSURE|ONE-OFF) /.test(l))).toHaveLength(2);
    expect(top2).toContain('… and 5 more groups (10 kills) not shown: the top 2 are above; use --top N or --all to see more.');
    const md = runCli(['report', '--format', 'markdown', '--top', '3', 'fixtures/sample-kern.log']).stdout;
    expect(md.match(/^### \d+\. /gm)).toHaveLength(3);
    expect(md).toContain('and 4 more groups (4 kills) not shown');
    const all = runCli(['report', '--all', '--top', '1', 'fixtures/sample-kern.log']).stdout;
    expect(all).not.toContain('not shown');
    expect(runCli(['report', '--top', '0', 'fixtures/sample-kern.log']).code).toBe(2);
  });

  it('usage errors exit 2; an unreadable input exits 1 after reporting the rest', () => {
    expect(runCli(['report', '--by', 'pod', 'fixtures/sample-kern.log']).code).toBe(2);
    expect(runCli(['report', '--format', 'pdf', 'fixtures/sample-kern.log']).code).toBe(2);
    const partial = runCli(['report', 'fixtures/no-such-file.log', 'fixtures/verdict-one-off.log']);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain('fixtures/no-such-file.log');
    expect(partial.stdout).toMatch(/^1 kill of 1 process on batch-1, at 2025-03-10 23:30 UTC\./);
  });

  it('reads stdin and says so when there is nothing to report', () => {
    const { code, stdout } = runCli(['report', '-'], 'Mar 11 10:00:00 web-1 kernel: eth0: link up\n');
    expect(code).toBe(0);
    expect(stdout).toBe('No OOM kills found.\n');
  });
});
