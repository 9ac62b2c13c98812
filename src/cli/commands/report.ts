import type { Argv } from 'yargs';
import type { GroupBy } from '../../analyze/analysis.js';
import { DEFAULT_GROUP_BY, GROUP_BY_VIEWS } from '../../analyze/groupByViews.js';
import type { KillRecord } from '../../schema/killRecord.js';
import { formatProblem } from '../../sources/inputProblem.js';
import { inputOptions, scanTimeline, type InputArgs } from '../../sources/scanInputs.js';
import { EXIT } from '../exitCodes.js';
import { writeOut } from '../output.js';
import { jsonSafe } from '../../render/terminalSafe.js';

const FORMATS = ['terminal', 'markdown', 'json', 'html'] as const;

interface ReportArgs extends InputArgs {
  by: GroupBy;
  format: (typeof FORMATS)[number];
  top: number;
  all: boolean;
  samples?: string;
  prometheus?: string;
  work?: string;
  memory?: string;
  match?: string;
}

/** Groups shown in full unless --top or --all says otherwise (headline.ts DEFAULT_TOP). */
const DEFAULT_TOP = 20;

export const reportCommand = {
  command: 'report [files..]',
  describe: 'Group the kills and judge each group: one-off, recurring (leak-like?), burst or host pressure',
  builder: (y: Argv) =>
    inputOptions(y)
      .option('by', { choices: GROUP_BY_VIEWS, default: DEFAULT_GROUP_BY, describe: 'group kills by service (the cgroup; process per host outside one), victim name, workload, cgroup or host' })
      .option('top', { type: 'number', default: DEFAULT_TOP, describe: 'show the N worst groups in full (terminal, markdown, html); the rest are counted' })
      .option('all', { type: 'boolean', default: false, describe: 'show every group' })
      .option('samples', { type: 'string', describe: 'memory samples written by `watch --samples FILE` (FILE.1 too): lives, growth and the shape decide the causes' })
      .check((a) => {
        if (!Number.isInteger(a.top) || (a.top as number) < 1) throw new Error(`--top must be a whole number of at least 1, not ${String(a.top)}`);
        return true;
      })
      .option('prometheus', { type: 'string', describe: 'find the kills in this Prometheus (http://host:9090), or with FILEs add its memory and work curves; window --since (default 24h) to --until' })
      .option('work', { type: 'string', describe: 'with --prometheus: PromQL of the work signal, e.g. sum(rate(http_requests_total{job="billing"}[1m]))' })
      .option('memory', { type: 'string', describe: 'with --prometheus: PromQL of memory (default container_memory_working_set_bytes)' })
      .option('match', { type: 'string', describe: 'with --prometheus: labels that match memory/work series to a group (default namespace,pod,container)' })
      .check((a) => {
        if (a.prometheus === undefined && (a.work !== undefined || a.memory !== undefined || a.match !== undefined)) throw new Error('--work, --memory and --match need --prometheus URL');
        return true;
      })
      .option('format', { choices: FORMATS, default: 'terminal' as const, describe: 'terminal text, Markdown for a ticket, JSON, or a self-contained HTML page' }),
  handler: async (args: ReportArgs): Promise<number> => {
    if (args.prometheus !== undefined) {
      const { promReport } = await import('../../sources/prometheus/promReportCommand.js');
      // With logs too, their records are the kills and Prometheus adds the curves.
      let records: KillRecord[] | null = null;
      if (args.files.length > 0) {
        records = [];
        const { problems } = await scanTimeline({ ...args, since: undefined, until: undefined }, (r) => void records!.push(r));
        for (const p of problems) process.stderr.write(formatProblem(p));
        if (problems.length > 0) return EXIT.inputError;
      }
      const out = await promReport({ ...args, prometheus: args.prometheus, records });
      if ('problem' in out) {
        process.stderr.write(`oomlens: ${out.problem}\n`);
        return EXIT.inputError;
      }
      await writeOut(out.text);
      return EXIT.ok;
    }
    // Speed: the analyzer and the renderer load while the scan's threads read the input.
    const loading = loadReportModules(args.format);
    const sampling = args.samples !== undefined ? import('./reportSamples.js').then((m) => m.readSamplePoints(args.samples!)) : null;
    const records: KillRecord[] = [];
    const { problems, inputsRead } = await scanTimeline(args, (record) => {
      records.push(record);
    });
    for (const p of problems) process.stderr.write(formatProblem(p));
    // No report about inputs that were never read (it would say "no kills").
    if (inputsRead === 0 && problems.length > 0) return EXIT.inputError;
    const { analyze, render } = await loading;
    let analysis = analyze(records, { by: args.by });
    const samples = sampling ? await sampling : null;
    if (samples) analysis = (await import('../../analyze/memoryEvidence.js')).withMemory(analysis, records, samples.points);
    const text = render(analysis, records, { top: args.all ? null : args.top });
    await writeOut(text);
    return problems.length > 0 || samples?.failed ? EXIT.inputError : EXIT.ok;
  },
};

type Analysis = import('../../analyze/analysis.js').Analysis;

async function loadReportModules(format: ReportArgs['format']): Promise<{
  analyze: typeof import('../../analyze/analyze.js').analyze;
  render: (analysis: Analysis, records: KillRecord[], options: { top: number | null }) => string;
}> {
  const { analyze } = await import('../../analyze/analyze.js');
  switch (format) {
    case 'json':
      return { analyze, render: (analysis) => `${jsonSafe(analysis, 2)}\n` };
    case 'markdown':
      return { analyze, render: (await import('../../report/markdownReport.js')).markdownReport };
    case 'html':
      return { analyze, render: (await import('../../report/htmlReport.js')).htmlReport };
    default:
      return { analyze, render: (await import('../../report/terminalReport.js')).terminalReport };
  }
}
