import { tz as inZone } from '@date-fns/tz';
import { parseISO } from 'date-fns/parseISO';
import { sub } from 'date-fns/sub';

const UNITS = { s: 'seconds', m: 'minutes', h: 'hours', d: 'days', w: 'weeks' } as const;
const RELATIVE = /^(\d+)\s*([smhdw])$/;

/**
 * Reads a `--since` / `--until` value: a span back from `now` (`30m`, `24h`, `7d`, `2w`, `90s`)
 * or an ISO 8601 date or time (`2026-11-20`, `2026-11-20T06:00`, `2026-11-20T06:00:00Z`). A time
 * without an offset is read in `zone` (IANA name), or the local zone when null. Throws an Error
 * that says what is accepted.
 */
export function parseTimeSpec(text: string, now: Date, zone: string | null): number {
  const rel = RELATIVE.exec(text.trim());
  if (rel) return sub(now, { [UNITS[rel[2] as keyof typeof UNITS]]: Number(rel[1]) }).getTime();
  const ms = parseInstant(text, zone);
  if (ms === null) throw new Error(`'${text}' is not a time: give an ISO 8601 date/time (2026-11-20T06:00) or a span back from now (30m, 24h, 7d)`);
  return ms;
}

/** An ISO 8601 date/time (zone-less: in `zone`, else local) or `@` epoch seconds; null if neither. */
export function parseInstant(text: string, zone: string | null): number | null {
  const epoch = /^@(\d+)$/.exec(text.trim());
  if (epoch) return Number(epoch[1]) * 1000;
  const ms = (zone ? parseISO(text, { in: inZone(zone) }) : parseISO(text)).getTime();
  return Number.isNaN(ms) ? null : ms;
}
