import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Registry } from 'prom-client';
import type { Argv } from 'yargs';
import { DEFAULT_PRE_OOM } from '../../analyze/preOomDecision.js';
import { SamplerMetrics } from '../../metrics/samplerMetrics.js';
import { errnoText } from '../../render/errnoText.js';
import { bytesText, counterKillLine, rateText } from '../../render/memoryLifeText.js';
import { terminalSafe } from '../../render/terminalSafe.js';
import type { CounterOomKill } from '../../schema/counterKill.js';
import type { KillRecord } from '../../schema/killRecord.js';
import type { MemoryLife } from '../../schema/memoryLife.js';
import { rootAt } from '../../sample/cgroupTree.js';
import { exactText } from '../../sample/exactCount.js';
import { DEFAULT_SAMPLES_MAX_BYTES, SamplesFile } from '../../sample/samplesFile.js';
import { Sampler } from '../../sample/sampler.js';
import { BeforeOomHook, DEFAULT_BEFORE_OOM_TIMEOUT_MS } from '../../watch/beforeOomHook.js';
import type { ExecHook } from '../../watch/execHook.js';
import { lifeEnv } from '../../watch/lifeEnv.js';
import { MemoryWatch } from '../../watch/memoryWatch.js';
import { writeOut } from '../output.js';
import { parseDurationMs, parseShare, parseSizeBytes } from '../sampleOptions.js';

export interface SampleArgs {
  samples?: string;
  'sample-every': string;
  'samples-max-size': string;
  cgroup?: string[];
  'cgroup-root'?: string;
  'before-oom'?: string;
  'before-oom-lead': string;
  'before-oom-at': string;
  'before-oom-timeout': number;
}

/** The sampling options of `watch` (see docs/sampling.md). */
export function sampleOptions(y: Argv): Argv {
  return y
    .option('samples', { type: 'string', describe: 'sample cgroup memory and append the samples (NDJSON) to FILE; turns sampling on' })
    .option('sample-every', { type: 'string', default: '5s', describe: 'time between samples (5s, 500ms, 1m)' })
    .option('samples-max-size', { type: 'string', default: `${DEFAULT_SAMPLES_MAX_BYTES >> 20}M`, describe: 'rotate FILE to FILE.1 at this size (one old file kept)' })
    .option('cgroup', { type: 'string', array: true, describe: 'sample the cgroups matching this glob (repeatable; * one level, ** any); default: every cgroup with a memory limit' })
    .option('cgroup-root', { type: 'string', describe: 'where the memory cgroup hierarchy is mounted (default: from /proc/self/mountinfo)' })
    .option('before-oom', { type: 'string', describe: 'run this command (sh -c) when a cgroup is about to reach its limit; values in OOMLENS_* variables and on stdin' })
    .option('before-oom-lead', { type: 'string', default: `${DEFAULT_PRE_OOM.leadSec}s`, describe: 'run --before-oom when the limit is predicted this soon' })
    .option('before-oom-at', { type: 'string', default: `${DEFAULT_PRE_OOM.atShare * 100}%`, describe: 'or when usage reaches this share of the limit' })
    .option('before-oom-timeout', { type: 'number', default: DEFAULT_BEFORE_OOM_TIMEOUT_MS / 1000, describe: 'seconds before a --before-oom hook is killed' });
}

interface SampleSettings {
  everyMs: number;
  maxBytes: number;
  leadSec: number;
  atShare: number;
}

/** Checks the sampling options (throws a one-line Error for yargs) and reads their values. */
export function sampleArgs(a: SampleArgs): SampleSettings {
  if (a.samples === undefined) {
    for (const flag of ['cgroup', 'cgroup-root', 'before-oom'] as const) {
      if (a[flag] !== undefined) throw new Error(`--${flag} needs --samples FILE (sampling is what it works on)`);
    }
  }
  if (a.samples === '') throw new Error('--samples: give a file name');
  if (!(a['before-oom-timeout'] > 0)) throw new Error('--before-oom-timeout must be a positive number of seconds');
  const everyMs = parseDurationMs('--sample-every', a['sample-every']);
  if (everyMs < 100) throw new Error('--sample-every: at least 100ms');
  return {
    everyMs,
    maxBytes: parseSizeBytes('--samples-max-size', a['samples-max-size']),
    leadSec: parseDurationMs('--before-oom-lead', a['before-oom-lead']) / 1000,
    atShare: parseShare('--before-oom-at', a['before-oom-at']),
  };
}

