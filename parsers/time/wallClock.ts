import { TZDate } from '@date-fns/tz';
import { parseISO } from 'date-fns/parseISO';

/** Month abbreviations as syslog and journalctl print them (C locale). */
const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

export function monthIndex(name: string): number | undefined {
  return MONTHS[name];
}

/**
 * Converts a zone-less calendar time to epoch ms in `tz` (IANA name) or, when tz is null, the
 * local zone. Results are cached per second because thousands of log lines share one second.
 */
export class WallClock {
  private cache = new Map<string, number>();
  constructor(readonly tz: string | null) {}

  toEpoch(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
    const key = `${year}-${month}-${day} ${hour}:${minute}:${second}`;
    let ms = this.cache.get(key);
    if (ms === undefined) {
      ms = this.tz
        ? new TZDate(year, month, day, hour, minute, second, this.tz).getTime()
        : new Date(year, month, day, hour, minute, second).getTime();
      if (this.cache.size > 4096) this.cache.clear();
      this.cache.set(key, ms);
    }
    return ms;
  }

  /**
   * Parses an ISO 8601 / RFC 3339 stamp (`2026-11-26T06:13:05.123456+00:00`, dmesg's `,123456`
   * fraction, `+0000` offsets). A stamp without an offset is read in this clock's zone.
   */
  isoToEpoch(stamp: string): number | null {
    const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)?$/.exec(stamp);
    if (!m) return null;
    const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
    if (!m[8]) {
      return this.toEpoch(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) + fraction;
    }
    const key = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[8]}`;
    let ms = this.cache.get(key);
    if (ms === undefined) {
      ms = parseISO(key).getTime();
      if (Number.isNaN(ms)) return null;
      if (this.cache.size > 4096) this.cache.clear();
      this.cache.set(key, ms);
    }
    return ms + fraction;
  }
}
