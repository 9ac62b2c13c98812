import { openSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateLog } from './gen/generate.js';
import { LOG_FORMATS, type LogFormat } from './gen/prefix.js';
import { Sink } from './gen/sink.js';
import { killLine, summaryLine, truthPathOf } from './gen/truthFile.js';

const USAGE = `usage: node dist/bench/genKernlog.js [--seed N] [--size SIZE] [--kills N] [--hosts N]
         [--format syslog|iso|journal|dmesg] [--out FILE|-] [--truth FILE]
         [--kill-every SIZE] [--noise-per-kill N] [--no-interleave] [--start ISO]

Writes a deterministic kernel log with OOM-kill dumps of several kernels (2.6.32 to 6.8, one
per host) buried in kernel and daemon noise, and a truth file (JSON Lines) of every kill.
  --size 1GiB              sparse: one kill per --kill-every (default 2MiB) on average
  --kills 100000           dense: dumps back to back, ~--noise-per-kill (4) lines between
  --size 1GiB --kills N    exactly N kills spread over 1 GiB
SIZE: 512, 64KiB, 50MB, 1.5GiB ... (KiB/MiB/GiB binary, KB/MB/GB decimal).
--out - writes to stdout (stream a 16 GiB log into a scan without storing it).
The truth goes to FILE.truth.jsonl by default (none for stdout unless --truth).`;

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3, kb: 1e3, mb: 1e6, gb: 1e9 };

function size(text: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) fail(`--${name} ${text}: not a size (say 512, 64KiB, 50MB, 1GiB)`);
  return Math.round(Number(m[1]) * unit);
}

function count(text: string, name: string): number {
  if (!/^\d+$/.test(text)) fail(`--${name} ${text}: not a whole number`);
  return Number(text);
}

function fail(message: string): never {
  process.stderr.write(`genKernlog: ${message}\n`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        seed: { type: 'string', default: '1' },
        size: { type: 'string' },
        kills: { type: 'string' },
        hosts: { type: 'string', default: '4' },
        format: { type: 'string', default: 'syslog' },
        out: { type: 'string', default: '-' },
        truth: { type: 'string' },
        'kill-every': { type: 'string', default: '2MiB' },
        'noise-per-kill': { type: 'string', default: '4' },
        'no-interleave': { type: 'boolean', default: false },
        start: { type: 'string', default: '2026-03-01T00:00:00Z' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
})();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (values.size === undefined && values.kills === undefined) fail(`give --size, --kills or both\n${USAGE}`);
const format = values.format as LogFormat;
if (!LOG_FORMATS.includes(format)) fail(`--format ${values.format}: one of ${LOG_FORMATS.join(', ')}`);
if (Number.isNaN(Date.parse(values.start))) fail(`--start ${values.start}: not an ISO 8601 time`);

const toStdout = values.out === '-';
const out = new Sink(toStdout ? 1 : openSync(values.out, 'w'), !toStdout);
const truthPath = values.truth ?? (toStdout ? null : truthPathOf(values.out));
const truth = truthPath === null ? null : new Sink(openSync(truthPath, 'w'), true);
const seed = count(values.seed, 'seed');
const summary = generateLog(
  {
    seed,
    sizeBytes: values.size === undefined ? null : size(values.size, 'size'),
    kills: values.kills === undefined ? null : count(values.kills, 'kills'),
    hosts: count(values.hosts, 'hosts'),
    format,
    killEveryBytes: size(values['kill-every'], 'kill-every'),
    noisePerKill: count(values['noise-per-kill'], 'noise-per-kill'),
    interleave: !values['no-interleave'],
    startIso: values.start,
  },
  out,
  (k) => truth?.text(killLine(k)),
);
truth?.text(summaryLine({ ...summary, seed }));
truth?.close();
process.stderr.write(`wrote ${summary.bytes} bytes, ${summary.lines} lines, ${summary.kills} OOM kills${truthPath ? `; truth in ${truthPath}` : ''}\n`);
