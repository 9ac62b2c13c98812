import type { Argv } from 'yargs';
import { formatProblem } from '../../sources/inputProblem.js';
import { inputOptions, scanTimeline, type InputArgs } from '../../sources/scanInputs.js';
import { EXIT } from '../exitCodes.js';
import { writeOut } from '../output.js';
import { jsonSafe } from '../../render/terminalSafe.js';

interface ScanArgs extends InputArgs {
  json: boolean;
  'fail-on-kill': boolean;
}

export const scanCommand = {
  command: 'scan [files..]',
  describe: 'Find OOM kills (kernel, systemd-oomd, earlyoom) in logs and print one record per kill',
  builder: (y: Argv) =>
    inputOptions(y)
      .option('json', { type: 'boolean', default: false, describe: 'one JSON record per line (NDJSON)' })
      .option('fail-on-kill', { type: 'boolean', default: false, describe: 'exit 3 when any kill was found' }),
  handler: async (args: ScanArgs): Promise<number> => {
    let kills = 0;
    // Loaded at the first record: --json never needs it, and the scan's threads start sooner.
    let lines: typeof import('../../render/killLine.js') | undefined;
    const { problems, inputsRead } = await scanTimeline(args, async (record) => {
      if (record.type !== 'oom-without-kill') kills += 1;
      if (args.json) {
        await writeOut(`${jsonSafe(record)}
`);
        return;
      }
      // Rows stream out with fixed column widths, as `watch` prints them: a reader such as
      // `head` sees the first kill as soon as it is found, not after the whole scan.
      if (!lines) {
        lines = await import('../../render/killLine.js');
        await writeOut(lines.killLineHeader());
      }
      await writeOut(lines.killLine(record));
    });
    for (const p of problems) process.stderr.write(formatProblem(p));
    // Said only about inputs really read: `scan /nonexistent` is an error, not an empty result.
    if (!args.json && !lines && inputsRead > 0) await writeOut('no OOM kills found\n');
    // A kill found is the alarm a cron check waits for: it wins over an unreadable input.
    if (args['fail-on-kill'] && kills > 0) return EXIT.killFound;
    return problems.length > 0 ? EXIT.inputError : EXIT.ok;
  },
};
