import type { AnalysisGroup, GroupKill } from '../analyze/analysis.js';

/**
 * How the panes are ordered (`s` cycles): `worst` keeps the analyzer's order (recurring first)
 * with each group's kills oldest first; `time` puts the most recent groups and kills first;
 * `rss` the largest victims; `kills` the groups with the most kills.
 */
export const SORT_MODES = ['worst', 'time', 'rss', 'kills'] as const;
export type SortMode = (typeof SORT_MODES)[number];

export function nextSortMode(mode: SortMode): SortMode {
  return SORT_MODES[(SORT_MODES.indexOf(mode) + 1) % SORT_MODES.length]!;
}

/** The groups in display order (the analyzer's worst-first order breaks ties). */
export function sortGroups(groups: readonly AnalysisGroup[], mode: SortMode): AnalysisGroup[] {
  const rank = new Map(groups.map((g, i) => [g, i]));
  const byRank = (a: AnalysisGroup, b: AnalysisGroup) => rank.get(a)! - rank.get(b)!;
  switch (mode) {
    case 'worst':
      return [...groups];
    case 'time':
      return [...groups].sort((a, b) => (b.last ?? '').localeCompare(a.last ?? '') || byRank(a, b));
    case 'rss':
      return [...groups].sort((a, b) => (b.victimAnonRssKb.max ?? -1) - (a.victimAnonRssKb.max ?? -1) || byRank(a, b));
    case 'kills':
      return [...groups].sort((a, b) => b.kills - a.kills || byRank(a, b));
  }
}

/** A group's kills in display order (the analyzer gives them in time order). */
export function sortMembers(members: readonly GroupKill[], mode: SortMode): GroupKill[] {
  switch (mode) {
    case 'worst':
    case 'kills':
      return [...members];
    case 'time':
      return [...members].reverse();
    case 'rss':
      return [...members].sort((a, b) => (b.anonRssKb ?? -1) - (a.anonRssKb ?? -1));
  }
}
