import { tz } from '@date-fns/tz';
import { format } from 'date-fns/format';
import type { Analysis } from '../analyze/analysis.js';
import { htmlEscape as h } from './htmlEscape.js';
import { VERDICT_COLOR } from './verdictColors.js';

/**
 * The kills of every group on one time axis, a lane per group (worst first), one mark per kill
 * with a tooltip. Groups whose kills have no wall-clock time say so in their lane.
 */
const WIDTH = 960;
const LABEL = 230;
const LANE = 24;
const AXIS = 28;
const PAD = 12;
const UTC = tz('UTC');

export function svgTimeline(a: Analysis): string {
  const t = a.timeline;
  const height = a.groups.length * LANE + AXIS + 8;
  const start = t ? Date.parse(t.first) : 0;
  const end = t ? Date.parse(t.last) : 0;
  const plotW = WIDTH - LABEL - 2 * PAD;
  const x = (ms: number) => LABEL + PAD + (end > start ? ((ms - start) / (end - start)) * plotW : plotW / 2);
  const parts: string[] = [];
  a.groups.forEach((g, i) => {
    const y = i * LANE + LANE / 2;
    if (i % 2 === 0) parts.push(`<rect x="0" y="${i * LANE}" width="${WIDTH}" height="${LANE}" fill="#f6f7f9"/>`);
    parts.push(`<text x="6" y="${y + 4}" class="lane">${h(truncate(g.label, 30))}</text>`);
    const timed = g.members.filter((m) => m.time !== null);
    if (timed.length === 0) {
      parts.push(`<text x="${LABEL + PAD}" y="${y + 4}" class="note">no wall-clock times in the log</text>`);
      return;
    }
    const color = VERDICT_COLOR[g.verdict];
    for (const m of timed) {
      const ms = Date.parse(m.time!);
      const tip = `${m.time} ${m.comm ?? '?'}${m.pid !== null ? ` (${m.pid})` : ''}${m.host ? ` on ${m.host}` : ''}`;
      parts.push(`<circle class="kill" cx="${x(ms).toFixed(1)}" cy="${y}" r="5" fill="${color}" fill-opacity="0.7"><title>${h(tip)}</title></circle>`);
    }
  });
  const axisY = a.groups.length * LANE + 4;
  if (t) {
    parts.push(`<line x1="${LABEL + PAD}" y1="${axisY}" x2="${WIDTH - PAD}" y2="${axisY}" stroke="#98a2b3"/>`);
    const ticks = end > start ? 5 : 1;
    const pattern = end - start > 2 * 86_400_000 ? 'MM-dd HH:mm' : end - start > 3_600_000 ? 'MM-dd HH:mm' : 'HH:mm:ss';
    for (let k = 0; k < ticks; k++) {
      const ms = ticks === 1 ? start : start + ((end - start) * k) / (ticks - 1);
      const anchor = ticks === 1 ? 'middle' : k === 0 ? 'start' : k === ticks - 1 ? 'end' : 'middle';
      parts.push(`<line x1="${x(ms).toFixed(1)}" y1="${axisY}" x2="${x(ms).toFixed(1)}" y2="${axisY + 4}" stroke="#98a2b3"/>`);
      parts.push(`<text x="${x(ms).toFixed(1)}" y="${axisY + 17}" text-anchor="${anchor}" class="tick">${format(ms, pattern, { in: UTC })}</text>`);
    }
  }
  return `<svg class="chart timeline" role="img" aria-label="kills over time per group" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
