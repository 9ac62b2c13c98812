import { WallClock } from '../time/wallClock.js';
import { YearTracker } from '../time/yearTracker.js';
import type { DecodedLine } from './decodedLine.js';

export interface DecodeOptions {
  /** Year for stamps without one (syslog, journalctl short); default: current year. */
  year?: number;
  /** Month (0-11) of the newest line, when `year` comes from a file's mtime. */
  newestMonth?: number | null;
  /** IANA zone for zone-less stamps; default: the local zone. */
  tz?: string | null;
  /** Boot time (epoch ms) to turn uptime-only lines into wall time. */
  bootTimeMs?: number | null;
}

/** Per-input decoding state: the clock, the year inference, and the previous line. */
export class DecodeContext {
  readonly clock: WallClock;
  readonly years: YearTracker;
  readonly bootTimeMs: number | null;
  /** The previous decoded line, for continuation lines that carry no prefix of their own. */
  last: DecodedLine | null = null;
  /** The last whole-second month stamp read (`Mar  1 00:00:07 `) and its meaning, for the lines that repeat it. */
  lastMonthStamp: { stamp: string; month: number; year: number; time: number } | null = null;
  /** The last `host ident[pid]: ` read after such a stamp, for the next line of the same host. */
  lastHostIdent: { text: string; host: string | null; ident: string | null } | null = null;

  constructor(options: DecodeOptions = {}) {
    this.clock = new WallClock(options.tz ?? null);
    this.years = new YearTracker(options.year ?? new Date().getFullYear(), options.newestMonth ?? null);
    this.bootTimeMs = options.bootTimeMs ?? null;
  }
}
