import { formatKb } from '../units/formatKb.js';
import type { KillRecord } from '../schema/killRecord.js';
import type { OomRecord, Task } from '../schema/oomRecord.js';
import type { AnalysisGroup } from './analysis.js';
import { durationText } from './durationText.js';
import type { Explanation, ExplanationSection } from './explanation.js';
import { explainUserspaceKill } from './explainUserspaceKill.js';
import { workloadKey } from './groupKey.js';
import { pageSizeOf, scopeOf, taskRssPages, triggeredByOther } from './killFacts.js';
import { timeTextSeconds } from './timeText.js';

export interface ExplainContext {
  /** 1-based position among the input's kills. */
  killNumber: number;
  totalKills: number;
  /** The record's index in the list given to analyze(), to find it among the group's kills. */
  index: number;
  group: AnalysisGroup | null;
}

/** How many tasks of the table to name. */
const TOP_TASKS = 5;

/**
 * Explains one kill: who asked for memory, what ran out and how full it was, who held the
 * memory, the victim, what stands out, and how it fits its group's history.
 */
export function explainKill(r: KillRecord, ctx: ExplainContext): Explanation {
  if (r.type === 'userspace-kill') return explainUserspaceKill(r, ctx, (index) => (ctx.group ? historyLines(ctx.group, index) : []));
  const v = r.victim;
  const who = v ? `${v.comm} (pid ${v.pid})` : 'an unnamed victim';
  const when = r.time !== null ? ` at ${timeTextSeconds(Date.parse(r.time))}` : r.uptime !== null ? ` ${durationText(r.uptime)} after boot` : '';
  const title = `Kill ${ctx.killNumber} of ${ctx.totalKills}: ${who}${r.host !== null ? ` on ${r.host}` : ''}${when}${r.kernel ? `, kernel ${r.kernel}` : ''}`;
  const pageKb = pageSizeOf(r);
  const sections: ExplanationSection[] = [
    { heading: 'Who asked for memory', lines: triggerLines(r) },
    { heading: 'What ran out', lines: exhaustedLines(r, pageKb) },
    { heading: 'Who held the memory', lines: holderLines(r, pageKb) },
    { heading: 'The victim', lines: victimLines(r) },
  ];
  const notable = notableLines(r, pageKb);
  if (notable.length > 0) sections.push({ heading: 'Worth noting', lines: notable });
  if (ctx.group) sections.push({ heading: 'How it fits its group', lines: historyLines(ctx.group, ctx.index) });
  return { killNumber: ctx.killNumber, title, sections };
}

function triggerLines(r: OomRecord): string[] {
  const t = r.trigger;
  const v = r.victim;
  if (!t) return ['The start of the report is missing, so the log does not say which allocation failed.'];
  if (t.order === -1) return ['Nobody: this was a manual OOM kill (SysRq-f, order=-1).'];
  const who = `${t.comm ?? 'a task'}${t.pid !== null ? ` (pid ${t.pid})` : ''}`;
  const flags = t.gfpFlags ? t.gfpFlags.join('|') : t.gfpMask;
  const what = `${who} asked for ${t.order !== null ? `an order-${t.order} allocation (${2 ** t.order} page${t.order === 0 ? '' : 's'})` : 'memory'}${flags ? ` with ${flags}` : ''} and could not get it.`;
  if (!v) return [what];
  const other = triggeredByOther(r);
  if (other === null) return [what];
  return [what, other ? `It was not the victim: the kernel killed ${v.comm} (pid ${v.pid}) instead, as the task it scored worst.` : 'It was the victim itself (or one of its threads).'];
}

