import { formatKb } from '../units/formatKb.js';
import type { Cause, Confidence, GroupBy, Hypothesis, PressureHost, Statement, Verdict } from './analysis.js';
import { approxSize } from './approxSize.js';
import { durationText } from './durationText.js';
import type { GroupStats } from './groupStats.js';
import { rankHypotheses } from './hypotheses.js';
import { REGULAR_MAX_CV, IRREGULAR_MIN_CV } from './lives.js';
import { plainText, words, listOf, type Phrase } from './phrase.js';
import { BURST_GAP_SEC } from './recurrence.js';
import type { StatementKind } from './statementKinds.js';
import { userspaceEvidence, userspaceSteps } from './userspaceEvidence.js';

/**
 * The judgement of one group: the pattern in time (burst, host pressure, recurring, one-off),
 * the causes weighed as ranked hypotheses with the evidence for and against each, the growth
 * estimate (an upper bound unless the log shows a life's start), the next kill when the beat is
 * regular, and the next steps. Evidence and steps are data; renderers word them. Every figure
 * comes from the log; the estimates say they are estimates.
 */
export interface Judgement {
  verdict: Verdict;
  confidence: Confidence;
  headline: string;
  cause: Cause | null;
  hypotheses: Hypothesis[];
  growth: { kbPerMin: number; bound: 'upper' | 'estimate'; limitKb: number; lifeSec: number; startKb: number | null } | null;
  evidence: Statement[];
  nextSteps: Statement[];
  nextKill: { t: number; profileByT: number } | null;
  quiet: { sinceT: number; cycles: number } | null;
}

export interface VerdictContext {
  by: GroupBy;
  /** Hosts (by host key) whose global OOMs killed different processes. */
  pressure: Map<string, PressureHost>;
  /** Memory-cgroup OOM events per victim name and limit (memcgSignature) over the whole input, container-like paths only. */
  memcgEventsBySignature: Map<string, number>;
  /** Span of the whole input (wall clock, else uptime), for how much a single kill can be trusted to be one. */
  inputSpanSec: number | null;
}

/** This many processes of the victim's name in one task table make a burst a fork storm. */
const FORK_STORM_COPIES = 3;
const DAY = 86_400;

export function st(kind: StatementKind, values: Statement['values'] = {}): Statement {
  return { kind, values };
}

/** Kills of one name at one limit: a recreated container of the same service looks like this. */
export function memcgSignature(comm: string, limitKb: number | null): string {
  return `${comm}\u0000${limitKb ?? ''}`;
}

export function judge(s: GroupStats, ctx: VerdictContext): Judgement {
  const j = judgeKills(s, ctx);
  if (s.userspace === 0) return j;
  // What systemd-oomd or earlyoom acted on, and how to steer them, after the kernel-side reasoning.
  return {
    ...j,
    evidence: [...j.evidence, ...userspaceEvidence(s).map((text) => st('text', { text }))],
    nextSteps: [...j.nextSteps, ...userspaceSteps(s).map((text) => st('step-text', { text }))],
  };
}

