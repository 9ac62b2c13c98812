import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { TZDate } from '@date-fns/tz';
import type { Argv } from 'yargs';
import { createLogParser, type DecodeOptions } from '../../parsers/index.js';
import type { ChunkScanner } from '../../parsers/scan/chunkScanner.js';
import { recordFilter } from '../filters/recordFilter.js';
import { parseInstant, parseTimeSpec } from '../filters/timeSpec.js';
import type { KillRecord } from '../schema/killRecord.js';
import { runLogCommand } from './commandInput.js';
import { expandInputs } from './expandInputs.js';
import { problemFrom, type InputProblem } from './inputProblem.js';
import { scanPrefiltered } from './prefilteredScan.js';
import { PrefilterPool, type PooledFile } from './prefilterPool.js';
import { inspectFile, openFileStream, type FileInput } from './readInput.js';
import { ScanProgress } from './scanProgress.js';
import { findSystemLog, type CommandSource } from './systemLog.js';

export type { InputProblem } from './inputProblem.js';

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
  year?: number;
  tz?: string;
  'boot-time'?: string;
  quiet?: boolean;
  threads?: number;
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
    .option('host', { type: 'string', array: true, describe: 'only kills on hosts matching this glob (repeatable)' })
    .option('comm', { type: 'string', array: true, describe: 'only kills of processes whose name matches this glob' })
    .option('cgroup', { type: 'string', array: true, describe: 'only kills in cgroups matching this glob (* spans /)' })
    .option('year', { type: 'number', describe: 'year of the first line of syslog stamps (default: from the file’s date)' })
    .option('tz', { type: 'string', describe: 'IANA zone of stamps without an offset (default: the local zone)' })
    .option('boot-time', { type: 'string', describe: 'when the host booted (ISO 8601): turns dmesg uptimes into times' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress line and no note on stderr' })
    .option('threads', { type: 'number', describe: 'threads that prefilter big plain files, the main one included (default: CPUs, up to 4; 1: none)' })
    .check((argv) => {
      try {
        readScanSettings(argv as unknown as InputArgs, new Date());
        return true;
      } catch (err) {
        return (err as Error).message;
      }
    });
}

/** Plain files at least this big (together) are prefiltered on other threads by default. */
const POOL_MIN_BYTES = 32 << 20;
const MAX_THREADS = 4;

interface ScanSettings {
  decode: { year: number | null; tz: string | null; bootTimeMs: number | null };
  filter: ((record: KillRecord) => boolean) | null;
  threads: number | null;
}

/** Reads and checks the option values; throws an Error that names the option at fault. */
function readScanSettings(args: InputArgs, now: Date): ScanSettings {
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
  const year = args.year ?? null;
  if (year !== null && !(Number.isInteger(year) && year >= 1970 && year <= 9999)) throw new Error(`--year: '${year}' is not a year`);
  const threads = args.threads ?? null;
  if (threads !== null && !(Number.isInteger(threads) && threads >= 1)) throw new Error(`--threads: '${threads}' is not a count of threads (1 or more)`);
  const bootTime = args['boot-time'];
  const bootTimeMs = bootTime === undefined ? null : parseInstant(bootTime, tz);
  if (bootTime !== undefined && bootTimeMs === null) throw new Error(`--boot-time: '${bootTime}' is not a time: give when the host booted, ISO 8601 or @epoch-seconds`);
  const filter = recordFilter({
    sinceMs: time('since', args.since),
    untilMs: time('until', args.until),
    hosts: args.host,
    comms: args.comm,
    cgroups: args.cgroup,
  });
  return { decode: { year, tz, bootTimeMs }, filter, threads };
}

/** One input, ready to read. */
type Source = { kind: 'file'; file: FileInput } | { kind: 'stdin' } | { kind: 'command'; command: CommandSource };

/**
 * Scans every input in order and hands each record that passes the filters to `onRecord` as it
 * is found: the kernel's and the userspace killers' kills, one timeline per input. Big plain
 * files are prefiltered on worker threads; the records and their order are the same as without.
 * Problems with one input are collected and the others still scanned.
 */
export async function scanTimeline(
  args: InputArgs,
  onRecord: (record: KillRecord) => void | Promise<void>,
): Promise<{ problems: InputProblem[] }> {
  const settings = readScanSettings(args, new Date());
  const problems: InputProblem[] = [];
  const sources = await findSources(args, problems);
  const plain = sources.flatMap((s) => (s.kind === 'file' && s.file.compression.kind === 'none' ? [s.file] : []));
  const plainBytes = plain.reduce((n, f) => n + f.size, 0);
  const threads = settings.threads ?? (plainBytes >= POOL_MIN_BYTES ? Math.min(MAX_THREADS, availableParallelism()) : 1);
  const pool = threads > 1 && plain.length > 0 ? new PrefilterPool(threads - 1) : null;
  // Queue every big file at once, so that the threads run ahead across file boundaries.
  const pooled = new Map<FileInput, PooledFile>(pool ? plain.map((f) => [f, pool.file(f.path, f.size)]) : []);
  const knownBytes = sources.reduce((n, s) => n + (s.kind === 'file' ? s.file.size : 0), 0);
  const progress = new ScanProgress(knownBytes, process.stderr, !args.quiet);
  const deliver = async (record: KillRecord) => {
    if (settings.filter && !settings.filter(record)) return;
    if (record.type !== 'oom-without-kill') progress.kill();
    await onRecord(record);
  };
  try {
    for (const source of sources) {
      const label = source.kind === 'file' ? source.file.path : source.kind === 'stdin' ? '-' : source.command.label;
      try {
        const problem = await scanSource(source, { args, settings, pooled, progress, deliver });
        if (problem) problems.push({ input: label, message: problem });
      } catch (err) {
        problems.push(problemFrom(label, err));
      }
    }
  } finally {
    for (const p of pooled.values()) p.discard();
    await pool?.close();
    progress.stop();
  }
  return { problems };
}

/** The inputs named on the command line, or the system's kernel log when none is. */
async function findSources(args: InputArgs, problems: InputProblem[]): Promise<Source[]> {
  let names: string[] = args.files;
  if (names.length === 0) {
    const log = await findSystemLog();
    if (log.kind === 'none') {
      problems.push(log.problem);
      return [];
    }
    if (!args.quiet) process.stderr.write(`oomlens: ${log.note}\n`);
    if (log.kind === 'command') return [{ kind: 'command', command: log.source }];
    names = log.paths;
  }
  const expanded = await expandInputs(names);
  problems.push(...expanded.problems);
  const sources: Source[] = [];
  for (const input of expanded.inputs) {
    if (input.kind === 'stdin') {
      sources.push({ kind: 'stdin' });
      continue;
    }
    try {
      const file = await inspectFile(input.path);
      if (file.compression.kind === 'unsupported') {
        const { format, undo } = file.compression;
        problems.push({ input: input.path, message: `${format}-compressed input is not supported; decompress it first (${undo} FILE)` });
      } else {
        sources.push({ kind: 'file', file });
      }
    } catch (err) {
      problems.push(problemFrom(input.path, err));
    }
  }
  return sources;
}

interface ScanContext {
  args: InputArgs;
  settings: ScanSettings;
  pooled: Map<FileInput, PooledFile>;
  progress: ScanProgress;
  deliver: (record: KillRecord) => Promise<void>;
}

/** Scans one input; resolves to a problem found once it ended (a refusing command), if any. */
async function scanSource(source: Source, ctx: ScanContext): Promise<string | null> {
  const queue: KillRecord[] = [];
  const file = source.kind === 'file' ? source.file : null;
  const command = source.kind === 'command' ? source.command : null;
  // A year-less stamp's year comes from when the input's newest line was written.
  const newestMs = file?.newestMs ?? Date.now();
  const bootTimeMs = ctx.settings.decode.bootTimeMs ?? command?.bootTimeMs ?? null;
  const parser = createLogParser({
    file: file?.path ?? null,
    keepRaw: ctx.args.raw ?? false,
    decode: decodeOptions(newestMs, ctx.settings.decode.year, ctx.settings.decode.tz, bootTimeMs),
    emit: (r) => queue.push(r),
  });
  const drain = async () => {
    for (const r of queue.splice(0)) await ctx.deliver(r);
  };
  if (command) {
    const run = runLogCommand(command);
    await scanStream(run.stdout, parser, drain, null);
    return run.outcome;
  }
  if (!file) {
    await scanStream(process.stdin, parser, drain, null);
    return null;
  }
  const pooled = ctx.pooled.get(file);
  if (!pooled) {
    // Progress counts bytes on disk: a gzip stream counts them itself, a plain file's chunks are them.
    const gzip = file.compression.kind === 'gzip';
    await scanStream(openFileStream(file, (n) => ctx.progress.advance(n)), parser, drain, gzip ? null : (n) => ctx.progress.advance(n));
    return null;
  }
  const handle = await open(file.path, 'r');
  let done = 0;
  try {
    await scanPrefiltered(handle, file.size, pooled.segments(), parser, {
      drain,
      progress: (bytes) => {
        ctx.progress.advance(bytes - done);
        done = bytes;
      },
    });
  } finally {
    await handle.close();
  }
  return null;
}

/** Feeds a stream to the scanner. On a read error the records found so far still come out. */
async function scanStream(stream: Readable, parser: ChunkScanner, drain: () => Promise<void>, onChunk: ((bytes: number) => void) | null): Promise<void> {
  try {
    for await (const chunk of stream) {
      parser.push(chunk as Buffer);
      onChunk?.((chunk as Buffer).length);
      await drain();
    }
  } finally {
    parser.end();
    await drain();
  }
}

function decodeOptions(newestMs: number, year: number | null, tz: string | null, bootTimeMs: number | null): DecodeOptions {
  if (year !== null) return { year, newestMonth: null, tz, bootTimeMs };
  const newest = tz ? new TZDate(newestMs, tz) : new Date(newestMs);
  return { year: newest.getFullYear(), newestMonth: newest.getMonth(), tz, bootTimeMs };
}
