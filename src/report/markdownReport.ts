import type { Analysis } from '../analyze/analysis.js';
import { statementPhrase } from '../analyze/statementWords.js';
import { timeText } from '../analyze/timeText.js';
import { formatKb } from '../render/killTable.js';
import { DEFAULT_TOP, VERDICT_TITLE, causesLine, groupFacts, groupingLine, hasUserspaceKills, hiddenLine, killedBy, shownGroups, summaryLine } from './headline.js';
import { markdownEscape as md } from './markdownEscape.js';
import { memoryLifeLines } from './memorySparkline.js';
import { markdownPhrase } from './phraseFormats.js';
import type { ReportOptions } from './terminalReport.js';

/**
 * `oomlens report --format markdown`: the analysis as it would be pasted into an incident
 * ticket: an overview table, then one section per group with causes, evidence and next steps.
 * Log text is escaped once (statement values), commands become code spans.
 */
export function markdownReport(a: Analysis, _records?: unknown, o: ReportOptions = {}): string {
  const top = o.top === undefined ? DEFAULT_TOP : o.top;
  const out: string[] = ['## OOM kill report', '', md(summaryLine(a))];
  if (a.groups.length === 0) return `${out.join('\n')}\n`;
  const { shown, hidden, hiddenKills } = shownGroups(a, top);
  out.push('', md(groupingLine(a)), '');
  out.push('| # | Group | Verdict | Confidence | Kills | Hosts | First | Last | Victim anon-rss (median) | Limit |');
  out.push('|---|---|---|---|---:|---|---|---|---:|---:|');
  shown.forEach((g, i) => {
    const cells = [
      String(i + 1),
      md(g.label),
      g.verdict,
      g.confidence,
      String(g.kills),
      g.hosts.length > 0 ? md(g.hosts.join(', ')) : '-',
      g.first ? timeText(Date.parse(g.first)) : '-',
      g.last ? timeText(Date.parse(g.last)) : '-',
      formatKb(g.victimAnonRssKb.median),
      formatKb(g.limitKb),
    ];
    out.push(`| ${cells.join(' | ')} |`);
  });
  if (hidden > 0) out.push('', md(hiddenLine(hidden, hiddenKills, top!)));
  const showKiller = hasUserspaceKills(a);
  shown.forEach((g, i) => {
    out.push('', `### ${i + 1}. ${md(g.label)}: ${VERDICT_TITLE[g.verdict].toLowerCase()} (${g.confidence} confidence)`, '');
    out.push(`**${md(g.headline)}** ${md(`(${groupFacts(g)}${showKiller ? `, killed by ${killedBy(g)}` : ''})`)}`, '');
    if (g.hypotheses.length > 0) out.push(`Causes, most likely first: ${md(causesLine(g))}`, '');
    if (g.memory) out.push('```', ...memoryLifeLines(g.memory), '```', '');
    out.push('**What we saw**', '');
    for (const e of g.evidence) out.push(`- ${markdownPhrase(statementPhrase(e))}`);
    out.push('', '**Next steps**', '');
    for (const n of g.nextSteps) out.push(`- ${markdownPhrase(statementPhrase(n))}`);
  });
  return `${out.join('\n')}\n`;
}
