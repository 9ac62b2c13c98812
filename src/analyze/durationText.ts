/**
 * A duration the way people say it in an incident channel: "40 s", "14 min", "2.5 h", "3.2 d".
 * Whole units up to 10, one decimal below, so "~14 min" and "1.5 h" read naturally.
 */
const UNITS: [number, string][] = [
  [86_400, 'd'],
  [3_600, 'h'],
  [60, 'min'],
  [1, 's'],
];

export function durationText(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  for (const [size, unit] of UNITS) {
    if (seconds < size) continue;
    const v = seconds / size;
    return `${v >= 10 || Number.isInteger(Math.round(v * 10) / 10) ? Math.round(v) : (Math.round(v * 10) / 10).toFixed(1)} ${unit}`;
  }
  return `${seconds} s`;
}
