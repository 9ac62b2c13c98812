import type { Argv } from 'yargs';
import { analyze } from '../../analyze/analyze.js';
import { GroupBy } from '../../analyze/analysis.js';
import { explainKill } from '../../analyze/explainKill.js';
import { groupsByIndex, killNumbers } from '../../analyze/killLookup.js';
import { explainTerminal } from '../../report/explainTerminal.js';
import type { KillRecord } from '../../schema/killRecord.js';
import { formatProblem } from '../../sources/inputProblem.js';
import { inputOptions, scanTimeline, type InputArgs } from '../../sources/scanInputs.js';
import { withMemory } from '../../analyze/memoryEvidence.js';
import { lifeLine } from '../../render/memoryLifeText.js';
import { EXIT } from '../exitCodes.js';
import { lifeBeforeKill, readSamplePoints } from './reportSamples.js';
import { writeOut } from '../output.js';
import { jsonSafe } from '../../render/terminalSafe.js';

interface ExplainArgs extends InputArgs {
  event?: number;
  pid?: number;
  by: GroupBy;
  json: boolean;
  samples?: string;
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
      .option('json', { type: 'boolean', default: false, describe: 'the explanation as JSON' })
      .option('samples', { type: 'string', describe: 'memory samples from `watch --samples FILE`: the life of the memory before the kill' }),
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
    let analysis = analyze(records, { by: args.by });
    let failed = false;
    if (args.samples !== undefined) {
      const samples = await readSamplePoints(args.samples);
      failed = samples.failed;
      analysis = withMemory(analysis, records, samples.points);
    }
    const group = groupsByIndex(analysis).get(index) ?? null;
    const ex = explainKill(records[index]!, { killNumber: numbers.get(index)!, totalKills: numbers.size, index, group });
    // With --samples: the life of the memory that ended in this kill (null when its cgroup was not sampled then).
    const life = args.samples !== undefined ? lifeBeforeKill(group?.memory, records[index]!.time) : undefined;
    const memoryText = life ? `\nThe memory before the kill (samples):\n${lifeLine(life)}` : args.samples !== undefined ? '\nNo memory samples of its cgroup end at this kill.\n' : '';
    await writeOut(args.json ? `${jsonSafe(life === undefined ? ex : { ...ex, memoryLife: life }, 2)}\n` : explainTerminal(ex, notes) + memoryText);
    return problems.length > 0 || failed ? EXIT.inputError : EXIT.ok;
  },
};

function usage(message: string): number {
  process.stderr.write(`oomlens: ${message}\n`);
  return EXIT.usage;
}
