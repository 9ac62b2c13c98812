import type { AnalysisGroup } from '../analyze/analysis.js';
import { formatKb } from '../render/killTable.js';
import { htmlEscape as h } from './htmlEscape.js';
import { VERDICT_COLOR } from './verdictColors.js';

/**
 * A group's victims' anon-rss at each kill (in kill order) against the cgroup limit in force at
 * that kill: a row of dots just under a dashed line is a workload dying at its limit.
 */
const WIDTH = 460;
const HEIGHT = 170;
const LEFT = 70;
const RIGHT = 16;
const TOP = 14;
const BOTTOM = 26;

export function svgRssChart(g: AnalysisGroup): string | null {
  const points = g.members.map((m, i) => ({ i, rss: m.anonRssKb, limit: m.limitKb !== null && m.limitKb < 2 ** 52 ? m.limitKb : null, m }));
  const values = points.flatMap((p) => [p.rss, p.limit]).filter((v): v is number => v !== null);
  if (points.every((p) => p.rss === null)) return null;
  const yMax = Math.max(...values) * 1.1 || 1;
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const n = points.length;
  const x = (i: number) => LEFT + (n === 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const y = (kb: number) => TOP + plotH - (kb / yMax) * plotH;
  const parts: string[] = [];
  for (const frac of [0, 0.5, 1]) {
    const kb = yMax * frac;
    parts.push(`<line x1="${LEFT}" y1="${y(kb).toFixed(1)}" x2="${WIDTH - RIGHT}" y2="${y(kb).toFixed(1)}" stroke="#eaecf0"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${(y(kb) + 4).toFixed(1)}" text-anchor="end" class="tick">${formatKb(Math.round(kb))}</text>`);
  }
  // The limit as a step line: each kill's limit spans halfway to its neighbours.
  const half = n === 1 ? 40 : plotW / (n - 1) / 2;
  let path = '';
  for (const p of points) {
    if (p.limit === null) continue;
    const x0 = Math.max(LEFT, x(p.i) - half);
    const x1 = Math.min(WIDTH - RIGHT, x(p.i) + half);
    path += `M${x0.toFixed(1)} ${y(p.limit).toFixed(1)}H${x1.toFixed(1)}`;
  }
  if (path) {
    parts.push(`<path class="limit" d="${path}" stroke="#b42318" stroke-width="1.5" stroke-dasharray="5 3" fill="none"/>`);
    const last = [...points].reverse().find((p) => p.limit !== null)!;
    parts.push(`<text x="${WIDTH - RIGHT}" y="${(y(last.limit!) - 5).toFixed(1)}" text-anchor="end" class="tick limit-label">limit ${formatKb(last.limit)}</text>`);
  }
  const color = VERDICT_COLOR[g.verdict];
  for (const p of points) {
    if (p.rss === null) continue;
    const tip = `${p.m.time ?? (p.m.uptime !== null ? `uptime ${p.m.uptime}s` : 'no time')}: ${p.m.comm ?? '?'} anon-rss ${formatKb(p.rss)}${p.limit !== null ? ` of ${formatKb(p.limit)}` : ''}`;
    parts.push(`<circle class="rss" cx="${x(p.i).toFixed(1)}" cy="${y(p.rss).toFixed(1)}" r="4" fill="${color}"><title>${h(tip)}</title></circle>`);
  }
  parts.push(`<text x="${LEFT + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle" class="tick">kills in order (${n})</text>`);
  return `<svg class="chart rss" role="img" aria-label="victim anon-rss at each kill against the limit" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}