export interface Sampling {
  /** The life of the cgroup's memory that ended in this kill (null when its cgroup is not sampled). */
  lifeOf(record: KillRecord): MemoryLife | null;
  stop(): Promise<void>;
}

/**
 * Starts sampling for `watch --samples`. Null without --samples; 'failed' (said on stderr) when
 * the file cannot be opened or no memory controller is found.
 */
export function startSampling(
  args: SampleArgs,
  o: { problem: (m: string) => void; metricsRegistry: Registry | null; execHook: ExecHook | null; json: boolean },
): Sampling | null | 'failed' {
  if (args.samples === undefined) return null;
  const settings = sampleArgs(args);
  let roots;
  if (args['cgroup-root'] !== undefined) {
    const root = rootAt(resolve(args['cgroup-root']));
    if (!root) {
      o.problem(`--cgroup-root ${args['cgroup-root']}: not a memory cgroup hierarchy (no cgroup.controllers, no memory.usage_in_bytes)`);
      return 'failed';
    }
    roots = [root];
  }
  const sampler = new Sampler({ roots, globs: args.cgroup });
  if (sampler.controllerRoots.length === 0) {
    o.problem('--samples: no memory cgroup hierarchy is mounted (none in /proc/self/mountinfo); give --cgroup-root DIR');
    return 'failed';
  }
  const file = new SamplesFile(resolve(args.samples), settings.maxBytes, o.problem);
  try {
    file.open();
  } catch (err) {
    o.problem(`--samples ${args.samples}: cannot open: ${errnoText(err)}`);
    return 'failed';
  }
  const metrics = o.metricsRegistry ? new SamplerMetrics(o.metricsRegistry) : null;
  const beforeOom = args['before-oom'] !== undefined ? new BeforeOomHook(args['before-oom'], args['before-oom-timeout'] * 1000, o.problem) : null;
  const localHost = hostname();
  let output = Promise.resolve();
  const watch = new MemoryWatch({
    sampler,
    everyMs: settings.everyMs,
    file,
    preOom: { leadSec: settings.leadSec, atShare: settings.atShare },
    problem: o.problem,
    onPreOom: (obs, sample) => {
      const when = obs.secondsToLimit === null ? '' : `, limit in ~${Math.round(obs.secondsToLimit)} s`;
      const rate = obs.trend ? `, ${rateText(obs.trend.slope)}` : '';
      const limit = sample.limitBytes === null ? 'no limit' : bytesText(Number(exactText(sample.limitBytes)));
      o.problem(
        `before-oom: ${terminalSafe(sample.cgroup)} at ${bytesText(Number(exactText(sample.workingSetBytes)))} of ${limit}${rate}${when}${beforeOom ? ': running the hook' : ''}`,
      );
      beforeOom?.fire(obs, sample);
    },
    onCounterKill: (k) => {
      const record: CounterOomKill = { type: 'counter-oom-kill', host: k.host, cgroup: k.cgroup, count: k.count, time: new Date(k.wallMs).toISOString(), life: k.life };
      metrics?.unloggedKills(k.cgroup, k.count);
      output = output.then(() => writeOut(o.json ? `${JSON.stringify(record)}\n` : counterKillLine(record)));
      o.execHook?.enqueue(record, lifeEnv(k.life));
    },
    onRound: (round, sec, tracker) => metrics?.round(round, sec, tracker),
  });
  watch.start();
  return {
    lifeOf(record) {
      if (record.type === 'userspace-kill') return null;
      if (record.host !== null && shortName(record.host) !== shortName(localHost)) return null;
      const cgroups = [record.cgroup?.path, record.taskMemcg].filter((c): c is string => typeof c === 'string' && c.length > 0);
      return cgroups.length > 0 ? watch.logKill(localHost, cgroups) : null;
    },
    async stop() {
      watch.stop();
      await beforeOom?.idle();
      await output;
    },
  };
}

function shortName(host: string): string {
  return host.split('.')[0]!.toLowerCase();
}
