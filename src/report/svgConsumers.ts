import type { Consumer } from '../analyze/analysis.js';
import { formatKb } from '../render/killTable.js';
import { htmlEscape as h } from './htmlEscape.js';
import { truncate } from './svgTimeline.js';

/**
 * The largest tasks of the task tables as horizontal bars (share of the table's RSS): under
 * host pressure, the picture of who was holding the memory.
 */
const WIDTH = 460;
const BAR = 22;
const LABEL = 130;
const VALUE = 110;

export function svgConsumers(consumers: Consumer[]): string | null {
  if (consumers.length === 0) return null;
  const height = consumers.length * BAR + 8;
  const plotW = WIDTH - LABEL - VALUE;
  const parts = consumers.map((c, i) => {
    const y = 4 + i * BAR;
    const size = c.rssKb !== null ? formatKb(c.rssKb) : `${c.rssPages} pages`;
    return (
      `<text x="${LABEL - 6}" y="${y + 15}" text-anchor="end" class="name">${h(truncate(c.name, 18))}</text>` +
      `<rect class="consumer" x="${LABEL}" y="${y + 3}" width="${Math.max(1, c.share * plotW).toFixed(1)}" height="${BAR - 8}" fill="#6941c6" fill-opacity="0.75"/>` +
      `<text x="${LABEL + c.share * plotW + 6}" y="${y + 15}" class="tick">${size} (${Math.round(c.share * 100)}%)</text>`
    );
  });
  return `<svg class="chart consumers" role="img" aria-label="largest tasks in the task tables" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}
