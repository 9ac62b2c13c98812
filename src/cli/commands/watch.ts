import type { Server } from 'node:http';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { DEFAULT_MAX_SERIES, KillMetrics } from '../../metrics/killMetrics.js';
import { serveMetrics } from '../../metrics/metricsServer.js';
import { LISTEN_FORMS, parseListenAddress } from '../listenAddress.js';
import { terminalSafe } from '../../render/terminalSafe.js';
import { DEFAULT_EXEC_TIMEOUT_MS, ExecHook } from '../../watch/execHook.js';
import { DEFAULT_SETTLE_MS, followRecords, type FollowSpec } from '../../watch/followSource.js';
import { killLine, killLineHeader } from '../../render/killLine.js';
import { SourceError } from '../../watch/lineSource.js';
import { StateFileError, type SourcePosition } from '../../watch/watchState.js';
import { EXIT } from '../exitCodes.js';
import { defaultWatchSource } from '../watchSource.js';
import { writeOut } from '../output.js';

interface WatchArgs {
  file?: string;
  kmsg: boolean;
  'kmsg-path': string;
  journal: boolean;
  'from-start': boolean;
  settle: number;
  state?: string;
  json: boolean;
  raw: boolean;
  exec?: string;
  'exec-timeout': number;
  metrics?: string;
  'max-series': number;
}

export const watchCommand = {
  command: 'watch [file]',
  describe: 'Follow a kernel log live and report each OOM kill as soon as its report is complete',
  builder: (y: Argv) =>
    y
      .positional('file', {
        type: 'string',
        describe: 'log file to follow (default: /var/log/kern.log or messages, else the journal when it holds kernel messages, else /dev/kmsg)',
      })
      .option('kmsg', { type: 'boolean', default: false, describe: 'read /dev/kmsg directly (no syslog daemon needed)' })
      .option('kmsg-path', { type: 'string', default: '/dev/kmsg', describe: 'the kmsg device (or a FIFO or file in its format)' })
      .option('journal', { type: 'boolean', default: false, describe: 'read the systemd journal (journalctl): the kernel, systemd-oomd and earlyoom' })
      .option('from-start', { type: 'boolean', default: false, describe: 'first report what the source already holds' })
      .option('settle', { type: 'number', default: DEFAULT_SETTLE_MS, describe: 'idle time (ms) after which a report with its kill is complete' })
      .option('state', { type: 'string', describe: 'keep the position in this file and resume from it' })
      .option('json', { type: 'boolean', default: false, describe: 'one JSON record per line (NDJSON)' })
      .option('raw', { type: 'boolean', default: false, describe: 'keep each report’s raw lines in the records' })
      .option('exec', { type: 'string', describe: 'run this command (sh -c) per record, the JSON record on its stdin' })
      .option('exec-timeout', { type: 'number', default: DEFAULT_EXEC_TIMEOUT_MS / 1000, describe: 'seconds before a --exec hook is killed' })
      .option('metrics', { type: 'string', describe: `serve Prometheus metrics at ${LISTEN_FORMS}` })
      .option('max-series', { type: 'number', default: DEFAULT_MAX_SERIES, describe: 'label sets of oomlens_kills_total before comm="other"' })
      .check((a) => {
        const sources = [a.file !== undefined, a.kmsg, a.journal].filter(Boolean).length;
        if (sources > 1) throw new Error('give one source: a FILE, --kmsg or --journal');
        if (!(a.settle > 0)) throw new Error('--settle must be a positive number of milliseconds');
        if (!(a['exec-timeout'] > 0)) throw new Error('--exec-timeout must be a positive number of seconds');
        if (!(Number.isInteger(a['max-series']) && a['max-series'] >= 1)) throw new Error('--max-series must be a positive whole number');
        if (a.metrics !== undefined) parseListenAddress(a.metrics);
        return true;
      }),
  handler: async (args: WatchArgs): Promise<number> => {
    const problem = (message: string) => process.stderr.write(`oomlens: ${terminalSafe(message)}\n`);
    const spec = await sourceOf(args, problem);
    if (!spec) return EXIT.inputError;

    const metrics = args.metrics !== undefined ? new KillMetrics({ maxSeries: args['max-series'] }) : null;
    let server: Server | null = null;
    if (metrics) {
      try {
        const served = await serveMetrics(metrics.registry, parseListenAddress(args.metrics!));
        server = served.server;
        problem(`metrics at ${served.url}`);
      } catch (err) {
        problem(`--metrics ${args.metrics}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        return EXIT.inputError;
      }
    }
    const hook = args.exec !== undefined ? new ExecHook(args.exec, args['exec-timeout'] * 1000, problem) : null;

    // SIGTERM/SIGINT: write what is complete, save the state, exit 0. A second one kills.
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    let code: number = EXIT.ok;
    try {
      if (!args.json && process.stdout.isTTY) await writeOut(killLineHeader());
      const records = followRecords(spec, {
        statePath: args.state ?? null,
        fromStart: args['from-start'],
        settleMs: args.settle,
        keepRaw: args.raw,
        signal: stop.signal,
        onProblem: problem,
        onLongLines: (n) => metrics?.parseError('long-line', n),
        onReady: (position) => problem(startNotice(position)),
      });
      for await (const record of records) {
        metrics?.observe(record);
        await writeOut(args.json ? `${JSON.stringify(record)}\n` : killLine(record));
        hook?.enqueue(record);
      }
    } catch (err) {
      if (!(err instanceof SourceError || err instanceof StateFileError)) throw err;
      problem(err.message);
      code = EXIT.inputError;
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      await hook?.idle();
      if (server) {
        const closed = new Promise((done) => server!.close(done));
        server.closeAllConnections();
        await closed;
      }
    }
    return code;
  },
};

/** One line on stderr when following starts: what, and from where. */
function startNotice(position: SourcePosition): string {
  if (position.kind === 'journal') return 'watching the journal (journalctl --follow)';
  if (position.kind === 'kmsg') return `watching ${position.path}`;
  if (position.ino === 0) return `${position.path} does not exist yet; watching for it`;
  return `watching ${position.path} from line ${position.line + 1}`;
}

async function sourceOf(args: WatchArgs, say: (line: string) => void): Promise<FollowSpec | null> {
  if (args.kmsg) return { kind: 'kmsg', path: args['kmsg-path'] };
  if (args.journal) return { kind: 'journal' };
  if (args.file !== undefined) return { kind: 'file', path: resolve(args.file) };
  const chosen = await defaultWatchSource(args['kmsg-path']);
  if (!chosen.spec) {
    say(chosen.problem);
    return null;
  }
  say(chosen.note);
  return chosen.spec;
}
