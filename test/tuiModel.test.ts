import blessed from 'blessed';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../parsers/index.js';
import type { OomRecord } from '../src/schema/oomRecord.js';
import { fitColumns, rowLine, type Column } from '../src/tui/columns.js';
import { exportKill, exportFileName } from '../src/tui/exportKill.js';
import { Investigation } from '../src/tui/investigation.js';
import { killDetailLines } from '../src/tui/killDetail.js';
import { parseKillQuery } from '../src/tui/killQuery.js';
import { layoutFor, type Rect } from '../src/tui/layout.js';
import { ListPane } from '../src/tui/listPane.js';
import { span, toTagged, truncateLine, wrapLine, lineWidth } from '../src/tui/styledText.js';
import { resample } from '../src/tui/timelineText.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const fleet = parse('tui-fleet-day.log');

function parse(name: string): OomRecord[] {
  return parseLogText(readFileSync(join(FIXTURES, name), 'utf8'), { file: name, keepRaw: true, decode: { year: 2026, tz: 'UTC' } });
}

function investigate(records: OomRecord[] = fleet): Investigation {
  const inv = new Investigation('comm');
  inv.add(records, false);
  inv.refresh();
  return inv;
}

const pidOf = (r: OomRecord | null) => r?.victim?.pid;
const plain = (line: readonly { text: string }[]) => line.map((s) => s.text).join('');

describe('kill queries (/ and f)', () => {
  const match = (q: string) => fleet.filter(parseKillQuery(q)).map((r) => r.victim!.pid);

  it('a bare number is a pid: the victim, or the task that triggered the OOM', () => {
    expect(match('2231')).toEqual([2231]);
    // backup-agent (3002) triggered the OOM that killed postgres, and was killed itself later.
    expect(match('3002').sort()).toEqual([2301, 3002]);
  });

  it('a bare word looks in names, host, cgroup and workload, case-insensitively', () => {
    expect(match('NGINX')).toEqual([2231]);
    expect(match('batch-etl')).toHaveLength(4);
    expect(match('pod3c1d9e4a')).toHaveLength(6);
  });

  it('fields narrow a word, and all words must match', () => {
    expect(match('host:db-1')).toHaveLength(2);
    expect(match('comm:postgres scope:global')).toEqual(expect.arrayContaining([2301, 3002]));
    expect(match('scope:memcg host:web-1')).toEqual([2231]);
    expect(match('type:oom-kill')).toHaveLength(13);
    expect(match('host:db-1 java')).toEqual([]);
  });
});

describe('the investigation (state behind the screen)', () => {
  it('groups worst first and selects the first kill of the first group', () => {
    const inv = investigate();
    expect(inv.groups.map((g) => [g.key, g.verdict])).toEqual([
      ['java', 'recurring'],
      ['python3', 'burst'],
      ['backup-agent', 'host-pressure'],
      ['postgres', 'host-pressure'],
      ['nginx', 'one-off'],
    ]);
    expect(pidOf(inv.kill)).toBe(41200);
  });

  it('keeps the selected kill across sorts and regroupings while it is still there', () => {
    const inv = investigate();
    inv.selectGroup(0);
    inv.selectKill(2);
    expect(pidOf(inv.kill)).toBe(41274);
    inv.setSort('time');
    expect(pidOf(inv.kill)).toBe(41274);
    expect(inv.kills.map(pidOf)[0]).toBe(41385);
    inv.setGrouping('host');
    expect(inv.group?.key).toBe('node-3');
    inv.setFilter('host:db-1');
    expect(inv.group?.key).toBe('db-1');
    expect(inv.analysis.summary.kills).toBe(2);
  });

  it('search walks the matches in display order and wraps around', () => {
    const inv = investigate();
    expect(inv.find('host:worker-2')).toBe(4);
    expect(pidOf(inv.kill)).toBe(7310);
    inv.findNext(-1);
    expect(pidOf(inv.kill)).toBe(7322);
    expect(inv.searchStatus()).toEqual({ text: 'host:worker-2', index: 3, count: 4 });
    inv.findNext(1);
    expect(pidOf(inv.kill)).toBe(7310);
    expect(inv.find('nothing-like-this')).toBe(0);
  });

  it('live kills are new until selected, per group', () => {
    const [first, ...rest] = fleet;
    const inv = investigate(rest);
    inv.add([first!], true);
    inv.refresh();
    const java = inv.groups.find((g) => g.key === 'java')!;
    expect(inv.freshCount).toBe(1);
    expect(inv.freshIn(java)).toBe(1);
    inv.selectGroup(inv.groups.indexOf(java));
    // The selection stayed on the kill selected before (java's first then, its second now).
    expect(pidOf(inv.kill)).toBe(41237);
    expect(inv.freshCount).toBe(1);
    inv.selectKill(0);
    expect(pidOf(inv.kill)).toBe(41200);
    expect(inv.freshCount).toBe(0);
    expect(inv.freshIn(java)).toBe(0);
  });
});

