import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Contender } from './references.js';

/** GNU time gives a child's peak RSS; without it RSS is not reported. */
const GNU_TIME = '/usr/bin/time';

export interface Run {
  wallMs: number;
  /** Peak resident set size of the biggest process (all its threads), KiB; null without GNU time. */
  maxRssKb: number | null;
  /** User + system CPU time of all its threads (on a busy machine it says more than the wall time); null without GNU time. */
  cpuMs: number | null;
}

/**
 * Runs a command once and measures it. Its stdout goes to a scratch file, not /dev/null: GNU
 * grep notices /dev/null and stops at the first match. A shell pipeline is timed as a whole;
 * its RSS is the biggest of its processes (GNU time reports the largest child).
 */
export function measure(c: Contender): Run {
  const dir = mkdtempSync(join(tmpdir(), 'oomlens-bench-'));
  const rssFile = join(dir, 'time');
  const argv = c.shell ? ['sh', '-c', c.argv[0]!] : c.argv;
  const timed = existsSync(GNU_TIME) ? [GNU_TIME, '-o', rssFile, '-f', '%M %U %S', ...argv] : argv;
  const out = openSync(join(dir, 'stdout'), 'w');
  try {
    const start = performance.now();
    const r = spawnSync(timed[0]!, timed.slice(1), { stdio: ['ignore', out, 'pipe'], maxBuffer: 64 << 20 });
    const wallMs = performance.now() - start;
    if (r.status !== 0) throw new Error(`${c.name} exited with ${r.status}: ${r.stderr.toString().trim().slice(-500)}`);
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

/** Times every contender `rounds` times, in alternating order, so that load drifts hit all alike. */
export function race(contenders: Contender[], rounds: number, label: string): Map<Contender, Run[]> {
  const runs = new Map<Contender, Run[]>(contenders.map((c) => [c, []]));
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 ? contenders : [...contenders].reverse();
    for (const c of order) runs.get(c)!.push(measure(c));
    process.stderr.write(`${label}: round ${round}/${rounds}\n`);
  }
  return runs;
}

/** The medians of a contender's runs, and its peak memory over all of them. */
export function summary(runs: Run[]): { wallMs: number; cpuMs: number | null; peakKb: number | null } {
  const cpu = runs.map((r) => r.cpuMs);
  const rss = runs.map((r) => r.maxRssKb);
  return {
    wallMs: median(runs.map((r) => r.wallMs)),
    cpuMs: cpu.includes(null) ? null : median(cpu as number[]),
    peakKb: rss.includes(null) ? null : Math.max(...(rss as number[])),
  };
}
