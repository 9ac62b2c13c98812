import type { Consumer } from './analysis.js';
import { taskRssPages, type KillFacts } from './killFacts.js';

/**
 * The largest tasks across the task tables of some kills (processes of one name added up), by
 * the most RSS each held: who was holding the memory when the OOM killer ran.
 */
export function largestConsumers(kills: KillFacts[], limit = 3): Consumer[] {
  const byName = new Map<string, Consumer>();
  for (const k of kills) {
    const tasks = k.kernel?.tasks;
    if (!tasks || tasks.length === 0) continue;
    let total = 0;
    for (const t of tasks) total += taskRssPages(t) ?? 0;
    if (total === 0) continue;
    // Several processes of one name (php-fpm workers) are one consumer: add them up per table.
    const perName = new Map<string, number>();
    for (const t of tasks) perName.set(t.name, (perName.get(t.name) ?? 0) + (taskRssPages(t) ?? 0));
    for (const [name, pages] of perName) {
      const c = byName.get(name) ?? { name, rssKb: null, rssPages: 0, share: 0, tables: 0 };
      c.tables += 1;
      if (pages > c.rssPages) {
        c.rssPages = pages;
        c.rssKb = k.pageSizeKb !== null ? pages * k.pageSizeKb : null;
      }
      c.share = Math.max(c.share, pages / total);
      byName.set(name, c);
    }
  }
  return [...byName.values()].sort((a, b) => b.rssPages - a.rssPages || b.share - a.share).slice(0, limit);
}