function exhaustedLines(r: OomRecord, pageKb: number | null): string[] {
  const scope = scopeOf(r);
  if (scope === 'memcg') {
    const c = r.cgroup;
    const lines: string[] = [];
    const path = c?.path ?? 'a memory cgroup the log does not name';
    if (c?.usageKb != null && c.limitKb != null && c.limitKb < 2 ** 52) {
      lines.push(`The memory cgroup ${path} hit its limit: ${formatKb(c.usageKb)} used of ${formatKb(c.limitKb)} (${Math.round((c.usageKb / c.limitKb) * 100)}%).`);
    } else {
      lines.push(`The memory cgroup ${path} hit its limit.`);
    }
    if (c?.failcnt != null) lines.push(`Allocations had hit the limit ${c.failcnt} times so far (failcnt).`);
    if (c?.swap && c.swap.limitKb === 0) lines.push('The cgroup may not use swap (swap limit 0), so nothing could be pushed out.');
    if (r.workload) lines.push(`That is ${workloadKey(r.workload, r.victim?.comm ?? '').label}.`);
    return lines;
  }
  if (scope === 'global') {
    const lines: string[] = [];
    if (r.constraint === 'CONSTRAINT_CPUSET') lines.push(`The memory nodes of the allocating task's cpuset (${r.memsAllowed ?? '?'}) ran out, not necessarily the whole host.`);
    else if (r.constraint === 'CONSTRAINT_MEMORY_POLICY') lines.push(`The memory nodes allowed by the task's memory policy (nodemask ${r.trigger?.nodemask ?? '?'}) ran out, not necessarily the whole host.`);
    else lines.push('The whole host ran out of memory: no cgroup limit was involved.');
    const m = r.memInfo;
    if (m && pageKb !== null) {
      const parts: string[] = [];
      if (m.ramPages !== null) parts.push(`${formatKb(m.ramPages * pageKb)} of RAM`);
      const free = m.counters['free'];
      if (free !== undefined) parts.push(`${formatKb(free * pageKb)} free at the time`);
      if (parts.length > 0) lines.push(`The host has ${parts.join(', ')}.`);
    }
    // No swap at all is listed under what is worth noting.
    if (m?.totalSwapKb) lines.push(`Swap: ${formatKb(m.freeSwapKb)} free of ${formatKb(m.totalSwapKb)}.`);
    return lines;
  }
  return ['The report is too incomplete to tell a cgroup limit from whole-system pressure.'];
}

function holderLines(r: OomRecord, pageKb: number | null): string[] {
  const tasks = r.tasks;
  if (!tasks || tasks.length === 0) return ['The log has no task table for this kill (vm.oom_dump_tasks=0, or the lines were lost).'];
  const withRss = tasks.map((t) => ({ t, pages: taskRssPages(t) ?? 0 }));
  const total = withRss.reduce((a, x) => a + x.pages, 0);
  const top = [...withRss].sort((a, b) => b.pages - a.pages).slice(0, TOP_TASKS);
  const scope = r.cgroup ? 'in the cgroup' : 'on the host';
  const lines = [`${tasks.length} task${tasks.length === 1 ? '' : 's'} ${scope} held ${size(total, pageKb)} of RSS; the largest:`];
  for (const { t, pages } of top) {
    const marks = [t.pid === r.victim?.pid ? 'killed' : null, t.oomScoreAdj !== null && t.oomScoreAdj !== 0 ? `oom_score_adj ${t.oomScoreAdj}` : null].filter((x) => x !== null);
    lines.push(`${t.name} (pid ${t.pid}): ${size(pages, pageKb)}, ${percent(pages, total)}${marks.length > 0 ? ` [${marks.join(', ')}]` : ''}`);
  }
  const rest = tasks.length - top.length;
  if (rest > 0) {
    const restPages = total - top.reduce((a, x) => a + x.pages, 0);
    lines.push(`and ${rest} more task${rest === 1 ? '' : 's'} with ${size(restPages, pageKb)}.`);
  }
  return lines;
}

function victimLines(r: OomRecord): string[] {
  const v = r.victim;
  if (!v) return ['The log does not name a victim.'];
  const sizes = [
    v.anonRssKb !== null ? `anon-rss ${formatKb(v.anonRssKb)}` : null,
    v.fileRssKb !== null ? `file-rss ${formatKb(v.fileRssKb)}` : null,
    v.shmemRssKb !== null ? `shmem-rss ${formatKb(v.shmemRssKb)}` : null,
    v.totalVmKb !== null ? `total-vm ${formatKb(v.totalVmKb)}` : null,
  ].filter((x) => x !== null);
  const lines = [`${v.comm} (pid ${v.pid}${v.uid !== null ? `, uid ${v.uid}` : ''})${sizes.length > 0 ? `: ${sizes.join(', ')}` : ''}.`];
  const scoring = [v.oomScoreAdj !== null ? `oom_score_adj ${v.oomScoreAdj}` : null, v.score !== null ? `badness score ${v.score}` : null].filter((x) => x !== null);
  if (scoring.length > 0) lines.push(`Scored by the OOM killer with ${scoring.join(', ')}.`);
  if (r.alsoKilled.length > 0) lines.push(`Killed with it, because they shared its memory: ${r.alsoKilled.map((k) => `${k.comm} (pid ${k.pid})`).join(', ')}.`);
  if (r.reaped) lines.push(`The oom_reaper then freed its memory (anon-rss now ${formatKb(r.reaped.anonRssKb)}).`);
  return lines;
}

