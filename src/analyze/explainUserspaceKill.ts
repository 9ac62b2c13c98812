import { formatKb } from '../render/killTable.js';
import type { UserspaceKill } from '../schema/userspaceKill.js';
import { durationText } from './durationText.js';
import type { ExplainContext } from './explainKill.js';
import type { Explanation, ExplanationSection } from './explanation.js';
import { timeTextSeconds } from './timeText.js';

/**
 * Explains a kill by systemd-oomd or earlyoom the way `explainKill` does the kernel's: who killed
 * and on what grounds (in the daemon's own numbers), who was killed, what else it considered,
 * what came of it. `history` places it in its group.
 */
export function explainUserspaceKill(r: UserspaceKill, ctx: ExplainContext, history: (index: number) => string[]): Explanation {
  const v = r.victim;
  const who = v.pid !== null ? `${v.comm ?? 'a process'} (pid ${v.pid})` : (v.unit ?? v.cgroup ?? 'an unnamed unit');
  const when = r.time !== null ? ` at ${timeTextSeconds(Date.parse(r.time))}` : '';
  const title = `Kill ${ctx.killNumber} of ${ctx.totalKills}: ${who}${r.host !== null ? ` on ${r.host}` : ''}${when}, by ${r.killer}`;
  const sections = userspaceKillSections(r);
  if (ctx.group) sections.push({ heading: 'How it fits its group', lines: history(ctx.index) });
  return { killNumber: ctx.killNumber, title, sections };
}

/** The kill itself, section by section (also the TUI's detail pane). */
export function userspaceKillSections(r: UserspaceKill): ExplanationSection[] {
  const sections: ExplanationSection[] = [
    { heading: 'Who killed, and why', lines: reasonLines(r) },
    { heading: 'The victim', lines: victimLines(r) },
  ];
  if (r.candidates && r.candidates.length > 0) sections.push({ heading: 'What else it considered', lines: candidateLines(r) });
  if (r.action) sections.push({ heading: 'What came of it', lines: actionLines(r.action) });
  return sections;
}

function reasonLines(r: UserspaceKill): string[] {
  const reason = r.reason;
  if (r.killer === 'systemd-oomd') {
    const lines = ['systemd-oomd, the userspace OOM killer of systemd, killed it before the kernel had to: it kills a whole cgroup (every process in it) when memory pressure or swap use stays too high.'];
    if (reason?.kind === 'memory-pressure') {
      lines.push(
        `Memory pressure on ${reason.cgroup ?? 'a monitored cgroup'}${reason.pressurePercent !== null ? ` was ${pct(reason.pressurePercent)}` : ''}, above its ${reason.limitPercent !== null ? `${pct(reason.limitPercent)} ` : ''}limit${reason.durationSec !== null ? ` for more than ${durationText(reason.durationSec)}` : ''}, with reclaim activity (pressure: the share of time tasks stalled waiting for memory).`,
      );
    } else if (reason?.kind === 'swap') {
      const used = [bytes('Memory', reason.memoryUsedBytes, reason.memoryTotalBytes), bytes('swap', reason.swapUsedBytes, reason.swapTotalBytes)].filter((x) => x !== null);
      lines.push(`${used.length > 0 ? `${used.join(', ')} were in use` : 'Swap use was high'}: more than its ${reason.limitPercent !== null ? `${pct(reason.limitPercent)} ` : ''}limit (SwapUsedLimit).`);
    } else {
      lines.push("Only systemd's line for the unit is in the log; systemd-oomd's own lines, which say why, are not.");
    }
    return lines;
  }
  const lines = ['earlyoom, a userspace OOM killer, killed it before the kernel had to: it acts when available memory and free swap are both below its limits.'];
  if (reason?.kind === 'low-memory') {
    const mem = reason.memAvailablePercent !== null ? `${pct(reason.memAvailablePercent)} of memory${reason.memAvailableMiB !== null ? ` (${formatKb(reason.memAvailableMiB * 1024)})` : ''} was available` : reason.memAvailableMiB !== null ? `${formatKb(reason.memAvailableMiB * 1024)} of memory was available` : null;
    const swap = reason.swapFreePercent !== null ? `${pct(reason.swapFreePercent)} of swap was free` : null;
    const limits =
      reason.memLimitPercent !== null && reason.swapLimitPercent !== null
        ? `, at or below its ${reason.limitSignal ? `${reason.limitSignal} ` : ''}limits (${pct(reason.memLimitPercent)} memory, ${pct(reason.swapLimitPercent)} swap)`
        : reason.memLimitMiB !== null
          ? `, below its ${formatKb(reason.memLimitMiB * 1024)} minimum`
          : '';
    const facts = [mem, swap].filter((x) => x !== null);
    if (facts.length > 0 || limits) lines.push(`${facts.length > 0 ? capitalise(facts.join(' and ')) : 'Memory was low'}${limits}.`);
  }
  return lines;
}

