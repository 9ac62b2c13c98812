import { formatKb } from '../units/formatKb.js';

/**
 * An estimated size, rounded to two significant figures ("14 MiB", not "13.8 MiB"), so that it
 * does not claim more precision than the estimate has.
 */
export function approxSize(kb: number): string {
  const exact = formatKb(kb);
  const m = /^([\d.]+) (\S+)$/.exec(exact);
  if (!m) return exact;
  const value = Number(m[1]);
  return `${value >= 100 ? Math.round(value) : Number(value.toPrecision(2))} ${m[2]}`;
}
