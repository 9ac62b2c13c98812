import type { AnalysisGroup } from '../analyze/analysis.js';
import { workloadKey } from '../analyze/groupKey.js';
import { pageSizeOf, taskRssPages } from '../analyze/killFacts.js';
import { formatKb } from '../render/killTable.js';
import type { KillRecord } from '../schema/killRecord.js';
import type { OomRecord } from '../schema/oomRecord.js';
import { bar } from './bar.js';
import { cell, span, type Line } from './styledText.js';
import { userspaceDetailLines } from './userspaceDetail.js';

/**
 * The detail pane for one kill, as logical lines (the pane wraps them), in the order of an
 * investigation: what asked for memory, which limit was hit and how full it was, who died, who
 * held the memory (the task table by RSS, with bars), for a global OOM the Mem-Info summary, and
 * then where it happened (cgroup path, workload, cpuset) and where it was logged. `width` sizes
 * the bars.
 */
export const LABEL_WIDTH = 12;

export const label = (name: string) => span(name.padEnd(LABEL_WIDTH), 'bold');

export function killDetailLines(r: KillRecord, group: AnalysisGroup | null, width: number): Line[] {
  if (r.type === 'userspace-kill') return userspaceDetailLines(r, group);
  const lines: Line[] = [headline(r)];
  if (group) lines.push(groupLine(group));
  lines.push(...triggerLines(r), ...usageLines(r, width), ...victimLines(r));
  lines.push([], ...taskTableLines(r, width));
  if (r.memInfo) lines.push([], ...memInfoLines(r));
  lines.push([], ...placeLines(r), [label('source'), span(`${r.source.file ?? 'stdin'}:${r.source.line}`), span(r.complete ? '' : '  (report incomplete)')]);
  return lines;
}

/** The group the kill is in: its verdict, coloured, and the headline. */
export function groupLine(group: AnalysisGroup): Line {
  return [label('group'), span(`${group.label}, `), span(`${group.verdict} (${group.confidence})`, verdictStyle(group.verdict)), span(`, ${group.headline}`)];
}

/** The raw log lines of the report (kept by `--raw`), numbered from where it starts. */
export function rawLines(r: KillRecord): Line[] {
  if (!r.rawLines) return [[span('(the raw lines of this report were not kept)')]];
  return [
    [span(`${r.source.file ?? 'stdin'}, report from line ${r.source.line}`, 'bold')],
    ...r.rawLines.map((text) => [span(text)]),
  ];
}

export function verdictStyle(verdict: AnalysisGroup['verdict']): string {
  switch (verdict) {
    case 'recurring':
      return 'red-fg';
    case 'burst':
      return 'magenta-fg';
    case 'host-pressure':
      return 'yellow-fg';
    case 'one-off':
      return 'green-fg';
  }
}

function headline(r: OomRecord): Line {
  const who = r.victim ? `${r.victim.comm} (pid ${r.victim.pid})` : 'no victim';
  const what = r.type === 'oom-kill' ? 'killed' : `${r.type}${r.reason ? `: ${r.reason}` : ''}`;
  const when = r.time ? r.time.replace('T', ' ').replace(/\.000Z$|Z$/, ' UTC') : r.uptime !== null ? `${r.uptime.toFixed(3)} s after boot` : 'time unknown';
  return [span(who, 'bold'), span(` ${what} on ${r.host ?? 'an unnamed host'}, ${when}`), span(r.kernel ? `  kernel ${r.kernel}` : '')];
}

function triggerLines(r: OomRecord): Line[] {
  const t = r.trigger;
  const lines: Line[] = [];
  if (t) {
    const gfp = [t.gfpMask, t.gfpFlags?.join('|')].filter(Boolean).join(' ');
    const parts = [
      `${t.comm ?? '?'}${t.pid !== null ? ` pid ${t.pid}` : ''}`,
      gfp ? `gfp ${gfp}` : null,
      t.order !== null ? `order ${t.order}${t.order === -1 ? ' (SysRq-f)' : ''}` : null,
      t.oomScoreAdj !== null ? `oom_score_adj ${t.oomScoreAdj}` : null,
    ];
    lines.push([label('trigger'), span(parts.filter(Boolean).join(', '))]);
  }
  const constraint = r.constraint?.replace(/^CONSTRAINT_/, '') ?? (r.cgroup ? 'MEMCG' : null);
  const meaning = constraint === 'MEMCG' ? 'a cgroup hit its memory limit' : constraint === 'NONE' ? 'the whole host ran out of memory' : constraint ? 'a cpuset or memory policy ran out' : 'not printed';
  lines.push([label('constraint'), span(constraint ?? '-'), span(` (${meaning})`)]);
  return lines;
}

/** The cgroup's counters against their limits, as bars. */
function usageLines(r: OomRecord, width: number): Line[] {
  const cg = r.cgroup;
  if (!cg) return [];
  const lines = [usageLine('usage', cg.usageKb, cg.limitKb, cg.failcnt, width)];
  for (const [name, c] of [['swap', cg.swap], ['memory+swap', cg.memsw], ['kmem', cg.kmem]] as const) {
    if (c) lines.push(usageLine(name, c.usageKb, c.limitKb, c.failcnt, width));
  }
  return lines;
}

/** Where it happened: the cgroup that hit its limit, the victim's, the workload, the cpuset. */
function placeLines(r: OomRecord): Line[] {
  const lines: Line[] = [];
  const cg = r.cgroup;
  if (cg) lines.push([label('cgroup'), span(cg.path ?? '(not named)'), span(cg.version ? ` (${cg.version})` : '')]);
  if (r.taskMemcg !== null && r.taskMemcg !== cg?.path) lines.push([label('task memcg'), span(r.taskMemcg)]);
  if (r.workload) lines.push([label('workload'), span(workloadKey(r.workload, r.victim?.comm ?? '?').label)]);
  if (r.cpuset !== null || r.memsAllowed !== null) lines.push([label('cpuset'), span(`${r.cpuset ?? '-'} mems_allowed=${r.memsAllowed ?? '-'}`)]);
  return lines;
}

