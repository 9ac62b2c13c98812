import { USERSPACE_NEEDLES } from '../userspace/needles.js';

/**
 * Byte strings at least one of which is in every line that can open an OOM report or that
 * matters while none is open (a late oom_reaper line, the boot banner naming the kernel). Lines
 * without any of them are skipped undecoded while no report is open. `test/candidateFilter.test.ts`
 * checks that every sample of every such line kind holds one.
 *
 * Each is at least 11 bytes long on purpose: the shortest needle bounds how far the search may
 * jump (see `CandidateFilter`), so `Task in ` is searched as the longer text every such line has.
 */
export const CANDIDATE_NEEDLES = [
  'oom-killer: ',
  'oom-kill:constraint=',
  'oom_reaper: ',
  'Killed process',
  'ill process ',
  'killed as a result of limit of',
  'Memory limit reached',
  'memory: usage',
  'Memory cgroup stats for',
  'Tasks state (',
  'tgid total_vm',
  'is already exiting',
  'no killable process',
  'Linux version ',
  // the dump_header() rate limit: marks bare kill lines around it even when no report is open.
  'oom_kill_process: ',
  // journal JSON whose MESSAGE is a byte array: the text is not searchable until decoded.
  // journalctl prints `"MESSAGE":[`; versions before 246 put spaces around the colon.
  '"MESSAGE":[',
  '"MESSAGE" : [',
  // systemd-oomd's, systemd's and earlyoom's kill lines (`parsers/userspace/needles.ts`).
  ...USERSPACE_NEEDLES,
] as const;

/** Below this many bytes a range is searched by one cursor: lanes would not pay off. */
const LANE_MIN_BYTES = 4096;

/**
 * Multi-needle search (Wu-Manber with 2-byte blocks) over bytes. It is the hot path of
 * `oomlens scan`: it reads about one byte in eight and jumps over the rest.
 */
export class CandidateFilter {
  private readonly minLen: number;
  private readonly shift: Uint8Array;
  private readonly byBlock: (Uint8Array[] | undefined)[];
  private readonly laneHits: number[][] = [[], [], []];

  constructor(needles: readonly string[] = CANDIDATE_NEEDLES) {
    const pats = needles.map((n) => new Uint8Array(Buffer.from(n, 'latin1')));
    this.minLen = Math.min(...pats.map((p) => p.length));
    const m = this.minLen;
    this.shift = new Uint8Array(65536).fill(m - 1);
    this.byBlock = new Array(65536);
    for (const p of pats) {
      for (let q = 2; q <= m; q++) {
        const block = (p[q - 2]! << 8) | p[q - 1]!;
        const s = m - q;
        if (s < this.shift[block]!) this.shift[block] = s;
        if (s === 0) (this.byBlock[block] ??= []).push(p);
      }
    }
  }

  /** Offset of the first needle occurrence that lies wholly in [from, to), or -1. */
  next(buf: Uint8Array, from: number, to: number): number {
    const shift = this.shift;
    let i = from + this.minLen - 1;
    while (i < to) {
      const s = shift[(buf[i - 1]! << 8) | buf[i]!]!;
      if (s !== 0) {
        i += s;
        continue;
      }
      if (this.matchEndingAt(buf, i, to)) return i - this.minLen + 1;
      i += 1;
    }
    return -1;
  }

  /**
   * Appends to `out`, in order, the offset of every needle occurrence that lies wholly in
   * [from, to) (at most one per offset).
   *
   * Speed: each step of the search waits for the table load of the step before it, so one
   * cursor leaves the CPU idle most of the time. Four cursors over the four quarters of the
   * range, advanced in lockstep, overlap those waits (~1.6x on the same CPU).
   */
  findAll(buf: Uint8Array, from: number, to: number, out: number[]): void {
    const m = this.minLen;
    const shift = this.shift;
    if (to - from < LANE_MIN_BYTES) {
      this.finishLane(buf, from + m - 1, to, to, out);
      return;
    }
    const quarter = Math.floor((to - from) / 4);
    const b1 = from + quarter;
    const b2 = b1 + quarter;
    const b3 = b2 + quarter;
    // Lane k finds the occurrences that start in [b_k, b_k+1): its window ends run to b_k+1 + m - 1.
    const e0 = b1 + m - 1;
    const e1 = b2 + m - 1;
    const e2 = b3 + m - 1;
    const [h1, h2, h3] = this.laneHits as [number[], number[], number[]];
    h1.length = 0;
    h2.length = 0;
    h3.length = 0;
    let i0 = from + m - 1;
    let i1 = b1 + m - 1;
    let i2 = b2 + m - 1;
    let i3 = b3 + m - 1;
    while (i0 < e0 && i1 < e1 && i2 < e2 && i3 < to) {
      const s0 = shift[(buf[i0 - 1]! << 8) | buf[i0]!]!;
      const s1 = shift[(buf[i1 - 1]! << 8) | buf[i1]!]!;
      const s2 = shift[(buf[i2 - 1]! << 8) | buf[i2]!]!;
      const s3 = shift[(buf[i3 - 1]! << 8) | buf[i3]!]!;
      if (s0 !== 0) i0 += s0;
      else if (this.matchEndingAt(buf, i0++, to)) out.push(i0 - m);
      if (s1 !== 0) i1 += s1;
      else if (this.matchEndingAt(buf, i1++, to)) h1.push(i1 - m);
      if (s2 !== 0) i2 += s2;
      else if (this.matchEndingAt(buf, i2++, to)) h2.push(i2 - m);
      if (s3 !== 0) i3 += s3;
      else if (this.matchEndingAt(buf, i3++, to)) h3.push(i3 - m);
    }
    this.finishLane(buf, i0, e0, to, out);
    this.finishLane(buf, i1, e1, to, h1);
    this.finishLane(buf, i2, e2, to, h2);
    this.finishLane(buf, i3, to, to, h3);
    for (const hits of [h1, h2, h3]) for (let k = 0; k < hits.length; k++) out.push(hits[k]!);
  }

  /** One cursor: window ends in [i, end), needles fitting before `to`. */
  private finishLane(buf: Uint8Array, i: number, end: number, to: number, out: number[]): void {
    const shift = this.shift;
    while (i < end) {
      const s = shift[(buf[i - 1]! << 8) | buf[i]!]!;
      if (s !== 0) {
        i += s;
        continue;
      }
      if (this.matchEndingAt(buf, i, to)) out.push(i - this.minLen + 1);
      i += 1;
    }
  }

  /** Whether a needle starts where the window ending at `i` starts, and ends before `to`. */
  private matchEndingAt(buf: Uint8Array, i: number, to: number): boolean {
    const start = i - this.minLen + 1;
    // A zero shift means the block ends some needle's first minLen bytes: it has a list.
    const cands = this.byBlock[(buf[i - 1]! << 8) | buf[i]!]!;
    for (let c = 0; c < cands.length; c++) {
      const p = cands[c]!;
      if (start + p.length > to) continue;
      let k = 0;
      while (k < p.length && buf[start + k] === p[k]) k++;
      if (k === p.length) return true;
    }
    return false;
  }
}
