import { writeFile } from 'node:fs/promises';
import type { AnalysisGroup } from '../analyze/analysis.js';
import type { KillRecord } from '../schema/killRecord.js';
import { killDetailLines, rawLines } from './killDetail.js';
import type { Line } from './styledText.js';
import { jsonSafe } from '../render/terminalSafe.js';

export type ExportFormat = 'json' | 'markdown';

const MARKDOWN_WIDTH = 100;

/** A file name that says which kill it holds: `oom-<host>-<pid>-<time>.<ext>`. */
export function exportFileName(r: KillRecord, format: ExportFormat): string {
  const uptime = r.type === 'userspace-kill' ? null : r.uptime;
  const stamp = (r.time ?? (uptime !== null ? `up${Math.round(uptime)}s` : 'notime')).replace(/\.\d+Z$|Z$/, '').replace(/[-:]/g, '');
  const name = `oom-${r.host ?? 'host'}-${r.victim?.pid ?? 'nopid'}-${stamp}.${format === 'json' ? 'json' : 'md'}`;
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * The selected kill as a file: JSON is the record itself (with its group's verdict); markdown is
 * what the detail pane shows, then the raw lines, in code blocks so nothing in them is read as
 * markup. Never overwrites a file.
 */
export async function exportKill(r: KillRecord, group: AnalysisGroup | null, format: ExportFormat, path: string): Promise<void> {
  const text = format === 'json' ? jsonExport(r, group) : markdownExport(r, group);
  await writeFile(path, text, { flag: 'wx' });
}

function jsonExport(r: KillRecord, group: AnalysisGroup | null): string {
  const verdict = group && { by: group.by, key: group.key, verdict: group.verdict, confidence: group.confidence, headline: group.headline };
  return `${jsonSafe({ record: r, group: verdict }, 2)}\n`;
}

function markdownExport(r: KillRecord, group: AnalysisGroup | null): string {
  const [first, ...detail] = killDetailLines(r, group, MARKDOWN_WIDTH).map(plain);
  return [`# OOM kill: ${first}`, '', codeBlock(detail), '', '## Raw log lines', '', codeBlock(rawLines(r).map(plain)), ''].join('\n');
}

function plain(line: Line): string {
  return line.map((s) => s.text).join('').trimEnd();
}

/** A fence longer than any run of backticks inside, so log text cannot close it. */
function codeBlock(lines: string[]): string {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}text`, ...lines, fence].join('\n');
}