function judgeKills(s: GroupStats, ctx: VerdictContext): Judgement {
  const rec = s.recurrence;
  const lives = s.lives;
  const dump = s.dump;
  const subject = s.comms.length === 1 ? s.comms[0]! : null;
  const subjectP: Phrase = subject !== null ? words`${subject}` : words`${s.comms.length} processes (${listOf(s.comms)})`;
  const onPressure = s.kills.filter((k) => k.scope === 'global' && ctx.pressure.has(k.hostKey));
  const hostPressure = onPressure.length > 0 && onPressure.length * 2 >= s.kills.length;
  const pressureHosts = [...new Set(onPressure.map((k) => ctx.pressure.get(k.hostKey)!))];
  const copies = s.maxSameNameTasks;
  const storm = copies !== null && copies >= FORK_STORM_COPIES;
  const oneLimit = s.limitsKb.length === 1 && s.memcg === s.kills.length - s.userspace && s.memcg > 0 ? s.limitKb : null;

  // --- What we saw: the facts, each once.
  const ev: Statement[] = [sawStatement(s)];
  ev.push(...scopeEvidence(s));
  if (s.cgroups.length > 1 && (ctx.by === 'comm' || ctx.by === 'host' || new Set(s.cgroups.map((c) => c.limitKb)).size > 1)) ev.push(st('cgroups', { cgroups: s.cgroups.slice(0, 8).map((c) => ({ path: c.path, limitKb: c.limitKb, kills: c.kills })), more: Math.max(0, s.cgroups.length - 8) }));
  const pods = new Set(s.kills.map((k) => k.record.workload?.kind === 'kubernetes' ? k.record.workload.pod : null).filter((p) => p !== null));
  if (ctx.by === 'service' && pods.size > 1) ev.push(st('inferred-deployment', { pods: pods.size, qos: s.kills[0]?.record.workload?.qos ?? null, limitKb: s.limitKb, comm: subject }));
  if (s.rss.median !== null) ev.push(st('victim-rss', { minKb: s.rss.min, medianKb: s.rss.median, maxKb: s.rss.max, limitKb: oneLimit }));
  ev.push(...tableEvidence(s, !hostPressure));
  // Runtimes that reserve address space (JVM heaps, V8, Go arenas) map far more than they hold
  // all the time, and so does anything on a long steady beat: there the gap is no allocation in flight.
  const reserves = s.runtime === 'jvm' || s.runtime === 'node' || s.runtime === 'go' || (lives.regular && (lives.medianSec ?? 0) >= 60);
  const bigAlloc = !reserves && dump.allocationKnown > 0 && dump.bigAllocation * 2 > dump.allocationKnown;
  const smallSteps = dump.allocationKnown > 0 && dump.bigAllocation === 0;
  const bigAllocSt = st('big-allocation', { kills: dump.bigAllocation, known: dump.allocationKnown, maxTotalVmKb: dump.maxTotalVmKb, limitKb: s.limitKb });
  const smallStepsSt = st('small-steps', { known: dump.allocationKnown, maxTotalVmKb: dump.maxTotalVmKb, limitKb: s.limitKb });
  if (!reserves && (bigAlloc || (dump.bigAllocation > 0 && !smallSteps))) ev.push(bigAllocSt);
  else if (smallSteps) ev.push(smallStepsSt);
  if (dump.memoryKinds) ev.push(st('memory-kinds', { ...dump.memoryKinds }));
  if (dump.failcnt !== null && dump.failcnt !== 0 && s.memcg > 0) ev.push(st('failcnt', { failcnt: dump.failcnt }));
  for (const t of dump.tinyVictims.slice(0, 3)) ev.push(st('odd-tiny-victim', { ...t }));
  for (const o of dump.implausible.slice(0, 3)) ev.push(st('odd-values', { ...o }));
  if (dump.sharedPages) ev.push(st('shared-pages', { ...dump.sharedPages }));

  // --- The pattern in time.
  const burstRun = rec.events >= 3 && rec.burstEvents * 2 >= rec.events && rec.largestBurst !== null;
  // A steady beat without one big allocation is a fast sawtooth, not a burst.
  const steadyBeat = lives.regular && !bigAlloc && !storm;
  const livesSt = lives.count > 0 && lives.medianSec !== null ? st('lives', { count: lives.count, medianSec: lives.medianSec, cv: lives.cv, regular: lives.regular, irregular: lives.irregular, regularMaxCv: REGULAR_MAX_CV, irregularMinCv: IRREGULAR_MIN_CV }) : null;
  const shortSt = st('short-life', { medianSec: lives.medianSec });
  const longSt = st('long-life', { medianSec: lives.medianSec, regular: lives.regular });
  const backoffSt = st('backoff', { livesSec: s.recurrence.lives.slice(0, 8).map((l) => Math.round(l.sec)) });
  if (burstRun && !steadyBeat) {
    const b = rec.largestBurst!;
    ev.push(st('burst-runs', { burstEvents: rec.burstEvents, events: rec.events, gapSec: BURST_GAP_SEC, largest: b.events, seconds: b.seconds }));
    const also = s.hostKeys.filter((h) => ctx.pressure.has(h));
    if (also.length > 0) ev.push(st('host-also-pressure', { hosts: also }));
  }
  if (copies !== null && (burstRun || storm)) ev.push(st('copies', { copies, comm: s.comms[0] ?? null, storm, newPidEachKill: newPidEachKill(s) }));
  if (hostPressure) {
    for (const h of pressureHosts) {
      ev.push(st('pressure-host', { host: h.host, victims: h.victims, globalKills: h.globalKills, ramKb: h.ramKb, swapKb: h.totalSwapKb }));
      if (h.largestConsumers.length > 0) ev.push(st('pressure-consumers', { host: h.host, consumers: consumerValues(h.largestConsumers) }));
    }
  }
  if (livesSt) ev.push(livesSt);
  if (lives.backoff) ev.push(backoffSt);
  else if (lives.short) ev.push(shortSt);
  else if (lives.count > 0 && lives.regular) ev.push(longSt);
  if (s.killsPerDay !== null) ev.push(st('kills-per-day', { perDay: s.killsPerDay, spanSec: s.spanSec }));

  // Single kill: one-off, or maybe the same service under another container id.
  const comm = s.comms[0] ?? '';
  const containerLike = s.kills.every((k) => ['docker', 'podman', 'kubernetes'].includes(k.record.workload?.kind ?? ''));
  const elsewhere = rec.events < 2 && s.memcg > 0 && containerLike ? (ctx.memcgEventsBySignature.get(memcgSignature(comm, s.limitKb)) ?? 0) - rec.events : 0;
  const maybeRecurring = ctx.by !== 'comm' && ctx.by !== 'host' && elsewhere > 0;
  if (maybeRecurring) ev.push(st('same-limit-elsewhere', { comm, times: elsewhere, limitKb: s.limitKb, by: ctx.by }));
  if (rec.events < 2 && !maybeRecurring && !hostPressure && !burstRun) {
    const span = ctx.inputSpanSec;
    ev.push(st('no-other', { spanSec: span !== null && span > 0 ? span : null }));
  }

  // --- The causes.
  const hypotheses = rankHypotheses({
    s,
    single: rec.events < 2,
    burstRun: burstRun && !steadyBeat,
    hostPressure,
    // Many copies are a storm only in a burst; pre-forking servers run several all the time.
    storm: storm && burstRun,
    bigAlloc,
    // Lives of hours that end in the same allocation are the same job or request, not the start.
    sameAllocation: bigAlloc && (lives.medianSec ?? 0) < 600 && dump.bigAllocation === dump.allocationKnown && dump.allocationKnown >= 2 && dump.minTotalVmKb !== null && dump.maxTotalVmKb !== null && dump.minTotalVmKb >= 0.95 * dump.maxTotalVmKb,
    smallSteps,
    statements: { lives: livesSt, short: shortSt, long: longSt, backoff: backoffSt, bigAlloc: bigAllocSt, smallSteps: smallStepsSt, copies: copies !== null ? st('copies', { copies, comm: s.comms[0] ?? null, storm, newPidEachKill: newPidEachKill(s) }) : null, pressure: hostPressure ? st('pressure-host', { host: pressureHosts[0]!.host, victims: pressureHosts[0]!.victims, globalKills: pressureHosts[0]!.globalKills, ramKb: pressureHosts[0]!.ramKb, swapKb: pressureHosts[0]!.totalSwapKb }) : null },
  });
  const top = hypotheses[0] ?? null;
  const second = hypotheses[1] ?? null;

  // --- Growth: limit ÷ life, only within one limit, an upper bound (the log does not show a life's start).
  const growth =
    top !== null && (top.cause === 'leak' || (second?.cause === 'leak' && second.confidence === top.confidence)) && oneLimit !== null && lives.medianSec !== null && lives.medianSec > 0 && !lives.backoff
      ? { kbPerMin: oneLimit / (lives.medianSec / 60), bound: 'upper' as const, limitKb: oneLimit, lifeSec: lives.medianSec, startKb: null }
      : null;
  if (growth) ev.push(st('growth', { ...growth }));

  // --- When next, and has it stopped?
  const quiet = lives.quietCycles !== null && lives.lastT !== null ? { sinceT: lives.lastT, cycles: lives.quietCycles } : null;
  const nextKill = lives.nextT !== null && lives.medianSec !== null && !(burstRun && !steadyBeat) ? { t: lives.nextT, profileByT: lives.nextT - 0.25 * lives.medianSec } : null;
  const timeValues = (t: number) => (lives.wall ? { atMs: Math.round(t * 1000), uptime: null } : { atMs: null, uptime: t });
  if (quiet) ev.push(st('quiet', { ...timeValues(quiet.sinceT), cycles: quiet.cycles, medianSec: lives.medianSec }));
  if (nextKill) ev.push(st('next-kill', { ...timeValues(nextKill.t), profileBy: lives.wall ? Math.round(nextKill.profileByT * 1000) : nextKill.profileByT, wall: lives.wall, medianSec: lives.medianSec }));

  // --- Verdict and headline.
  const verdict: Verdict = burstRun && !steadyBeat ? 'burst' : hostPressure ? 'host-pressure' : rec.events >= 2 || maybeRecurring ? 'recurring' : 'one-off';
  const confidence = patternConfidence(verdict, s, ctx, maybeRecurring, pressureHosts);
  const headline = plainText(headlineOf({ verdict, s, subjectP, top, second, growth, maybeRecurring, elsewhere, copies, storm, pressureHosts }));
  const steps = nextStepsOf({ verdict, s, top, growth, nextKill, quiet, storm, maybeRecurring, subject, pressureHosts });
  return { verdict, confidence, headline, cause: top?.cause ?? null, hypotheses, growth, evidence: ev, nextSteps: steps, nextKill, quiet };
}

