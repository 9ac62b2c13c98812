import { closeSync, createReadStream, fstatSync, openSync, renameSync, statfsSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { errnoText } from '../render/errnoText.js';
import { MemorySample } from '../schema/memorySample.js';

/** `--samples-max-size` default: the file rotates here; one old file (FILE.1) is kept, so at most twice this on disk. */
export const DEFAULT_SAMPLES_MAX_BYTES = 64 * 1024 * 1024;
/** Writing pauses while the filesystem has less free than this share of its size (or than maxBytes, if more). */
const FREE_RESERVE_SHARE = 0.02;
/** Free space is looked at again after this much has been written. */
const FREE_CHECK_EVERY = 1024 * 1024;

export type ProblemSink = (message: string) => void;

/**
 * The NDJSON file `watch --samples FILE` appends to, one record per cgroup and sample. Bounded:
 * when a round would take it past `maxBytes` it is renamed to FILE.1 (replacing the previous
 * old one) and a new FILE begins; writing pauses (and says so once) while the disk is nearly
 * full or a write fails, and resumes by itself.
 */
export class SamplesFile {
  private fd: number | null = null;
  private size = 0;
  private sinceFreeCheck = 0;
  private paused: string | null = null;

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
    private readonly problem: ProblemSink,
  ) {}

  /** Opens (creating or appending to) the file; throws with a one-line reason when it cannot. */
  open(): void {
    this.fd = openSync(this.path, 'a', 0o640);
    this.size = fstatSync(this.fd).size;
  }

  append(samples: readonly MemorySample[]): void {
    if (samples.length === 0 || this.fd === null) return;
    const text = samples.map((s) => `${JSON.stringify(s)}\n`).join('');
    const bytes = Buffer.byteLength(text);
    if (!this.roomOnDisk(bytes)) return;
    try {
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      writeSync(this.fd, text);
      this.size += bytes;
      this.resume();
    } catch (err) {
      this.pause(`cannot write samples file ${this.path}: ${errnoText(err)}; samples are not written until it works again`);
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private rotate(): void {
    renameSync(this.path, `${this.path}.1`);
    closeSync(this.fd!);
    this.fd = openSync(this.path, 'a', 0o640);
    this.size = 0;
  }

  private roomOnDisk(bytes: number): boolean {
    this.sinceFreeCheck += bytes;
    if (this.paused === null && this.sinceFreeCheck < FREE_CHECK_EVERY) return true;
    this.sinceFreeCheck = 0;
    let free: number;
    let total: number;
    try {
      const fs = statfsSync(dirname(this.path));
      free = fs.bavail * fs.bsize;
      total = fs.blocks * fs.bsize;
    } catch {
      return true; // no statfs here: the write itself will tell
    }
    const reserve = Math.max(this.maxBytes, total * FREE_RESERVE_SHARE);
    if (free - bytes >= reserve) return true;
    this.pause(`the disk of samples file ${this.path} is nearly full (${mib(free)} free); samples are not written until there is ${mib(reserve)}`);
    return false;
  }

  private pause(message: string): void {
    if (this.paused !== message) this.problem(message);
    this.paused = message;
  }

  private resume(): void {
    if (this.paused !== null) this.problem(`samples file ${this.path}: writing again`);
    this.paused = null;
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(0)} MiB`;
}

/** Lines of a samples file that are not sample records: counted, and the first said. */
export interface SamplesReadProblems {
  badLines: number;
  firstBad: string | null;
}

/**
 * Reads a samples file back: FILE.1 (the older part, if there) then FILE, in order, each line
 * validated. Lines that are not samples (cut by a crash, edited) are counted, not fatal.
 * Throws the read error of FILE itself (not of FILE.1, which may well not exist).
 */
export async function readSamplesFile(path: string, each: (sample: MemorySample) => void): Promise<SamplesReadProblems> {
  const problems: SamplesReadProblems = { badLines: 0, firstBad: null };
  for (const [file, required] of [[`${path}.1`, false], [path, true]] as const) {
    try {
      await readLines(file, (line, n) => {
        if (line.trim() === '') return;
        let parsed;
        try {
          parsed = MemorySample.safeParse(JSON.parse(line));
        } catch {
          parsed = null;
        }
        if (parsed?.success) each(parsed.data);
        else {
          problems.badLines++;
          problems.firstBad ??= `${file} line ${n}: ${parsed ? 'not a memory sample record' : 'not JSON'}`;
        }
      });
    } catch (err) {
      if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
  }
  return problems;
}

async function readLines(file: string, each: (line: string, n: number) => void): Promise<void> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  await opened;
  let n = 0;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) each(line, ++n);
}
