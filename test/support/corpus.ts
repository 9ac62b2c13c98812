import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shared real-world corpus (read in place, never copied into the project). */
export const CORPUS_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');

export interface CorpusSample {
  name: string;
  logPath: string;
  text: string;
  label: { events: Record<string, unknown>[]; [k: string]: unknown };
}

/**
 * True under `npm run test:corpus` (vitest.corpus.config.ts): the property and chunking tests
 * then run on the shared corpus; under `npm test` on the project's own fixtures.
 */
export const CORPUS_RUN = process.env.OOMLENS_TEST_CORPUS === '1';

/** The labelled corpus logs. A missing or empty corpus is an error, never an empty list. */
export function corpusSamples(): CorpusSample[] {
  const names = existsSync(CORPUS_DIR) ? readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.json')) : [];
  if (names.length === 0) throw new Error(`the shared corpus is missing or empty: ${CORPUS_DIR} (npm run test:corpus needs it; npm test does not)`);
  return names
    .filter((f) => existsSync(join(CORPUS_DIR, f.replace(/\.json$/, '.log'))))
    .sort()
    .map((f) => {
      const logPath = join(CORPUS_DIR, f.replace(/\.json$/, '.log'));
      return { name: f.replace(/\.json$/, ''), logPath, text: readFileSync(logPath, 'utf8'), label: JSON.parse(readFileSync(join(CORPUS_DIR, f), 'utf8')) };
    });
}

/** A kernel log to run a property on: name, where it is, its text. */
export interface SampleLog {
  name: string;
  logPath: string;
  text: string;
}

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

/** The project's own kernel-log fixtures (`fixtures/*.log`), sorted by name. */
export function fixtureSamples(): SampleLog[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => ({ name: f.replace(/\.log$/, ''), logPath: join(FIXTURES, f), text: readFileSync(join(FIXTURES, f), 'utf8') }));
}

/** The logs the property tests run on: the fixtures, or the corpus under `npm run test:corpus`. */
export function sampleLogs(): SampleLog[] {
  return CORPUS_RUN ? corpusSamples() : fixtureSamples();
}

/** Label field -> record path, as ../shared/tools/score-corpus.py compares them. */
export const LABEL_FIELDS: Record<string, string[]> = {
  triggerComm: ['trigger', 'comm'],
  triggerPid: ['trigger', 'pid'],
  gfpMask: ['trigger', 'gfpMask'],
  order: ['trigger', 'order'],
  constraint: ['constraint'],
  cgroupPath: ['cgroup', 'path'],
  usageKb: ['cgroup', 'usageKb'],
  limitKb: ['cgroup', 'limitKb'],
  failcnt: ['cgroup', 'failcnt'],
  taskCount: ['tasks'],
  victimPid: ['victim', 'pid'],
  victimComm: ['victim', 'comm'],
  victimTotalVmKb: ['victim', 'totalVmKb'],
  victimAnonRssKb: ['victim', 'anonRssKb'],
  victimFileRssKb: ['victim', 'fileRssKb'],
  victimShmemRssKb: ['victim', 'shmemRssKb'],
};

export function labelValue(record: unknown, field: string): unknown {
  let v: unknown = record;
  for (const k of LABEL_FIELDS[field]!) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : null;
  if (field === 'taskCount') return Array.isArray(v) ? v.length : null;
  if (field === 'cgroupPath' && typeof v === 'string') return v.replace(/\/+$/, '') || '/';
  return v ?? null;
}