function patternConfidence(verdict: Verdict, s: GroupStats, ctx: VerdictContext, maybe: boolean, hosts: PressureHost[]): Confidence {
  const rec = s.recurrence;
  switch (verdict) {
    case 'burst':
      return rec.largestBurst!.events >= 5 ? 'high' : 'medium';
    case 'host-pressure':
      return new Set(hosts.flatMap((h) => h.victims)).size >= 3 || hosts.some((h) => h.globalKills >= 3) ? 'high' : 'medium';
    case 'recurring':
      if (maybe) return 'low';
      return rec.events >= 5 && s.lives.regular ? 'high' : rec.events >= 3 ? 'medium' : 'low';
    case 'one-off': {
      const span = ctx.inputSpanSec;
      return span !== null && span >= 7 * DAY ? 'high' : span !== null && span >= DAY ? 'medium' : 'low';
    }
  }
}

/** The cause in a few words, for the headline. */
export function causeWords(cause: Cause, s: GroupStats, growth: Judgement['growth']): Phrase {
  const limit = s.limitKb !== null ? formatKb(s.limitKb) : 'its limit';
  switch (cause) {
    case 'leak':
      return growth ? words`a leak of at most ≈ ${rateText(growth.kbPerMin, growth.lifeSec)} (an upper-bound estimate)` : words`a leak`;
    case 'startup':
      return words`a start-up that needs more than ${limit}${s.dump.maxTotalVmKb !== null && s.limitKb !== null && s.dump.maxTotalVmKb > s.limitKb ? ` (about ${approxSize(s.dump.maxTotalVmKb)} mapped when killed)` : ''}`;
    case 'spike':
      return words`one big allocation, a spike${s.dump.maxTotalVmKb !== null ? ` (${approxSize(s.dump.maxTotalVmKb)} mapped under ${limit})` : ''}`;
    case 'load':
      return words`load peaks above ${limit}`;
    case 'fork-storm':
      return words`a fork storm`;
    case 'host-pressure':
      return words`the host running short as a whole`;
    case 'limit-too-close':
      return words`a limit set too close to normal use`;
  }
}

