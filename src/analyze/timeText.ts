import { tz } from '@date-fns/tz';
import { format } from 'date-fns/format';

/** A kill time for people: minute precision in UTC ("2025-03-11 08:03 UTC"), like an incident timeline. */
const UTC = tz('UTC');

export function timeText(ms: number): string {
  return `${format(ms, 'yyyy-MM-dd HH:mm', { in: UTC })} UTC`;
}

/** Seconds precision, for telling apart kills a few seconds apart. */
export function timeTextSeconds(ms: number): string {
  return `${format(ms, 'yyyy-MM-dd HH:mm:ss', { in: UTC })} UTC`;
}

/** One end of a span: minute precision, or seconds when the other end is within the hour. */
export function spanTimeText(ms: number, otherMs: number): string {
  return Math.abs(ms - otherMs) < 3_600_000 ? timeTextSeconds(ms) : timeText(ms);
}
