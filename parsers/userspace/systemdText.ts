/**
 * systemd prints sizes and durations for people (`FORMAT_BYTES`, `FORMAT_TIMESPAN`): `43.3G`,
 * `0B`, `1min 24s`, `60ms`. These read them back as numbers; text that is not in the format
 * gives null rather than a guess.
 */

const BYTE_UNITS: Record<string, number> = { B: 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50, E: 2 ** 60 };
const SIZE = /^(\d+(?:\.\d+)?)([BKMGTPE])$/;

/** `388.4M` -> bytes (1024-based units, the precision is the printed one). */
export function systemdBytes(text: string | undefined): number | null {
  const m = text === undefined ? null : SIZE.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * BYTE_UNITS[m[2]!]!);
}

const SPAN_UNITS: Record<string, number> = {
  y: 31_557_600, month: 2_629_800, w: 604_800, d: 86_400, h: 3_600, min: 60, s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6,
};
// Longest unit names first: `min` before `ms` before `s`.
const SPAN_PART = /(\d+(?:\.\d+)?)(month|min|ms|us|µs|y|w|d|h|s)(?: |$)/y;

/** `1min 24s` -> 84 (seconds); `infinity` and malformed text -> null. */
export function systemdSeconds(text: string | undefined): number | null {
  if (text === undefined) return null;
  const s = text.trim();
  if (s === '') return null;
  SPAN_PART.lastIndex = 0;
  let total = 0;
  while (SPAN_PART.lastIndex < s.length) {
    const m = SPAN_PART.exec(s);
    if (!m) return null;
    total += Number(m[1]) * SPAN_UNITS[m[2]!]!;
  }
  return Math.round(total * 1e6) / 1e6;
}