describe('screen text is safe', () => {
  it('control characters become visible escapes and blessed tags stay text', () => {
    const tagged = toTagged([span('\x1b]0;pwned\x07 {bold}x{/bold} \x9b2J', 'red-fg')]);
    expect(tagged).toBe('{red-fg}\\x1b]0;pwned\\x07 {open}bold{close}x{open}/bold{close} \\x9b2J{/red-fg}');
  });

  it('every line of a hostile kill is free of control characters, in summary and in export', async () => {
    const [r] = parse('tui-hostile-comm.log');
    for (const line of killDetailLines(r!, null, 100)) expect(plain(line)).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    const dir = mkdtempSync(join(tmpdir(), 'oomlens-export-'));
    try {
      await exportKill(r!, null, 'markdown', join(dir, 'k.md'));
      expect(readFileSync(join(dir, 'k.md'), 'utf8')).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('wraps at spaces near the edge and never past the width; truncates with an ellipsis', () => {
    const line = [span('victim      '), span('java pid 41200 uid 1000, anon-rss 1011.9 MiB, file-rss 812 KiB', 'bold')];
    const rows = wrapLine(line, 40, 12);
    expect(rows.map(plain)).toEqual(['victim      java pid 41200 uid 1000, ', '            anon-rss 1011.9 MiB, ', '            file-rss 812 KiB']);
    for (const row of rows) expect(lineWidth(row)).toBeLessThanOrEqual(40);
    expect(plain(truncateLine(line, 16))).toBe('victim      jav…');
  });
});

describe('layout and columns', () => {
  const inside = (r: Rect, cols: number, rows: number) => r.left >= 0 && r.top >= 0 && r.left + r.width <= cols && r.top + r.height <= rows;

  it('80×24: groups and kills side by side over the detail, all on screen, none overlapping', () => {
    const l = layoutFor(80, 24);
    for (const r of [l.header, l.groups, l.kills, l.detail, l.footer]) expect(inside(r, 80, 24)).toBe(true);
    expect(l.groups.left + l.groups.width).toBe(l.kills.left);
    expect(l.detail.top).toBe(l.groups.top + l.groups.height);
    expect(l.detail.top + l.detail.height).toBe(l.footer.top);
  });

  it('wide terminals get three columns', () => {
    const l = layoutFor(200, 50);
    expect([l.groups.top, l.kills.top, l.detail.top]).toEqual([2, 2, 2]);
    expect(l.detail.left + l.detail.width).toBe(200);
  });

  it('drops the columns that matter least first, then widens the flexible one', () => {
    const col = (title: string, width: number, drop: number, flex = false): Column<string> => ({ title, width, drop, flex, value: () => title });
    const cols = [col('A', 10, 0, true), col('B', 5, 2), col('C', 5, 1)];
    expect(fitColumns(cols, 30).map((c) => [c.title, c.width])).toEqual([['A', 18], ['B', 5], ['C', 5]]);
    expect(fitColumns(cols, 17).map((c) => c.title)).toEqual(['A', 'C']);
    expect(plain(rowLine(fitColumns(cols, 17), 'x'))).toBe(`${'A'.padEnd(11)} C    `);
  });

  it('timelines shrink by adding neighbouring bins', () => {
    expect(resample([1, 0, 2, 3, 0, 0, 4, 1], 4)).toEqual([1, 5, 0, 5]);
    expect(resample([1, 2], 10)).toEqual([1, 2]);
  });
});

describe('list panes render only what is visible', () => {
  it('builds the 37 rows that fit of a 100,000-row list and keeps the selection in view', () => {
    const output = Object.assign(new PassThrough(), { columns: 120, rows: 40, isTTY: true });
    const screen = blessed.screen({ input: new PassThrough() as never, output: output as never, warnings: false });
    try {
      const pane = new ListPane(screen, 'kills', { pick: () => undefined, wheel: () => undefined });
      pane.place({ top: 0, left: 0, width: 120, height: 40 });
      const built: number[] = [];
      pane.show(100_000, 99_990, true, [span('HEADER')], (i) => (built.push(i), [span(`row ${i}`)]));
      expect(built).toHaveLength(37);
      expect(built.at(-1)).toBe(99_990);
      expect(pane.top).toBe(99_954);
      built.length = 0;
      pane.show(100_000, 5, true, null, (i) => (built.push(i), [span(`row ${i}`)]));
      expect(built).toEqual(Array.from({ length: 38 }, (_, i) => i + 5));
    } finally {
      screen.destroy();
    }
  });
});

describe('export', () => {
  it('names the file after the kill and never overwrites one', async () => {
    const r = fleet.find((k) => k.victim?.pid === 2231)!;
    expect(exportFileName(r, 'markdown')).toBe('oom-web-1-2231-20260302T112730.md');
    const dir = mkdtempSync(join(tmpdir(), 'oomlens-export-'));
    try {
      const path = join(dir, 'taken.json');
      writeFileSync(path, 'keep');
      await expect(exportKill(r, null, 'json', path)).rejects.toThrow(/EEXIST/);
      expect(readFileSync(path, 'utf8')).toBe('keep');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('a code fence in the log cannot close the markdown block', async () => {
    const r = { ...fleet[0]!, rawLines: ['``` not the end', 'a ```` longer run'] };
    const dir = mkdtempSync(join(tmpdir(), 'oomlens-export-'));
    try {
      await exportKill(r, null, 'markdown', join(dir, 'k.md'));
      const md = readFileSync(join(dir, 'k.md'), 'utf8');
      expect(md).toContain('`````text\n');
      expect(md.trimEnd().endsWith('`````')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
