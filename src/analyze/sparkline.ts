/**
 * Counts as a one-line bar chart ("▁▃█ ▂"): a blank is no kill at all, so a quiet stretch reads
 * as a gap, and any kill shows at least the lowest bar.
 */
const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export function sparkline(counts: number[]): string {
  let max = 0;
  for (const c of counts) if (c > max) max = c;
  return counts.map((c) => (c === 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.ceil((c / max) * BARS.length) - 1)]!)).join('');
}
