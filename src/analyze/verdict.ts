import { formatKb } from '../render/killTable.js';
import { approxSize } from './approxSize.js';
import type { Confidence, GroupBy, PressureHost, Verdict } from './analysis.js';
import { durationText } from './durationText.js';
import type { GroupStats } from './groupStats.js';
import { userspaceEvidence, userspaceSteps } from './userspaceEvidence.js';
import { BURST_GAP_SEC } from './recurrence.js';
import { spanTimeText, timeText } from './timeText.js';

/**
 * The verdict on one group, reasoned the way an SRE would: is it many kills in a moment (burst),
 * a host that is short of memory as a whole (host pressure), the same thing dying again and
 * again (recurring, and a leak when it dies at the same limit on a steady beat), or a one-off.
 * Every figure quoted comes from the log; the growth rate is the one estimate, and says so.
 */
export interface Judgement {
  verdict: Verdict;
  confidence: Confidence;
  headline: string;
  growthKbPerMin: number | null;
  evidence: string[];
  nextSteps: string[];
}

export interface VerdictContext {
  by: GroupBy;
  /** Hosts (by host key) whose global OOMs killed different processes. */
  pressure: Map<string, PressureHost>;
  /** Memory-cgroup OOM events per victim name and limit (memcgSignature) over the whole input. */
  memcgEventsBySignature: Map<string, number>;
  /** Span of the whole input (wall clock, else uptime), for how much a single kill can be trusted to be one. */
  inputSpanSec: number | null;
}

/** A sawtooth needs this many kills, this much regularity, and nearly all at one limit. */
const SAWTOOTH_MIN_EVENTS = 3;
const SAWTOOTH_MAX_CV = 0.35;
const SAWTOOTH_MIN_SHARE = 0.8;
const DAY = 86_400;
/** This many processes of the victim's name in one task table make a burst a fork storm. */
const FORK_STORM_COPIES = 3;

/** Kills of one name at one limit: a recreated container of the same service looks like this. */
export function memcgSignature(comm: string, limitKb: number | null): string {
  return `${comm}\u0000${limitKb ?? ''}`;
}

export function judge(s: GroupStats, ctx: VerdictContext): Judgement {
  const j = judgeKills(s, ctx);
  if (s.userspace === 0) return j;
  // What systemd-oomd or earlyoom acted on, and how to steer them, after the kernel-side reasoning.
  return { ...j, evidence: [...j.evidence, ...userspaceEvidence(s)], nextSteps: [...j.nextSteps, ...userspaceSteps(s)] };
}

