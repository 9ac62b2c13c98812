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

export function corpusSamples(): CorpusSample[] {
  if (!existsSync(CORPUS_DIR)) return [];
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.json') && existsSync(join(CORPUS_DIR, f.replace(/\.json$/, '.log'))))
    .sort()
    .map((f) => {
      const logPath = join(CORPUS_DIR, f.replace(/\.json$/, '.log'));
      return { name: f.replace(/\.json$/, ''), logPath, text: readFileSync(logPath, 'utf8'), label: JSON.parse(readFileSync(join(CORPUS_DIR, f), 'utf8')) };
    });
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
