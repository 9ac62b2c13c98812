import type { KillRecord } from '../schema/killRecord.js';
import { victimNameOf } from '../schema/killIdentity.js';
import type { Analysis, AnalysisGroup, GroupBy, GroupKill } from './analysis.js';
import { groupKeyOf, serviceKey } from './groupKey.js';
import { groupStats } from './groupStats.js';
import { pressureHosts } from './hostPressure.js';
import { recurrenceOf } from './recurrence.js';
import { killFacts, type KillFacts } from './killFacts.js';
import { binCounts, timelineOf } from './timeline.js';
import { judge, memcgSignature, type VerdictContext } from './verdict.js';

export interface AnalyzeOptions {
  by: GroupBy;
}

/**
 * Worst first: what will happen again, then what is happening at once, then the host, then a
 * single kill that may recur elsewhere, then one-offs.
 */
function tier(g: AnalysisGroup): number {
  if (g.verdict === 'recurring') return g.events > 1 ? 0 : 3;
  return { burst: 1, 'host-pressure': 2, 'one-off': 4 }[g.verdict];
}

/**
 * Groups the kills and judges each group. Pure and linear in the number of records (plus a sort
 * per group): records of a type it does not know are counted nowhere and otherwise ignored.
 */
export function analyze(records: KillRecord[], options: AnalyzeOptions): Analysis {
  const facts = killFacts(records);
  const groups = new Map<string, { label: string; kills: KillFacts[] }>();
  const eventsByComm = new Map<string, Set<string>>();
  const memcgEventsBySignature = new Map<string, Set<string>>();
  for (const k of facts) {
    const { key, label } = groupKeyOf(k.record, options.by);
    const g = groups.get(key);
    if (g) g.kills.push(k);
    else groups.set(key, { label, kills: [k] });
    const comm = k.victimName;
    let events = eventsByComm.get(comm);
    if (!events) eventsByComm.set(comm, (events = new Set()));
    events.add(k.record.eventId);
    // Only container-like paths (a new id per recreation) can hide the same service under another name.
    if (k.scope === 'memcg' && ['docker', 'podman', 'kubernetes'].includes(k.record.workload?.kind ?? '')) {
      const signature = memcgSignature(comm, k.kernel?.cgroup?.limitKb ?? null);
      let memcg = memcgEventsBySignature.get(signature);
      if (!memcg) memcgEventsBySignature.set(signature, (memcg = new Set()));
      memcg.add(k.record.eventId);
    }
  }

  const timeline = timelineOf(facts);
  const pressure = pressureHosts(facts);
  const ctx: VerdictContext = {
    by: options.by,
    pressure: new Map(pressure.map((p) => [p.host, p])),
    memcgEventsBySignature: new Map([...memcgEventsBySignature].map(([signature, ids]) => [signature, ids.size])),
    // Without wall-clock times, the longest stretch of uptime one boot covers.
    inputSpanSec: timeline ? (Date.parse(timeline.last) - Date.parse(timeline.first)) / 1000 : recurrenceOf(facts).spanSec,
  };

  // The last moment each clock shows (any kill on it), for "quiet since".
  const endByClock = new Map<string, number>();
  for (const k of facts) if (k.clock !== null && k.t !== null) endByClock.set(k.clock, Math.max(endByClock.get(k.clock) ?? -Infinity, k.t));
  const statsOptions = {
    lineOf: (k: KillFacts) => serviceKey(k.record, k.victimName).key,
    endOf: (clock: string) => endByClock.get(clock) ?? null,
  };

  const analysed: AnalysisGroup[] = [];
  for (const [key, { label, kills }] of groups) {
    const s = groupStats(kills, statsOptions);
    const j = judge(s, ctx);
    const wall = s.lives.wall;
    const at = (t: number) => (wall ? new Date(Math.round(t * 1000)).toISOString() : null);
    analysed.push({
      key,
      by: options.by,
      label,
      verdict: j.verdict,
      confidence: j.confidence,
      headline: j.headline,
      cause: j.cause,
      kills: kills.length,
      events: s.recurrence.events,
      hosts: s.hosts,
      comms: s.comms,
      killers: s.killers,
      first: s.firstMs !== null ? new Date(s.firstMs).toISOString() : null,
      last: s.lastMs !== null ? new Date(s.lastMs).toISOString() : null,
      medianIntervalSec: s.recurrence.medianIntervalSec,
      intervalCv: s.recurrence.intervalCv,
      killsPerDay: s.killsPerDay,
      atLimitShare: s.atLimitShare,
      globalShare: s.globalShare,
      victimAnonRssKb: s.rss,
      limitKb: s.limitKb,
      limitsKb: s.limitsKb,
      victimLargestShare: s.victimLargest.known > 0 ? s.victimLargest.yes / s.victimLargest.known : null,
      triggeredByOtherShare: s.triggeredByOther.known > 0 ? s.triggeredByOther.yes / s.triggeredByOther.known : null,
      growthKbPerMin: j.growth?.kbPerMin ?? null,
      growth: j.growth,
      hypotheses: j.hypotheses,
      lives: s.recurrence.lives.map((l) => ({ end: at(l.endT), endUptime: wall ? null : l.endT, sec: l.sec })),
      livesCv: s.lives.cv,
      nextKill: j.nextKill ? { at: at(j.nextKill.t), uptime: wall ? null : j.nextKill.t, profileBy: at(j.nextKill.profileByT) } : null,
      quiet: j.quiet ? { since: at(j.quiet.sinceT), sinceUptime: wall ? null : j.quiet.sinceT, cycles: j.quiet.cycles } : null,
      runtime: s.runtime,
      cgroups: s.cgroups,
      largestConsumers: s.largestConsumers,
      evidence: j.evidence,
      nextSteps: j.nextSteps,
      timeline: binCounts(timeline, kills),
      members: members(kills),
    });
  }
  analysed.sort(
    (a, b) =>
      tier(a) - tier(b) ||
      b.kills - a.kills ||
      (b.last ?? '').localeCompare(a.last ?? '') ||
      a.key.localeCompare(b.key),
  );

  const hosts = new Set<string>();
  for (const k of facts) if (k.record.host !== null) hosts.add(k.record.host);
  return {
    by: options.by,
    summary: {
      kills: facts.length,
      processes: eventsByComm.size,
      hosts: [...hosts].sort(),
      first: timeline?.first ?? null,
      last: timeline?.last ?? null,
      withoutKill: records.filter((r) => r.type === 'oom-without-kill').length,
    },
    timeline,
    pressureHosts: pressure,
    groups: analysed,
  };
}

/** The group's kills in time order (kills without a time keep their input order, last). */
function members(kills: KillFacts[]): GroupKill[] {
  const sorted = [...kills].sort((a, b) => (a.wallMs ?? Infinity) - (b.wallMs ?? Infinity) || a.index - b.index);
  return sorted.map((k) => {
    const r = k.record;
    return {
      index: k.index,
      eventId: r.eventId,
      pid: r.victim?.pid ?? null,
      comm: victimNameOf(r),
      host: r.host,
      time: r.time,
      uptime: k.kernel?.uptime ?? null,
      scope: k.scope,
      anonRssKb: k.kernel?.victim?.anonRssKb ?? null,
      limitKb: k.kernel?.cgroup?.limitKb ?? null,
      workload: groupKeyOf(r, 'workload').key,
      killer: k.killer,
    };
  });
}
