import { existsSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { generateLog } from './gen/generate.js';
import { Sink } from './gen/sink.js';
import { killLine, readSummary, summaryLine, truthPathOf } from './gen/truthFile.js';

/** Where generated logs are kept between runs (gitignored). */
export const CACHE_DIR = join(import.meta.dirname, '..', '..', 'bench', '.cache');

/** Which generated log: sparse (`sizeBytes` alone), dense (`kills` alone), or both. */
export interface LogSpec {
  sizeBytes: number | null;
  kills: number | null;
  hosts: number;
  seed: number;
}

export interface BenchLog {
  path: string;
  /** The truth file (JSON Lines) of the kills the generator wrote, to check that every one is found. */
  truthPath: string;
  bytes: number;
  kills: number;
}

const nameOf = (s: LogSpec) =>
  `syslog-${s.sizeBytes === null ? '' : `${Math.round(s.sizeBytes / 2 ** 20)}mib-`}${s.kills === null ? '' : `${s.kills}kills-`}${s.hosts}hosts-seed${s.seed}`;

/**
 * The generated log of `spec`, written once by bench/genKernlog's generator and reused (it is
 * deterministic: same spec, same bytes).
 */
export async function benchLog(spec: LogSpec): Promise<BenchLog> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, `${nameOf(spec)}.log`);
  const truthPath = truthPathOf(path);
  if (!existsSync(path) || !existsSync(truthPath)) {
    process.stderr.write(`generating ${path} (once; kept in bench/.cache)...\n`);
    const out = new Sink(openSync(`${path}.tmp`, 'w'), true);
    const truth = new Sink(openSync(`${truthPath}.tmp`, 'w'), true);
    const options = { ...spec, format: 'syslog' as const, killEveryBytes: 2 * 2 ** 20, noisePerKill: 4, interleave: true, startIso: '2026-03-01T00:00:00Z' };
    const summary = generateLog(options, out, (k) => truth.text(killLine(k)));
    truth.text(summaryLine({ ...summary, seed: spec.seed }));
    truth.close();
    renameSync(`${truthPath}.tmp`, truthPath);
    renameSync(`${path}.tmp`, path);
  }
  const summary = await readSummary(truthPath);
  if (summary === null) throw new Error(`${truthPath}: no summary line (delete it to regenerate)`);
  return { path, truthPath, bytes: summary.bytes, kills: summary.kills };
}
