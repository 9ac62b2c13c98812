import type { Assembler } from '../assemble/assembler.js';
import type { DecodeContext } from '../decode/decodeContext.js';
import { decodeLine } from '../decode/decodeLine.js';
import { CandidateFilter } from './candidateFilter.js';

/** What the scanner feeds: the kernel's `Assembler`, or one that also reads userspace killers. */
export type LineAssembler = Pick<Assembler, 'push' | 'skipped' | 'wantsEveryLine' | 'flush'>;

/** Longest line we decode; the rest of a longer line is dropped (and counted). */
export const MAX_LINE_BYTES = 64 * 1024;

const filter = new CandidateFilter();

/**
 * Turns a byte stream, in chunks of any size, into lines for the assembler. While no report is
 * open it jumps from candidate to candidate (see `CandidateFilter`) and only counts the lines in
 * between; while one is open it decodes every line. A line is a candidate when a needle lies in
 * the part of it that is decoded (its first MAX_LINE_BYTES). The output does not depend on where
 * the chunks are cut.
 */
export class ChunkScanner {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private carryCut = false;
  private lineNo = 0;
  private readonly hits: number[] = [];
  /** Lines longer than MAX_LINE_BYTES, cut to that length. */
  longLines = 0;
  /** Bytes consumed so far. */
  bytes = 0;

  constructor(
    private readonly assembler: LineAssembler,
    private readonly ctx: DecodeContext,
  ) {}

  /** Lines consumed so far (fed or skipped). */
  get lines(): number {
    return this.lineNo;
  }

  /** True when the bytes pushed so far end inside a line. */
  get midLine(): boolean {
    return this.carryBytes > 0;
  }

  /** True while a report is open: every line must be pushed, none skipped by `skipLines`. */
  wantsEveryLine(): boolean {
    return this.assembler.wantsEveryLine();
  }

  /**
   * Passes over `count` lines without their bytes, for a caller that knows they hold no
   * candidate (a prefilter run elsewhere). Only between lines, and only while no report is open.
   */
  skipLines(count: number): void {
    if (count <= 0) return;
    if (this.carryBytes > 0 || this.assembler.wantsEveryLine()) throw new Error('skipLines inside a line or an open report');
    this.lineNo += count;
    this.assembler.skipped(count);
  }

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    let p = 0;
    if (this.carryBytes > 0) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.keep(chunk, 0);
        return;
      }
      this.keep(chunk.subarray(0, nl), 0);
      this.feedCarry();
      p = nl + 1;
    }
    const end = chunk.length;
    if (p >= end) return;
    // Speed: every candidate of the chunk in one pass; the lanes of `findAll` beat one cursor.
    const hits = this.hits;
    hits.length = 0;
    filter.findAll(chunk, p, end, hits);
    let h = 0;
    while (p < end) {
      if (this.assembler.wantsEveryLine()) {
        const nl = chunk.indexOf(10, p);
        if (nl < 0) break;
        this.lineNo += 1;
        this.feed(chunk, p, nl);
        p = nl + 1;
        continue;
      }
      while (h < hits.length && hits[h]! < p) h++;
      const hit = h < hits.length ? hits[h]! : -1;
      const stop = hit < 0 ? end : hit;
      // Speed: only count the newlines passed over.
      let skipped = 0;
      let lineStart = p;
      for (let nl = chunk.indexOf(10, p); nl >= 0 && nl < stop; nl = chunk.indexOf(10, nl + 1)) {
        skipped += 1;
        lineStart = nl + 1;
      }
      if (skipped > 0) {
        this.lineNo += skipped;
        this.assembler.skipped(skipped);
      }
      p = lineStart;
      if (hit < 0) break;
      const nl = chunk.indexOf(10, hit);
      if (nl < 0) break;
      this.lineNo += 1;
      // A needle past the decoded part of a very long line does not make it a candidate.
      if (nl - p > MAX_LINE_BYTES && filter.next(chunk, p, Math.min(nl, p + MAX_LINE_BYTES)) < 0) this.assembler.skipped(1);
      else this.feed(chunk, p, nl);
      p = nl + 1;
    }
    if (p < end) this.keep(chunk, p);
  }

  /** Ends the input: the last line may lack its newline. */
  end(): void {
    if (this.carryBytes > 0) this.feedCarry();
    this.assembler.flush();
  }

  private keep(chunk: Buffer, from: number): void {
    const length = chunk.length - from;
    const room = MAX_LINE_BYTES - this.carryBytes;
    if (length > room) this.carryCut = true;
    if (room <= 0) return;
    // Copy: the caller may reuse its buffer.
    const part = Buffer.from(chunk.subarray(from, from + Math.min(room, length)));
    this.carry.push(part);
    this.carryBytes += part.length;
  }

  /** The line that was carried over chunk ends, now whole: fed when it is a candidate. */
  private feedCarry(): void {
    const line = Buffer.concat(this.carry);
    const cut = this.carryCut;
    if (cut) this.longLines += 1;
    this.carry = [];
    this.carryBytes = 0;
    this.carryCut = false;
    this.lineNo += 1;
    if (this.assembler.wantsEveryLine() || filter.next(line, 0, line.length) >= 0) this.feed(line, 0, line.length, cut);
    else this.assembler.skipped(1);
  }

  private feed(buf: Buffer, start: number, end: number, carriedCut = false): void {
    let stop = end;
    let cut = carriedCut;
    if (stop - start > MAX_LINE_BYTES) {
      stop = start + MAX_LINE_BYTES;
      cut = true;
      this.longLines += 1;
    }
    if (stop > start && buf[stop - 1] === 13) stop -= 1;
    const text = buf.toString('utf8', start, stop);
    const lineNo = this.lineNo;
    decodeLine(text, this.ctx, (line) => this.assembler.push(cut ? { ...line, cut } : line, lineNo, text));
  }
}
