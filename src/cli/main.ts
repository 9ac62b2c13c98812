import yargs from 'yargs';
import { COMMANDS } from './commands/index.js';
import { terminalSafe } from '../render/terminalSafe.js';
import { EXIT } from './exitCodes.js';

/**
 * Runs the CLI and resolves to the exit code. Handlers return their code; usage errors are one
 * line on stderr and exit 2.
 */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  // yargs' completion command prints its script even for --help.
  if (argv[0] === 'completion' && (argv.includes('--help') || argv.includes('-h'))) {
    process.stdout.write(COMPLETION_HELP);
    return EXIT.ok;
  }
  // yargs drops a lone `-` from positionals; /dev/stdin names the same input and survives.
  const cli = yargs(argv.map((a) => (a === '-' ? '/dev/stdin' : a)))
    .scriptName('oomlens')
    .usage('$0 <command> [options]\n\nInvestigate Linux OOM kills in kernel logs.')
    .strict()
    .demandCommand(1, 'name a command: scan, schema, ...')
    .recommendCommands()
    .completion('completion', 'print a shell completion script')
    .help()
    .alias('h', 'help')
    .version()
    .option('debug', { type: 'boolean', global: true, describe: 'on an unexpected error, print its stack trace' })
    // yargs renders a command's help before running it (to cache it): wrapped, that costs ~25 ms
    // of every start, so the text is wrapped only when help is asked for.
    .wrap(argv.includes('--help') || argv.includes('-h') ? Math.min(100, process.stdout.columns ?? 100) : null)
    .fail((msg, err) => {
      // A handler's own error comes without a message; anything else is a usage error, and
      // throwing stops yargs from running the command anyway (with a bad flag's value as FILE).
      if (msg === null && err) throw err;
      throw new UsageError(msg ?? String(err));
    });
  // Only the command named on the line is loaded; help, completion and typos load them all.
  const named = argv.find((a) => !a.startsWith('-'));
  const load = named !== undefined && Object.hasOwn(COMMANDS, named) ? [COMMANDS[named as keyof typeof COMMANDS]] : Object.values(COMMANDS);
  for (const command of await Promise.all(load.map((l) => l()))) {
    cli.command({
      ...(command as object),
      handler: async (args: unknown) => {
        code = await (command.handler as (a: unknown) => Promise<number>)(args);
      },
    } as never);
  }
  try {
    await cli.parseAsync();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    // yargs puts new lines in some messages: each line made safe, not the new lines escaped.
    const lines = err.message.split('\n').filter((l) => l.trim() !== '').map(terminalSafe);
    process.stderr.write(`oomlens: ${lines.join('\n')}\nTry 'oomlens --help'.\n`);
    return EXIT.usage;
  }
  return code;
}

class UsageError extends Error {}

const COMPLETION_HELP = `oomlens completion

Print a bash/zsh completion script for oomlens.

  oomlens completion >> ~/.bashrc      (bash; or ~/.zshrc for zsh), then open a new shell

Options:
  -h, --help  this help
`;

/**
 * What the user sees of an unexpected error (a bug, not a bad input): one line and exit 2, or
 * with `--debug` the stack trace to put in a bug report.
 */
export function reportCrash(err: unknown, argv: readonly string[]): number {
  const debug = argv.includes('--debug');
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(debug && err instanceof Error && err.stack ? `${err.stack}\n` : `oomlens: ${terminalSafe(message)} (--debug shows where)\n`);
  return EXIT.usage;
}
