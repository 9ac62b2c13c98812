/**
 * Kernel integers, converted once and exactly. The kernel prints 64-bit counters; a JavaScript
 * number holds integers exactly only up to 2^53-1, so larger values stay decimal strings (JSON
 * keeps them digit for digit). Limits the kernel prints as "unlimited" (PAGE_COUNTER_MAX, in kB,
 * pages or bytes) become null, and the caller records that they were unlimited.
 */
export type ExactInt = number | string;

export type IntUnit = 'kB' | 'bytes' | 'pages';

/**
 * From here on a printed limit means "no limit". PAGE_COUNTER_MAX is LONG_MAX / PAGE_SIZE pages:
 * 9007199254740988 kB or 9223372036854771712 bytes with 4 kB pages, and about 2^47 pages with
 * 64 kB pages; the res_counter era printed 18014398509481983 kB. No real limit comes near.
 */
const UNLIMITED_FROM: Record<IntUnit, bigint> = { kB: 2n ** 52n, bytes: 2n ** 62n, pages: 2n ** 47n };

const DIGITS = /^\d+$/;

/** Digits as the kernel printed them: a number when exact, else the decimal string; missing stays null. */
export function exactInt(digits: string | undefined): ExactInt | null {
  if (digits === undefined || !DIGITS.test(digits)) return null;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : digits.replace(/^0+(?=\d)/, '');
}

/** A printed limit: its value, or null with `unlimited` when it is the kernel's "no limit". */
export function kernelLimit(digits: string | undefined, unit: IntUnit): { value: ExactInt | null; unlimited: boolean } {
  if (digits === undefined || !DIGITS.test(digits)) return { value: null, unlimited: false };
  if (BigInt(digits) >= UNLIMITED_FROM[unit]) return { value: null, unlimited: true };
  return { value: exactInt(digits), unlimited: false };
}

/** `memory.stat` keys that are limits (bytes) rather than amounts or counts. */
export const STAT_LIMIT_KEYS: ReadonlySet<string> = new Set(['hierarchical_memory_limit', 'hierarchical_memsw_limit']);

const SIGNED = /^-?\d+$/;

/**
 * A small signed kernel integer (pid, uid, order, oom_score_adj, a bag's counter): a number, or
 * null when missing or beyond 2^53 (never a rounded number the log did not give).
 */
export function signedInt(digits: string | undefined): number | null {
  if (digits === undefined || !SIGNED.test(digits)) return null;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : null;
}

/** A size (kB, pages): an exact number, or null when missing or too large to be a size. */
export function sizeInt(digits: string | undefined): number | null {
  const v = exactInt(digits);
  return typeof v === 'number' ? v : null;
}

/** A decimal the daemons print (`63.28`% pressure, `0.2` s): missing stays null, never 0. */
export function decimal(text: string | undefined): number | null {
  if (text === undefined || text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}
