import type { Argv } from 'yargs';
import type { GroupBy } from '../../analyze/analysis.js';
import { GROUP_BY_VIEWS } from '../../analyze/groupByViews.js';
import type { KillRecord } from '../../schema/killRecord.js';
import { formatProblem } from '../../sources/inputProblem.js';
import { inputOptions, scanTimeline, type InputArgs } from '../../sources/scanInputs.js';
import { EXIT } from '../exitCodes.js';
import { writeOut } from '../output.js';

const FORMATS = ['terminal', 'markdown', 'json', 'html'] as const;

interface ReportArgs extends InputArgs {
  by: GroupBy;
  format: (typeof FORMATS)[number];
}

export const reportCommand = {
  command: 'report [files..]',
  describe: 'Group the kills and judge each group: one-off, recurring (leak-like?), burst or host pressure',
  builder: (y: Argv) =>
    inputOptions(y)
      .option('by', { choices: GROUP_BY_VIEWS, default: 'comm' as const, describe: 'group kills by victim name, workload, cgroup or host' })
      .option('format', { choices: FORMATS, default: 'terminal' as const, describe: 'terminal text, Markdown for a ticket, JSON, or a self-contained HTML page' }),
  handler: async (args: ReportArgs): Promise<number> => {
    // Speed: the analyzer and the renderer load while the scan's threads read the input.
    const loading = loadReportModules(args.format);
    const records: KillRecord[] = [];
    const { problems, inputsRead } = await scanTimeline(args, (record) => {
      records.push(record);
    });
    for (const p of problems) process.stderr.write(formatProblem(p));
    // No report about inputs that were never read (it would say "no kills").
    if (inputsRead === 0 && problems.length > 0) return EXIT.inputError;
    const { analyze, render } = await loading;
    const analysis = analyze(records, { by: args.by });
    const text = render(analysis, records);
    await writeOut(text);
    return problems.length > 0 ? EXIT.inputError : EXIT.ok;
  },
};

type Analysis = import('../../analyze/analysis.js').Analysis;

async function loadReportModules(format: ReportArgs['format']): Promise<{
  analyze: typeof import('../../analyze/analyze.js').analyze;
  render: (analysis: Analysis, records: KillRecord[]) => string;
}> {
  const { analyze } = await import('../../analyze/analyze.js');
  switch (format) {
    case 'json':
      return { analyze, render: (analysis) => `${JSON.stringify(analysis, null, 2)}\n` };
    case 'markdown':
      return { analyze, render: (await import('../../report/markdownReport.js')).markdownReport };
    case 'html':
      return { analyze, render: (await import('../../report/htmlReport.js')).htmlReport };
    default:
      return { analyze, render: (await import('../../report/terminalReport.js')).terminalReport };
  }
}
