import type { Analysis, AnalysisGroup, Statement } from '../analyze/analysis.js';
import { sparkline } from '../analyze/sparkline.js';
import { statementPhrase } from '../analyze/statementWords.js';
import { spanTimeText } from '../analyze/timeText.js';
import { terminalSafe } from '../render/terminalSafe.js';
import { DEFAULT_TOP, causeSuffix, VERDICT_TITLE, groupFacts, groupingLine, hasUserspaceKills, hiddenLine, killedBy, shownGroups, summaryLine } from './headline.js';
import { terminalPhrase } from './phraseFormats.js';
import { memoryLifeLines } from './memorySparkline.js';

export interface ReportOptions {
  /** Groups shown in full (worst first); null: every group. */
  top?: number | null;
}

/**
 * `oomlens report` for a terminal: the headline, then the worst groups with their verdict, the
 * causes weighed, a sparkline of their kills over the input's span, the evidence and next steps.
 * Every log-derived string goes through terminalSafe (statements via their phrase parts).
 */
export function terminalReport(a: Analysis, _records?: unknown, o: ReportOptions = {}): string {
  const top = o.top === undefined ? DEFAULT_TOP : o.top;
  const out: string[] = [terminalSafe(summaryLine(a))];
  if (a.groups.length === 0) return `${out.join('\n')}\n`;
  out.push(groupingLine(a));
  const t = a.timeline;
  if (t !== null && t.first !== t.last) {
    const [first, last] = [Date.parse(t.first), Date.parse(t.last)];
    out.push(`Timelines run from ${spanTimeText(first, last)} to ${spanTimeText(last, first)}.`);
  }
  const showKiller = hasUserspaceKills(a);
  const { shown, hidden, hiddenKills } = shownGroups(a, top);
  for (const g of shown) out.push('', ...groupLines(g, showKiller));
  if (hidden > 0) out.push('', hiddenLine(hidden, hiddenKills, top!));
  return `${out.join('\n')}\n`;
}

function groupLines(g: AnalysisGroup, showKiller: boolean): string[] {
  const out = [`${VERDICT_TITLE[g.verdict]} (${g.confidence} confidence)  ${terminalSafe(g.label)}: ${terminalSafe(groupFacts(g))}${causeSuffix(g)}`, `  ${terminalSafe(g.headline)}`];
  if (showKiller) out.push(`  Killed by ${killedBy(g)}.`);
  if (g.timeline !== null && g.timeline.length > 1) out.push(`  kills |${sparkline(g.timeline)}|`);
  if (g.memory) out.push(...memoryLifeLines(g.memory).map((l) => `  ${l}`));
  if (g.hypotheses.length > 0) {
    out.push('  Causes, most likely first:');
    for (const h of g.hypotheses) {
      out.push(`    - ${h.cause} (${h.confidence})${reasons('for', h.because)}${reasons('against', h.against)}`);
    }
  }
  out.push('  What we saw:');
  for (const e of g.evidence) out.push(`    - ${line(e)}`);
  out.push('  Next steps:');
  for (const n of g.nextSteps) out.push(`    - ${line(n)}`);
  return out;
}

function line(s: Statement): string {
  return terminalPhrase(statementPhrase(s));
}

function reasons(label: string, list: Statement[]): string {
  return list.length === 0 ? '' : `; ${label}: ${list.map((s) => s.kind).join(', ')}`;
}
