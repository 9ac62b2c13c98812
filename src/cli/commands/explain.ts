import type { Argv } from 'yargs';
import { analyze } from '../../analyze/analyze.js';
import { GroupBy } from '../../analyze/analysis.js';
import { explainKill } from '../../analyze/explainKill.js';
import { groupsByIndex, killNumbers } from '../../analyze/killLookup.js';
import { explainTerminal } from '../../report/explainTerminal.js';
import type { KillRecord } from '../../schema/killRecord.js';
import { formatProblem } from '../../sources/inputProblem.js';
import { inputOptions, scanTimeline, type InputArgs } from '../../sources/scanInputs.js';
import { EXIT } from '../exitCodes.js';
import { writeOut } from '../output.js';

interface ExplainArgs extends InputArgs {
  event?: number;
  pid?: number;
  by: GroupBy;
  json: boolean;
}

export const explainCommand = {
  command: 'explain [files..]',
  describe: 'Explain one kill in plain language (the latest, or --event N / --pid P)',
  builder: (y: Argv) =>
    inputOptions(y)
      .option('event', { type: 'number', describe: 'the Nth kill of the input (as numbered by `report --format html`), 1 = first' })
      .option('pid', { type: 'number', describe: 'the kill whose victim had this pid (the latest, if several)' })
      .conflicts('event', 'pid')
      .option('by', { choices: GroupBy.options, default: 'service' as const, describe: 'the grouping whose history the kill is set in' })
      .option('json', { type: 'boolean', default: false, describe: 'the explanation as JSON' }),
  handler: async (args: ExplainArgs): Promise<number> => {
    const records: KillRecord[] = [];
    const { problems, inputsRead } = await scanTimeline(args, (record) => {
      records.push(record);
    });
    for (const p of problems) process.stderr.write(formatProblem(p));
    const numbers = killNumbers(records);
    if (numbers.size === 0) {
      // Said only about inputs really read: a missing input is an error only.
      if (inputsRead > 0) await writeOut('no OOM kills found\n');
      return problems.length > 0 ? EXIT.inputError : EXIT.ok;
    }
    const byNumber = [...numbers.keys()];
    let index: number | undefined;
    const notes: string[] = [];
    if (args.event !== undefined) {
      index = byNumber[args.event - 1];
      if (index === undefined || !Number.isInteger(args.event)) return usage(`no kill ${args.event}: the input has ${numbers.size} (1 to ${numbers.size})`);
    } else if (args.pid !== undefined) {
      const matches = byNumber.filter((i) => records[i]!.victim?.pid === args.pid);
      if (matches.length === 0) return usage(`no kill of pid ${args.pid} in the input`);
      index = matches[matches.length - 1]!;
      if (matches.length > 1) notes.push(`(pid ${args.pid} was killed ${matches.length} times: kills ${matches.map((i) => numbers.get(i)).join(', ')}; this is the latest.)`);
    } else {
      index = byNumber[byNumber.length - 1]!;
      if (numbers.size > 1) notes.push(`(The latest of ${numbers.size} kills; pick another with --event N or --pid P.)`);
    }
    const analysis = analyze(records, { by: args.by });
    const ex = explainKill(records[index]!, { killNumber: numbers.get(index)!, totalKills: numbers.size, index, group: groupsByIndex(analysis).get(index) ?? null });
    await writeOut(args.json ? `${JSON.stringify(ex, null, 2)}\n` : explainTerminal(ex, notes));
    return problems.length > 0 ? EXIT.inputError : EXIT.ok;
  },
};

function usage(message: string): number {
  process.stderr.write(`oomlens: ${message}\n`);
  return EXIT.usage;
}
