import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** GNU time gives a child's peak RSS; without it RSS is not reported. */
const GNU_TIME = '/usr/bin/time';

export interface Run {
  wallMs: number;
  /** Peak resident set size of the whole process (all its threads), KiB; null without GNU time. */
  maxRssKb: number | null;
  /** User + system CPU time of all its threads (on a busy machine it says more than the wall time); null without GNU time. */
  cpuMs: number | null;
}

/**
 * Runs a command once and measures it. Its stdout goes to a scratch file, not /dev/null: GNU
 * grep notices /dev/null and stops at the first match.
 */
export function measure(argv: string[]): Run {
  const dir = mkdtempSync(join(tmpdir(), 'oomlens-bench-'));
  const rssFile = join(dir, 'time');
  const timed = existsSync(GNU_TIME) ? [GNU_TIME, '-o', rssFile, '-f', '%M %U %S', ...argv] : argv;
  const out = openSync(join(dir, 'stdout'), 'w');
  try {
    const start = performance.now();
    const r = spawnSync(timed[0]!, timed.slice(1), { stdio: ['ignore', out, 'pipe'] });
    const wallMs = performance.now() - start;
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited with ${r.status}: ${r.stderr.toString().trim()}`);
    if (!existsSync(rssFile)) return { wallMs, maxRssKb: null, cpuMs: null };
    const [rss, user, sys] = readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { wallMs, maxRssKb: rss!, cpuMs: (user! + sys!) * 1000 };
  } finally {
    closeSync(out);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