/** A growth rate per second for lives under two minutes, else per minute. */
export function rateText(kbPerMin: number, lifeSec: number): string {
  return lifeSec < 120 ? `${approxSize(kbPerMin / 60)}/s` : `${approxSize(kbPerMin)}/min`;
}

interface HeadlineInput {
  verdict: Verdict;
  s: GroupStats;
  subjectP: Phrase;
  top: Hypothesis | null;
  second: Hypothesis | null;
  growth: Judgement['growth'];
  maybeRecurring: boolean;
  elsewhere: number;
  copies: number | null;
  storm: boolean;
  pressureHosts: PressureHost[];
}

function headlineOf(h: HeadlineInput): Phrase {
  const { s, subjectP, top, second } = h;
  const lives = s.lives;
  const limit = s.limitKb !== null ? formatKb(s.limitKb) : null;
  const causeP: Phrase = top ? causeWords(top.cause, s, h.growth) : [];
  // The runner-up is named when it is as likely as the top cause.
  const orP: Phrase = top && second && second.confidence === top.confidence ? words`, or ${causeWords(second.cause, s, h.growth)}; memory samples over one life would decide` : [];
  const likely: Phrase = top ? words`${top.confidence === 'low' ? 'perhaps' : 'most likely'} ${causeP}${orP}` : [];
  switch (h.verdict) {
    case 'burst': {
      const b = s.recurrence.largestBurst!;
      const like = h.copies === null ? 'like a crash loop or a fork storm' : h.storm ? 'like a fork storm' : 'like a crash loop';
      const tail: Phrase = top && top.cause !== 'fork-storm' && top.confidence !== 'low' ? words`: ${likely}` : [];
      return words`Burst: ${b.events} kills of ${subjectP} within ${durationText(b.seconds)}, ${like}${tail}.`;
    }
    case 'host-pressure':
      return words`Host pressure: ${listOf(h.pressureHosts.map((p) => p.host))} ran short of memory as a whole; the OOM killer took different processes there, ${subjectP} among them, so this is not one process leaking.`;
    case 'recurring': {
      if (h.maybeRecurring) return words`Recurring, maybe: a single kill here, but ${s.comms[0] ?? ''} was killed ${times(h.elsewhere)} more elsewhere.`;
      const where: Phrase = s.userspace === s.kills.length ? words` by ${listOf(s.killers)}` : s.memcg === s.kills.length ? (s.limitsKb.length > 1 ? words` at its cgroup limits (${s.limitsKb.map(formatKb).join(', ')})` : words` at its ${limit ?? 'unknown'} limit`) : s.global === s.kills.length ? words` by whole-system OOMs` : [];
      const med = lives.medianSec;
      const rhythm: Phrase =
        med === null ? [] : lives.backoff ? words`, with gaps that double (a restart back-off)` : lives.regular ? words` every ~${durationText(med)}` : words`, a median of ~${durationText(med)} apart${lives.irregular ? ', irregularly' : ''}`;
      const head: Phrase = lives.regular ? words`${subjectP} is killed${rhythm}${where}` : words`${subjectP} was killed ${times(s.kills.length)}${where}${rhythm}`;
      const label = top?.cause === 'leak' && lives.regular ? 'Recurring, leak-like sawtooth' : 'Recurring';
      return top ? words`${label}: ${head}: ${likely}.` : words`${label}: ${head}.`;
    }
    case 'one-off': {
      const at: Phrase = s.memcg > 0 ? words` at its ${limit ?? 'unknown'} limit` : s.global > 0 ? words` by a whole-system OOM` : s.userspace > 0 ? words` by ${listOf(s.killers)}` : [];
      return words`One-off: a single kill of ${subjectP}${at}; nothing like it elsewhere in the log${top && top.confidence !== 'low' ? words`: ${likely}` : []}.`;
    }
  }
}

