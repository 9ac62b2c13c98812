import type { Analysis } from '../analyze/analysis.js';
import { sparkline } from '../analyze/sparkline.js';
import { spanTimeText } from '../analyze/timeText.js';
import { terminalSafe } from '../render/terminalSafe.js';
import { VERDICT_TITLE, groupFacts, groupingLine, hasUserspaceKills, killedBy, summaryLine } from './headline.js';

/**
 * `oomlens report` for a terminal: the headline, then each group worst first with its verdict,
 * a sparkline of its kills over the whole input's time span, the evidence and the next steps.
 * Every log-derived string goes through terminalSafe.
 */
export function terminalReport(a: Analysis): string {
  const out: string[] = [terminalSafe(summaryLine(a))];
  if (a.groups.length === 0) return `${out.join('\n')}\n`;
  out.push(groupingLine(a));
  const t = a.timeline;
  if (t !== null && t.first !== t.last) {
    const [first, last] = [Date.parse(t.first), Date.parse(t.last)];
    out.push(`Timelines run from ${spanTimeText(first, last)} to ${spanTimeText(last, first)}.`);
  }
  const showKiller = hasUserspaceKills(a);
  for (const g of a.groups) {
    out.push('');
    out.push(`${VERDICT_TITLE[g.verdict]} (${g.confidence} confidence)  ${terminalSafe(g.label)}: ${terminalSafe(groupFacts(g))}`);
    out.push(`  ${terminalSafe(g.headline)}`);
    if (showKiller) out.push(`  Killed by ${killedBy(g)}.`);
    if (g.timeline !== null && g.timeline.length > 1) out.push(`  kills |${sparkline(g.timeline)}|`);
    out.push('  What we saw:');
    for (const e of g.evidence) out.push(`    - ${terminalSafe(e)}`);
    out.push('  Next steps:');
    for (const n of g.nextSteps) out.push(`    - ${terminalSafe(n)}`);
  }
  return `${out.join('\n')}\n`;
}