function notableLines(r: OomRecord, pageKb: number | null): string[] {
  const out: string[] = [];
  if (scopeOf(r) === 'global' && r.memInfo?.totalSwapKb === 0) out.push('No swap on this host: every anonymous page had to stay in RAM.');
  const shielded = (r.tasks ?? []).filter((t) => t.oomScoreAdj === -1000 || t.oomAdj === -17);
  if (shielded.length > 0) {
    const pages = shielded.reduce((a, t) => a + (taskRssPages(t) ?? 0), 0);
    out.push(`${shielded.length} task${shielded.length === 1 ? ' is' : 's are'} exempt from the OOM killer (oom_score_adj -1000): ${list(shielded.map((t) => t.name))}, holding ${size(pages, pageKb)}.`);
  }
  const v = r.victim;
  const row = v ? r.tasks?.find((t) => t.pid === v.pid) : undefined;
  if (v && row && r.tasks) {
    const biggest = r.tasks.reduce<Task>((a, t) => ((taskRssPages(t) ?? 0) > (taskRssPages(a) ?? 0) ? t : a), row);
    if (biggest.pid !== v.pid) {
      const why = biggest.oomScoreAdj !== null && biggest.oomScoreAdj < (v.oomScoreAdj ?? row.oomScoreAdj ?? 0) ? ` Its oom_score_adj of ${biggest.oomScoreAdj} made it a worse candidate.` : '';
      out.push(`The victim was not the biggest task: ${biggest.name} (pid ${biggest.pid}) held ${size(taskRssPages(biggest) ?? 0, pageKb)}.${why}`);
    }
  }
  if (r.rateLimited) {
    out.push("The kernel's rate limit on OOM reports (10 per 5 s, `oom_kill_process: N callbacks suppressed`) left out this kill's dump: only the kill line was printed, so the cgroup, the trigger and the task table are unknown, not cut off.");
  } else if (!r.complete) out.push('The report is incomplete (cut off or started mid-way): some of these figures may be missing.');
  if (r.allocations && r.allocations.top.length > 0) {
    const top = r.allocations.top.slice(0, 3).map((a) => `${a.size} in ${a.function} (${a.file}:${a.line}${a.module ? `, module ${a.module}` : ''})`);
    out.push(`Memory allocation profiling names the kernel code holding the most memory: ${top.join('; ')}.`);
  }
  const failcntNote = failcntV2Note(r);
  if (failcntNote) out.push(failcntNote);
  return out;
}

/** cgroup v2 from 6.15 prints memory.events `max` as the dump's failcnt, not page-counter failures. */
function failcntV2Note(r: OomRecord): string | null {
  const c = r.cgroup;
  const v = /^(\d+)\.(\d+)/.exec(r.kernel ?? '');
  if (!c || c.failcnt == null || c.version !== 'v2' || !v) return null;
  const [major, minor] = [Number(v[1]), Number(v[2])];
  if (major < 6 || (major === 6 && minor < 15)) return null;
  return `On cgroup v2 from 6.15 the failcnt (${c.failcnt}) counts memory.events "max" (times usage reached the limit), not failed charges.`;
}

function historyLines(g: AnalysisGroup, index: number): string[] {
  const lines = [`It belongs to ${g.label} (grouped by ${g.by}): ${g.verdict}, ${g.confidence} confidence.`, g.headline];
  const pos = g.members.findIndex((m) => m.index === index);
  if (g.members.length > 1 && pos >= 0) {
    const me = g.members[pos]!;
    const prev = g.members[pos - 1];
    const gap = prev && prev.time !== null && me.time !== null ? ` the previous one came ${durationText((Date.parse(me.time) - Date.parse(prev.time)) / 1000)} earlier` : '';
    lines.push(`It is kill ${pos + 1} of ${g.members.length} in the group${gap ? `;${gap}` : ''}.`);
  }
  return lines;
}

function percent(part: number, total: number): string {
  if (total === 0 || part === 0) return '0%';
  const p = (part / total) * 100;
  return p < 1 ? '<1%' : `${Math.round(p)}%`;
}

function size(pages: number, pageKb: number | null): string {
  return pageKb !== null ? formatKb(pages * pageKb) : `${pages} pages`;
}

function list(items: string[], max = 5): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