function judgeKills(s: GroupStats, ctx: VerdictContext): Judgement {
  const rec = s.recurrence;
  const subject = s.comms.length === 1 ? s.comms[0]! : `${s.comms.length} processes (${list(s.comms)})`;
  const onPressure = s.kills.filter((k) => k.scope === 'global' && ctx.pressure.has(k.hostKey));
  const hostPressure = onPressure.length > 0 && onPressure.length * 2 >= s.kills.length;
  // Under host pressure the host's consumers are listed instead of the group's.
  const evidence = [whatWeSaw(s, subject), ...scopeEvidence(s), ...rssEvidence(s), ...tableEvidence(s, !hostPressure)];

  if (rec.events >= 3 && rec.burstEvents * 2 >= rec.events && rec.largestBurst) {
    const b = rec.largestBurst;
    evidence.push(
      `${rec.burstEvents} of ${rec.events} OOM events came in runs less than ${durationText(BURST_GAP_SEC)} apart; the largest run held ${b.events} within ${durationText(b.seconds)}.`,
    );
    const host = pressureEvidence(s, ctx);
    if (host) evidence.push(host);
    // Many copies alive at once is a fork storm; one at a time, each with a new pid, a crash loop.
    const copies = s.maxSameNameTasks;
    const storm = copies !== null && copies >= FORK_STORM_COPIES;
    if (copies !== null) {
      evidence.push(
        storm
          ? `Up to ${copies} processes named ${s.comms[0]} were in one task table: many copies at once, like a fork storm.`
          : `At most ${copies} process${copies === 1 ? '' : 'es'} named ${s.comms[0]} in any task table${newPidEachKill(s) ? ', a new pid each kill' : ''}: one instance restarting, like a crash loop.`,
      );
    }
    const like = copies === null ? 'like a crash loop or a fork storm' : storm ? 'like a fork storm' : 'like a crash loop';
    return {
      verdict: 'burst',
      confidence: b.events >= 5 ? 'high' : 'medium',
      headline: `Burst: ${b.events} kills of ${subject} within ${durationText(b.seconds)}, ${like}.`,
      growthKbPerMin: null,
      evidence,
      nextSteps: [
        storm
          ? `Find the parent that started so many ${subject} processes (the task tables list them; pstree or the job's logs) and cap it: fewer parallel jobs, pids.max, ulimit -u.`
          : `Find what restarted ${subject} so quickly: restart counts and exit reasons (systemctl status, kubectl describe pod, docker inspect).`,
        s.memcg > 0
          ? `Check whether ${formatKb(s.limitKb)} is enough for ${subject} to start at all: its memory right after start-up against the limit.`
          : `Check the host memory at the time: how much each ${subject} needs times how many ran at once, against the RAM.`,
      ],
    };
  }

  if (hostPressure) {
    const hosts = [...new Set(onPressure.map((k) => ctx.pressure.get(k.hostKey)!))];
    const victims = new Set(hosts.flatMap((h) => h.victims));
    for (const h of hosts) {
      evidence.push(`Whole-system OOMs on ${h.host} killed ${h.victims.length} different processes (${list(h.victims)}) in ${h.globalKills} kills.`);
      const size = [h.ramKb !== null ? `${formatKb(h.ramKb)} of RAM` : null, h.totalSwapKb === 0 ? 'no swap' : h.totalSwapKb !== null ? `${formatKb(h.totalSwapKb)} of swap` : null].filter((x) => x !== null);
      if (size.length > 0) evidence.push(`${h.host} has ${size.join(' and ')}.`);
      if (h.largestConsumers.length > 0) evidence.push(`Largest consumers in ${h.host}'s task tables (RSS, share of the table): ${consumerText(h.largestConsumers)}.`);
    }
    const top = hosts[0]!.largestConsumers.map((c) => c.name);
    return {
      verdict: 'host-pressure',
      confidence: victims.size >= 3 || hosts.some((h) => h.globalKills >= 3) ? 'high' : 'medium',
      headline: `Host pressure: ${list(hosts.map((h) => h.host))} ran short of memory as a whole; the OOM killer took different processes there, ${subject} among them, so this is not one process leaking.`,
      growthKbPerMin: null,
      evidence,
      nextSteps: [
        `Compare the host's memory with what its largest consumers hold${top.length > 0 ? ` (${list(top)})` : ''}: per-process memory metrics over a day show whether one of them grows.`,
        'Set memory limits (cgroup memory.max, container limits, Kubernetes requests and limits) so one service cannot starve the rest, or give the host more memory.',
        'Look for overcommit: the sum of the services’ expected peaks against the host RAM (and swap).',
      ],
    };
  }

  if (rec.events >= 2) return recurring(s, subject, evidence);

  const comm = s.comms[0] ?? '';
  const elsewhere = s.memcg > 0 ? (ctx.memcgEventsBySignature.get(memcgSignature(comm, s.limitKb)) ?? 0) - rec.events : 0;
  if ((ctx.by === 'workload' || ctx.by === 'cgroup') && elsewhere > 0) {
    evidence.push(
      `${comm} was killed ${times(elsewhere)} more at ${s.limitKb !== null ? `the same ${formatKb(s.limitKb)} limit` : 'a cgroup limit'} under other ${ctx.by === 'workload' ? 'workloads' : 'cgroups'}: a recreated container gets a new id, so these may be the same service.`,
    );
    return {
      verdict: 'recurring',
      confidence: 'low',
      headline: `Recurring, maybe: a single kill here, but ${comm} was killed ${times(elsewhere)} more elsewhere.`,
      growthKbPerMin: null,
      evidence,
      nextSteps: [`Run \`oomlens report --by comm\` to see every kill of ${comm} together.`, ...oneOffSteps(s, comm)],
    };
  }
  const span = ctx.inputSpanSec;
  evidence.push(
    span !== null && span > 0
      ? `No other kill like it in the ${durationText(span)} the log's kills span.`
      : 'No other kill like it in the log; the log gives no wider time span to judge by.',
  );
  return {
    verdict: 'one-off',
    confidence: span !== null && span >= 7 * DAY ? 'high' : span !== null && span >= DAY ? 'medium' : 'low',
    headline: `One-off: a single kill of ${subject}${s.memcg > 0 ? ` at its ${formatKb(s.limitKb)} limit` : s.global > 0 ? ' by a whole-system OOM' : s.userspace > 0 ? ` ${byKiller(s)}` : ''}; nothing like it elsewhere in the log.`,
    growthKbPerMin: null,
    evidence,
    nextSteps: oneOffSteps(s, comm),
  };
}

