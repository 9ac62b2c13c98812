import { parseUnsigned } from './exactCount.js';

/**
 * Parsers for the memory controller's files, one per file format, pure (text in, values out).
 * Values are bigint: the caller decides how to keep them (see exactCount.ts).
 */

/**
 * cgroup v1 reports "no limit" as PAGE_COUNTER_MAX pages in bytes: LONG_MAX rounded down to the
 * page size (9223372036854771712 with 4 KiB pages, 9223372036854710272 with 64 KiB). Anything
 * within the largest page size of LONG_MAX is that.
 */
const V1_UNLIMITED_FROM = (1n << 63n) - (1n << 16n);

/** A file holding one number: memory.current, memory.peak, memory.usage_in_bytes, memory.failcnt, ... */
export function parseSingle(text: string): bigint | null {
  return parseUnsigned(text);
}

/** v2 memory.max / memory.high: a byte count, or `max` for none (null). Undefined: not a value. */
export function parseV2Limit(text: string): bigint | null | undefined {
  const t = text.trim();
  if (t === 'max') return null;
  return parseUnsigned(t) ?? undefined;
}

/** v1 memory.limit_in_bytes: bytes; the kernel's "unlimited" is null. Undefined: not a value. */
export function parseV1Limit(text: string): bigint | null | undefined {
  const v = parseUnsigned(text);
  if (v === null) return undefined;
  return v >= V1_UNLIMITED_FROM ? null : v;
}

/** Flat keyed files: memory.stat, memory.events, memory.oom_control (`key value` per line). */
export function parseKeyed(text: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const space = text.indexOf(' ', at);
    if (space > at && space < end) {
      const v = parseUnsigned(text.slice(space + 1, end));
      if (v !== null) out.set(text.slice(at, space), v);
    }
    at = end + 1;
  }
  return out;
}

/** One line of a PSI file: `some avg10=0.00 avg60=0.00 avg300=0.00 total=0`. */
export interface PressureLine {
  avg10: number;
  avg60: number;
  avg300: number;
  /** Microseconds stalled since the cgroup (or boot) began. */
  totalUs: number;
}

export interface Pressure {
  some: PressureLine;
  /** Absent on kernels before 5.2's `full` line for memory. */
  full: PressureLine | null;
}

const PSI_LINE = /^(some|full) avg10=(\d+\.\d+) avg60=(\d+\.\d+) avg300=(\d+\.\d+) total=(\d+)$/;

/** memory.pressure (v2) or /proc/pressure/memory; null when it is not PSI text. */
export function parsePressure(text: string): Pressure | null {
  let some: PressureLine | null = null;
  let full: PressureLine | null = null;
  for (const line of text.split('\n')) {
    const m = PSI_LINE.exec(line.trim());
    if (!m) continue;
    const value = { avg10: Number(m[2]), avg60: Number(m[3]), avg300: Number(m[4]), totalUs: Number(m[5]) };
    if (m[1] === 'some') some = value;
    else full = value;
  }
  return some ? { some, full } : null;
}

/** cgroup.procs: one pid per line. */
export function parsePids(text: string): number[] {
  const out: number[] = [];
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const pid = Number(text.slice(at, end));
    if (end > at && Number.isInteger(pid) && pid > 0) out.push(pid);
    at = end + 1;
  }
  return out;
}

/** /proc/PID/statm: sizes in pages; the second field is the resident set. */
export function parseStatmResidentPages(text: string): number | null {
  const first = text.indexOf(' ');
  if (first < 0) return null;
  const second = text.indexOf(' ', first + 1);
  const v = Number(text.slice(first + 1, second < 0 ? undefined : second));
  return Number.isInteger(v) && v >= 0 ? v : null;
}
