import type { KillRecord } from '../schema/killRecord.js';
import type { Analysis, AnalysisGroup } from './analysis.js';

/**
 * Finding kills again: the 1-based kill number of each record (the order `report` lists kills
 * and `explain --event N` counts), and the group each kill landed in.
 */
export function killNumbers(records: KillRecord[]): Map<number, number> {
  const numbers = new Map<number, number>();
  records.forEach((r, index) => {
    if (r.type === 'oom-kill' || r.type === 'userspace-kill') numbers.set(index, numbers.size + 1);
  });
  return numbers;
}

export function groupsByIndex(a: Analysis): Map<number, AnalysisGroup> {
  const byIndex = new Map<number, AnalysisGroup>();
  for (const g of a.groups) for (const m of g.members) byIndex.set(m.index, g);
  return byIndex;
}