function victimLines(r: UserspaceKill): string[] {
  const v = r.victim;
  if (r.killer === 'systemd-oomd') {
    const lines = [`The ${v.cgroup ? `cgroup ${v.cgroup}` : `unit ${v.unit ?? '(unnamed)'}`}${v.cgroup && v.unit ? ` (unit ${v.unit})` : ''}.`];
    lines.push(v.processesKilled !== null ? `systemd counted ${v.processesKilled} process${v.processesKilled === 1 ? '' : 'es'} killed in the unit.` : "systemd's count of the processes killed is not in the log.");
    return lines;
  }
  const facts = [
    v.uid !== null ? `uid ${v.uid}` : null,
    v.vmRssMiB !== null ? `${formatKb(v.vmRssMiB * 1024)} RSS` : null,
    v.oomScore !== null ? `oom_score ${v.oomScore}` : null,
    v.oomScoreAdj !== null ? `oom_score_adj ${v.oomScoreAdj}` : null,
    v.badness !== null ? `badness ${v.badness}` : null,
  ].filter((x) => x !== null);
  const lines = [`${v.comm ?? 'A process'} (pid ${v.pid ?? '?'})${facts.length > 0 ? `: ${facts.join(', ')}` : ''}.`];
  if (v.cmdline !== null) lines.push(`Command line: ${v.cmdline}`);
  return lines;
}

function candidateLines(r: UserspaceKill): string[] {
  const c = r.candidates!;
  const lines = [`${r.consideredCount ?? c.length} cgroups were considered; the ones logged, best candidate first:`];
  for (const k of c) {
    const figures = [
      k.pressureAvg10 !== null ? `pressure ${k.pressureAvg10}/${k.pressureAvg60 ?? '?'}/${k.pressureAvg300 ?? '?'} (avg10/60/300)` : null,
      k.memoryBytes !== null ? `${formatKb(k.memoryBytes / 1024)} in use` : null,
      k.swapBytes !== null ? `${formatKb(k.swapBytes / 1024)} swapped` : null,
    ].filter((x) => x !== null);
    lines.push(`${k.rank}. ${k.cgroup}${figures.length > 0 ? `: ${figures.join(', ')}` : ''}${k.cgroup === r.victim.cgroup ? ' (killed)' : ''}`);
  }
  return lines;
}

function actionLines(a: NonNullable<UserspaceKill['action']>): string[] {
  const sent = a.signal ? `It sent ${a.signal}${a.escalated ? `, then SIGKILL${a.escalatedAfterSec !== null ? ` after ${a.escalatedAfterSec} s` : ''}` : ''}.` : 'The log does not say which signal it sent.';
  const outcome =
    a.outcome === 'exited'
      ? `The process exited${a.exitedAfterSec !== null ? ` ${a.exitedAfterSec} s later` : ''}.`
      : a.outcome === 'did-not-exit'
        ? 'The process had not exited 10 s later.'
        : a.outcome === 'kill-failed'
          ? 'The kill failed (earlyoom may lack the permission to signal it).'
          : 'The log does not say whether the process exited.';
  return [sent, outcome];
}

function pct(v: number): string {
  return `${Number.isInteger(v) ? v : v.toFixed(2)}%`;
}

function bytes(what: string, used: number | null, total: number | null): string | null {
  return used === null || total === null ? null : `${what} ${formatKb(used / 1024)} of ${formatKb(total / 1024)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
