/**
 * Values of the sampling options of `watch`: durations (`5s`, `500ms`, `2m`, a bare number is
 * seconds), sizes (`64M`, `1G`, bytes when bare) and shares (`90%`, `0.9`). Each parser throws
 * an Error naming the option and what it accepts.
 */
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/;
const DURATION_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

export function parseDurationMs(option: string, text: string | number): number {
  const m = DURATION.exec(String(text).trim());
  const ms = m ? Number(m[1]) * DURATION_MS[(m[2] ?? 's') as keyof typeof DURATION_MS] : NaN;
  if (!(ms > 0)) throw new Error(`${option}: not a duration: ${text} (give e.g. 5s, 500ms, 2m)`);
  return ms;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*([KMG]i?B?|B)?$/i;
const SIZE_UNIT: Record<string, number> = { '': 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

export function parseSizeBytes(option: string, text: string | number): number {
  const m = SIZE.exec(String(text).trim());
  const unit = m ? (m[2] ?? '').toUpperCase().charAt(0) : '';
  const bytes = m ? Math.floor(Number(m[1]) * (SIZE_UNIT[unit] ?? NaN)) : NaN;
  if (!(bytes > 0)) throw new Error(`${option}: not a size: ${text} (give e.g. 64M, 1G)`);
  return bytes;
}

/** `90%`, `90` or `0.9`: a share in (0, 1]. */
export function parseShare(option: string, text: string | number): number {
  const t = String(text).trim();
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(t);
  let v = m ? Number(m[1]) : NaN;
  if (m && (m[2] === '%' || v > 1)) v /= 100;
  if (!(v > 0 && v <= 1)) throw new Error(`${option}: not a share of the limit: ${text} (give e.g. 90% or 0.9)`);
  return v;
}
