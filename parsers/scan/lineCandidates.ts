import type { ScanKernel } from './scanKernel.js';

/** The candidate lines of a run of lines: where each starts and how many lines come before it. */
export interface CandidateLines {
  /** Offsets of the candidate lines' first bytes, ascending. */
  starts: number[];
  /** For each, the number of newlines between the run's start and it, plus a base (its line index). */
  indexes: number[];
}

/**
 * Finds the lines of kernel.bytes[from, to) that hold a needle anywhere, appends them to `out`
 * with `lineBase` added to their indexes, and returns the number of newlines in the range.
 * `from` must be a line start. This is what a prefilter reports so that a scanner elsewhere
 * can skip every other line (`ChunkScanner.skipLines`): it must find every line the scanner
 * would decode, and may find more (needles past a long line's decoded part).
 */
export function findCandidateLines(kernel: ScanKernel, from: number, to: number, lineBase: number, out: CandidateLines, hits: number[] = []): number {
  const bytes = kernel.bytes;
  hits.length = 0;
  kernel.findCandidates(from, to, hits);
  let lines = 0;
  let p = from;
  for (let h = 0; h < hits.length; h++) {
    const hit = hits[h]!;
    if (hit < p) continue; // a second needle in a line already taken
    const lineStart = Math.max(p, bytes.lastIndexOf(10, hit) + 1);
    lines += kernel.countNewlines(p, lineStart);
    out.starts.push(lineStart);
    out.indexes.push(lineBase + lines);
    const nl = bytes.indexOf(10, hit);
    if (nl < 0 || nl >= to) return lines;
    lines += 1;
    p = nl + 1;
  }
  return lines + kernel.countNewlines(p, to);
}
