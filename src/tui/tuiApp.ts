import blessed from 'blessed';
import { resolve } from 'node:path';
import { GroupBy } from '../analyze/analysis.js';
import { durationText } from '../analyze/durationText.js';
import type { KillRecord } from '../schema/killRecord.js';
import { victimNameOf } from '../schema/killIdentity.js';
import { fitColumns, headerLine, rowLine } from './columns.js';
import { exportFileName, exportKill, type ExportFormat } from './exportKill.js';
import { Investigation } from './investigation.js';
import { KEY_HELP } from './keyHelp.js';
import { killDetailLines, LABEL_WIDTH, rawLines } from './killDetail.js';
import { layoutFor } from './layout.js';
import { ListPane } from './listPane.js';
import { groupColumns, killColumns, shortTime } from './paneColumns.js';
import { Prompt } from './prompt.js';
import { nextSortMode } from './sortMode.js';
import { span, toTagged, truncateLine, wrapLine, type Line } from './styledText.js';
import { timelineText } from './timelineText.js';

type Pane = 'groups' | 'kills' | 'detail';
const PANES: Pane[] = ['groups', 'kills', 'detail'];
const HELP_WIDTH = 100;
const HELP_KEYS_WIDTH = 16;

export interface TuiOptions {
  by: GroupBy;
  /** Following a log: new kills are expected, and highlighted as they come. */
  live: boolean;
  /** What is being read, for the header (file names, or the kernel log). */
  source: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

interface KeyPress {
  name?: string;
  full?: string;
  ctrl?: boolean;
}

/**
 * The interactive screen: header (totals and a timeline of all kills), groups, the kills of the
 * selected group, the selected kill in detail, and a footer with the keys. All state lives in
 * an Investigation; this class draws it and turns keys and clicks into changes to it.
 */
export class TuiApp {
  readonly closed: Promise<void>;
  private readonly screen: blessed.Widgets.Screen;
  private readonly header: blessed.Widgets.BoxElement;
  private readonly footer: blessed.Widgets.BoxElement;
  private readonly help: blessed.Widgets.BoxElement;
  private readonly panes: Record<Pane, ListPane>;
  private readonly model: Investigation;
  private readonly prompt = new Prompt();
  private focus: Pane = 'groups';
  private raw = false;
  private notice: Line | null = null;
  private loading: number | null = 0;
  private problems: string[] = [];
  private detail: { key: unknown[]; lines: Line[] } | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private lastAnalysisMs = 0;
  /** After `q`: whatever still arrives (the rest of a big file, a live kill) is dropped. */
  private quitting = false;
  private close!: () => void;

  constructor(private readonly options: TuiOptions) {
    this.model = new Investigation(options.by);
    this.closed = new Promise((done) => (this.close = done));
    this.screen = blessed.screen({
      // @types/blessed has the stream types of input and output swapped.
      input: options.input as never,
      output: options.output as never,
      smartCSR: true,
      fullUnicode: true,
      forceUnicode: true,
      warnings: false,
      autoPadding: true,
    });
    this.header = blessed.box({ parent: this.screen, tags: true, wrap: false });
    this.footer = blessed.box({ parent: this.screen, tags: true, wrap: false });
    const pane = (p: Pane, label: string) =>
      new ListPane(this.screen, label, {
        pick: (pos) => this.pick(p, pos),
        wheel: (d) => this.move(p, d * 3),
      });
    this.panes = { groups: pane('groups', 'groups'), kills: pane('kills', 'kills'), detail: pane('detail', 'kill') };
    this.help = blessed.box({
      parent: this.screen,
      top: 'center',
      left: 'center',
      border: { type: 'line' },
      label: ' keys ',
      tags: true,
      wrap: false,
      hidden: true,
      style: { border: { fg: 'cyan' } },
    });
    this.screen.enableMouse();
    this.screen.on('keypress', (ch: string | undefined, key: KeyPress) => this.onKey(ch, key));
    this.screen.on('resize', () => this.render());
    this.render();
  }

  /** While the inputs are read: how many records so far. */
  progress(records: number): void {
    if (this.quitting) return;
    this.loading = records;
    this.render();
  }

  /** The records read from the inputs, before any follow. */
  load(records: readonly KillRecord[], problems: string[]): void {
    if (this.quitting) return;
    this.loading = null;
    this.problems = problems;
    this.model.add(records, false);
    this.analyze();
    this.render();
  }

