import type { GroupMemory } from '../analyze/memoryShape.js';
import { timeTextSeconds } from '../analyze/timeText.js';
import { bytesText } from '../render/memoryLifeText.js';
import { htmlEscape as h } from './htmlEscape.js';

const WIDTH = 460;
const HEIGHT = 190;
const LEFT = 66;
const RIGHT = 14;
const TOP = 14;
const BOTTOM = 30;

/**
 * The real sawtooth: usage over time from the memory samples (a line, broken where sampling
 * paused), the limit as a dashed line, and each kill marked where its life ended.
 */
export function svgMemoryChart(m: GroupMemory): string | null {
  if (m.curve.length < 2) return null;
  const t0 = m.curve[0]![0];
  const t1 = m.curve.at(-1)![0];
  const span = t1 - t0 || 1;
  let yMax = 0;
  for (const [, usage, limit] of m.curve) yMax = Math.max(yMax, usage, limit ?? 0);
  yMax *= 1.08;
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const x = (t: number) => (LEFT + ((t - t0) / span) * plotW).toFixed(1);
  const y = (b: number) => (TOP + plotH - (b / (yMax || 1)) * plotH).toFixed(1);
  const parts: string[] = [];
  for (const b of [0, yMax / 2, yMax / 1.08]) {
    parts.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(b)}" y2="${y(b)}" stroke="#eaecf0"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${y(b)}" text-anchor="end" dominant-baseline="middle">${h(bytesText(b))}</text>`);
  }
  // A gap of more than 5 median intervals breaks the line: no invented memory between samples.
  const gaps = m.curve.slice(1).map(([t], i) => t - m.curve[i]![0]).sort((a, b) => a - b);
  const maxGap = 5 * (gaps[gaps.length >> 1] ?? span);
  let usage = '';
  let limit = '';
  m.curve.forEach(([t, u, l], i) => {
    const gap = i === 0 || t - m.curve[i - 1]![0] > maxGap;
    usage += `${gap ? 'M' : 'L'}${x(t)},${y(u)}`;
    if (l !== null) limit += `${gap || m.curve[i - 1]![2] === null ? 'M' : 'L'}${x(t)},${y(l)}`;
  });
  if (limit) parts.push(`<path d="${limit}" fill="none" stroke="#b42318" stroke-dasharray="5 3"><title>limit</title></path>`);
  parts.push(`<path d="${usage}" fill="none" stroke="#175cd3" stroke-width="1.5"><title>usage</title></path>`);
  for (const l of m.lives) {
    if (l.endedBy !== 'kill') continue;
    const t = Date.parse(l.end);
    parts.push(`<g class="kill"><line x1="${x(t)}" x2="${x(t)}" y1="${TOP}" y2="${TOP + plotH}" stroke="#d92d20" stroke-width="1"/><text x="${x(t)}" y="${TOP + 8}" text-anchor="middle" fill="#d92d20">✕</text><title>kill at ${h(timeTextSeconds(t))}: peak ${h(bytesText(l.peakBytes))}</title></g>`);
  }
  parts.push(`<text x="${LEFT}" y="${HEIGHT - 8}">${h(timeTextSeconds(t0))}</text><text x="${WIDTH - RIGHT}" y="${HEIGHT - 8}" text-anchor="end">${h(timeTextSeconds(t1))}</text>`);
  return `<svg class="memory-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="memory usage and limit over time, kills marked">${parts.join('')}</svg>`;
}
