import type { Analysis, AnalysisGroup } from '../analyze/analysis.js';
import { durationText } from '../analyze/durationText.js';
import { spanTimeText, timeText } from '../analyze/timeText.js';

/**
 * The words every report format shares: the one-line summary of the input, what the grouping
 * means, and a group's title. Log-derived text is returned raw; each format escapes it.
 */
export function summaryLine(a: Analysis): string {
  const s = a.summary;
  if (s.kills === 0) return s.withoutKill > 0 ? `No OOM kills; ${plural(s.withoutKill, 'OOM report')} ended without a kill.` : 'No OOM kills found.';
  const hosts =
    s.hosts.length === 0
      ? 'hosts the log does not name'
      : s.hosts.length === 1
        ? s.hosts[0]!
        : `${plural(s.hosts.length, 'host')}${s.hosts.length <= 5 ? ` (${s.hosts.join(', ')})` : ''}`;
  const span =
    s.first !== null && s.last !== null
      ? s.first === s.last
        ? `, at ${timeText(Date.parse(s.first))}`
        : `, ${spanTimeText(Date.parse(s.first), Date.parse(s.last))} to ${spanTimeText(Date.parse(s.last), Date.parse(s.first))} (${durationText((Date.parse(s.last) - Date.parse(s.first)) / 1000)})`
      : '';
  const without = s.withoutKill > 0 ? `; ${plural(s.withoutKill, 'more OOM report')} ended without a kill` : '';
  return `${plural(s.kills, 'kill')} of ${plural(s.processes, 'process', 'processes')} on ${hosts}${span}${without}.`;
}

const BY_TEXT: Record<Analysis['by'], string> = {
  service: 'service (the cgroup: container, pod, unit or path; process name per host outside any cgroup)',
  comm: 'victim process name',
  workload: 'workload (container, pod, unit)',
  cgroup: 'the cgroup whose limit was hit',
  host: 'host',
};

export function groupingLine(a: Analysis): string {
  return `Grouped by ${BY_TEXT[a.by]}, worst first.`;
}

export const VERDICT_TITLE: Record<AnalysisGroup['verdict'], string> = {
  recurring: 'RECURRING',
  burst: 'BURST',
  'host-pressure': 'HOST PRESSURE',
  'one-off': 'ONE-OFF',
};

export function groupFacts(g: AnalysisGroup): string {
  const hosts = g.hosts.length === 0 ? '' : g.hosts.length === 1 ? ` on ${g.hosts[0]}` : ` on ${g.hosts.length} hosts`;
  return `${plural(g.kills, 'kill')}${hosts}`;
}

/** `; cause: leak (medium)` for a title line, empty when no cause stands. */
export function causeSuffix(g: AnalysisGroup): string {
  const cause = g.hypotheses[0];
  return cause ? `; cause: ${cause.cause} (${cause.confidence})` : '';
}

/** The causes in one line: `leak (medium), startup (low)`. */
export function causesLine(g: AnalysisGroup): string {
  return g.hypotheses.map((h) => `${h.cause} (${h.confidence})`).join(', ');
}

/** How many groups a report shows in full by default (`--top`); `--all` shows every one. */
export const DEFAULT_TOP = 20;

/** The groups shown, and what is left out: the rest are counted, never silently dropped. */
export function shownGroups(a: Analysis, top: number | null): { shown: AnalysisGroup[]; hidden: number; hiddenKills: number } {
  const shown = top === null ? a.groups : a.groups.slice(0, top);
  const rest = a.groups.slice(shown.length);
  return { shown, hidden: rest.length, hiddenKills: rest.reduce((n, g) => n + g.kills, 0) };
}

export function hiddenLine(hidden: number, hiddenKills: number, top: number): string {
  return `… and ${plural(hidden, 'more group')} (${plural(hiddenKills, 'kill')}) not shown: the top ${top} are above; use --top N or --all to see more.`;
}

const KILLER_TEXT: Record<AnalysisGroup['killers'][number], string> = {
  kernel: 'the kernel OOM killer',
  'systemd-oomd': 'systemd-oomd',
  earlyoom: 'earlyoom',
};

/** Whether any kill came from a userspace killer: only then is "killed by" worth saying. */
export function hasUserspaceKills(a: Analysis): boolean {
  return a.groups.some((g) => g.killers.some((k) => k !== 'kernel'));
}

/** Who killed the group's victims, most kills first: `systemd-oomd (3) and the kernel OOM killer (1)`. */
export function killedBy(g: AnalysisGroup): string {
  if (g.killers.length === 1) return KILLER_TEXT[g.killers[0]!];
  const counts = g.killers.map((k) => `${KILLER_TEXT[k]} (${g.members.filter((m) => m.killer === k).length})`);
  return `${counts.slice(0, -1).join(', ')} and ${counts[counts.length - 1]}`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
