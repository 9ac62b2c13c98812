import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Runs the built CLI (`npm test` builds first) as a user would, and returns what it printed. */
export function runCli(args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [join(ROOT, 'bin', 'oomlens.js'), ...args], { cwd: ROOT, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}
