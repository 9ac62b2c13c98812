import type { Analysis, AnalysisGroup, GroupBy } from '../analyze/analysis.js';
import { analyze } from '../analyze/analyze.js';
import type { KillRecord } from '../schema/killRecord.js';
import { parseKillQuery, type KillQuery } from './killQuery.js';
import { sortGroups, sortMembers, type SortMode } from './sortMode.js';

interface Hit {
  group: number;
  kill: number;
}

/**
 * What the TUI shows, without the screen: the loaded records, the view (grouping, sort, filter),
 * the analyzer's groups in display order, the selected group and kill, kills that arrived live,
 * and the current search. The analysis runs only in `refresh()`, so a caller can batch new records.
 */
export class Investigation {
  private readonly records: KillRecord[] = [];
  private readonly fresh = new Set<KillRecord>();
  private shown: KillRecord[] = [];
  private freshPerGroup = new Map<AnalysisGroup, number>();
  private memberCache = new Map<AnalysisGroup, KillRecord[]>();
  private search: { text: string; query: KillQuery; hits: Hit[] | null } | null = null;

  analysis: Analysis;
  /** All kills per timeline bin (the groups share the analysis's bins, so they add up). */
  timeline: number[] | null = null;
  groups: AnalysisGroup[] = [];
  groupPos = 0;
  killPos = 0;
  filterText = '';
  private filter: KillQuery | null = null;

  constructor(
    public by: GroupBy,
    public sort: SortMode = 'worst',
  ) {
    this.analysis = analyze([], { by });
  }

  get total(): number {
    return this.records.length;
  }

  /** Adds records; `live` ones are highlighted until selected. Call refresh() to see them. */
  add(records: readonly KillRecord[], live: boolean): void {
    for (const r of records) {
      this.records.push(r);
      if (live) this.fresh.add(r);
    }
  }

  /** Filters, analyzes and orders again, keeping the selected group and kill where they still exist. */
  refresh(): void {
    const keep = this.selection();
    this.shown = this.filter ? this.records.filter(this.filter) : [...this.records];
    this.analysis = analyze(this.shown, { by: this.by });
    this.timeline = allKills(this.analysis);
    this.reorder(keep);
  }

  setGrouping(by: GroupBy): void {
    this.by = by;
    this.refresh();
  }

  setSort(mode: SortMode): void {
    this.sort = mode;
    this.reorder(this.selection());
  }

  setFilter(text: string): void {
    this.filterText = text.trim();
    this.filter = this.filterText ? parseKillQuery(this.filterText) : null;
    this.refresh();
  }

  get group(): AnalysisGroup | null {
    return this.groups[this.groupPos] ?? null;
  }

  /** The kills of a group in display order (built once per group and order). */
  killsOf(group: AnalysisGroup): KillRecord[] {
    let kills = this.memberCache.get(group);
    if (!kills) {
      kills = sortMembers(group.members, this.sort).map((m) => this.shown[m.index]!);
      this.memberCache.set(group, kills);
    }
    return kills;
  }

  get kills(): KillRecord[] {
    return this.group ? this.killsOf(this.group) : [];
  }

  get kill(): KillRecord | null {
    return this.kills[this.killPos] ?? null;
  }

  selectGroup(pos: number): void {
    const next = clamp(pos, this.groups.length);
    if (next !== this.groupPos) this.killPos = 0;
    this.groupPos = next;
    this.markSeen();
  }

  selectKill(pos: number): void {
    this.killPos = clamp(pos, this.kills.length);
    this.markSeen();
  }

  isFresh(r: KillRecord): boolean {
    return this.fresh.has(r);
  }

  freshIn(group: AnalysisGroup): number {
    return this.freshPerGroup.get(group) ?? 0;
  }

  get freshCount(): number {
    return this.fresh.size;
  }

  /** Starts a search; selects the first match at or after the selection. Returns the match count. */
  find(text: string): number {
    this.search = text.trim() ? { text: text.trim(), query: parseKillQuery(text), hits: null } : null;
    return this.findNext(0);
  }

  /** Moves to the next (1) or previous (-1) match, or re-selects the current one (0). */
  findNext(direction: 1 | -1 | 0): number {
    const hits = this.searchHits();
    if (hits.length === 0) return 0;
    const cur = { group: this.groupPos, kill: this.killPos };
    const after = (h: Hit) => h.group > cur.group || (h.group === cur.group && h.kill > cur.kill);
    const at = (h: Hit) => h.group === cur.group && h.kill === cur.kill;
    let hit: Hit;
    if (direction === -1) hit = [...hits].reverse().find((h) => !after(h) && !at(h)) ?? hits[hits.length - 1]!;
    else hit = hits.find((h) => after(h) || (direction === 0 && at(h))) ?? hits[0]!;
    this.groupPos = hit.group;
    this.killPos = hit.kill;
    this.markSeen();
    return hits.length;
  }

  /** `3/17` for the footer: which match is selected, of how many. */
  searchStatus(): { text: string; index: number; count: number } | null {
    if (!this.search) return null;
    const hits = this.searchHits();
    const index = hits.findIndex((h) => h.group === this.groupPos && h.kill === this.killPos);
    return { text: this.search.text, index, count: hits.length };
  }

  private searchHits(): Hit[] {
    if (!this.search) return [];
    if (!this.search.hits) {
      const hits: Hit[] = [];
      this.groups.forEach((g, group) => {
        this.killsOf(g).forEach((r, kill) => {
          if (this.search!.query(r)) hits.push({ group, kill });
        });
      });
      this.search.hits = hits;
    }
    return this.search.hits;
  }

  private selection(): { key: string | null; record: KillRecord | null } {
    return { key: this.group?.key ?? null, record: this.kill };
  }

  private reorder(keep: { key: string | null; record: KillRecord | null }): void {
    this.groups = sortGroups(this.analysis.groups, this.sort);
    this.memberCache = new Map();
    if (this.search) this.search.hits = null;
    this.freshPerGroup = new Map();
    if (this.fresh.size > 0) {
      for (const g of this.groups) {
        let n = 0;
        for (const m of g.members) if (this.fresh.has(this.shown[m.index]!)) n += 1;
        if (n > 0) this.freshPerGroup.set(g, n);
      }
    }
    const groupPos = keep.key === null ? -1 : this.groups.findIndex((g) => g.key === keep.key);
    this.groupPos = Math.max(0, groupPos);
    const killPos = keep.record && groupPos >= 0 ? this.kills.indexOf(keep.record) : -1;
    this.killPos = Math.max(0, killPos);
  }

  /** A live kill stops being highlighted once it has been selected. */
  private markSeen(): void {
    const r = this.kill;
    if (!r || !this.fresh.delete(r)) return;
    const g = this.group!;
    const left = (this.freshPerGroup.get(g) ?? 1) - 1;
    if (left > 0) this.freshPerGroup.set(g, left);
    else this.freshPerGroup.delete(g);
  }
}

function allKills(a: Analysis): number[] | null {
  if (!a.timeline) return null;
  const sum = new Array<number>(a.timeline.bins).fill(0);
  for (const g of a.groups) g.timeline?.forEach((n, i) => (sum[i]! += n));
  return sum;
}

function clamp(pos: number, length: number): number {
  return Math.max(0, Math.min(length - 1, pos));
}
