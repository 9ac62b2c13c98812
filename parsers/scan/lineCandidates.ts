import { CandidateFilter } from './candidateFilter.js';

/** The candidate lines of a run of lines: where each starts and how many lines come before it. */
export interface CandidateLines {
  /** Offsets of the candidate lines' first bytes, ascending. */
  starts: number[];
  /** For each, the number of newlines between the run's start and it (its 0-based line index). */
  indexes: number[];
}

const filter = new CandidateFilter();

/**
 * Finds the lines of buf[from, to) that hold a needle anywhere (`CandidateFilter`), appends
 * them to `out` with `lineBase` added to their indexes, and returns the number of newlines in
 * the range. `from` must be a line start. This is what a prefilter reports so that a scanner
 * elsewhere can skip every other line (`ChunkScanner.skipLines`): it must find every line the
 * scanner would decode, and may find more (needles past a long line's decoded part).
 */
export function findCandidateLines(buf: Buffer, from: number, to: number, lineBase: number, out: CandidateLines, hits: number[] = []): number {
  hits.length = 0;
  filter.findAll(buf, from, to, hits);
  let lines = 0;
  let p = from;
  for (let h = 0; h < hits.length; h++) {
    const hit = hits[h]!;
    if (hit < p) continue; // a second needle in a line already taken
    let lineStart = p;
    let nl = buf.indexOf(10, p);
    while (nl >= 0 && nl < hit) {
      lines += 1;
      lineStart = nl + 1;
      nl = buf.indexOf(10, nl + 1);
    }
    out.starts.push(lineStart);
    out.indexes.push(lineBase + lines);
    if (nl < 0 || nl >= to) return lines;
    lines += 1;
    p = nl + 1;
  }
  for (let nl = buf.indexOf(10, p); nl >= 0 && nl < to; nl = buf.indexOf(10, nl + 1)) lines += 1;
  return lines;
}