function recurring(s: GroupStats, subject: string, evidence: string[]): Judgement {
  const rec = s.recurrence;
  const median = rec.medianIntervalSec;
  const cv = rec.intervalCv;
  if (median !== null) {
    evidence.push(
      `Median ${durationText(median)} between kills on the same host${cv !== null ? `; the intervals vary by ${Math.round(cv * 100)}% (${cv <= SAWTOOTH_MAX_CV ? 'regular' : 'irregular'})` : ''}.`,
    );
  }
  if (s.killsPerDay !== null) evidence.push(`About ${s.killsPerDay >= 10 ? Math.round(s.killsPerDay) : s.killsPerDay.toFixed(1)} kills a day over the ${durationText(s.spanSec!)} they span.`);
  const sawtooth =
    rec.events >= SAWTOOTH_MIN_EVENTS &&
    median !== null &&
    median > 0 &&
    cv !== null &&
    cv <= SAWTOOTH_MAX_CV &&
    s.limitKb !== null &&
    s.atTopLimit >= SAWTOOTH_MIN_SHARE * s.kills.length;
  if (sawtooth) {
    const growth = s.limitKb! / (median / 60);
    evidence.push(`Estimate: ${formatKb(s.limitKb)} ÷ ${durationText(median)} ≈ ${approxSize(growth)}/min, assuming it restarts near zero and grows steadily to the limit.`);
    return {
      verdict: 'recurring',
      confidence: rec.events >= 5 && cv <= 0.2 ? 'high' : 'medium',
      headline: `Recurring, leak-like sawtooth: ${subject} is killed every ~${durationText(median)} at its ${formatKb(s.limitKb)} limit; it grows ≈ ${approxSize(growth)}/min between restarts (an estimate).`,
      growthKbPerMin: growth,
      evidence,
      nextSteps: [
        `Take heap profiles of ${subject} twice between restarts (say at a third and at two thirds of the ~${durationText(median)} cycle) and compare what grew.`,
        `Graph the cgroup's memory usage over one cycle: a straight ramp to ${formatKb(s.limitKb)} confirms the leak; a jump points at one request or job.`,
        'Raising the limit should stretch the interval in proportion if it is a leak; if the kills stop, the limit was simply too small.',
      ],
    };
  }
  const where = s.userspace === s.kills.length ? byKiller(s) : s.memcg === s.kills.length ? `at its ${s.limitsKb.length > 1 ? `cgroup limits (${s.limitsKb.map(formatKb).join(', ')})` : `${formatKb(s.limitKb)} limit`}` : s.global === s.kills.length ? 'by whole-system OOMs' : '';
  const regular = cv !== null && cv <= SAWTOOTH_MAX_CV;
  return {
    verdict: 'recurring',
    confidence: rec.events >= 3 ? 'medium' : 'low',
    headline: `Recurring: ${subject} was killed ${times(s.kills.length)}${where ? ` ${where}` : ''}${median !== null ? `, ${regular ? 'every' : 'a median of'} ~${durationText(median)}${regular ? '' : ' apart'}` : ''}.`,
    growthKbPerMin: null,
    evidence,
    nextSteps:
      s.memcg > s.global
        ? [
            `Watch ${subject}'s memory against the limit (memory.current / container_memory_working_set_bytes) up to the next kill: steady growth means a leak, spikes mean load.`,
            `If the peaks follow load, raise the limit above the real peak; if it grows steadily, take heap profiles of ${subject}.`,
          ]
        : [
            `Collect per-process memory metrics for ${subject} over time to see whether it grows until the host runs out.`,
            `Give ${subject} its own memory limit so that it is the one killed, early and alone, rather than the host running dry.`,
          ],
  };
}

function oneOffSteps(s: GroupStats, comm: string): string[] {
  return [
    `Check what ${comm} was doing at the time: request logs, batch jobs, a deploy.`,
    s.memcg > 0
      ? `Compare its usual memory with the ${formatKb(s.limitKb)} limit (memory.peak, container metrics): a one-off spike or a limit set too close to normal use.`
      : 'Check the host memory around the time (per-process memory metrics, sar -r) for what else was growing.',
    'Keep watching for a repeat (`oomlens watch`).',
  ];
}

function whatWeSaw(s: GroupStats, subject: string): string {
  const hosts = s.hosts.length === 0 ? 'an unnamed host' : s.hosts.length === 1 ? s.hosts[0]! : `${s.hosts.length} hosts (${list(s.hosts)})`;
  const when =
    s.firstMs !== null && s.lastMs !== null
      ? s.firstMs === s.lastMs
        ? ` at ${timeText(s.firstMs)}`
        : ` between ${spanTimeText(s.firstMs, s.lastMs)} and ${spanTimeText(s.lastMs, s.firstMs)} (${durationText((s.lastMs - s.firstMs) / 1000)})`
      : '';
  const events = s.recurrence.events !== s.kills.length ? ` in ${s.recurrence.events} OOM events` : '';
  return `${s.kills.length === 1 ? 'One kill' : `${s.kills.length} kills`} of ${subject}${events} on ${hosts}${when}.`;
}