function usageLine(name: string, usageKb: number | null, limitKb: number | null, failcnt: number | string | null, width: number): Line {
  const limited = limitKb !== null && limitKb < 2 ** 52;
  const share = limited && limitKb > 0 && usageKb !== null ? usageKb / limitKb : null;
  const barWidth = Math.max(8, Math.min(30, width - LABEL_WIDTH - 40));
  return [
    label(name),
    share !== null ? span(bar(share, barWidth), share >= 0.95 ? 'red-fg' : 'green-fg') : span('-'.padEnd(barWidth)),
    span(` ${formatKb(usageKb)} of ${limited ? formatKb(limitKb) : 'no limit'}${share !== null ? ` (${Math.round(share * 100)}%)` : ''}`),
    span(failcnt !== null ? `, failcnt ${failcnt}` : ''),
  ];
}

function victimLines(r: OomRecord): Line[] {
  const v = r.victim;
  if (!v) return [];
  const parts = [
    `${v.comm} pid ${v.pid}${v.uid !== null ? ` uid ${v.uid}` : ''}`,
    `anon-rss ${formatKb(v.anonRssKb)}`,
    `file-rss ${formatKb(v.fileRssKb)}`,
    `shmem-rss ${formatKb(v.shmemRssKb)}`,
    `total-vm ${formatKb(v.totalVmKb)}`,
    v.oomScoreAdj !== null ? `oom_score_adj ${v.oomScoreAdj}` : null,
    v.score !== null ? `score ${v.score}` : null,
  ];
  const lines: Line[] = [[label('victim'), span(parts.filter(Boolean).join(', '), 'bold')]];
  if (v.reason) lines.push([label(''), span(v.reason)]);
  if (r.alsoKilled.length > 0) lines.push([label('also killed'), span(r.alsoKilled.map((k) => `${k.comm} (${k.pid})`).join(', '))]);
  if (r.reaped) lines.push([label('reaped'), span(`anon-rss ${formatKb(r.reaped.anonRssKb)}, file-rss ${formatKb(r.reaped.fileRssKb)}, shmem-rss ${formatKb(r.reaped.shmemRssKb)}`)]);
  return lines;
}

/** The task table by RSS, largest first, each row with its share of the table's total. */
function taskTableLines(r: OomRecord, width: number): Line[] {
  if (!r.tasks || r.tasks.length === 0) return [[label('tasks'), span('(no task table in the log)')]];
  const pageKb = pageSizeOf(r);
  const rows = r.tasks.map((t) => ({ t, pages: taskRssPages(t) ?? 0 })).sort((a, b) => b.pages - a.pages);
  const total = rows.reduce((n, x) => n + x.pages, 0);
  const barWidth = Math.max(6, Math.min(24, width - 48));
  const size = (pages: number) => (pageKb !== null ? formatKb(pages * pageKb) : `${pages} pg`);
  const lines: Line[] = [
    [label('tasks'), span(`${rows.length} by RSS${pageKb !== null ? `, ${pageKb} KiB pages` : ', in pages (page size not in the log)'}, total ${size(total)}`)],
    [span(`  ${cell('PID', 8, 'right')}  ${cell('RSS', 10, 'right')}  ${cell('SHARE', barWidth + 7)}  NAME`, 'underline')],
  ];
  for (const { t, pages } of rows) {
    const share = total > 0 ? pages / total : 0;
    const isVictim = r.victim?.pid === t.pid;
    lines.push([
      span(`  ${cell(String(t.pid), 8, 'right')}  ${cell(size(pages), 10, 'right')}  `, isVictim ? 'bold' : null),
      span(bar(share, barWidth), isVictim ? 'red-fg' : 'cyan-fg'),
      span(` ${cell(`${(share * 100).toFixed(1)}%`, 6, 'right')}  `),
      span(t.name, isVictim ? 'bold' : null),
      span(isVictim ? '  ← victim' : ''),
    ]);
  }
  return lines;
}

/** The global Mem-Info block in a few figures (its counters are pages). */
function memInfoLines(r: OomRecord): Line[] {
  const m = r.memInfo!;
  const pageKb = pageSizeOf(r) ?? 4;
  const c = m.counters;
  const kb = (...keys: string[]) => (keys.some((k) => c[k] !== undefined) ? formatKb(keys.reduce((n, k) => n + (c[k] ?? 0), 0) * pageKb) : '-');
  const pages = (n: number | null) => (n !== null ? formatKb(n * pageKb) : '-');
  return [
    [label('mem-info'), span(`global OOM${r.pageSizeKb === null ? ' (pages taken as 4 KiB)' : ''}`)],
    [label('  ram'), span(`${pages(m.ramPages)}, reserved ${pages(m.reservedPages)}, free ${kb('free')}`)],
    [label('  anon'), span(`${kb('active_anon', 'inactive_anon')}, file ${kb('active_file', 'inactive_file')}, shmem ${kb('shmem')}, unevictable ${kb('unevictable')}`)],
    [label('  kernel'), span(`slab ${kb('slab_reclaimable', 'slab_unreclaimable')}, pagetables ${kb('pagetables')}`)],
    [label('  swap'), span(`${formatKb(m.freeSwapKb)} free of ${formatKb(m.totalSwapKb)}, page cache ${pages(m.pagecachePages)}, swap cache ${pages(m.swapCachePages)}`)],
  ];
}
