import type { KillRecord } from '../../schema/killRecord.js';
import { parseTimeSpec } from '../../filters/timeSpec.js';
import { terminalSafe } from '../../render/terminalSafe.js';
import { analyzePrometheus } from './analyzePrometheus.js';
import { PrometheusError } from './promClient.js';

export interface PromReportArgs {
  prometheus: string;
  work?: string;
  memory?: string;
  match?: string;
  since?: string;
  until?: string;
  tz?: string;
  format: 'terminal' | 'markdown' | 'json' | 'html';
  /** Kills read from logs (FILEs given too), or null. */
  records?: KillRecord[] | null;
}

/** The default window: the last 24 hours. */
const DEFAULT_SINCE = '24h';

/** `report --prometheus URL`: the text to write, or a one-line problem (exit 1). */
export async function promReport(args: PromReportArgs, now = new Date()): Promise<{ text: string } | { problem: string }> {
  let url: URL;
  try {
    url = new URL(args.prometheus);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    return { problem: `--prometheus: not an http(s) URL: ${args.prometheus}` };
  }
  let sinceMs: number;
  let untilMs: number;
  try {
    sinceMs = parseTimeSpec(args.since ?? DEFAULT_SINCE, now, args.tz ?? null);
    untilMs = args.until !== undefined ? parseTimeSpec(args.until, now, args.tz ?? null) : now.getTime();
  } catch (err) {
    return { problem: (err as Error).message };
  }
  if (!(untilMs > sinceMs)) return { problem: '--since must be before --until' };
  const match = args.match !== undefined ? args.match.split(',').map((s) => s.trim()).filter(Boolean) : null;
  if (match !== null && (match.length === 0 || match.some((l) => !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l)))) {
    return { problem: `--match: give label names separated by commas (namespace,pod,container), not ${args.match}` };
  }
  try {
    const { analysis, curves } = await analyzePrometheus({
      url: url.toString().replace(/\/$/, ''),
      sinceMs,
      untilMs,
      memoryQuery: args.memory,
      workQuery: args.work ?? null,
      match,
      records: args.records ?? null,
    });
    switch (args.format) {
      case 'json':
        return { text: `${JSON.stringify(analysis, null, 2)}\n` };
      case 'html':
        return { text: (await import('../../report/promHtmlReport.js')).promHtmlReport(analysis, curves) };
      case 'markdown':
        return { text: (await import('../../report/promTextReport.js')).promMarkdownReport(analysis) };
      case 'terminal':
        return { text: (await import('../../report/promTextReport.js')).promTerminalReport(analysis) };
    }
  } catch (err) {
    if (err instanceof PrometheusError) return { problem: terminalSafe(err.message) };
    throw err;
  }
}