interface StepInput {
  verdict: Verdict;
  s: GroupStats;
  top: Hypothesis | null;
  growth: Judgement['growth'];
  nextKill: Judgement['nextKill'];
  quiet: Judgement['quiet'];
  storm: boolean;
  maybeRecurring: boolean;
  subject: string | null;
  pressureHosts: PressureHost[];
}

function nextStepsOf(i: StepInput): Statement[] {
  const { s } = i;
  const comm = i.subject ?? s.comms[0] ?? '';
  const lives = s.lives;
  const out: Statement[] = [];
  const wallMs = (t: number) => (lives.wall ? Math.round(t * 1000) : null);
  if (i.quiet) out.push(st('step-where-moved', { comm, cycles: i.quiet.cycles }));
  const profile = st('step-profile', { comm, runtime: s.runtime, lifeSec: lives.medianSec, byMs: i.nextKill ? wallMs(i.nextKill.profileByT) : null });
  switch (i.top?.cause ?? null) {
    case 'leak':
      out.push(profile, st('step-memory-curve', { limitKb: s.limitKb, lifeSec: lives.medianSec }), st('step-raise-limit-leak', {}));
      break;
    case 'startup':
      out.push(
        st('step-raise-limit-startup', { atLeastKb: s.dump.maxTotalVmKb !== null && s.limitKb !== null && s.dump.maxTotalVmKb > s.limitKb ? roundUpMiB(s.dump.maxTotalVmKb) : null, limitKb: s.limitKb }),
        st('step-startup-memory', { comm, limitKb: s.limitKb }),
        st('step-restart-reasons', { comm }),
      );
      break;
    case 'spike':
      out.push(st('step-check-doing', { comm }), st('step-compare-usual', { limitKb: s.limitKb, memcg: s.memcg > 0 }), profile);
      break;
    case 'load':
      out.push(st('step-load-peaks', { comm, limitKb: s.limitKb }), st('step-memory-curve', { limitKb: s.limitKb, lifeSec: lives.medianSec }));
      break;
    case 'limit-too-close':
      out.push(st('step-compare-usual', { limitKb: s.limitKb, memcg: s.memcg > 0 }), st('step-check-doing', { comm }));
      break;
    case 'fork-storm':
      out.push(st('step-fork-parent', { comm }));
      break;
    case 'host-pressure': {
      const top = i.pressureHosts[0]?.largestConsumers.map((c) => c.name) ?? [];
      out.push(st('step-host-consumers', { top }), st('step-set-limits', {}), st('step-overcommit', {}));
      break;
    }
    case null:
      out.push(st('step-check-doing', { comm }), st('step-compare-usual', { limitKb: s.limitKb, memcg: s.memcg > 0 }));
  }
  if (i.verdict === 'burst' && i.top?.cause !== 'fork-storm' && i.top?.cause !== 'startup') out.push(st('step-restart-reasons', { comm }));
  if (i.verdict === 'burst' && i.top?.cause === 'fork-storm') out.push(st(s.memcg > 0 ? 'step-startup-memory' : 'step-host-memory', { comm, limitKb: s.limitKb }));
  if (i.maybeRecurring) out.unshift(st('step-by-comm', { comm }));
  if (s.global > s.memcg && i.verdict === 'recurring') out.push(st('step-own-limit', { comm }));
  if (i.verdict === 'one-off' || i.quiet) out.push(st('step-keep-watching', {}));
  return out;
}

