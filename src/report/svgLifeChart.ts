import type { AnalysisGroup } from '../analyze/analysis.js';
import { durationText } from '../analyze/durationText.js';
import { timeTextSeconds } from '../analyze/timeText.js';
import { htmlEscape as h } from './htmlEscape.js';
import { VERDICT_COLOR } from './verdictColors.js';

/**
 * Each life of a group (the time since the previous kill) at the time it ended, on a time axis:
 * a steady beat is a flat row, a restart back-off climbs in doublings, a burst crowds the left
 * and a stop leaves the right empty up to the input's end. Log scale when lives differ by more
 * than ten times.
 */
const WIDTH = 460;
const HEIGHT = 170;
const LEFT = 60;
const RIGHT = 16;
const TOP = 14;
const BOTTOM = 30;

export function svgLifeChart(g: AnalysisGroup, endMs: number | null): string | null {
  const points = g.lives.map((l) => ({ t: l.end !== null ? Date.parse(l.end) / 1000 : l.endUptime, sec: l.sec })).filter((p): p is { t: number; sec: number } => p.t !== null && p.sec > 0);
  if (points.length === 0) return null;
  const wall = g.lives[0]!.end !== null;
  const start = points[0]!.t - points[0]!.sec;
  const end = Math.max(points[points.length - 1]!.t, wall && endMs !== null ? endMs / 1000 : -Infinity);
  const span = end - start || 1;
  const secs = points.map((p) => p.sec);
  const lo = Math.min(...secs);
  const hi = Math.max(...secs);
  const log = hi / lo > 10;
  const yMax = log ? Math.log10(hi * 1.5) : hi * 1.15;
  const yMin = log ? Math.log10(lo / 1.5) : 0;
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const x = (t: number) => LEFT + ((t - start) / span) * plotW;
  const y = (sec: number) => TOP + plotH - (((log ? Math.log10(sec) : sec) - yMin) / (yMax - yMin || 1)) * plotH;
  const parts: string[] = [];
  const ticks = log ? [lo, Math.sqrt(lo * hi), hi] : [0, hi / 2, hi];
  for (const s of ticks) {
    if (log && s <= 0) continue;
    parts.push(`<line x1="${LEFT}" y1="${y(Math.max(s, 1e-3)).toFixed(1)}" x2="${WIDTH - RIGHT}" y2="${y(Math.max(s, 1e-3)).toFixed(1)}" stroke="#eaecf0"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${(y(Math.max(s, 1e-3)) + 4).toFixed(1)}" text-anchor="end" class="tick">${h(durationText(s))}</text>`);
  }
  const color = VERDICT_COLOR[g.verdict];
  for (const p of points) {
    const when = wall ? timeTextSeconds(p.t * 1000) : `uptime ${Math.round(p.t)} s`;
    parts.push(`<circle class="life" cx="${x(p.t).toFixed(1)}" cy="${y(p.sec).toFixed(1)}" r="4" fill="${color}"><title>${h(`${when}: a life of ${durationText(p.sec)}`)}</title></circle>`);
  }
  const axis = wall ? `${timeTextSeconds(start * 1000)} → ${timeTextSeconds(end * 1000)}` : `uptime ${Math.round(start)} s → ${Math.round(end)} s`;
  parts.push(`<text x="${LEFT + plotW / 2}" y="${HEIGHT - 8}" text-anchor="middle" class="tick">${h(axis)}</text>`);
  return `<svg class="chart lives" role="img" aria-label="each life's length (time since the previous kill) over time" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}
