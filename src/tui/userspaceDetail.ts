import type { AnalysisGroup } from '../analyze/analysis.js';
import { userspaceKillSections } from '../analyze/explainUserspaceKill.js';
import type { UserspaceKill } from '../schema/userspaceKill.js';
import { groupLine, label } from './killDetail.js';
import { span, type Line } from './styledText.js';

/**
 * The detail pane for a kill by systemd-oomd or earlyoom: who was killed and by whom, its group,
 * then the sections `oomlens explain` gives it (why, the victim, the other candidates, what came
 * of it), and where it was logged.
 */
export function userspaceDetailLines(r: UserspaceKill, group: AnalysisGroup | null): Line[] {
  const v = r.victim;
  const who = v.pid !== null ? `${v.comm ?? 'a process'} (pid ${v.pid})` : (v.unit ?? v.cgroup ?? 'an unnamed unit');
  const when = r.time ? r.time.replace('T', ' ').replace(/\.000Z$|Z$/, ' UTC') : 'time unknown';
  const lines: Line[] = [[span(who, 'bold'), span(` killed by ${r.killer} on ${r.host ?? 'an unnamed host'}, ${when}`)]];
  if (group) lines.push(groupLine(group));
  for (const section of userspaceKillSections(r)) {
    lines.push([], [span(section.heading, 'bold')]);
    for (const text of section.lines) lines.push([label(''), span(text)]);
  }
  lines.push([], [label('source'), span(`${r.source.file ?? 'stdin'}:${r.source.line}`)]);
  return lines;
}
