import { describe, expect, it } from 'vitest';
import { Explanation } from '../src/analyze/explanation.js';
import { runCli } from './support/runCli.js';

describe('oomlens explain', () => {
  it('a global OOM: who asked, what ran out, who held the memory, what stands out, the group history', () => {
    const { code, stdout } = runCli(['explain', 'fixtures/sample-kern.log', '--event', '6']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('Kill 6 of 21: node (pid 3104) on db-2 at 2025-03-11 03:05:51 UTC, kernel 5.15.0-119-generic');
    expect(stdout).toContain('postgres (pid 24001) asked for an order-0 allocation (1 page) with GFP_HIGHUSER_MOVABLE|__GFP_COMP and could not get it.');
    expect(stdout).toContain('It was not the victim: the kernel killed node (pid 3104) instead');
    expect(stdout).toContain('The whole host ran out of memory: no cgroup limit was involved.');
    expect(stdout).toContain('The host has 16.0 GiB of RAM, 128.9 MiB free at the time.');
    expect(stdout).toContain('  java (pid 8810): 5.8 GiB, 51% [oom_score_adj -600]');
    expect(stdout).toContain('  node (pid 3104): 3.2 GiB, 28% [killed]');
    expect(stdout).toContain('No swap on this host');
    expect(stdout).toContain('2 tasks are exempt from the OOM killer (oom_score_adj -1000): sshd, postgres');
    expect(stdout).toContain('The victim was not the biggest task: java (pid 8810) held 5.8 GiB. Its oom_score_adj of -600 made it a worse candidate.');
    expect(stdout).toMatch(/How it fits its group:\n {2}It belongs to node on db-2 \(whole-system OOM, no cgroup\) \(grouped by service\): host-pressure, high confidence\./);
  });

  it('a memcg kill by pid: usage against the limit, the workload, the place in a recurring group', () => {
    const { code, stdout } = runCli(['explain', 'fixtures/sample-kern.log', '--pid', '48944']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/hit its limit: 200\.0 MiB used of 200\.0 MiB \(100%\)\./);
    expect(stdout).toContain('That is Kubernetes pod 33061569-6a09-409a-a53e-df2bb363743d (burstable).');
    expect(stdout).toContain('It was the victim itself (or one of its threads).');
    expect(stdout).toContain('It is kill 2 of 8 in the group; the previous one came 15 min earlier.');
  });

  it('without --event or --pid: the latest kill, saying so; --json gives the Explanation schema', () => {
    const latest = runCli(['explain', 'fixtures/sample-kern.log']);
    expect(latest.stdout.split('\n').slice(0, 2)).toEqual([
      'Kill 21 of 21: imgproc (pid 91605) on web-3 at 2025-03-11 13:42:22 UTC, kernel 6.1.0-25-amd64',
      '(The latest of 21 kills; pick another with --event N or --pid P.)',
    ]);
    const json = runCli(['explain', '--json', '--event', '1', 'fixtures/sample-kern.log']);
    const ex = Explanation.parse(JSON.parse(json.stdout));
    expect(ex.killNumber).toBe(1);
    expect(ex.sections.map((s) => s.heading)).toEqual(['Who asked for memory', 'What ran out', 'Who held the memory', 'The victim', 'How it fits its group']);
  });

  it('no such kill is a usage error; conflicting selectors too', () => {
    const missing = runCli(['explain', '--event', '22', 'fixtures/sample-kern.log']);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toContain('no kill 22: the input has 21 (1 to 21)');
    expect(runCli(['explain', '--pid', '1', 'fixtures/sample-kern.log']).code).toBe(2);
    expect(runCli(['explain', '--pid', '1', '--event', '1', 'fixtures/sample-kern.log']).code).toBe(2);
  });

  it('hostile process names stay inert', () => {
    const { stdout } = runCli(['explain', '--event', '2', 'fixtures/report-hostile-names.log']);
    expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(stdout).toContain('\\x1b]0;pwned\\x07 (pid 4101)');
  });
});
