import { signedInt, sizeInt } from './kernelInt.js';

/**
 * The `Killed process` line's comm can hold `)` and spaces (`((sd-pam))`, `Web Content`), so
 * the comm ends at the `)` that comes before the first size field, not at the first `)`.
 */
const COMM_ENDS = [') total-vm:', ') vsz:', '), UID ', ', UID '];

export function parseVictimHead(rest: string): { comm: string; tail: string } | null {
  for (const end of COMM_ENDS) {
    const i = rest.indexOf(end);
    if (i >= 0) return { comm: end === ', UID ' ? rest.slice(0, i).replace(/\)$/, '') : rest.slice(0, i), tail: rest.slice(i + 1) };
  }
  const close = rest.lastIndexOf(')');
  if (close < 0) return null;
  return { comm: rest.slice(0, close), tail: rest.slice(close + 1) };
}

/** `total-vm:390360kB, anon-rss:...kB, UID:0 pgtables:1556kB oom_score_adj:0` */
export function parseKillTail(tail: string): { kb: Map<string, number>; uid: number | null; oomScoreAdj: number | null } {
  const kb = new Map<string, number>();
  // Bounded key length: an unbounded `[a-z-]+` is quadratic on a hostile 64 KiB line.
  for (const m of tail.matchAll(/([a-z-]{1,24}):(\d+)kB/g)) {
    const n = sizeInt(m[2]);
    if (n !== null) kb.set(m[1]!, n);
  }
  const uid = /UID[: ](\d+)/.exec(tail);
  const adj = /oom_score_adj:(-?\d+)/.exec(tail);
  return { kb, uid: signedInt(uid?.[1]), oomScoreAdj: signedInt(adj?.[1]) };
}
