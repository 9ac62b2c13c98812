import { coefficientOfVariation, median } from './distribution.js';
import type { Recurrence } from './recurrence.js';

/**
 * The rhythm of a group's lives (the time from one kill to the next, restart included): how long,
 * how regular, whether the gaps double as a restart back-off does, when the next kill is due and
 * whether the kills have stopped. Pure: "now" is never read; the end of the input is an argument.
 */
export interface Lives {
  count: number;
  medianSec: number | null;
  cv: number | null;
  regular: boolean;
  irregular: boolean;
  short: boolean;
  /** Gaps that double (10 s, 20 s, 40 s … capped near 5 min): a restart back-off, not a memory rhythm. */
  backoff: boolean;
  /** When the next kill is due on the lives' clock (seconds), if the beat is regular. */
  nextT: number | null;
  /** Whole cycles without a kill between the last kill and the end of the input. */
  quietCycles: number | null;
  lastT: number | null;
  wall: boolean;
}

/**
 * A steady beat: a constant-rate leak restarts within 1–2% of the same interval (a busy host or a
 * slow restart adds a few percent); 35% is no beat at all. 15% separates the two.
 */
export const REGULAR_MAX_CV = 0.15;
/** Beyond this the kills follow something irregular (load, jobs), not a clock. */
export const IRREGULAR_MIN_CV = 0.35;
/** A life this short is a start-up that cannot fit (a restart plus seconds of running). */
export const SHORT_LIFE_SEC = 4;
/** Quiet for this many cycles: the kills have stopped (fixed, or the service moved). */
export const QUIET_CYCLES = 3;

export function livesOf(rec: Recurrence, inputEndT: number | null): Lives {
  const secs = rec.lives.map((l) => l.sec);
  const med = median(secs);
  const cv = coefficientOfVariation(secs);
  const backoff = isBackoff(secs);
  const regular = !backoff && secs.length >= 2 && cv !== null && cv <= REGULAR_MAX_CV;
  const lastT = rec.lives.length > 0 ? rec.lives[rec.lives.length - 1]!.endT : null;
  const quiet = regular && med !== null && med > 0 && lastT !== null && inputEndT !== null ? Math.floor((inputEndT - lastT) / med) : null;
  return {
    count: secs.length,
    medianSec: med,
    cv,
    regular,
    irregular: !backoff && cv !== null && cv > IRREGULAR_MIN_CV,
    short: med !== null && med < SHORT_LIFE_SEC,
    backoff,
    nextT: regular && med !== null && lastT !== null && (quiet === null || quiet < QUIET_CYCLES) ? lastT + med : null,
    quietCycles: quiet !== null && quiet >= QUIET_CYCLES ? quiet : null,
    lastT,
    wall: rec.livesClock?.startsWith('wall') ?? false,
  };
}

/** At least three gaps in a row, each about twice the one before, or held at the ~5 min cap. */
function isBackoff(secs: number[]): boolean {
  if (secs.length < 3) return false;
  let run = 1;
  for (let i = 1; i < secs.length; i++) {
    const ratio = secs[i]! / secs[i - 1]!;
    const doubled = ratio >= 1.6 && ratio <= 2.5;
    const capped = secs[i]! >= 240 && secs[i]! <= 330 && secs[i - 1]! >= 120;
    run = doubled || (capped && run > 1) ? run + 1 : 1;
    if (run >= 3 && secs[0]! < 120) return true;
  }
  return false;
}
