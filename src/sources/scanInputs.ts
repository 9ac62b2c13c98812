import { fstatSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { TZDate } from '@date-fns/tz';
import type { DecodeOptions, LogParserOptions } from '../../parsers/index.js';
import type { ChunkScanner } from '../../parsers/scan/chunkScanner.js';
import type { KillRecord } from '../schema/killRecord.js';
import { runLogCommand } from './commandInput.js';
import { expandInputs } from './expandInputs.js';
import { HeapPacer } from './heapPacer.js';
import { problemFrom, type InputProblem } from './inputProblem.js';
import { scanPrefiltered } from './prefilteredScan.js';
import { PrefilterPool, type PooledFile } from './prefilterPool.js';
import { inspectFile, openFileStream, type FileInput } from './readInput.js';
import { ScanProgress } from './scanProgress.js';
import { readScanSettings, type InputArgs, type ScanSettings } from './inputOptions.js';
import { sniffedStream } from './decompress.js';
import { unsupportedMessage } from './compression.js';
import { findSystemLog, LIVE_SYSTEM, type CommandSource, type SystemEnv } from './systemLog.js';
import { terminalSafe } from '../render/terminalSafe.js';
import { sniffFile, sniffStdin, scanStructured, scanStructuredStream } from './central/structuredScan.js';
import type { StructuredKind } from './central/structuredInput.js';

export type { InputProblem } from './inputProblem.js';
export { inputOptions, type InputArgs } from './inputOptions.js';

/** Plain files at least this big (together) are prefiltered on other threads by default. */
const POOL_MIN_BYTES = 32 << 20;
const MAX_THREADS = 4;

/** One input, ready to read. */
type Source = (
  | { kind: 'file'; file: FileInput }
  | { kind: 'stdin' }
  | { kind: 'command'; command: CommandSource }
  | { kind: 'structured'; file: FileInput; format: StructuredKind }
) & {
  /** Counts this source's kills when the system log was read (for the closing line), else null. */
  tally: Tally | null;
};

/**
 * What one system source gave, for the line on stderr. A `supplement` (the ring buffer after
 * the files) adds only the kills its primary did not have.
 */
interface Tally {
  label: string;
  kills: number;
  read: boolean;
  supplement: boolean;
  /** Why a supplement was not read (not an error: the primary was). */
  unread: string | null;
}

/** Where the inputs come from when the command line names none. */
export interface ScanEnv {
  system: SystemEnv;
  /** True when stdin carries a log (a pipe or a redirected file). */
  stdinIsLog: () => boolean;
  stdin: Readable;
}

const LIVE: ScanEnv = { system: LIVE_SYSTEM, stdinIsLog: stdinCarriesALog, stdin: process.stdin };

/** The same kill seen by two sources (a file and the ring buffer): its victim, sizes included. */
function killKey(r: KillRecord): string {
  if (r.type === 'userspace-kill') return `u|${r.killer}|${r.victim.pid}|${r.victim.comm}|${r.victim.unit}|${r.time}`;
  if (r.victim) return `k|${r.victim.pid}|${r.victim.comm}|${r.victim.totalVmKb}|${r.victim.anonRssKb}`;
  return `n|${r.trigger?.pid}|${r.trigger?.comm}|${r.uptime}`;
}

/**
 * Scans every input in order and hands each record that passes the filters to `onRecord` as it
 * is found: the kernel's and the userspace killers' kills, one timeline per input. Big plain
 * files are prefiltered on worker threads; the records and their order are the same as without.
 * Problems with one input are collected and the others still scanned.
 */
export async function scanTimeline(
  args: InputArgs,
  onRecord: (record: KillRecord) => void | Promise<void>,
  env: ScanEnv = LIVE,
): Promise<{ problems: InputProblem[]; inputsRead: number }> {
  const settings = readScanSettings(args, new Date());
  const problems: InputProblem[] = [];
  const sources = await findSources(args, problems, env);
  const plain = sources.flatMap((s) => (s.kind === 'file' && s.file.regular && s.file.compression.kind === 'none' ? [s.file] : []));
  const plainBytes = plain.reduce((n, f) => n + f.size, 0);
  const threads = settings.threads ?? (plainBytes >= POOL_MIN_BYTES ? Math.min(MAX_THREADS, availableParallelism()) : 1);
  const pool = threads > 1 && plain.length > 0 ? new PrefilterPool(threads - 1) : null;
  // Queue every big file at once, so that the threads run ahead across file boundaries.
  const pooled = new Map<FileInput, PooledFile>(pool ? plain.map((f) => [f, pool.file(f.path, f.size)]) : []);
  // Speed: the parser (and zod under it) loads only now, while the threads start on the files.
  const { createLogParser } = await import('../../parsers/index.js');
  const knownBytes = sources.reduce((n, s) => n + (s.kind === 'file' || s.kind === 'structured' ? s.file.size : 0), 0);
  const progress = new ScanProgress(knownBytes, process.stderr, !args.quiet);
  const heap = new HeapPacer();
  const advance = (bytes: number) => {
    progress.advance(bytes);
    heap.advance(bytes);
  };
  // Kills the primary system source had: the ring buffer after the files adds only the others.
  const primaryKills = new Set<string>();
  let inputsRead = 0;
  try {
    for (const source of sources) {
      const label = source.kind === 'file' || source.kind === 'structured' ? source.file.path : source.kind === 'stdin' ? '-' : source.command.label;
      const tally = source.tally;
      const deliver = async (record: KillRecord) => {
        if (tally && !tally.supplement) primaryKills.add(killKey(record));
        if (tally?.supplement && primaryKills.has(killKey(record))) return;
        if (settings.filter && !settings.filter(record)) return;
        if (record.type !== 'oom-without-kill') {
          progress.kill();
          if (tally) tally.kills += 1;
        }
        await onRecord(record);
      };
      try {
        const problem = await scanSource(source, { args, settings, pooled, advance, deliver, createLogParser, stdin: env.stdin });
        if (problem && tally?.supplement) tally.unread = problem;
        else if (problem) {
          problems.push({ input: label, message: problem });
          // A central store's answer with a bad line was still read: its other records came out.
          if (source.kind === 'structured') inputsRead += 1;
        } else {
          inputsRead += 1;
          if (tally) tally.read = true;
        }
      } catch (err) {
        problems.push(problemFrom(label, err));
        // A file that broke part way was read up to there (its records came out).
        if (source.kind === 'file') inputsRead += 1;
      }
    }
  } finally {
    for (const p of pooled.values()) p.discard();
    await pool?.close();
    progress.stop();
  }
  const tallies = [...new Set(sources.flatMap((s) => (s.tally ? [s.tally] : [])))];
  if (tallies.length > 0 && !args.quiet) process.stderr.write(`${systemSummary(tallies, settings.filter !== null)}\n`);
  return { problems, inputsRead };
}

/**
 * The closing line of a scan of the system's log: which sources were read and how many kills
 * each gave, e.g. `oomlens: read /var/log/kern.log: 3 kills; the kernel ring buffer (dmesg): 1
 * more kill not in the files yet`.
 */
export function systemSummary(tallies: Tally[], filtered: boolean): string {
  const kills = (n: number) => `${n} kill${n === 1 ? '' : 's'}${filtered ? ' that pass the filters' : ''}`;
  const parts = tallies.map((t) => {
    if (t.supplement) {
      if (!t.read) return `${t.label} not read (${t.unread ?? 'failed'})`;
      return `${t.label}: ${t.kills === 0 ? 'no kill that the files do not have' : `${kills(t.kills)} not in the files yet`}`;
    }
    return `${t.label}: ${t.read ? kills(t.kills) : 'not read'}`;
  });
  return `oomlens: read ${terminalSafe(parts.join('; '))}`;
}

/** True when stdin is a pipe or a redirected file: `cat log | oomlens scan` means that log. */
function stdinCarriesALog(): boolean {
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isFile() || st.isSocket();
  } catch {
    return false;
  }
}

