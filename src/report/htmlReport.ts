import type { Analysis, AnalysisGroup, PressureHost, Statement } from '../analyze/analysis.js';
import { explainKill } from '../analyze/explainKill.js';
import { groupsByIndex, killNumbers } from '../analyze/killLookup.js';
import { timeText, timeTextSeconds } from '../analyze/timeText.js';
import { formatKb } from '../render/killTable.js';
import type { KillRecord } from '../schema/killRecord.js';
import { killerOf, victimNameOf } from '../schema/killIdentity.js';
import { DEFAULT_TOP, VERDICT_TITLE, groupFacts, groupingLine, hasUserspaceKills, hiddenLine, killedBy, shownGroups, summaryLine } from './headline.js';
import { renderPhrase } from '../analyze/phrase.js';
import { statementPhrase } from '../analyze/statementWords.js';
import { HTML } from './phraseFormats.js';
import { html, trusted, type Markup } from './htmlTemplate.js';
import { svgConsumers } from './svgConsumers.js';
import { svgLifeChart } from './svgLifeChart.js';
import { svgMemoryChart } from './svgMemoryChart.js';
import type { ReportOptions } from './terminalReport.js';
import { svgRssChart } from './svgRssChart.js';
import { svgTimeline } from './svgTimeline.js';
import { VERDICT_COLOR } from './verdictColors.js';

/**
 * `oomlens report --format html`: one self-contained page (inline CSS and SVG, no script, no
 * external asset; a Content-Security-Policy forbids loading anything), so it can be attached to a
 * ticket and opened offline. Every log-derived string is escaped.
 */
export function htmlReport(a: Analysis, records: KillRecord[], o: ReportOptions = {}): string {
  const top = o.top === undefined ? DEFAULT_TOP : o.top;
  const { shown, hidden, hiddenKills } = shownGroups(a, top);
  const numbers = killNumbers(records);
  const groupOf = groupsByIndex(a);
  const groupId = new Map(a.groups.map((g, i) => [g, `group-${i + 1}`]));
  const endMs = a.summary.last !== null ? Date.parse(a.summary.last) : null;
  const showKiller = hasUserspaceKills(a);
  const view: Analysis = { ...a, groups: shown };
  const body = html`<header><h1>OOM kill report</h1><p class="summary">${summaryLine(a)}</p>${a.groups.length > 0 ? html`<p class="by">${groupingLine(a)}</p>` : ''}</header>
${
  a.groups.length > 0
    ? html`<section id="overview"><h2>Kills over time</h2>${trusted(svgTimeline(view))}${legend()}</section>
<section id="groups"><h2>Groups, worst first</h2>
${shown.map((g) => groupArticle(a, g, groupId.get(g)!, numbers, showKiller, endMs))}
${hidden > 0 ? html`<p class="more">${hiddenLine(hidden, hiddenKills, top!)}</p>` : ''}
</section>
${killTable(a, shown, records, numbers, groupOf, groupId)}`
    : ''
}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="oomlens">
${html`<title>oomlens report: ${summaryLine(a)}</title>`}
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function legend(): Markup {
  const items = (Object.keys(VERDICT_COLOR) as (keyof typeof VERDICT_COLOR)[]).map(
    (v) => html`<span><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5" fill="${VERDICT_COLOR[v]}"/></svg> ${VERDICT_TITLE[v].toLowerCase()}</span>`,
  );
  return html`<p class="legend">${items}</p>`;
}

function statementHtml(st: Statement): Markup {
  return trusted(renderPhrase(statementPhrase(st), HTML));
}

/** The host under pressure whose consumers the card's text names, so that chart and text agree. */
function pressureHostOf(a: Analysis, g: AnalysisGroup): PressureHost | null {
  if (g.verdict !== 'host-pressure') return null;
  return a.pressureHosts.find((p) => g.hosts.includes(p.host)) ?? null;
}

function groupArticle(a: Analysis, g: AnalysisGroup, id: string, numbers: Map<number, number>, showKiller: boolean, endMs: number | null): Markup {
  const lifeChart = svgLifeChart(g, endMs);
  const chart = lifeChart ?? svgRssChart(g);
  const memoryChart = g.memory ? svgMemoryChart(g.memory) : null;
  const host = pressureHostOf(a, g);
  const consumersSvg = host ? svgConsumers(host.largestConsumers) : g.victimLargestShare !== null && g.victimLargestShare < 1 ? svgConsumers(g.largestConsumers) : null;
  const consumersCaption = host ? `Largest tasks in ${host.host}'s task tables (RSS, share of the table), as in the text` : 'Largest tasks in the task tables (RSS, share of the table)';
  const caption = lifeChart
    ? 'Each life (time since the previous kill) at the time it ended: a flat row is a steady beat, doubling a restart back-off, a crowd a burst, an empty right a stop'
    : g.limitsKb.length > 0
      ? 'Victim anon-rss at the kill against the cgroup limit (a single kill has no life to measure)'
      : 'Victim anon-rss at each kill (no cgroup limit was hit)';
  const kills = g.members.map((m) => html`<a href="#kill-${numbers.get(m.index) ?? 0}">${numbers.get(m.index) ?? 0}</a> `);
  const color = VERDICT_COLOR[g.verdict];
  return html`<article class="group" id="${id}" style="border-left-color:${color}">
<h3><span class="badge" style="background:${color}">${VERDICT_TITLE[g.verdict]}</span> ${g.label} <span class="muted">${groupFacts(g)}${showKiller ? ` by ${killedBy(g)}` : ''}, ${g.confidence} confidence</span></h3>
<p class="headline">${g.headline}</p>
${g.hypotheses.length > 0 ? html`<p class="causes">Causes, most likely first: ${g.hypotheses.map((hy, i) => html`${i > 0 ? ', ' : ''}<span class="cause ${hy.confidence}">${hy.cause} (${hy.confidence})</span>`)}</p>` : ''}
<div class="cols"><div>
<h4>What we saw</h4><ul>${g.evidence.map((e) => html`<li>${statementHtml(e)}</li>`)}</ul>
<h4>Next steps</h4><ul>${g.nextSteps.map((n) => html`<li>${statementHtml(n)}</li>`)}</ul>
</div><div class="figures">${memoryChart ? html`<figure>${trusted(memoryChart)}<figcaption>Memory usage (blue) and the limit (dashed) from ${g.memory!.samples} samples, kills marked ✕</figcaption></figure>` : ''}<figure>${chart ? trusted(chart) : html`<p class="muted">The log gave no times or sizes to chart for these kills.</p>`}<figcaption>${caption}</figcaption></figure>${
    consumersSvg ? html`<figure>${trusted(consumersSvg)}<figcaption>${consumersCaption}</figcaption></figure>` : ''
  }</div></div>
<p class="kills">Kills: ${kills}</p>
</article>`;
}

