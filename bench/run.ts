import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { readTruth } from './gen/truthFile.js';
import { benchLog, type BenchLog } from './logFile.js';
import { measure, median, type Run } from './measure.js';
import { grep, hasCommand, report, scan, type Scenario } from './scenarios.js';

/**
 * `npm run bench [-- --size-mb N --hosts H --rounds R]`: oomlens scan against grep on one
 * generated syslog file (1 GiB, 4 hosts by default), in one run, rounds alternating; then the
 * report against the scan. Prints medians, the ratios, peak RSS, and whether every kill the
 * generator wrote was found. Targets: scan <= 1.5x grep, peak RSS <= 100 MiB at any size.
 */
const { values } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '1024' },
    hosts: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '5' },
  },
});
const sizeMb = Number(values['size-mb']);
const rounds = Number(values.rounds);
const log = await benchLog({ sizeBytes: sizeMb * 2 ** 20, kills: null, hosts: Number(values.hosts), seed: 1 });

// The page cache is warm for every contender, the first round included.
for await (const chunk of createReadStream(log.path)) void chunk;

const scenarios: Scenario[] = [grep, scan, ...(hasCommand('report') ? [report] : [])];
const runs = new Map<Scenario, Run[]>(scenarios.map((s) => [s, []]));
for (let round = 1; round <= rounds; round++) {
  for (const s of scenarios) runs.get(s)!.push(measure(s.argv(log.path)));
  process.stderr.write(`round ${round}/${rounds} done\n`);
}

const mib = (kb: number | null) => (kb === null ? 'n/a' : `${(kb / 1024).toFixed(1)} MiB`);
const wall = (s: Scenario) => median(runs.get(s)!.map((r) => r.wallMs));
const peak = (s: Scenario) => {
  const rss = runs.get(s)!.map((r) => r.maxRssKb);
  return rss.includes(null) ? null : Math.max(...(rss as number[]));
};
console.log(`\nfile: ${log.path} (${sizeMb} MiB, ${log.kills} kills), ${rounds} rounds, page cache warm`);
console.log(`${'scenario'.padEnd(28)}${'median'.padStart(10)}${'min'.padStart(10)}${'max'.padStart(10)}${'cpu (med)'.padStart(12)}${'peak RSS'.padStart(14)}`);
for (const s of scenarios) {
  const ms = runs.get(s)!.map((r) => r.wallMs);
  const row = [median(ms), Math.min(...ms), Math.max(...ms)].map((v) => `${v.toFixed(0)} ms`.padStart(10)).join('');
  const cpu = runs.get(s)!.map((r) => r.cpuMs);
  const cpuText = cpu.includes(null) ? 'n/a' : `${median(cpu as number[]).toFixed(0)} ms`;
  console.log(`${s.name.padEnd(28)}${row}${cpuText.padStart(12)}${mib(peak(s)).padStart(14)}`);
}
const ratio = wall(scan) / wall(grep);
console.log(`\nscan / grep: ${ratio.toFixed(2)}x (target <= 1.5x)   scan peak RSS: ${mib(peak(scan))} (target <= 100 MiB)`);
if (runs.has(report)) console.log(`report / scan: ${(wall(report) / wall(scan)).toFixed(2)}x   report peak RSS: ${mib(peak(report))}`);
console.log(await checkKills(log));

/** Runs the scan once more, keeping its output, and compares its kills with the generator's list. */
async function checkKills(bench: BenchLog): Promise<string> {
  const [command, ...args] = scan.argv(bench.path);
  const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const found = new Map<string, number>();
  for await (const line of createInterface({ input: child.stdout })) {
    const r = JSON.parse(line) as { type: string; host: string | null; victim: { pid: number; comm: string } | null; source: { line: number } };
    if (r.type !== 'oom-kill') continue;
    const key = `${r.host}|${r.victim?.pid}|${r.victim?.comm}|${r.source.line}`;
    found.set(key, (found.get(key) ?? 0) + 1);
  }
  const total = [...found.values()].reduce((a, b) => a + b, 0);
  let missing = 0;
  for await (const k of readTruth(bench.truthPath)) {
    const key = `${k.host}|${k.victimPid}|${k.victimComm}|${k.line}`;
    const n = found.get(key) ?? 0;
    if (n > 0) found.set(key, n - 1);
    else missing++;
  }
  const extra = [...found.values()].reduce((a, b) => a + b, 0);
  const verdict = missing === 0 && extra === 0 ? 'every kill found, none extra' : `${missing} missing, ${extra} extra`;
  return `kills: scan ${total}, truth ${bench.kills} (host, victim, line compared): ${verdict}`;
}
