import type { Analysis } from '../analyze/analysis.js';
import { timeText } from '../analyze/timeText.js';
import { formatKb } from '../render/killTable.js';
import { VERDICT_TITLE, groupFacts, groupingLine, hasUserspaceKills, killedBy, summaryLine } from './headline.js';
import { markdownEscape as md } from './markdownEscape.js';

/**
 * `oomlens report --format markdown`: the analysis as it would be pasted into an incident
 * ticket: an overview table, then one section per group with evidence and next steps.
 */
export function markdownReport(a: Analysis): string {
  const out: string[] = ['## OOM kill report', '', md(summaryLine(a))];
  if (a.groups.length === 0) return `${out.join('\n')}\n`;
  out.push('', md(groupingLine(a)), '');
  out.push('| # | Group | Verdict | Confidence | Kills | Hosts | First | Last | Victim anon-rss (median) | Limit |');
  out.push('|---|---|---|---|---:|---|---|---|---:|---:|');
  a.groups.forEach((g, i) => {
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
  const showKiller = hasUserspaceKills(a);
  a.groups.forEach((g, i) => {
    out.push('', `### ${i + 1}. ${md(g.label)}: ${VERDICT_TITLE[g.verdict].toLowerCase()} (${g.confidence} confidence)`, '');
    out.push(`**${md(g.headline)}** ${md(`(${groupFacts(g)}${showKiller ? `, killed by ${killedBy(g)}` : ''})`)}`, '', '**What we saw**', '');
    for (const e of g.evidence) out.push(`- ${md(e)}`);
    out.push('', '**Next steps**', '');
    for (const n of g.nextSteps) out.push(`- ${md(n)}`);
  });
  return `${out.join('\n')}\n`;
}