/** The kills of the groups shown (at most MAX_KILL_ROWS), raw lines only for these. */
const MAX_KILL_ROWS = 500;

function killTable(
  a: Analysis,
  shown: AnalysisGroup[],
  records: KillRecord[],
  numbers: Map<number, number>,
  groupOf: Map<number, AnalysisGroup>,
  groupId: Map<AnalysisGroup, string>,
): Markup {
  const rows: Markup[] = [];
  const total = numbers.size;
  const shownSet = new Set(shown);
  let listed = 0;
  for (const [index, n] of numbers) {
    const g = groupOf.get(index) ?? null;
    if (g !== null && !shownSet.has(g)) continue;
    if (listed >= MAX_KILL_ROWS) break;
    listed += 1;
    const r = records[index]!;
    const ex = explainKill(r, { killNumber: n, totalKills: total, index, group: g });
    const kernel = r.type === 'userspace-kill' ? null : r;
    const uptime = kernel?.uptime ?? null;
    const when = r.time !== null ? timeTextSeconds(Date.parse(r.time)) : uptime !== null ? `+${uptime.toFixed(3)} s` : '-';
    const pid = r.victim?.pid ?? null;
    const victim = victimNameOf(r) ?? (pid !== null ? '?' : '-');
    const member = g?.members.find((m) => m.index === index);
    const detail = ex.sections.map((s) => html`<h5>${s.heading}</h5><ul>${s.lines.map((l) => html`<li>${l}</li>`)}</ul>`);
    const raw = r.rawLines ? html`<h5>As logged</h5><pre>${r.rawLines.join('\n')}</pre>` : '';
    const source = r.source.file !== null ? html`<p class="muted">${r.source.file}, line ${r.source.line}</p>` : html`<p class="muted">line ${r.source.line}</p>`;
    rows.push(html`<tr id="kill-${n}"><td>${n}</td><td>${when}</td><td>${r.host ?? '-'}</td><td>${killerOf(r)}</td><td>${pid !== null ? `${victim} (${pid})` : victim}</td><td class="num">${formatKb(kernel?.victim?.anonRssKb ?? null)}</td><td class="num">${formatKb(kernel?.cgroup?.limitKb ?? null)}</td><td>${member?.scope ?? '-'}</td><td>${g ? html`<a href="#${groupId.get(g) ?? ''}">${g.label}</a>` : '-'}</td></tr>
<tr class="detail"><td></td><td colspan="8"><details><summary>${ex.title}</summary>${detail}${raw}${source}</details></td></tr>
`);
  }
  const span = a.summary.first !== null ? ` from ${timeText(Date.parse(a.summary.first))}` : '';
  const left = total - listed;
  return html`<section id="kills"><h2>${shown.length < a.groups.length || left > 0 ? `The kills of the groups shown${span}` : `Every kill${span}`}</h2>
<table><thead><tr><th>#</th><th>Time</th><th>Host</th><th>Killer</th><th>Victim (pid)</th><th>Anon-rss</th><th>Limit</th><th>Scope</th><th>Group</th></tr></thead>
<tbody>
${rows}</tbody></table>${left > 0 ? html`<p class="more">${left} more kills are not listed here (--all or --top N shows more groups).</p>` : ''}</section>`;
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
.causes { margin: 2px 0 6px; } .cause.high { font-weight: 600; } .more { color: #475467; }
code { background: #f2f4f7; padding: 0 3px; border-radius: 3px; font-size: 12px; }
.legend span { margin-right: 14px; font-size: 12px; color: #475467; }
svg text { font: 11px system-ui, sans-serif; fill: #344054; } svg .note { fill: #98a2b3; font-style: italic; } svg .limit-label { fill: #b42318; }
.chart { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #eaecf0; vertical-align: top; } td.num { text-align: right; white-space: nowrap; }
tr.detail td { border-bottom: 1px solid #d0d5dd; padding-top: 0; } details summary { cursor: pointer; color: #475467; }
pre { background: #f6f7f9; padding: 8px; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
a { color: #175cd3; }
`;
