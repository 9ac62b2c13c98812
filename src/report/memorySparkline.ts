import type { GroupMemory } from '../analyze/memoryShape.js';
import { durationText } from '../analyze/durationText.js';
import { bytesText, rateText } from '../render/memoryLifeText.js';

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const WIDTH = 32;

/** The usage of a life's curve points as bars against its limit (full bar = the limit). */
function bars(values: number[], limit: number | null): string {
  if (values.length === 0) return '';
  const top = limit ?? Math.max(...values);
  const step = Math.max(1, values.length / WIDTH);
  let out = '';
  for (let i = 0; i < values.length && out.length < WIDTH; i += step) {
    const v = values[Math.floor(i)]!;
    out += BARS[Math.max(0, Math.min(BARS.length - 1, Math.ceil((v / (top || 1)) * BARS.length) - 1))]!;
  }
  return out;
}

/**
 * The memory lives of a group for the terminal and Markdown: a sparkline each (usage against
 * the limit), how long, how fast, how it ended. Plain text without log-derived strings.
 */
export function memoryLifeLines(m: GroupMemory): string[] {
  const out = [`memory: ${m.samples} samples, ${m.lives.length} ${m.lives.length === 1 ? 'life' : 'lives'}${m.growthBytesPerSec !== null ? `, growth ${rateText(m.growthBytesPerSec)}` : ''}`];
  const shown = m.lives.slice(-12);
  if (shown.length < m.lives.length) out.push(`  (the last ${shown.length} lives)`);
  for (const l of shown) {
    const from = Date.parse(l.start);
    const to = Date.parse(l.end);
    const values = m.curve.filter(([t]) => t >= from && t <= to).map(([, usage]) => usage);
    const rate = l.growthBytesPerSec !== null && l.samples >= 3 ? `, ${rateText(l.growthBytesPerSec)}` : '';
    out.push(`  |${bars(values, l.limitBytes).padEnd(WIDTH)}| ${durationText(Math.max(l.seconds, 0))}, ${l.shape}${rate}, peak ${bytesText(l.peakBytes)} of ${bytesText(l.limitBytes)}, ${l.endedBy === 'ongoing' ? 'still going' : `ended by a ${l.endedBy}`}`);
  }
  return out;
}
