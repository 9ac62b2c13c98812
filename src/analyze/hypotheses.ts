import type { Cause, Confidence, Hypothesis, Statement } from './analysis.js';
import type { GroupStats } from './groupStats.js';
import { CAUSES } from './statementKinds.js';

/**
 * Causes as ranked hypotheses. Each cause has rules: a piece of evidence adds or takes away
 * points, and says so (for or against). Points become confidence (3+ high, 2 medium, 1 low; none
 * or fewer: not listed), capped where the log alone cannot be sure: a leak and a slow start look
 * the same from kill times, load needs load metrics, and one kill is one sample. The same table
 * is written out in docs/verdicts.md.
 */
export interface HypothesisInput {
  s: GroupStats;
  single: boolean;
  burstRun: boolean;
  hostPressure: boolean;
  storm: boolean;
  bigAlloc: boolean;
  /** Every kill (two or more) caught the victim at about the same total-vm, far above what it held. */
  sameAllocation: boolean;
  smallSteps: boolean;
  statements: {
    lives: Statement | null;
    short: Statement;
    long: Statement;
    backoff: Statement;
    bigAlloc: Statement;
    smallSteps: Statement;
    copies: Statement | null;
    pressure: Statement | null;
  };
}

interface Score {
  points: number;
  because: Statement[];
  against: Statement[];
}

/** The most a cause can reach from the log alone. */
const CAP: Record<Cause, number> = { leak: 2, startup: 3, spike: 2, load: 2, 'fork-storm': 3, 'host-pressure': 3, 'limit-too-close': 2 };

type Rule = (i: HypothesisInput, add: (points: number, why: Statement | null) => void) => void;

const RULES: Record<Cause, Rule> = {
  leak: (i, add) => {
    const l = i.s.lives;
    if (i.single || i.hostPressure) return;
    if (i.s.recurrence.events >= 3 && i.s.limitsKb.length <= 1) add(1, i.statements.lives);
    if (l.regular) add(1, i.statements.lives);
    // A constant-rate leak restarts within a few percent of the same interval.
    if (!l.regular && l.cv !== null && !l.backoff) add(-1, i.statements.lives);
    if (i.smallSteps) add(1, i.statements.smallSteps);
    if (i.bigAlloc) add(-1, i.statements.bigAlloc);
    if (l.short) add(-2, i.statements.short);
    if (l.backoff) add(-2, i.statements.backoff);
    if (i.storm) add(-1, i.statements.copies);
  },
  startup: (i, add) => {
    const l = i.s.lives;
    if (i.single || i.hostPressure || i.storm) return;
    if (l.short) add(2, i.statements.short);
    if (l.backoff) add(2, i.statements.backoff);
    // The same big allocation in flight at every kill: each life dies at the same point of its start.
    if (i.bigAlloc) add(i.sameAllocation ? 2 : 1, i.statements.bigAlloc);
    if (i.burstRun && !l.short && !l.backoff) add(1, i.statements.lives);
    // A start-up that creeps past the limit over its whole life looks like a leak from kill times.
    if (!l.short && !l.backoff && l.regular && i.smallSteps) add(1, i.statements.long);
    // Uneven lives speak against a start-up loop, unless every kill caught the same allocation
    // (then the unevenness is the restarter's or the host's, not the memory's).
    if (l.irregular && !i.sameAllocation) add(-1, i.statements.lives);
  },
  spike: (i, add) => {
    const l = i.s.lives;
    if (i.hostPressure || i.storm) return;
    if (i.single) {
      if (i.s.memcg > 0 || i.s.global > 0) add(1, null);
      if (i.bigAlloc) add(2, i.statements.bigAlloc);
      if (i.smallSteps) add(-1, i.statements.smallSteps);
      return;
    }
    if (i.bigAlloc && l.irregular && !i.sameAllocation) add(1, i.statements.bigAlloc);
    if (l.irregular) add(1, i.statements.lives);
    // The same allocation at every kill, life after life, is the start, not a one-time spike.
    if (i.sameAllocation) add(-1, i.statements.bigAlloc);
    if (l.regular || l.short || l.backoff) add(-2, l.backoff ? i.statements.backoff : l.short ? i.statements.short : i.statements.lives);
  },
  load: (i, add) => {
    const l = i.s.lives;
    if (i.single || i.hostPressure || i.storm || l.count === 0 || l.cv === null) return;
    if (!l.regular) add(l.irregular ? 2 : 1, i.statements.lives);
    if (!l.regular && i.smallSteps) add(1, i.statements.smallSteps);
    if (i.sameAllocation) add(-1, i.statements.bigAlloc);
    if (l.regular) add(-1, i.statements.lives);
    if (l.short) add(-2, i.statements.short);
    if (l.backoff) add(-2, i.statements.backoff);
  },
  'fork-storm': (i, add) => {
    // Many copies in a table are normal for pre-forking servers; a storm is many copies and a burst.
    if (i.storm && i.burstRun) add(3, i.statements.copies);
  },
  'host-pressure': (i, add) => {
    if (i.hostPressure) add(3, i.statements.pressure);
  },
  'limit-too-close': (i, add) => {
    const l = i.s.lives;
    if (i.s.memcg === 0 || i.hostPressure || i.storm) return;
    if (i.single && i.smallSteps) add(1, i.statements.smallSteps);
    if (!i.single && l.irregular && !i.bigAlloc) add(1, i.statements.lives);
    if (l.regular || l.short) add(-1, l.short ? i.statements.short : i.statements.lives);
  },
};

function confidenceOf(points: number): Confidence | null {
  return points >= 3 ? 'high' : points === 2 ? 'medium' : points === 1 ? 'low' : null;
}

export function rankHypotheses(i: HypothesisInput): Hypothesis[] {
  const scored: (Hypothesis & { points: number })[] = [];
  for (const cause of CAUSES) {
    const score: Score = { points: 0, because: [], against: [] };
    RULES[cause](i, (points, why) => {
      score.points += points;
      if (why === null) return;
      const list = points > 0 ? score.because : score.against;
      if (!list.includes(why)) list.push(why);
    });
    const points = Math.min(score.points, CAP[cause]);
    const confidence = confidenceOf(points);
    if (confidence !== null) scored.push({ cause, confidence, because: score.because, against: score.against, points });
  }
  // Most points first; ties keep the table's order (leak, startup, spike, …).
  return scored.sort((a, b) => b.points - a.points).map(({ points: _points, ...h }) => h);
}
