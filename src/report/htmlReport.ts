import type { Analysis, AnalysisGroup } from '../analyze/analysis.js';
import { explainKill } from '../analyze/explainKill.js';
import { groupsByIndex, killNumbers } from '../analyze/killLookup.js';
import { timeText, timeTextSeconds } from '../analyze/timeText.js';
import { formatKb } from '../render/killTable.js';
import type { KillRecord } from '../schema/killRecord.js';
import { killerOf, victimNameOf } from '../schema/killIdentity.js';
import { VERDICT_TITLE, groupFacts, groupingLine, hasUserspaceKills, killedBy, summaryLine } from './headline.js';
import { htmlEscape as h } from './htmlEscape.js';
import { svgConsumers } from './svgConsumers.js';
import { svgRssChart } from './svgRssChart.js';
import { svgTimeline } from './svgTimeline.js';
import { VERDICT_COLOR } from './verdictColors.js';

/**
 * `oomlens report --format html`: one self-contained page (inline CSS and SVG, no script, no
 * external asset; a Content-Security-Policy forbids loading anything), so it can be attached to a
 * ticket and opened offline. Every log-derived string is escaped.
 */
export function htmlReport(a: Analysis, records: KillRecord[]): string {
  const numbers = killNumbers(records);
  const groupOf = groupsByIndex(a);
  const groupId = new Map(a.groups.map((g, i) => [g, `group-${i + 1}`]));
  const body: string[] = [];
  body.push(`<header><h1>OOM kill report</h1><p class="summary">${h(summaryLine(a))}</p>`);
  if (a.groups.length > 0) body.push(`<p class="by">${h(groupingLine(a))}</p>`);
  body.push('</header>');
  if (a.groups.length > 0) {
    body.push(`<section id="overview"><h2>Kills over time</h2>${svgTimeline(a)}${legend()}</section>`);
    body.push('<section id="groups"><h2>Groups, worst first</h2>');
    const showKiller = hasUserspaceKills(a);
    for (const g of a.groups) body.push(groupArticle(g, groupId.get(g)!, numbers, showKiller));
    body.push('</section>');
    body.push(killTable(a, records, numbers, groupOf, groupId));
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="oomlens">
<title>oomlens report: ${h(summaryLine(a))}</title>
<style>${STYLE}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

function legend(): string {
  const items = (Object.keys(VERDICT_COLOR) as (keyof typeof VERDICT_COLOR)[]).map(
    (v) => `<span><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5" fill="${VERDICT_COLOR[v]}"/></svg> ${VERDICT_TITLE[v].toLowerCase()}</span>`,
  );
  return `<p class="legend">${items.join(' ')}</p>`;
}

function groupArticle(g: AnalysisGroup, id: string, numbers: Map<number, number>, showKiller: boolean): string {
  const chart = svgRssChart(g);
  const hasLimit = g.limitsKb.length > 0;
  const consumers = g.verdict === 'host-pressure' || (g.victimLargestShare !== null && g.victimLargestShare < 1) ? svgConsumers(g.largestConsumers) : null;
  const kills = g.members.map((m) => `<a href="#kill-${numbers.get(m.index)}">${numbers.get(m.index)}</a>`).join(' ');
  return `<article class="group" id="${id}" style="border-left-color:${VERDICT_COLOR[g.verdict]}">
<h3><span class="badge" style="background:${VERDICT_COLOR[g.verdict]}">${VERDICT_TITLE[g.verdict]}</span> ${h(g.label)} <span class="muted">${h(groupFacts(g))}${showKiller ? ` by ${h(killedBy(g))}` : ''}, ${g.confidence} confidence</span></h3>
<p class="headline">${h(g.headline)}</p>
<div class="cols"><div>
<h4>What we saw</h4><ul>${g.evidence.map((e) => `<li>${h(e)}</li>`).join('')}</ul>
<h4>Next steps</h4><ul>${g.nextSteps.map((n) => `<li>${h(n)}</li>`).join('')}</ul>
</div><div class="figures"><figure>${chart ?? '<p class="muted">The log gave no victim anon-rss for these kills.</p>'}<figcaption>${hasLimit ? 'Victim anon-rss at each kill against the cgroup limit' : 'Victim anon-rss at each kill (no cgroup limit was hit)'}</figcaption></figure>${
    consumers ? `<figure>${consumers}<figcaption>Largest tasks in the task tables (RSS, share of the table)</figcaption></figure>` : ''
  }</div></div>
<p class="kills">Kills: ${kills}</p>
</article>`;
}

function killTable(
  a: Analysis,
  records: KillRecord[],
  numbers: Map<number, number>,
  groupOf: Map<number, AnalysisGroup>,
  groupId: Map<AnalysisGroup, string>,
): string {
  const rows: string[] = [];
  const total = numbers.size;
  for (const [index, n] of numbers) {
    const r = records[index]!;
    const g = groupOf.get(index) ?? null;
    const ex = explainKill(r, { killNumber: n, totalKills: total, index, group: g });
    const kernel = r.type === 'userspace-kill' ? null : r;
    const uptime = kernel?.uptime ?? null;
    const when = r.time !== null ? timeTextSeconds(Date.parse(r.time)) : uptime !== null ? `+${uptime.toFixed(3)} s` : '-';
    const pid = r.victim?.pid ?? null;
    const victim = victimNameOf(r) ?? (pid !== null ? '?' : '-');
    const member = g?.members.find((m) => m.index === index);
    const detail = ex.sections
      .map((s) => `<h5>${h(s.heading)}</h5><ul>${s.lines.map((l) => `<li>${h(l)}</li>`).join('')}</ul>`)
      .join('');
    const raw = r.rawLines ? `<h5>As logged</h5><pre>${h(r.rawLines.join('\n'))}</pre>` : '';
    const source = r.source.file !== null ? `<p class="muted">${h(r.source.file)}, line ${r.source.line}</p>` : `<p class="muted">line ${r.source.line}</p>`;
    rows.push(`<tr id="kill-${n}"><td>${n}</td><td>${h(when)}</td><td>${h(r.host ?? '-')}</td><td>${h(killerOf(r))}</td><td>${h(pid !== null ? `${victim} (${pid})` : victim)}</td><td class="num">${formatKb(kernel?.victim?.anonRssKb ?? null)}</td><td class="num">${formatKb(kernel?.cgroup?.limitKb ?? null)}</td><td>${member?.scope ?? '-'}</td><td>${g ? `<a href="#${groupId.get(g)}">${h(g.label)}</a>` : '-'}</td></tr>
<tr class="detail"><td></td><td colspan="8"><details><summary>${h(ex.title)}</summary>${detail}${raw}${source}</details></td></tr>`);
  }
  const span = a.summary.first !== null ? ` from ${timeText(Date.parse(a.summary.first))}` : '';
  return `<section id="kills"><h2>Every kill${h(span)}</h2>
<table><thead><tr><th>#</th><th>Time</th><th>Host</th><th>Killer</th><th>Victim (pid)</th><th>Anon-rss</th><th>Limit</th><th>Scope</th><th>Group</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></section>`;
}

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #101828; margin: 24px auto; max-width: 1000px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 10px; } h3 { font-size: 15px; margin: 0 0 6px; }
h4 { font-size: 13px; margin: 10px 0 4px; text-transform: uppercase; letter-spacing: .04em; color: #475467; }
h5 { font-size: 13px; margin: 8px 0 2px; }
.summary { font-size: 15px; margin: 0; } .muted, .by { color: #667085; font-weight: normal; }
.badge { color: #fff; border-radius: 4px; padding: 1px 6px; font-size: 11px; letter-spacing: .04em; vertical-align: 1px; }
.group { border: 1px solid #eaecf0; border-left: 5px solid; border-radius: 6px; padding: 12px 16px; margin: 0 0 14px; }
.headline { font-weight: 600; margin: 4px 0; }
.cols { display: flex; gap: 16px; align-items: flex-start; flex-wrap: wrap; } .cols > div { flex: 1 1 420px; }
figure { margin: 8px 0 0; } figcaption { color: #667085; font-size: 12px; }
ul { margin: 0; padding-left: 20px; } .kills { font-size: 12px; color: #475467; margin: 8px 0 0; }
.legend span { margin-right: 14px; font-size: 12px; color: #475467; }
svg text { font: 11px system-ui, sans-serif; fill: #344054; } svg .note { fill: #98a2b3; font-style: italic; } svg .limit-label { fill: #b42318; }
.chart { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #eaecf0; vertical-align: top; } td.num { text-align: right; white-space: nowrap; }
tr.detail td { border-bottom: 1px solid #d0d5dd; padding-top: 0; } details summary { cursor: pointer; color: #475467; }
pre { background: #f6f7f9; padding: 8px; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
a { color: #175cd3; }
`;
