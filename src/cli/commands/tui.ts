import { openSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import type { Argv } from 'yargs';
import { GroupBy } from '../../analyze/analysis.js';
import { inputOptions, scanInputs, type InputArgs } from '../../sources/scanInputs.js';
import { followFiles, followKernel, systemLogFile } from '../../tui/followLive.js';
import { TuiApp } from '../../tui/tuiApp.js';
import type { OomRecord } from '../../schema/oomRecord.js';
import { EXIT } from '../exitCodes.js';

interface TuiArgs extends InputArgs {
  by: GroupBy;
  follow: boolean;
}

/** Redraw the loading line at most this often while a large input is read. */
const PROGRESS_EVERY = 2000;

export const tuiCommand = {
  command: 'tui [files..]',
  describe: 'Browse the kills interactively: groups, their kills, each kill in detail; --follow for live',
  builder: (y: Argv) =>
    inputOptions(y)
      .option('by', { choices: GroupBy.options, default: 'comm' as const, describe: 'first grouping (g changes it)' })
      .option('follow', { type: 'boolean', default: false, describe: 'keep reading the files and show kills as they complete' }),
  handler: async (args: TuiArgs): Promise<number> => {
    if (!process.stdout.isTTY) {
      process.stderr.write('oomlens: tui needs a terminal on stdout; use `oomlens scan` or `report` in pipes\n');
      return EXIT.usage;
    }
    // No file on a terminal: the running system's kernel log, followed like `watch` does.
    const system = args.files.length === 1 && args.files[0] === '-' && process.stdin.isTTY;
    if (args.follow && args.files.includes('-') && !system) {
      process.stderr.write('oomlens: --follow needs files, not stdin\n');
      return EXIT.usage;
    }
    const systemFile = system ? await systemLogFile() : null;
    const files = systemFile ? [systemFile] : args.files;
    // Reading a log from stdin leaves the keyboard on the controlling terminal.
    const input = process.stdin.isTTY ? process.stdin : new ReadStream(openSync('/dev/tty', 'r'));
    const source = system && !systemFile ? 'the kernel log' : files.join(', ');
    const app = new TuiApp({ by: args.by, live: system || args.follow, source, input, output: process.stdout });
    const stop = new AbortController();
    void app.closed.then(() => stop.abort());

    let following: Promise<void> | null = null;
    if (system && !systemFile) following = followKernel(app, stop.signal);
    else {
      const live = system || args.follow ? followFiles(files, app, stop.signal) : null;
      following = live?.done ?? null;
      const records: OomRecord[] = [];
      const { problems } = await scanInputs({ ...args, files, raw: true }, (r) => {
        records.push(r);
        if (records.length % PROGRESS_EVERY === 0) app.progress(records.length);
      });
      live?.history(records);
      app.load(records, problems.map((p) => `${p.input}: ${p.message}`));
    }
    await app.closed;
    await following;
    if (input !== process.stdin) input.destroy();
    return EXIT.ok;
  },
};
