import { openSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import type { Argv } from 'yargs';
import { GroupBy } from '../../analyze/analysis.js';
import type { KillRecord } from '../../schema/killRecord.js';
import { inputOptions, scanTimeline, type InputArgs } from '../../sources/scanInputs.js';
import { findSystemLog } from '../../sources/systemLog.js';
import { followLive, followSpecOf } from '../../tui/followLive.js';
import { TuiApp } from '../../tui/tuiApp.js';
import type { FollowSpec } from '../../watch/followSource.js';
import { EXIT } from '../exitCodes.js';

interface TuiArgs extends InputArgs {
  by: GroupBy;
  follow: boolean;
}

/** Redraw the loading line after this many records while a large input is read. */
const PROGRESS_EVERY = 2000;

export const tuiCommand = {
  command: 'tui [files..]',
  describe: 'Browse the kills interactively: groups, their kills, each kill in detail; live with --follow or no FILE',
  builder: (y: Argv) =>
    inputOptions(y)
      .option('by', { choices: GroupBy.options, default: 'comm' as const, describe: 'first grouping (g changes it)' })
      .option('follow', { type: 'boolean', default: false, describe: 'keep reading the files and show kills as they complete' }),
  handler: async (args: TuiArgs): Promise<number> => {
    if (!process.stdout.isTTY) {
      process.stderr.write('oomlens: tui needs a terminal on stdout; use `oomlens scan` or `report` in pipes\n');
      return EXIT.usage;
    }
    // A log piped in is read whether or not `-` is named (yargs drops a lone `-` from the list).
    const piped = !process.stdin.isTTY;
    if (piped && !args.files.includes('-')) args = { ...args, files: [...args.files, '-'] };
    if (args.files.includes('-') && (args.follow || !piped)) {
      process.stderr.write(`oomlens: ${args.follow ? '--follow needs files, not stdin' : 'nothing is piped into stdin (-)'}\n`);
      return EXIT.usage;
    }
    // No FILE: the system's own kernel log, read like `scan` reads it, then followed like `watch`.
    const system = args.files.length === 0 ? await findSystemLog() : null;
    const follows: FollowSpec[] = system ? [await followSpecOf(system)].filter((s) => s !== null) : args.follow ? args.files.map((path) => ({ kind: 'file', path })) : [];
    const source = !system
      ? args.files.join(', ')
      : system.kind === 'files'
        ? system.paths[system.paths.length - 1]!
        : system.kind === 'command'
          ? `the ${system.source.label === 'journalctl' ? 'journal' : 'kernel ring buffer'}`
          : 'no kernel log';

    // A log piped into stdin leaves the keyboard on the controlling terminal.
    const input = piped ? new ReadStream(openSync('/dev/tty', 'r')) : process.stdin;
    const app = new TuiApp({ by: args.by, live: follows.length > 0, source, input, output: process.stdout });
    const stop = new AbortController();
    void app.closed.then(() => stop.abort());
    const live = follows.length > 0 ? followLive(follows, app, stop.signal) : null;

    const records: KillRecord[] = [];
    // quiet: the progress line on stderr would be drawn over the screen.
    const { problems } = await scanTimeline({ ...args, raw: true, quiet: true }, (r) => {
      // Quit while a big file is read: an error from here ends the reading of that input.
      if (stop.signal.aborted) throw new Error('quit');
      records.push(r);
      if (records.length % PROGRESS_EVERY === 0) app.progress(records.length);
    });
    live?.history(records);
    app.load(records, problems.map((p) => `${p.input}: ${p.message}`));
    await app.closed;
    await live?.done;
    if (input !== process.stdin) input.destroy();
    return EXIT.ok;
  },
};