function roundUpMiB(kb: number): number {
  return Math.ceil(kb / 10240) * 10240;
}

function sawStatement(s: GroupStats): Statement {
  return st('saw', { kills: s.kills.length, events: s.recurrence.events, comms: s.comms.slice(0, 5), moreComms: Math.max(0, s.comms.length - 5), hosts: s.hosts.slice(0, 4), moreHosts: Math.max(0, s.hosts.length - 4), firstMs: s.firstMs, lastMs: s.lastMs });
}

/** What the kernel's reports say about limits; userspace kills have their own evidence. */
function scopeEvidence(s: GroupStats): Statement[] {
  const n = s.kills.length - s.userspace;
  if (n === 0) return [];
  return [st('scope', { kills: n, memcg: s.memcg, global: s.global, unknown: n - s.memcg - s.global, limitsKb: s.limitsKb, unlimited: s.kills.some((k) => k.kernel?.cgroup?.unlimited?.includes('memory')) })];
}

function tableEvidence(s: GroupStats, withConsumers: boolean): Statement[] {
  const out: Statement[] = [];
  const vl = s.victimLargest;
  const bigger = s.kills.find((k) => k.victimIsLargest === false)?.largest;
  if (vl.yes === vl.known && vl.known > 0) out.push(st('victim-largest', { yes: vl.yes, known: vl.known }));
  else if (vl.known === 1 && bigger) out.push(st('victim-not-largest', { name: bigger.name, pid: bigger.pid, oomScoreAdj: bigger.oomScoreAdj }));
  else if (vl.known > 0) out.push(st('victim-largest', { yes: vl.yes, known: vl.known }));
  const t = s.triggeredByOther;
  if (t.yes > 0) out.push(st('triggered-by-other', { yes: t.yes, known: t.known, comms: t.comms, siblings: t.comms.filter((c) => s.comms.includes(c)) }));
  if (withConsumers && s.largestConsumers.length > 0 && vl.yes < vl.known) out.push(st('consumers', { consumers: consumerValues(s.largestConsumers) }));
  return out;
}

function consumerValues(consumers: { name: string; rssKb: number | null; rssPages: number; share: number }[]): Statement['values'][string] {
  return consumers.map((c) => ({ name: c.name, rssKb: c.rssKb, rssPages: c.rssPages, share: c.share }));
}

function newPidEachKill(s: GroupStats): boolean {
  const pids = new Set(s.kills.map((k) => k.record.victim?.pid ?? null));
  return !pids.has(null) && pids.size === s.kills.length;
}

export function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}
