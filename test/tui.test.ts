import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TmuxScreen } from './support/tmuxScreen.js';

/**
 * The real TUI in a real terminal (tmux): each test starts `node bin/oomlens.js tui` (built by
 * `npm test`'s pretest), sends keys and asserts on the screen's text.
 */
const ROOT = join(import.meta.dirname, '..');
const FLEET = 'fixtures/tui-fleet-day.log';
const HOSTILE = 'fixtures/tui-hostile-comm.log';

let screen: TmuxScreen | null = null;
let scratch: string;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/src/cli/main.js'))) throw new Error('build first: npx tsc -p .');
});

afterEach(() => {
  screen?.kill();
  screen = null;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Year-less syslog stamps read the same whatever today and the local zone are. */
const PIN = ['--year', '2026', '--tz', 'UTC'];

function tui(args: string[], cols = 120, rows = 40): TmuxScreen {
  screen = TmuxScreen.start(['node', 'bin/oomlens.js', 'tui', ...PIN, ...args], { cols, rows, cwd: ROOT });
  return screen;
}

function tempDir(): string {
  scratch = mkdtempSync(join(tmpdir(), 'oomlens-tui-'));
  return scratch;
}

/** The rows shown in reverse video: the selected row of the focused pane. */
function selectedRows(s: TmuxScreen): string[] {
  return s
    .captureStyled()
    .split('\n')
    .slice(2)
    .filter((l) => l.includes('\x1b[7m'))
    .map((l) => l.replace(/\x1b\[[0-9;]*m|[\x0e\x0f]/g, ''));
}

describe('oomlens tui', () => {
  it('starts on a log: totals, timeline, groups worst first, the first kill in detail, the keys', async () => {
    const s = tui([FLEET]);
    const text = await s.waitFor('13 kills, 5 processes, 4 hosts');
    expect(text).toContain('2026-03-02 01:10 → 21:25 (20 h)');
    expect(text).toMatch(/kills\s+[▁▂▃▄▅▆▇█ ]+03-02 01:10 → 03-02 21:25 UTC/);
    const groups = text.split('\n').flatMap((l) => /^x[ +](\S+)\s+(\d+) (recurring|burst|host-pressure|one-off)/.exec(l)?.slice(1, 4) ?? []);
    expect(groups).toEqual([
      ...['java', '6', 'recurring'],
      ...['python3', '4', 'burst'],
      ...['backup-agent', '1', 'host-pressure'],
      ...['postgres', '1', 'host-pressure'],
      ...['nginx', '1', 'one-off'],
    ]);
    expect(text).toContain('kills of java (6)');
    expect(text).toMatch(/03-02 01:10:05 node-3\s+41200 1011\.9 MiB\s+1\.0 GiB MEMCG/);
    expect(text).toContain('java (pid 41200) killed on node-3, 2026-03-02 01:10:05 UTC');
    expect(text).toMatch(/usage\s+█+ 1\.0 GiB of 1\.0 GiB \(100%\)/);
    expect(text).toMatch(/41200\s+1012\.7 MiB\s+█+ 100\.0%\s+java\s+← victim/);
    expect(text).toMatch(/Tab\s+\/ search\s+f filter\s+s sort\s+g group\s+r raw\s+e export\s+\? help\s+q quit/);
    expect(selectedRows(s)[0]).toMatch(/java\s+6 recurring/);
  });

  it('moves between groups, panes and kills with j/k, arrows, Tab, Enter and Escape', async () => {
    const s = tui([FLEET]);
    await s.waitFor('13 kills');
    s.keys('j');
    await s.waitFor('kills of python3 (4)');
    await s.waitFor('python3 (pid 7310) killed on worker-2');
    s.keys('Tab');
    await s.waitFor('▸ kills of python3');
    s.keys('Down', 'j');
    await s.waitFor('python3 (pid 7318) killed on worker-2');
    s.keys('k');
    await s.waitFor('python3 (pid 7314) killed on worker-2');
    expect(selectedRows(s)[0]).toMatch(/03-02 14:02:35 worker-2\s+7314/);
    s.keys('Enter');
    await s.waitFor('▸ kill 03-02 14:02:35 python3');
    // One at a time: two Escapes in one read are Meta-Escape.
    s.keys('Escape');
    await s.waitFor('▸ kills of python3');
    s.keys('Escape');
    await s.waitFor('▸ groups by comm');
    s.keys('Up');
    await s.waitFor('kills of java (6)');
  });

  it('mouse: a click selects a row and focuses its pane', async () => {
    const s = tui([FLEET]);
    const rows = (await s.waitFor('13 kills')).split('\n');
    s.click(5, rows.findIndex((l) => l.startsWith('x nginx ')));
    await s.waitFor('nginx (pid 2231) killed on web-1');
    s.keys('Tab', 'Tab');
    await s.waitFor('▸ kill 03-02 11:27:30 nginx');
    s.click(60, rows.findIndex((l) => l.startsWith('x java ')));
    await s.waitFor('▸ kills of nginx');
  });

  it('searches by process, pid and host; n and N walk the matches', async () => {
    const s = tui([FLEET]);
    await s.waitFor('13 kills');
    s.keys('/');
    await s.waitFor('search:');
    s.type('nginx');
    s.keys('Enter');
    await s.waitFor('nginx (pid 2231) killed on web-1');
    await s.waitFor('/nginx 1/1 (n N)');
    s.keys('/');
    s.type('3002');
    s.keys('Enter');
    await s.waitFor('backup-agent (pid 3002) killed on db-1');
    s.keys('/');
    s.type('host:worker-2');
    s.keys('Enter');
    await s.waitFor('/host:worker-2 1/4');
    s.keys('n', 'n');
    await s.waitFor('/host:worker-2 3/4');
    await s.waitFor('python3 (pid 7318) killed on worker-2');
    s.keys('N');
    await s.waitFor('python3 (pid 7314) killed on worker-2');
    s.keys('/');
    s.type('nosuchprocess');
    s.keys('Enter');
    await s.waitFor('no kill matches “nosuchprocess”');
  });

  it('filters the kills and re-judges what is left; an empty filter clears it', async () => {
    const s = tui([FLEET]);
    await s.waitFor('13 kills');
    s.keys('f');
    s.type('scope:global');
    s.keys('Enter');
    const text = await s.waitFor('2 kills, 2 processes, 1 host');
    expect(text).toContain('filter “scope:global”');
    expect(text).toContain('groups by comm (2)');
    expect(text).not.toContain('java');
    s.keys('f', 'C-u', 'Enter');
    await s.waitFor('13 kills');
    await s.waitFor('filter cleared');
  });

  it('regroups by workload, cgroup and host, and sorts by time, rss and kills', async () => {
    const s = tui([FLEET]);
    await s.waitFor('13 kills');
    s.keys('g');
    let text = await s.waitFor('groups by workload (5)');
    expect(text).toMatch(/Kubernetes pod 3c…?\S*\s+6 recurring/);
    s.keys('g');
    text = await s.waitFor('groups by cgroup (4)');
    expect(text).toMatch(/no cgroup limit \(…\s+2 host-pressure/);
    s.keys('g');
    text = await s.waitFor('groups by host (4)');
    expect(text).toMatch(/node-3\s+6 recurring/);
    expect(text).toMatch(/worker-2\s+4 burst/);
    expect(text).toMatch(/db-1\s+2 host-pressure/);
    s.keys('g');
    await s.waitFor('groups by comm (5)');
    s.keys('s');
    text = await s.waitFor('sort time');
    // Most recent first: java's last kill (21:25) leads, its kills run newest first, the selection stays.
    expect(text).toMatch(/x java\s+6 recurring.*x 03-02 21:25:05 node-3\s+41385/);
    expect(text).toContain('java (pid 41200) killed on node-3');
    s.keys('s');
    text = await s.waitFor('sort rss');
    // Largest victim first: postgres (7.2 GiB) leads the groups; java's largest kill leads its kills.
    expect(text.split('\n')[4]).toMatch(/^x postgres\s+1 host-pressure.*x 03-02 21:25:05 node-3\s+41385 1013\.4 MiB/);
    expect(selectedRows(s)[0]).toMatch(/java\s+6 recurring/);
    s.keys('s');
    await s.waitFor('sort kills');
  });

  it('r shows the raw lines of the dump and back', async () => {
    const s = tui([FLEET]);
    await s.waitFor('13 kills');
    s.keys('r');
    const text = await s.waitFor('raw lines 03-02 01:10:05 java (r: summary)');
    expect(text).toContain('fixtures/tui-fleet-day.log, report from line 1');
    expect(text).toContain('Mar  2 01:10:05 node-3 kernel: [86400.000000] java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)');
    s.keys('r');
    await s.waitFor(/trigger\s+java pid 41200/);
  });

  it('e exports the selected kill as markdown and as JSON, never over an existing file', async () => {
    const dir = tempDir();
    const s = tui([FLEET]);
    await s.waitFor('13 kills');
    s.keys('e');
    await s.waitFor('export the selected kill as j(son) or m(arkdown)?');
    s.keys('m');
    await s.waitFor('export markdown to: oom-node-3-41200-20260302T011005.md');
    const md = join(dir, 'kill.md');
    s.keys('C-u');
    s.type(md);
    s.keys('Enter');
    await s.waitFor(`exported to ${md}`);
    const text = readFileSync(md, 'utf8');
    expect(text).toMatch(/^# OOM kill: java \(pid 41200\) killed on node-3, 2026-03-02 01:10:05 UTC/);
    expect(text).toContain('group       java, recurring (high)');
    expect(text).toContain('## Raw log lines');
    expect(text).toContain('java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)');

    s.keys('j', 'e', 'j', 'C-u');
    const json = join(dir, 'kill.json');
    s.type(json);
    s.keys('Enter');
    await s.waitFor(`exported to ${json}`);
    const exported = JSON.parse(readFileSync(json, 'utf8'));
    expect(exported.record.victim).toMatchObject({ pid: 7310, comm: 'python3' });
    expect(exported.record.rawLines.length).toBeGreaterThan(10);
    expect(exported.group).toMatchObject({ by: 'comm', key: 'python3', verdict: 'burst' });

    s.keys('e', 'j', 'C-u');
    s.type(json);
    s.keys('Enter');
    await s.waitFor('export failed: EEXIST');
  });

  it('--follow shows a kill written to the watched file, highlighted, with groups and verdicts updated', async () => {
    const log = join(tempDir(), 'kern.log');
    copyFileSync(join(ROOT, FLEET), log);
    const s = tui(['--follow', log]);
    await s.waitFor('● live');
    await s.waitFor('13 kills');
    appendFileSync(log, readFileSync(join(ROOT, 'fixtures/k5.10-memcg-v2-kubepods-journal.log')));
    let text = await s.waitFor('14 kills');
    expect(text).toContain('1 new');
    expect(text).toMatch(/x\+python3\s+5 burst/);
    s.keys('j');
    // The new kill is python3's first (10:14, before the burst); selected, it is no longer new.
    text = await s.waitFor('python3 (pid 30217) killed on node-7');
    expect(text).not.toContain('1 new');
    expect(text).toMatch(/x python3\s+5 burst/);
    expect(text).toMatch(/ 03-02 10:14:07 node-7/);
    // Two more kills of the nginx container, 4 h apart: the one-off becomes a recurrence.
    expect(text).toMatch(/x nginx\s+1 one-off/);
    appendFileSync(log, readFileSync(join(ROOT, 'fixtures/tui-follow-nginx-again.log')));
    text = await s.waitFor('16 kills');
    expect(text).toContain('2 new');
    expect(text).toMatch(/x\+nginx\s+3 recurring/);
  });

  it('reads a log piped into stdin and takes the keys from the terminal', async () => {
    screen = TmuxScreen.start(['sh', '-c', `cat ${FLEET} | node bin/oomlens.js tui ${PIN.join(' ')}`], { cwd: ROOT });
    await screen.waitFor('13 kills, 5 processes, 4 hosts');
    screen.keys('j');
    await screen.waitFor('python3 (pid 7310) killed on worker-2');
  });

  it('shows control characters and escape sequences from the log as visible text', async () => {
    const s = tui([HOSTILE]);
    let text = await s.waitFor('1 kill, 1 process, 1 host');
    const shown = '\\x1b]0;pwned\\x07\\x1b[2J';
    expect(text).toContain(`kills of ${shown} (1)`);
    expect(text).toContain(`${shown} (pid 6661) killed on edge-7`);
    expect(text).toMatch(/trigger\s+\\x1b\]0;pwned\\x07\\x1b\[2J pid 6661/);
    // blessed markup in a log is text too.
    expect(text).toContain('cgroup      /system.slice/evil{bold}.service');
    expect(s.title()).not.toContain('pwned');
    s.keys('r');
    text = await s.waitFor('(r: summary)');
    expect(text).toContain(`edge-7 kernel: ${shown} invoked oom-killer`);
    expect(text).toContain('Memory cgroup stats for /system.slice/evil\\x1b[31m{bold}.service:');
    // The screen was never cleared by the `\x1b[2J` in the name: the header is still there.
    expect(text).toContain('1 kill, 1 process, 1 host');
    expect(s.title()).not.toContain('pwned');
  });

  it('is usable at 80×24 and redraws cleanly when resized', async () => {
    const s = tui([FLEET], 80, 24);
    let text = await s.waitFor('13 kills');
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBe(24);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(text).toMatch(/java\s+6 recurring/);
    expect(text).toMatch(/03-02 01:10:05 node-3\s+41200 1011\.9 MiB/);
    expect(text).toContain('java (pid 41200) killed on node-3');
    expect(lines.at(-1)).toMatch(/q quit\s*$/);
    s.resize(180, 50);
    text = await s.waitFor((t) => t.split('\n').some((l) => l.length > 150));
    // Wide: three columns side by side, the detail on the right.
    const top = text.split('\n')[2]!;
    expect(top).toMatch(/groups by comm.*kills of java.*kill 03-02 01:10:05 java/);
    s.resize(80, 24);
    await s.waitFor((t) => Math.max(...t.split('\n').map((l) => l.length)) <= 80 && t.includes('q quit'));
  });

  it('? shows the keys; q quits with status 0', async () => {
    const s = tui([FLEET]);
    await s.waitFor('13 kills');
    s.keys('?');
    await s.waitFor('drill in: group → its kills → the kill in detail');
    s.keys('x');
    await s.waitFor((t) => !t.includes('drill in'));
    s.keys('q');
    expect(await s.waitForExit()).toBe(0);
  });
});
