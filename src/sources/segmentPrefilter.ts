import { closeSync, openSync, readSync } from 'node:fs';
import { findCandidateLines } from '../../parsers/scan/lineCandidates.js';
import { CANDIDATE_NEEDLES } from '../../parsers/scan/candidateFilter.js';
import { ScanKernel } from '../../parsers/scan/scanKernel.js';

/** What a prefilter found in one segment of a file: whole lines only. */
export interface SegmentResult {
  /** The lines of the segment span bytes [start, end). */
  start: number;
  end: number;
  /** Lines in the segment; a last line without newline at the end of the file counts. */
  lines: number;
  /** File offsets of the candidate lines (see `findCandidateLines`), ascending. */
  starts: number[];
  /** Their 0-based line index within the segment. */
  indexes: number[];
}

const READ_BYTES = 1 << 20;

/**
 * Prefilters byte ranges of a file (`fd`, `size` bytes). A range [from, to) is widened to whole
 * lines the same way on both sides of every cut: a segment starts after the first newline at or
 * after `from - 1`, so neighbouring segments meet exactly. Reads with positioned I/O into one
 * reused buffer: memory stays flat whatever the file size.
 */
export class SegmentPrefilter {
  private readonly kernel = new ScanKernel(CANDIDATE_NEEDLES, READ_BYTES);
  private readonly buf = this.kernel.bytes;
  private readonly hits: number[] = [];

  run(fd: number, size: number, from: number, to: number): SegmentResult {
    const start = from <= 0 ? 0 : this.lineStartFrom(fd, size, from - 1);
    const end = to >= size ? size : this.lineStartFrom(fd, size, to - 1);
    const found = { starts: [] as number[], indexes: [] as number[] };
    let lines = 0;
    let pos = start;
    let endsWithNewline = true;
    while (pos < end) {
      const n = readSync(fd, this.buf, 0, Math.min(READ_BYTES, end - pos), pos);
      if (n === 0) break; // the file shrank under us
      endsWithNewline = this.buf[n - 1] === 10;
      const cut = pos + n === end ? n : this.buf.lastIndexOf(10, n - 1) + 1;
      const before = found.starts.length;
      if (cut === 0) {
        // A line longer than the buffer: its first part decides, the rest is passed over.
        findCandidateLines(this.kernel, 0, n, lines, found, this.hits);
        const nl = this.newlineFrom(fd, size, pos + n);
        for (let k = before; k < found.starts.length; k++) found.starts[k]! += pos;
        if (nl < 0) {
          endsWithNewline = false;
          pos = end;
        } else {
          lines += 1;
          pos = nl + 1;
        }
        continue;
      }
      lines += findCandidateLines(this.kernel, 0, cut, lines, found, this.hits);
      for (let k = before; k < found.starts.length; k++) found.starts[k]! += pos;
      pos += cut;
    }
    if (end === size && end > start && !endsWithNewline) lines += 1;
    return { start, end, lines, starts: found.starts, indexes: found.indexes };
  }

  /** Offset just after the first newline at or after `at`, or `size`. */
  private lineStartFrom(fd: number, size: number, at: number): number {
    const nl = this.newlineFrom(fd, size, at);
    return nl < 0 ? size : nl + 1;
  }

  /** Offset of the first newline at or after `at`, or -1. */
  private newlineFrom(fd: number, size: number, at: number): number {
    for (let pos = at; pos < size; ) {
      const n = readSync(fd, this.buf, 0, Math.min(READ_BYTES, size - pos), pos);
      if (n === 0) return -1;
      const nl = this.buf.indexOf(10);
      if (nl >= 0 && nl < n) return pos + nl;
      pos += n;
    }
    return -1;
  }
}

/** A prefilter job: one segment of one file. */
export interface SegmentJob {
  id: number;
  path: string;
  size: number;
  from: number;
  to: number;
}

export type SegmentReply = { id: number; result: SegmentResult } | { id: number; error: string; code: string | null };

/** Runs jobs one after the other, keeping the last file open (jobs come file by file). */
export class SegmentJobRunner {
  private readonly prefilter = new SegmentPrefilter();
  private open: { path: string; fd: number } | null = null;

  run(job: SegmentJob): SegmentReply {
    try {
      if (this.open?.path !== job.path) {
        this.close();
        this.open = { path: job.path, fd: openSync(job.path, 'r') };
      }
      return { id: job.id, result: this.prefilter.run(this.open.fd, job.size, job.from, job.to) };
    } catch (err) {
      return { id: job.id, error: (err as Error).message, code: (err as NodeJS.ErrnoException).code ?? null };
    }
  }

  close(): void {
    if (this.open) closeSync(this.open.fd);
    this.open = null;
  }
}
