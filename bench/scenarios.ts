import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const OOMLENS = join(import.meta.dirname, '..', '..', 'bin', 'oomlens.js');

/** One thing to time on the benchmark log. */
export interface Scenario {
  name: string;
  argv: (file: string) => string[];
}

/** The yardstick: how fast the bytes can be searched at all. */
export const grep: Scenario = { name: "grep -c 'Killed process'", argv: (file) => ['grep', '-c', 'Killed process', file] };

// Run as users run it, through its shebang (its node flags are part of the design).
export const scan: Scenario = { name: 'oomlens scan --json', argv: (file) => [OOMLENS, 'scan', '--json', '--quiet', file] };

/** The report reads the same kills and then analyses them: what does the analysis add? */
export const report: Scenario = { name: 'oomlens report', argv: (file) => [OOMLENS, 'report', '--quiet', file] };

/** Whether this build has a command (`report` is built by another part of the project). */
export function hasCommand(name: string): boolean {
  return spawnSync(OOMLENS, [name, '--help'], { stdio: 'ignore' }).status === 0;
}
