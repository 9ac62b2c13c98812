import type { Argv } from 'yargs';
import { recordFilter } from '../filters/recordFilter.js';
import { parseInstant, parseTimeSpec } from '../filters/timeSpec.js';
import type { KillRecord } from '../schema/killRecord.js';

/**
 * The inputs every batch command (`scan`, `report`, `explain`, `tui`) reads, how to read their
 * times, and which records to keep: one definition of the options so that they stay the same
 * everywhere. Values are checked when the command line is parsed (a bad one is a usage error).
 */
export interface InputArgs {
  /** Files, directories, globs, `-` for stdin; none: the system's own kernel log. */
  files: string[];
  raw?: boolean;
  /** `--since` / `--until`: ISO 8601 or a span back from now (`24h`). */
  since?: string;
  until?: string;
  host?: string[];
  comm?: string[];
  cgroup?: string[];
  year?: number | string;
  tz?: string;
  'boot-time'?: string;
  quiet?: boolean;
  threads?: number | string;
}

export function inputOptions<T>(y: Argv<T>) {
  return y
    .positional('files', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'log files, directories, globs (`-`: stdin; none: this system’s kernel log)',
    })
    .option('raw', { type: 'boolean', default: false, describe: 'keep each report’s raw lines in the records' })
    .option('since', { type: 'string', describe: 'only kills at or after this time (ISO 8601, or 30m / 24h / 7d ago)' })
    .option('until', { type: 'string', describe: 'only kills at or before this time (same forms)' })
    // nargs 1: `--host web-* kern.log` must leave kern.log a file.
    .option('host', { type: 'string', array: true, nargs: 1, describe: 'only kills on hosts matching this glob (repeatable)' })
    .option('comm', { type: 'string', array: true, nargs: 1, describe: 'only kills of processes whose name matches this glob' })
    .option('cgroup', { type: 'string', array: true, nargs: 1, describe: 'only kills in cgroups matching this glob (* spans /)' })
    // Strings, read here: yargs would turn `abc` into NaN and the message could not quote it.
    .option('year', { type: 'string', describe: 'year of the first line of syslog stamps (default: from the file’s date)' })
    .option('tz', { type: 'string', describe: 'IANA zone of stamps without an offset (default: the local zone)' })
    .option('boot-time', { type: 'string', describe: 'when the host booted (ISO 8601): turns dmesg uptimes into times' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress line and no note on stderr' })
    .option('threads', { type: 'string', describe: 'threads that prefilter big plain files, the main one included (default: CPUs, up to 4; 1: none)' })
    .check((argv) => {
      try {
        readScanSettings(argv as unknown as InputArgs, new Date());
        return true;
      } catch (err) {
        return (err as Error).message;
      }
    });
}

export interface ScanSettings {
  decode: { year: number | null; tz: string | null; bootTimeMs: number | null };
  filter: ((record: KillRecord) => boolean) | null;
  threads: number | null;
}

/** Reads and checks the option values; throws an Error that names the option at fault. */
export function readScanSettings(args: InputArgs, now: Date): ScanSettings {
  const tz = args.tz ?? null;
  if (tz !== null) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
    } catch {
      throw new Error(`--tz: '${tz}' is not an IANA time zone (e.g. Europe/Berlin, UTC)`);
    }
  }
  const time = (name: string, value: string | undefined) => {
    if (value === undefined) return null;
    try {
      return parseTimeSpec(value, now, tz);
    } catch (err) {
      throw new Error(`--${name}: ${(err as Error).message}`);
    }
  };
  const year = wholeNumber(args.year);
  if (year !== undefined && !(year !== null && year >= 1970 && year <= 9999)) throw new Error(`--year: '${args.year}' is not a year: give four digits, e.g. 2026`);
  const threads = wholeNumber(args.threads);
  if (threads !== undefined && !(threads !== null && threads >= 1)) throw new Error(`--threads: '${args.threads}' is not a count of threads: give a whole number, 1 or more`);
  const bootTime = args['boot-time'];
  const bootTimeMs = bootTime === undefined ? null : parseInstant(bootTime, tz);
  if (bootTime !== undefined && bootTimeMs === null) throw new Error(`--boot-time: '${bootTime}' is not a time: give when the host booted, ISO 8601 or @epoch-seconds`);
  const sinceMs = time('since', args.since);
  const untilMs = time('until', args.until);
  if (sinceMs !== null && untilMs !== null && sinceMs > untilMs) {
    throw new Error(`--since (${new Date(sinceMs).toISOString()}) is later than --until (${new Date(untilMs).toISOString()}): no kill could match; swap them`);
  }
  const filter = recordFilter({
    sinceMs,
    untilMs,
    hosts: args.host,
    comms: args.comm,
    cgroups: args.cgroup,
  });
  return { decode: { year: year ?? null, tz, bootTimeMs }, filter, threads: threads ?? null };
}

/** An option's whole number: undefined when not given, null when not a whole number. */
function wholeNumber(value: number | string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  return /^\d+$/.test(text) ? Number(text) : null;
}
