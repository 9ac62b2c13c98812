import type { Argv } from 'yargs';
import { createLogParser } from '../../../parsers/index.js';
import type { OomRecord } from '../../schema/oomRecord.js';
import { KILL_TABLE_HEADER, formatTable, killTableRow } from '../../render/killTable.js';
import { openInput } from '../../sources/readInput.js';
import { EXIT } from '../exitCodes.js';
import { writeOut } from '../output.js';

interface ScanArgs {
  files: string[];
  json: boolean;
  raw: boolean;
  'fail-on-kill': boolean;
}

export const scanCommand = {
  command: 'scan [files..]',
  describe: 'Find OOM kills in kernel logs and print one record per kill',
  builder: (y: Argv) =>
    y
      .positional('files', { type: 'string', array: true, default: ['-'], describe: 'log files (`-` for stdin)' })
      .option('json', { type: 'boolean', default: false, describe: 'one JSON record per line (NDJSON)' })
      .option('raw', { type: 'boolean', default: false, describe: 'include each report’s raw lines in the records' })
      .option('fail-on-kill', { type: 'boolean', default: false, describe: 'exit 3 when any kill was found' }),
  handler: async (args: ScanArgs): Promise<number> => {
    let failed = false;
    let kills = 0;
    const rows: string[][] = [KILL_TABLE_HEADER];
    for (const file of args.files) {
      try {
        await scanFile(file, args.raw, async (record) => {
          if (record.type === 'oom-kill') kills += 1;
          if (args.json) await writeOut(`${JSON.stringify(record)}\n`);
          else rows.push(killTableRow(record));
        });
      } catch (err) {
        failed = true;
        process.stderr.write(`oomlens: ${file}: ${(err as Error).message}\n`);
      }
    }
    if (!args.json) await writeOut(rows.length > 1 ? formatTable(rows) : 'no OOM kills found\n');
    if (failed) return EXIT.inputError;
    return args['fail-on-kill'] && kills > 0 ? EXIT.killFound : EXIT.ok;
  },
};

/** Streams one input through the parser, handing each record to `onRecord` in order. */
export async function scanFile(file: string, keepRaw: boolean, onRecord: (r: OomRecord) => Promise<void>): Promise<void> {
  const queue: OomRecord[] = [];
  const parser = createLogParser({ file: file === '-' ? null : file, keepRaw, emit: (r) => queue.push(r) });
  for await (const chunk of openInput(file)) {
    parser.push(chunk as Buffer);
    for (const r of queue.splice(0)) await onRecord(r);
  }
  parser.end();
  for (const r of queue.splice(0)) await onRecord(r);
}