/** `by systemd-oomd` for a group only userspace killers killed. */
function byKiller(s: GroupStats): string {
  return `by ${list(s.killers)}`;
}

/** What the kernel's reports say about limits; userspace kills have their own evidence. */
function scopeEvidence(s: GroupStats): string[] {
  const n = s.kills.length - s.userspace;
  if (n === 0) return [];
  const unknown = n - s.memcg - s.global;
  const limit = s.limitsKb.length === 0 ? 'a cgroup limit the log does not size' : s.limitsKb.length === 1 ? `the ${formatKb(s.limitKb)} cgroup limit` : `cgroup limits (${s.limitsKb.map(formatKb).join(', ')})`;
  if (n === 1) {
    if (s.memcg === 1) return [`It hit ${limit}.`];
    if (s.global === 1) return ['It was a whole-system OOM: no cgroup limit was involved.'];
    return ['The report is too incomplete to tell a cgroup limit from whole-system pressure.'];
  }
  const parts: string[] = [];
  if (s.memcg > 0) parts.push(`${share(s.memcg, n)} hit ${limit}`);
  if (s.global > 0) parts.push(`${share(s.global, n)} were whole-system OOMs`);
  if (unknown > 0) parts.push(`${share(unknown, n)} left too little of the report to tell`);
  return [`${capitalise(parts.join(', '))}.`];
}

function rssEvidence(s: GroupStats): string[] {
  const { min, median, max } = s.rss;
  if (median === null) return [];
  const ofLimit = s.limitKb !== null && s.limitsKb.length === 1 && s.memcg === s.kills.length && max !== null ? ` (${min === max ? '' : 'up to '}${Math.round((max / s.limitKb) * 100)}% of the limit)` : '';
  return [
    min === max
      ? `The victim held ${formatKb(median)} anon-rss when killed${ofLimit}.`
      : `Victim anon-rss at the kills: ${formatKb(min)} min, ${formatKb(median)} median, ${formatKb(max)} max${ofLimit}.`,
  ];
}

function tableEvidence(s: GroupStats, withConsumers: boolean): string[] {
  const out: string[] = [];
  const vl = s.victimLargest;
  const bigger = s.kills.find((k) => k.victimIsLargest === false)?.largest;
  if (vl.yes === vl.known && vl.known > 0) {
    out.push(`The victim was the largest task in ${vl.known === 1 ? 'the task table' : vl.known === 2 ? 'both task tables' : `all ${vl.known} task tables`}.`);
  } else if (vl.known === 1 && bigger) {
    const adj = bigger.oomScoreAdj !== null && bigger.oomScoreAdj < 0 ? `, shielded by oom_score_adj ${bigger.oomScoreAdj}` : '';
    out.push(`The victim was not the largest task: ${bigger.name} (pid ${bigger.pid}) held more${adj}.`);
  } else if (vl.known > 0) {
    out.push(`The victim was the largest task in ${vl.yes} of ${vl.known} task tables; otherwise something else held more.`);
  }
  const t = s.triggeredByOther;
  if (t.yes > 0) {
    const which = t.known === 1 ? 'The' : `In ${t.yes} of ${t.known} kills the`;
    // Another process of the victim's own name (a sibling worker) is named as such.
    const who = t.comms.map((c) => (s.comms.includes(c) ? `another ${c}` : c));
    out.push(`${which} allocation that triggered the OOM came from another process (${list(who)}).`);
  }
  if (withConsumers && s.largestConsumers.length > 0 && vl.yes < vl.known) out.push(`Largest consumers in the task tables (RSS, share of the table): ${consumerText(s.largestConsumers)}.`);
  return out;
}

function pressureEvidence(s: GroupStats, ctx: VerdictContext): string | null {
  const hosts = s.hostKeys.filter((h) => ctx.pressure.has(h));
  if (hosts.length === 0) return null;
  return `${list(hosts)} also had whole-system OOMs killing other processes: the burst may have exhausted the host.`;
}

export function consumerText(consumers: { name: string; rssKb: number | null; rssPages: number; share: number }[]): string {
  return consumers.map((c) => `${c.name} ${c.rssKb !== null ? formatKb(c.rssKb) : `${c.rssPages} pages`} (${Math.round(c.share * 100)}%)`).join(', ');
}

function newPidEachKill(s: GroupStats): boolean {
  const pids = new Set(s.kills.map((k) => k.record.victim?.pid ?? null));
  return !pids.has(null) && pids.size === s.kills.length;
}

function share(k: number, n: number): string {
  if (n === 1) return k === 1 ? 'the kill' : 'none';
  if (k === n) return n === 2 ? 'both' : `all ${n}`;
  return `${k} of ${n}`;
}

function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

function list(items: string[], max = 4): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
