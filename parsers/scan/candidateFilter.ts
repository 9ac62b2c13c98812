/**
 * Byte strings at least one of which is in every line that can open an OOM report or that
 * matters while none is open (a late oom_reaper line). Lines without any of them are skipped
 * undecoded while no report is open. `test/candidateFilter.test.ts` checks that every sample of
 * every opening line kind holds one.
 */
export const CANDIDATE_NEEDLES = [
  'oom-killer:',
  'oom-kill:',
  'oom_reaper',
  'Killed process',
  'ill process ',
  'Task in ',
  'Memory limit reached',
  'memory: usage',
  'Memory cgroup stats for',
  'Tasks state',
  'tgid total_vm',
  'is already exiting',
  'no killable process',
  // journal JSON whose MESSAGE is a byte array: the text is not searchable until decoded.
  '"MESSAGE":[',
] as const;

/**
 * Multi-needle search (Wu-Manber with 2-byte blocks) over a Buffer. The scan loop is the hot
 * path of `oomlens scan`: it looks at about one byte in six, so it stays close to `grep`.
 */
export class CandidateFilter {
  private readonly minLen: number;
  private readonly shift: Uint8Array;
  private readonly byBlock: (Uint8Array[] | undefined)[];

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

  /** Offset of the first needle occurrence starting in [from, to), or -1. */
  next(buf: Uint8Array, from: number, to: number): number {
    const m = this.minLen;
    const shift = this.shift;
    let i = from + m - 1;
    while (i < to) {
      const s = shift[(buf[i - 1]! << 8) | buf[i]!]!;
      if (s !== 0) {
        i += s;
        continue;
      }
      const start = i - m + 1;
      const cands = this.byBlock[(buf[i - 1]! << 8) | buf[i]!]!;
      for (let c = 0; c < cands.length; c++) {
        const p = cands[c]!;
        if (start + p.length > to) continue;
        let k = 0;
        while (k < p.length && buf[start + k] === p[k]) k++;
        if (k === p.length) return start;
      }
      i += 1;
    }
    return -1;
  }
}
