import { coefficientOfVariation, median } from './distribution.js';
import type { KillFacts } from './killFacts.js';

/**
 * When a group's kills happen: the intervals between its OOM events on each clock (one host's
 * wall clock, or one boot's uptime), pooled, and the bursts among them. Kills of one event
 * (memory.oom.group) count once; kills on different hosts are never subtracted.
 */
export interface Recurrence {
  events: number;
  intervalsSec: number[];
  medianIntervalSec: number | null;
  intervalCv: number | null;
  /** The longest stretch one clock covers, first event to last. */
  spanSec: number | null;
  /** Events in runs of at least BURST_MIN_EVENTS whose gaps are all under BURST_GAP_SEC. */
  burstEvents: number;
  largestBurst: { events: number; seconds: number } | null;
  /** Each life of the longest line: when it ended (seconds on its clock) and how long it was. */
  lives: { endT: number; sec: number }[];
  /** The clock of `lives` ("wall …" or "uptime …"), null without times. */
  livesClock: string | null;
}

/** Kills this close together are one run (a crash loop restarts within seconds to a minute). */
export const BURST_GAP_SEC = 120;
export const BURST_MIN_EVENTS = 3;

/**
 * `lineOf` splits the kills into lives that can follow each other: by default one clock; the
 * analyzer adds the service, so that two cgroups of one process name never interleave.
 */
export function recurrenceOf(kills: KillFacts[], lineOf: (k: KillFacts) => string = () => ''): Recurrence {
  const eventIds = new Set<string>();
  const byClock = new Map<string, Map<string, number>>();
  for (const k of kills) {
    eventIds.add(k.record.eventId);
    if (k.clock === null || k.t === null) continue;
    const line = `${k.clock}\u0000${lineOf(k)}`;
    let events = byClock.get(line);
    if (!events) byClock.set(line, (events = new Map()));
    if (!events.has(k.record.eventId)) events.set(k.record.eventId, k.t);
  }
  const intervals: number[] = [];
  let burstEvents = 0;
  let largestBurst: Recurrence['largestBurst'] = null;
  let spanSec: number | null = null;
  let lives: Recurrence['lives'] = [];
  let livesClock: string | null = null;
  for (const [line, events] of byClock) {
    const times = [...events.values()].sort((a, b) => a - b);
    if (times.length - 1 > lives.length) {
      lives = times.slice(1).map((t, i) => ({ endT: t, sec: t - times[i]! }));
      livesClock = line.split('\u0000')[0]!;
    }
    spanSec = Math.max(spanSec ?? 0, times[times.length - 1]! - times[0]!);
    let runStart = 0;
    for (let i = 1; i <= times.length; i++) {
      if (i < times.length) intervals.push(times[i]! - times[i - 1]!);
      if (i < times.length && times[i]! - times[i - 1]! < BURST_GAP_SEC) continue;
      const run = i - runStart;
      if (run >= BURST_MIN_EVENTS) {
        burstEvents += run;
        const seconds = times[i - 1]! - times[runStart]!;
        if (!largestBurst || run > largestBurst.events) largestBurst = { events: run, seconds };
      }
      runStart = i;
    }
  }
  return {
    events: eventIds.size,
    intervalsSec: intervals,
    medianIntervalSec: median(intervals),
    intervalCv: coefficientOfVariation(intervals),
    spanSec,
    burstEvents,
    largestBurst,
    lives,
    livesClock,
  };
}
