import type { Argv } from 'yargs';
import { analyze } from '../../analyze/analyze.js';
import { GroupBy } from '../../analyze/analysis.js';
import { htmlReport } from '../../report/htmlReport.js';
import { markdownReport } from '../../report/markdownReport.js';
import { terminalReport } from '../../report/terminalReport.js';
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
      .option('by', { choices: GroupBy.options, default: 'comm' as const, describe: 'group kills by victim name, workload, cgroup or host' })
      .option('format', { choices: FORMATS, default: 'terminal' as const, describe: 'terminal text, Markdown for a ticket, JSON, or a self-contained HTML page' }),
  handler: async (args: ReportArgs): Promise<number> => {
    const records: KillRecord[] = [];
    const { problems } = await scanTimeline(args, (record) => {
      records.push(record);
    });
    for (const p of problems) process.stderr.write(formatProblem(p));
    const analysis = analyze(records, { by: args.by });
    const text =
      args.format === 'json'
        ? `${JSON.stringify(analysis, null, 2)}\n`
        : args.format === 'markdown'
          ? markdownReport(analysis)
          : args.format === 'html'
            ? htmlReport(analysis, records)
            : terminalReport(analysis);
    await writeOut(text);
    return problems.length > 0 ? EXIT.inputError : EXIT.ok;
  },
};