  /**
   * Kills that completed while following. The analysis is redone at most every twice its own
   * cost, so a storm of kills into 100,000 loaded ones does not freeze the keys.
   */
  arrive(records: readonly KillRecord[]): void {
    if (this.quitting) return;
    this.model.add(records, true);
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      this.analyze();
      this.render();
    }, Math.max(50, 2 * this.lastAnalysisMs));
  }

  /** A problem while following (a file vanished, the journal stopped): shown in the footer. */
  warn(message: string): void {
    if (this.quitting) return;
    this.notice = [span(message, 'red-fg')];
    this.render();
  }

  private analyze(): void {
    const t0 = performance.now();
    this.model.refresh();
    this.lastAnalysisMs = performance.now() - t0;
  }

  private quit(): void {
    this.quitting = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.screen.destroy();
    this.close();
  }

  private onKey(ch: string | undefined, key: KeyPress): void {
    // blessed reports Enter twice ('enter', then 'return'): act on the first only.
    if (key.name === 'return') return;
    if (this.prompt.handle(ch, key)) return this.render();
    if (!this.help.hidden) {
      this.help.hide();
      return this.render();
    }
    this.notice = null;
    const m = this.model;
    // Printable keys by their character (blessed names `N` as `S-n`), others by name.
    const printable = ch !== undefined && ch.length === 1 && ch >= ' ' && ch !== '\x7f';
    switch (printable ? ch : key.full) {
      case 'q':
      case 'C-c':
        return this.quit();
      case 'up':
      case 'k':
        this.move(this.focus, -1);
        break;
      case 'down':
      case 'j':
        this.move(this.focus, 1);
        break;
      case 'pageup':
        this.move(this.focus, -this.page());
        break;
      case 'pagedown':
        this.move(this.focus, this.page());
        break;
      case 'home':
        this.move(this.focus, -Infinity);
        break;
      case 'end':
        this.move(this.focus, Infinity);
        break;
      case 'tab':
      case 'right':
      case 'l':
        this.focus = PANES[(PANES.indexOf(this.focus) + 1) % PANES.length]!;
        break;
      case 'S-tab':
      case 'left':
      case 'h':
        this.focus = PANES[(PANES.indexOf(this.focus) + PANES.length - 1) % PANES.length]!;
        break;
      case 'enter':
        if (this.focus !== 'detail') this.focus = this.focus === 'groups' ? 'kills' : 'detail';
        break;
      case 'escape':
      case 'backspace':
        if (this.focus !== 'groups') this.focus = this.focus === 'detail' ? 'kills' : 'groups';
        break;
      case '/':
        this.prompt.ask('search:', '', (text) => this.searched(m.find(text), text));
        break;
      case 'n':
        this.searched(m.findNext(1), m.searchStatus()?.text ?? '');
        break;
      case 'N':
        this.searched(m.findNext(-1), m.searchStatus()?.text ?? '');
        break;
      case 'f':
        this.prompt.ask('filter:', m.filterText, (text) =>
          this.busy('filtering', () => {
            m.setFilter(text);
            return text.trim() ? `${count(m.analysis.summary.kills, 'kill')} match the filter` : 'filter cleared';
          }),
        );
        break;
      case 's':
        m.setSort(nextSortMode(m.sort));
        break;
      case 'g': {
        // The TUI's own views (report's default `service` is not among them yet).
        const views: GroupBy[] = GroupBy.options.filter((v) => v !== 'service');
        const by = views[(views.indexOf(m.by) + 1) % views.length]!;
        this.busy(`grouping by ${by}`, () => m.setGrouping(by));
        break;
      }
      case 'r':
        this.raw = !this.raw;
        this.panes.detail.top = 0;
        break;
      case 'e':
        this.startExport();
        break;
      case '?':
        this.showHelp();
        break;
    }
    this.render();
  }

  /**
   * Work that re-runs the analysis (seconds with 100,000 kills): says so on the screen first,
   * then does it; `work` may return a message for the footer.
   */
  private busy(what: string, work: () => string | void): void {
    this.notice = [span(`${what}…`, 'yellow-fg')];
    this.render();
    setImmediate(() => {
      if (this.quitting) return;
      const said = work();
      this.notice = said ? [span(said)] : null;
      this.render();
    });
  }

  /** The key list, wrapped to the terminal (the box is as tall as it needs, up to the screen). */
  private showHelp(): void {
    const inner = Math.min(HELP_WIDTH, (this.screen.width as number) - 2) - 2;
    const lines = [
      ...KEY_HELP.flatMap((k) => wrapLine([span(k.keys.padEnd(HELP_KEYS_WIDTH), 'bold'), span(k.what)], inner, HELP_KEYS_WIDTH)),
      [],
      [span('any key closes this help')],
    ];
    Object.assign(this.help, { width: inner + 2, height: Math.min(lines.length + 2, (this.screen.height as number) - 2) });
    this.help.setContent(lines.map(toTagged).join('\n'));
    this.help.show();
    this.help.setFront();
  }

  private searched(count: number, text: string): void {
    if (!text.trim()) return;
    this.notice = count === 0 ? [span(`no kill matches “${text}”`, 'red-fg')] : null;
    if (count > 0 && this.focus === 'groups') this.focus = 'kills';
  }

  private startExport(): void {
    const kill = this.model.kill;
    if (!kill) return;
    const group = this.model.group;
    const ask = (format: ExportFormat) =>
      this.prompt.ask(`export ${format} to:`, exportFileName(kill, format), (path) => {
        const target = resolve(path.trim() || exportFileName(kill, format));
        exportKill(kill, group, format, target).then(
          () => (this.notice = [span(`exported to ${target}`, 'green-fg')]),
          (err: Error) => (this.notice = [span(`export failed: ${err.message}`, 'red-fg')]),
        ).finally(() => this.render());
      });
    this.prompt.choose('export the selected kill as j(son) or m(arkdown)?', { j: () => ask('json'), m: () => ask('markdown') });
  }

  private page(): number {
    return Math.max(1, this.panes[this.focus].rowsFor(this.focus !== 'detail') - 1);
  }

  private move(pane: Pane, delta: number): void {
    const m = this.model;
    if (pane === 'groups') m.selectGroup(m.groupPos + clampDelta(delta, m.groups.length));
    else if (pane === 'kills') m.selectKill(m.killPos + clampDelta(delta, m.kills.length));
    else {
      const lines = this.detail?.lines.length ?? 0;
      this.panes.detail.top = Math.max(0, Math.min(lines - 1, this.panes.detail.top + clampDelta(delta, lines)));
    }
  }

  private pick(pane: Pane, pos: number): void {
    if (this.prompt.open) return;
    this.focus = pane;
    if (pane === 'groups') this.model.selectGroup(pos);
    else if (pane === 'kills') this.model.selectKill(pos);
    this.render();
  }

  private render(): void {
    const cols = this.screen.width as number;
    const rows = this.screen.height as number;
    const layout = layoutFor(cols, rows);
    Object.assign(this.header, layout.header);
    Object.assign(this.footer, layout.footer);
    for (const p of PANES) this.panes[p].place(layout[p]);
    this.header.setContent(this.headerLines(cols).map((l) => toTagged(truncateLine(l, cols))).join('\n'));
    this.footer.setContent(toTagged(truncateLine(this.footerLine(), cols)));
    this.renderGroups();
    this.renderKills();
    this.renderDetail();
    this.screen.render();
  }

  private headerLines(cols: number): Line[] {
    const m = this.model;
    const a = m.analysis;
    const title = span(' oomlens ', 'inverse');
    if (this.loading !== null) return [[title, span(` reading ${this.options.source}… ${this.loading.toLocaleString('en-US')} reports so far`)], []];
    const s = a.summary;
    const totals = s.kills === 0 ? 'no kills' : `${count(s.kills, 'kill')}, ${count(s.processes, 'process', 'processes')}, ${count(s.hosts.length, 'host')}, ${spanText(s.first, s.last)}`;
    const view = `| by ${m.by}, sort ${m.sort}${m.filterText ? `, filter “${m.filterText}”` : ''}`;
    const live = this.options.live ? [span(' ● live', 'green-fg'), span(m.freshCount > 0 ? ` ${m.freshCount} new` : '', 'yellow-fg')] : [];
    const counts = m.timeline;
    const width = Math.max(8, Math.min(cols - 40, 96));
    const timeline: Line = counts
      ? [span(' kills '.padEnd(8), 'bold'), span(timelineText(counts, width), 'cyan-fg'), span(` ${a.timeline!.first.slice(5, 16).replace('T', ' ')} → ${a.timeline!.last.slice(5, 16).replace('T', ' ')} UTC`)]
      : [span(s.kills === 0 ? ` no kills in ${this.options.source}${this.options.live ? ' yet: waiting for the next one' : ''}` : ' no timeline: the log has uptimes only')];
    return [[title, span(` ${totals}  `), span(view), ...live], timeline];
  }

  private footerLine(): Line {
    if (this.prompt.open) return this.prompt.line();
    if (this.notice) return [span(' '), ...this.notice];
    const out: Line[number][] = [];
    const found = this.model.searchStatus();
    if (found) out.push(span(` /${found.text} ${found.index + 1}/${found.count} (n N) `, 'yellow-fg'));
    if (this.problems.length > 0) out.push(span(` ${this.problems.join('; ')} `, 'red-fg'));
    for (const k of KEY_HELP) if (k.short) out.push(span(` ${k.short} `));
    return out;
  }

  private renderGroups(): void {
    const m = this.model;
    const pane = this.panes.groups;
    const cols = fitColumns(groupColumns((g) => m.freshIn(g) > 0), pane.innerWidth);
    pane.setLabel(`${this.focus === 'groups' ? '▸ ' : ''}groups by ${m.by} (${m.groups.length})`, this.focus === 'groups');
    pane.show(m.groups.length, m.groupPos, this.focus === 'groups', headerLine(cols), (i) => rowLine(cols, m.groups[i]!));
  }

  private renderKills(): void {
    const m = this.model;
    const pane = this.panes.kills;
    const kills = m.kills;
    const cols = fitColumns(killColumns(m.by, (r) => m.isFresh(r)), pane.innerWidth);
    pane.setLabel(`${this.focus === 'kills' ? '▸ ' : ''}kills${m.group ? ` of ${m.group.label}` : ''} (${kills.length})`, this.focus === 'kills');
    pane.show(kills.length, m.killPos, this.focus === 'kills', headerLine(cols), (i) => rowLine(cols, kills[i]!));
  }

  private renderDetail(): void {
    const m = this.model;
    const pane = this.panes.detail;
    const kill = m.kill;
    const width = pane.innerWidth;
    const key = [kill, m.group, this.raw, width];
    if (!this.detail || key.some((k, i) => k !== this.detail!.key[i])) {
      if (this.detail?.key[0] !== kill) pane.top = 0;
      const logical = kill ? (this.raw ? rawLines(kill) : killDetailLines(kill, m.group, width)) : [[span(this.loading === null ? 'no kill selected' : 'reading…')]];
      this.detail = { key, lines: logical.flatMap((l) => wrapLine(l, width, this.raw ? 4 : LABEL_WIDTH)) };
    }
    const where = kill ? `${shortTime(kill).trim()} ${victimNameOf(kill) ?? ''}` : '';
    pane.setLabel(`${this.focus === 'detail' ? '▸ ' : ''}${this.raw ? 'raw lines' : 'kill'} ${where} (${this.raw ? 'r: summary' : 'r: raw lines'})`, this.focus === 'detail');
    const lines = this.detail.lines;
    pane.show(lines.length, -1, false, null, (i) => lines[i]!);
  }
}

/**
 * `2026-03-02 01:10 → 21:25 (20 h)`: the end without the parts it shares with the start, and how
 * long that is.
 */
function spanText(first: string | null, last: string | null): string {
  if (first === null || last === null) return 'no wall-clock times';
  const start = first.slice(0, 16).replace('T', ' ');
  if (first === last) return start;
  const end = last.slice(0, 10) === first.slice(0, 10) ? last.slice(11, 16) : last.slice(0, 4) === first.slice(0, 4) ? last.slice(5, 16) : last.slice(0, 16);
  return `${start} → ${end.replace('T', ' ')} (${durationText((Date.parse(last) - Date.parse(first)) / 1000)})`;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** A move of `delta` rows, where ±Infinity means to the end of a list of `length`. */
function clampDelta(delta: number, length: number): number {
  return Number.isFinite(delta) ? delta : delta > 0 ? length : -length;
}
