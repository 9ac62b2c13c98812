import { terminalSafe } from '../render/terminalSafe.js';
import { markdownEscape } from './markdownEscape.js';
import type { PromAnalysis, PromGroup } from '../sources/prometheus/promAnalysis.js';

/**
 * `report --prometheus` as text: the terminal (label values made inert) or Markdown for a
 * ticket. Label values come from Prometheus, which got them from hosts: hostile text.
 */
export function promTerminalReport(a: PromAnalysis): string {
  return promText(a, terminalSafe, (s) => s);
}

export function promMarkdownReport(a: PromAnalysis): string {
  return promText(a, markdownEscape, (s) => `## ${s}`);
}

function promText(a: PromAnalysis, safe: (s: string) => string, heading: (s: string) => string): string {
  const out: string[] = [];
  out.push(
    `${a.summary.kills} kill${a.summary.kills === 1 ? '' : 's'} of ${a.groups.length} workload${a.groups.length === 1 ? '' : 's'} in Prometheus at ${safe(a.source.prometheus)}, ${a.source.since} to ${a.source.until} (step ${a.source.stepSec} s)` +
      (a.summary.nodeKills > 0 ? `; node_vmstat_oom_kill counts ${a.summary.nodeKills} on the nodes` : '') +
      '.',
  );
  if (a.source.workQuery === null) out.push('No --work query: only the leak side can be tested.');
  for (const g of a.groups) out.push('', ...groupText(g, safe, heading));
  if (a.quiet.length > 0) {
    out.push('', heading('Workloads with memory series and no kill'));
    for (const g of a.quiet) out.push(`- ${safe(g.headline)}`);
  }
  return `${out.join('\n')}\n`;
}

function groupText(g: PromGroup, safe: (s: string) => string, heading: (s: string) => string): string[] {
  const lines = [heading(safe(g.headline))];
  for (const h of g.hypotheses) {
    lines.push(`  ${h.cause} (${h.confidence}): ${safe(h.summary)}`);
    for (const e of h.evidence) lines.push(`    - ${safe(e)}`);
  }
  for (const e of g.evidence) lines.push(`  - ${safe(e)}`);
  if (g.killTimes.length > 0) lines.push(`  kills: ${g.killTimes.map((k) => k.time + (k.count > 1 ? ` ×${k.count}` : '')).join(', ')}`);
  for (const s of g.nextSteps) lines.push(`  next: ${safe(s)}`);
  return lines;
}
