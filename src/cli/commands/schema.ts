import type { Argv } from 'yargs';
import { z } from 'zod';
import { Analysis } from '../../analyze/analysis.js';
import { KillRecord } from '../../schema/killRecord.js';
import { MemorySample } from '../../schema/memorySample.js';
import { WatchOutput } from '../../schema/watchOutput.js';
import { writeOut } from '../output.js';

/** The documents oomlens writes, each with its zod schema (the single source of truth). */
const DOCUMENTS = { record: KillRecord, analysis: Analysis, sample: MemorySample, watch: WatchOutput } as const;

export const schemaCommand = {
  command: 'schema [document]',
  describe: 'Print the JSON Schema of the records `scan --json` writes, of `report --format json`, or of `watch --samples` records',
  builder: (y: Argv) =>
    y.positional('document', {
      choices: Object.keys(DOCUMENTS),
      default: 'record',
      describe: '`record` (scan --json, one per line), `analysis` (report --format json), `sample` (watch --samples FILE, one per line) or `watch` (watch --json, one per line)',
    }),
  handler: async (args: { document: keyof typeof DOCUMENTS }): Promise<number> => {
    await writeOut(`${JSON.stringify(z.toJSONSchema(DOCUMENTS[args.document]), null, 2)}\n`);
    return 0;
  },
};
