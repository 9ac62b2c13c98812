import { htmlEscape } from './htmlEscape.js';

/**
 * Memory and work of one workload on one time axis (SVG): memory on the left scale, work on
 * the right, a red line at each kill. Numbers only reach the markup; text passes htmlEscape.
 */
const W = 760;
const H = 220;
const PAD = { l: 70, r: 70, t: 12, b: 28 };

export function svgWorkChart(memory: [number, number][], work: [number, number][], kills: number[], workLabel: string | null): string {
  const all = [...memory, ...work];
  if (all.length === 0) return '<p>No memory or work series.</p>';
  const t0 = Math.min(...all.map(([t]) => t));
  const t1 = Math.max(t0 + 1, ...all.map(([t]) => t));
  const x = (t: number) => PAD.l + ((t - t0) / (t1 - t0)) * (W - PAD.l - PAD.r);
  const scale = (v: [number, number][]) => {
    const max = Math.max(1e-9, ...v.map(([, y]) => y));
    return { max, y: (y: number) => H - PAD.b - (y / max) * (H - PAD.t - PAD.b) };
  };
  const m = scale(memory);
  const wk = scale(work);
  const path = (v: [number, number][], y: (n: number) => number) => v.map(([t, n], i) => `${i ? 'L' : 'M'}${x(t).toFixed(1)},${y(n).toFixed(1)}`).join('');
  const parts = [
    `<svg class="work-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="memory and work over time">`,
    `<line x1="${PAD.l}" y1="${H - PAD.b}" x2="${W - PAD.r}" y2="${H - PAD.b}" stroke="#999"/>`,
    ...kills.map((t) => `<line class="kill" x1="${x(t).toFixed(1)}" y1="${PAD.t}" x2="${x(t).toFixed(1)}" y2="${H - PAD.b}" stroke="#c00" stroke-dasharray="3,2"/>`),
    memory.length ? `<path class="memory" d="${path(memory, m.y)}" fill="none" stroke="#1f6fb4" stroke-width="1.5"/>` : '',
    work.length ? `<path class="work" d="${path(work, wk.y)}" fill="none" stroke="#e08a00" stroke-width="1.2"/>` : '',
    `<text x="4" y="${PAD.t + 10}" font-size="11" fill="#1f6fb4">${htmlEscape(mib(m.max))}</text>`,
    `<text x="4" y="${H - PAD.b}" font-size="11" fill="#1f6fb4">0</text>`,
    work.length ? `<text x="${W - PAD.r + 4}" y="${PAD.t + 10}" font-size="11" fill="#e08a00">${htmlEscape(num(wk.max))}</text>` : '',
    `<text x="${PAD.l}" y="${H - 8}" font-size="11">${htmlEscape(new Date(t0 * 1000).toISOString().slice(0, 16))}Z</text>`,
    `<text x="${W - PAD.r}" y="${H - 8}" font-size="11" text-anchor="end">${htmlEscape(new Date(t1 * 1000).toISOString().slice(0, 16))}Z</text>`,
    `<text x="${W / 2}" y="${H - 8}" font-size="11" text-anchor="middle"><tspan fill="#1f6fb4">memory</tspan>${work.length ? ` · <tspan fill="#e08a00">${htmlEscape(workLabel ?? 'work')}</tspan>` : ''} · <tspan fill="#c00">kills</tspan></text>`,
    '</svg>',
  ];
  return parts.filter(Boolean).join('\n');
}

function mib(b: number): string {
  return `${(b / 1048576).toFixed(b >= 100 * 1048576 ? 0 : 1)} MiB`;
}

function num(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3);
}
