import type { Server } from 'node:http';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { DEFAULT_MAX_SERIES, KillMetrics } from '../../metrics/killMetrics.js';
import { loadKnownSeries, saveKnownSeries, seriesFileOf } from '../../metrics/knownSeries.js';
import type { KillLabels } from '../../metrics/killLabels.js';
import { parseListenAddress, serveMetrics } from '../../metrics/metricsServer.js';
import { SourceMetrics } from '../../metrics/sourceMetrics.js';
import { jsonSafe, terminalSafe } from '../../render/terminalSafe.js';
import { DeliveryLog, stdoutMark } from '../../watch/deliveryLog.js';
import { DEFAULT_EXEC_TIMEOUT_MS, DRAIN_MS, ExecHook } from '../../watch/execHook.js';
import { DEFAULT_SETTLE_MS, followRecords, type FollowSpec } from '../../watch/followSource.js';
import { killLine, killLineHeader } from '../../render/killLine.js';
import { lifeLine } from '../../render/memoryLifeText.js';
import { lifeEnv } from '../../watch/lifeEnv.js';
import { SourceError } from '../../watch/lineSource.js';
import { StateFileError, type SourcePosition } from '../../watch/watchState.js';
import { EXIT } from '../exitCodes.js';
import { defaultWatchSource } from '../watchSource.js';
import { writeOut } from '../output.js';
import { sampleArgs, sampleOptions, startSampling, type SampleArgs } from './watchSampling.js';
import type { KillRecord } from '../../schema/killRecord.js';
import type { MemoryLife } from '../../schema/memoryLife.js';

interface WatchArgs extends SampleArgs {
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
    sampleOptions(y)
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
      .option('metrics', {
        type: 'string',
        describe: 'serve Prometheus metrics at /metrics on PORT or 127.0.0.1:PORT (loopback, the default), [::1]:PORT, HOST:PORT, or :PORT (every interface)',
      })
      .option('max-series', { type: 'number', default: DEFAULT_MAX_SERIES, describe: 'kill label sets kept before new hosts/workloads fold into "other"' })
      .check((a) => {
        const sources = [a.file !== undefined, a.kmsg, a.journal].filter(Boolean).length;
        if (sources > 1) throw new Error('give one source: a FILE, --kmsg or --journal');
        if (!(a.settle > 0)) throw new Error('--settle must be a positive number of milliseconds');
        if (!(a['exec-timeout'] > 0)) throw new Error('--exec-timeout must be a positive number of seconds');
        if (!(Number.isInteger(a['max-series']) && a['max-series'] >= 1)) throw new Error('--max-series must be a positive whole number');
        if (a.metrics !== undefined && !parseListenAddress(a.metrics)) throw new Error(`--metrics: not PORT, HOST:PORT, [IPv6]:PORT or :PORT: ${a.metrics}`);
        sampleArgs(a as unknown as SampleArgs);
        return true;
      }),
  handler: async (args: WatchArgs): Promise<number> => {
    const problem = (message: string) => process.stderr.write(`oomlens: ${terminalSafe(message)}\n`);
    const spec = await sourceOf(args, problem);
    if (!spec) return EXIT.inputError;

    const metrics = args.metrics !== undefined ? killMetricsFor(args) : null;
    const sourceMetrics = metrics ? new SourceMetrics(metrics.registry, spec.kind === 'file' ? spec.path : spec.kind) : null;
    let server: Server | null = null;
    if (metrics) {
      try {
        const served = await serveMetrics(metrics.registry, parseListenAddress(args.metrics!)!);
        server = served.server;
        problem(`metrics at ${served.url}`);
      } catch (err) {
        problem(`--metrics ${args.metrics}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        return EXIT.inputError;
      }
    }
    let delivery: DeliveryLog | null = null;
    try {
      delivery = args.state !== undefined ? await DeliveryLog.open(args.state, problem, stdoutMark) : null;
    } catch (err) {
      if (!(err instanceof StateFileError)) throw err;
      problem(err.message);
      return EXIT.inputError;
    }
    const hook = args.exec !== undefined ? new ExecHook(args.exec, args['exec-timeout'] * 1000, problem, (key) => delivery?.hookDone(key)) : null;
    if (hook && delivery) {
      delivery.hookBacklog = () => hook.backlog();
      hook.restore(delivery.recoveredHook);
    }
    // --samples: the memory of the cgroups, sampled beside the log (null without it).
    const sampling = startSampling(args, { problem, metricsRegistry: metrics?.registry ?? null, execHook: hook, json: args.json });
    if (sampling === 'failed') {
      await closeServer(server);
      return EXIT.inputError;
    }

    // SIGTERM/SIGINT: write what is complete, save the state, exit 0. A second one kills.
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    let code: number = EXIT.ok;
    try {
      if (!args.json && process.stdout.isTTY) await writeOut(killLineHeader());
      const lives = new Map<KillRecord, MemoryLife>();
      const records = followRecords(spec, {
        statePath: args.state ?? null,
        fromStart: args['from-start'],
        settleMs: args.settle,
        keepRaw: args.raw,
        signal: stop.signal,
        onProblem: problem,
        onLongLines: (n) => metrics?.parseProblem('long-line', n),
        onChunk: (chunk) => sourceMetrics?.read(chunk),
        onReady: (position) => problem(startNotice(position)),
        delivery: delivery ?? undefined,
        outputMark: stdoutMark,
        // The life before the kill (--samples) is taken once, here, for the hook and the print.
        onShow: (key, record) => {
          const life = sampling?.lifeOf(record) ?? null;
          if (life) lives.set(record, life);
          return hook ? hook.enqueue(key, life ? { ...record, life } : record, lifeEnv(life)) : null;
        },
      });
      for await (const record of records) {
        metrics?.observe(record);
        const life = lives.get(record) ?? null;
        lives.delete(record);
        await writeOut(args.json ? `${jsonSafe(life ? { ...record, life } : record)}\n` : killLine(record) + (life ? lifeLine(life) : ''));
      }
    } catch (err) {
      if (!(err instanceof SourceError || err instanceof StateFileError)) throw err;
      sourceMetrics?.fail();
      problem(err.message);
      code = EXIT.inputError;
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      await sampling?.stop();
      // Bounded: a unit's TimeoutStopSec must not run out while hooks are still queued.
      const left = (await hook?.close(DRAIN_MS)) ?? 0;
      if (left > 0) {
        const where = args.state !== undefined ? `kept in ${args.state} and passed to the hook at the next start` : 'dropped (no --state to keep them in)';
        problem(`--exec: ${left} record(s) not passed to the hook within ${DRAIN_MS / 1000} s of stopping: ${where}`);
      }
      delivery?.close();
      await closeServer(server);
    }
    return code;
  },
};

/** With --state, the kill series of earlier runs are exported at 0 from the start. */
function killMetricsFor(args: WatchArgs): KillMetrics {
  if (args.state === undefined) return new KillMetrics({ maxSeries: args['max-series'] });
  const file = seriesFileOf(resolve(args.state));
  const known: KillLabels[] = loadKnownSeries(file);
  return new KillMetrics({
    maxSeries: args['max-series'],
    known,
    onNewSeries: (labels) => {
      known.push(labels);
      try {
        saveKnownSeries(file, known);
      } catch {
        // Only the zero series of the next run depend on it; the state file reports disk trouble.
      }
    },
  });
}

async function closeServer(server: Server | null): Promise<void> {
  if (!server) return;
  const closed = new Promise((done) => server.close(done));
  server.closeAllConnections();
  await closed;
}

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