/** The inputs named on the command line, a log piped in, or the system's kernel log. */
async function findSources(args: InputArgs, problems: InputProblem[], env: ScanEnv): Promise<Source[]> {
  let names: string[] = args.files;
  if (names.length === 0 && env.stdinIsLog()) names = ['-'];
  if (names.length === 0) {
    const log = await findSystemLog(env.system);
    const tally = (label: string, supplement = false): Tally => ({ label, kills: 0, read: false, supplement, unread: null });
    switch (log.kind) {
      case 'none':
        problems.push(log.problem);
        return [];
      case 'command':
        if (log.why && !args.quiet) process.stderr.write(`oomlens: ${terminalSafe(log.why)}; reading ${log.source.label === 'dmesg' ? 'the kernel ring buffer' : log.source.label}\n`);
        return [{ kind: 'command', command: log.source, tally: tally(log.label) }];
      case 'files': {
        const files = await fileSources(log.paths, problems, tally(log.label));
        const ring = log.ringBuffer ? [{ kind: 'command' as const, command: log.ringBuffer, tally: tally('the kernel ring buffer (dmesg)', true) }] : [];
        return [...files, ...ring];
      }
    }
  }
  return fileSources(names, problems, null);
}

async function fileSources(names: string[], problems: InputProblem[], tally: Tally | null): Promise<Source[]> {
  const expanded = await expandInputs(names);
  problems.push(...expanded.problems);
  const sources: Source[] = [];
  for (const input of expanded.inputs) {
    if (input.kind === 'stdin') {
      sources.push({ kind: 'stdin', tally });
      continue;
    }
    try {
      const file = await inspectFile(input.path);
      if (file.compression.kind === 'unsupported') {
        problems.push({ input: input.path, message: unsupportedMessage(file.compression) });
      } else {
        // Central stores' answers and journal files are recognised by their first bytes.
        const format = file.regular && file.compression.kind === 'none' ? await sniffFile(file.path) : null;
        sources.push(format ? { kind: 'structured', file, format, tally } : { kind: 'file', file, tally });
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
  /** Bytes of the input on disk dealt with (progress, memory pacing). */
  advance: (bytes: number) => void;
  deliver: (record: KillRecord) => Promise<void>;
  createLogParser: (options: LogParserOptions) => ChunkScanner;
  stdin: Readable;
}

/** Scans one input; resolves to a problem found once it ended (a refusing command), if any. */
async function scanSource(source: Source, ctx: ScanContext): Promise<string | null> {
  const structured = {
    deliver: ctx.deliver,
    advance: ctx.advance,
    parserFor: (file: string, newestMs: number, emit: (r: KillRecord) => void) =>
      ctx.createLogParser({ file, keepRaw: ctx.args.raw ?? false, decode: decodeOptions(newestMs, ctx.settings.decode.year, ctx.settings.decode.tz, ctx.settings.decode.bootTimeMs), emit }),
  };
  if (source.kind === 'structured') return scanStructured(source.file, source.format, structured);
  // A pipe may carry a compressed log (`cat kern.log.2.gz | oomlens scan`): its first bytes say;
  // then those of the decompressed bytes tell a central store's answer from a plain log.
  const sniffed = source.kind === 'stdin' ? await sniffedStream(ctx.stdin) : null;
  if (sniffed?.compression.kind === 'unsupported') return unsupportedMessage(sniffed.compression);
  const stdin = sniffed?.stream ?? null;
  // A central store's answer comes uncompressed; a compressed pipe is a log, read as such.
  if (stdin && sniffed?.compression.kind === 'none') {
    const format = await sniffStdin(stdin);
    if (format === 'journal-file') return 'a binary journal file on stdin: name the file instead (it is read with journalctl --file)';
    if (format) return scanStructuredStream(stdin, '-', Date.now(), format, structured);
  }
  const queue: KillRecord[] = [];
  const file = source.kind === 'file' ? source.file : null;
  const command = source.kind === 'command' ? source.command : null;
  // A year-less stamp's year comes from when the input's newest line was written.
  const newestMs = file?.newestMs ?? Date.now();
  const bootTimeMs = ctx.settings.decode.bootTimeMs ?? command?.bootTimeMs ?? null;
  const parser = ctx.createLogParser({
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
    await scanStream(stdin!, parser, drain, null);
    return null;
  }
  if (!file.regular) {
    await scanStream((await sniffedStream(openFileStream(file, ctx.advance))).stream, parser, drain, null);
    return null;
  }
  const pooled = ctx.pooled.get(file);
  if (!pooled) {
    // Progress counts bytes on disk: a compressed stream counts them itself, a plain file's chunks are them.
    const compressed = file.compression.kind !== 'none';
    await scanStream(openFileStream(file, ctx.advance), parser, drain, compressed ? null : ctx.advance);
    return null;
  }
  const handle = await open(file.path, 'r');
  let done = 0;
  try {
    await scanPrefiltered(handle, file.size, pooled.segments(), parser, {
      drain,
      progress: (bytes) => {
        ctx.advance(bytes - done);
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
