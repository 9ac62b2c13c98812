import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { KillLabels } from './killLabels.js';

/**
 * The kill label sets a watch has seen, kept next to its `--state` file (`<state>.series`), so
 * that a restarted watch exports them at once (at their count of 0 since the restart): an
 * `increase()` alert then sees the next kill of a known workload as 0 -> 1.
 */
export function seriesFileOf(statePath: string): string {
  return `${statePath}.series`;
}

export function loadKnownSeries(path: string): KillLabels[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  try {
    const list = JSON.parse(text) as unknown;
    return Array.isArray(list) ? list.filter(isKillLabels) : [];
  } catch {
    return [];
  }
}

/** Written atomically (a crash leaves the old list or the new one). */
export function saveKnownSeries(path: string, series: readonly KillLabels[]): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(series)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

function isKillLabels(v: unknown): v is KillLabels {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return ['killer', 'host', 'workload_kind', 'workload'].every((k) => typeof o[k] === 'string');
}
