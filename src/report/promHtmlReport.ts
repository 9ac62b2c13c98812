import type { GroupCurves, PromAnalysis, PromGroup } from '../sources/prometheus/promAnalysis.js';
import { htmlEscape } from './htmlEscape.js';
import { svgWorkChart } from './svgWorkChart.js';

/** `report --prometheus --format html`: one self-contained page, a memory/work chart per workload. */
export function promHtmlReport(a: PromAnalysis, curves: Map<string, GroupCurves>): string {
  const e = htmlEscape;
  const section = (g: PromGroup) => {
    const c = curves.get(g.key) ?? { memory: [], work: [], kills: [] };
    return [
      `<section class="group"><h2>${e(g.headline)}</h2>`,
      svgWorkChart(c.memory, c.work, c.kills, a.source.workQuery),
      '<ol class="hypotheses">',
      ...g.hypotheses.map((h) => `<li><b>${e(h.cause)}</b> (${e(h.confidence)}): ${e(h.summary)}<ul>${h.evidence.map((x) => `<li>${e(x)}</li>`).join('')}</ul></li>`),
      '</ol>',
      `<ul class="evidence">${g.evidence.map((x) => `<li>${e(x)}</li>`).join('')}</ul>`,
      g.nextSteps.length ? `<p>Next: ${g.nextSteps.map(e).join(' ')}</p>` : '',
      '</section>',
    ].join('\n');
  };
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>oomlens: kills in Prometheus</title>',
    '<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}h2{font-size:1.05em}section{border-top:1px solid #ddd;padding-top:.5em}</style>',
    '</head><body>',
    `<h1>${a.summary.kills} kill${a.summary.kills === 1 ? '' : 's'} in Prometheus</h1>`,
    `<p>${e(a.source.prometheus)}, ${e(a.source.since)} to ${e(a.source.until)}; memory: <code>${e(a.source.memoryQuery)}</code>; work: ${a.source.workQuery ? `<code>${e(a.source.workQuery)}</code>` : 'none given'}.</p>`,
    ...a.groups.map(section),
    a.quiet.length ? `<h2>Workloads with memory series and no kill</h2>${a.quiet.map(section).join('\n')}` : '',
    '</body></html>',
    '',
  ].join('\n');
}
