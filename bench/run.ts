import { spawn } from 'node:child_process';
import { createReadStream, writeFileSync } from 'node:fs';
import { loadavg, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { readTruth } from './gen/truthFile.js';
import { benchLog, CACHE_DIR, type BenchLog } from './logFile.js';
import { measure, race, summary, type Run } from './measure.js';
import { grep, nodeReadline, nodeStart, OOMLENS, piped, pythonLoop, report, scan, type Contender } from './references.js';

/**
 * `npm run bench [-- --quick] [--only startup,sparse,dense,load,growth] [--rounds R] [--markdown FILE]`
 *
 * Every goal of issue 17 against a reference run in the same rounds (alternating order, medians):
 * start-up against `node -e 0`; the sparse 1 GiB log against `grep -c`; the dense 100k-kill log
 * against a Python line loop and a naive node readline loop; the same ratios again with a
 * CPU-bound process beside them; then the growth table (time and peak RSS by size). Logs come
 * from bench/genKernlog (kept in bench/.cache); every scan is checked against the truth file.
 */
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: 'startup,sparse,dense,load' },
    rounds: { type: 'string' },
    markdown: { type: 'string' },
    'pipe-gib': { type: 'string' },
    million: { type: 'boolean' },
  },
});
const quick = values.quick;
const rounds = Number(values.rounds ?? (quick ? 3 : 5));
const groups = new Set(values.only.split(','));
const MiB = 2 ** 20;
const SPARSE = { sizeBytes: (quick ? 64 : 1024) * MiB, kills: null, hosts: 4, seed: 1 };
const DENSE = { sizeBytes: null, kills: quick ? 5000 : 100_000, hosts: 4, seed: 1 };

interface Goal {
  work: string;
  target: string;
  measured: string;
  reference: string;
  met: boolean | null;
}
const goals: Goal[] = [];
const growth: string[] = [];
const notes: string[] = [];

const ms = (v: number) => `${v < 10_000 ? v.toFixed(0) : (v / 1000).toFixed(1) + ' s'}${v < 10_000 ? ' ms' : ''}`;
const mib = (kb: number | null) => (kb === null ? 'n/a' : `${(kb / 1024).toFixed(0)} MiB`);
const load = () => loadavg()[0]!.toFixed(1);

function table(runs: Map<Contender, Run[]>): void {
  console.log(`${'contender'.padEnd(34)}${'median'.padStart(10)}${'cpu'.padStart(10)}${'peak RSS'.padStart(10)}`);
  for (const [c, r] of runs) {
    const s = summary(r);
    console.log(`${c.name.padEnd(34)}${ms(s.wallMs).padStart(10)}${(s.cpuMs === null ? 'n/a' : ms(s.cpuMs)).padStart(10)}${mib(s.peakKb).padStart(10)}`);
  }
}

/** Busy CPU beside the contenders: the "under load" variant. */
function busy(): { stop: () => void } {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  return { stop: () => child.kill('SIGKILL') };
}

async function warm(path: string): Promise<void> {
  for await (const chunk of createReadStream(path)) void chunk;
}

async function startup(): Promise<void> {
  const empty = join(CACHE_DIR, 'empty.log');
  writeFileSync(empty, '');
  const s = scan(empty);
  const runs = race([nodeStart, s], rounds * 2, 'startup');
  console.log(`\nstart-up (load ${load()})`);
  table(runs);
  const node = summary(runs.get(nodeStart)!).wallMs;
  const mine = summary(runs.get(s)!).wallMs;
  goals.push({
    work: '`scan` of an empty file',
    target: '<= 150 ms (node itself ~110 ms): <= node + 40 ms',
    measured: `${ms(mine)} (node + ${ms(mine - node)})`,
    reference: `node -e 0: ${ms(node)}; ${(mine / node).toFixed(2)}x`,
    met: mine - node <= 40,
  });
}

async function sparse(): Promise<void> {
  const log = await benchLog(SPARSE);
  await warm(log.path);
  const [g, s, r] = [grep(log.path), scan(log.path), report(log.path)];
  const runs = race([g, s, r], rounds, 'sparse');
  console.log(`\nsparse: ${(log.bytes / MiB).toFixed(0)} MiB, ${log.kills} kills, 4 hosts (load ${load()})`);
  table(runs);
  const [gs, ss, rs] = [g, s, r].map((c) => summary(runs.get(c)!));
  goals.push({
    work: `\`scan --json\`, sparse ${(log.bytes / MiB).toFixed(0)} MiB, ${log.kills} kills`,
    target: '<= 1.0x grep wall, <= 100 MiB',
    measured: `${ms(ss!.wallMs)}, cpu ${ms(ss!.cpuMs ?? NaN)}, ${mib(ss!.peakKb)}`,
    reference: `grep ${ms(gs!.wallMs)}: **${(ss!.wallMs / gs!.wallMs).toFixed(2)}x**`,
    met: ss!.wallMs <= gs!.wallMs && (ss!.peakKb ?? 0) <= 100 * 1024,
  });
  goals.push({
    work: '`report`, same sparse file',
    target: '<= 1.2x scan, <= 300 MiB',
    measured: `${ms(rs!.wallMs)}, ${mib(rs!.peakKb)}`,
    reference: `scan ${ms(ss!.wallMs)}: ${(rs!.wallMs / ss!.wallMs).toFixed(2)}x`,
    met: rs!.wallMs <= 1.2 * ss!.wallMs && (rs!.peakKb ?? 0) <= 300 * 1024,
  });
  notes.push(`sparse: ${await checkKills(log)}`);
}

async function dense(): Promise<void> {
  const log = await benchLog(DENSE);
  await warm(log.path);
  const [py, rl, s, r] = [pythonLoop(log.path), nodeReadline(log.path), scan(log.path), report(log.path)];
  const denseRounds = quick ? rounds : Math.min(rounds, 3);
  const runs = race([py, rl, s, r], denseRounds, 'dense');
  console.log(`\ndense: ${(log.bytes / MiB).toFixed(0)} MiB, ${log.kills} kills, 4 hosts (load ${load()})`);
  table(runs);
  const [ps, rls, ss, rs] = [py, rl, s, r].map((c) => summary(runs.get(c)!));
  const mbps = log.bytes / 1e6 / (ss!.wallMs / 1000);
  goals.push({
    work: `\`scan --json\`, dense ${(log.bytes / MiB).toFixed(0)} MiB, ${log.kills} kills`,
    target: '<= 2x the Python loop, >= 150 MB/s, <= 150 MiB',
    measured: `${ms(ss!.wallMs)} (${mbps.toFixed(0)} MB/s), cpu ${ms(ss!.cpuMs ?? NaN)}, ${mib(ss!.peakKb)}`,
    reference: `python ${ms(ps!.wallMs)}: **${(ss!.wallMs / ps!.wallMs).toFixed(2)}x**; node readline ${ms(rls!.wallMs)} (${(log.bytes / 1e6 / (rls!.wallMs / 1000)).toFixed(0)} MB/s)`,
    met: ss!.wallMs <= 2 * ps!.wallMs && mbps >= 150 && (ss!.peakKb ?? 0) <= 150 * 1024,
  });
  goals.push({
    work: '`report`, same dense file',
    target: '<= 1.2x scan, <= 300 MiB',
    measured: `${ms(rs!.wallMs)}, ${mib(rs!.peakKb)}`,
    reference: `scan ${ms(ss!.wallMs)}: ${(rs!.wallMs / ss!.wallMs).toFixed(2)}x`,
    met: rs!.wallMs <= 1.2 * ss!.wallMs && (rs!.peakKb ?? 0) <= 300 * 1024,
  });
  notes.push(`dense: ${await checkKills(log)}`);
}

async function underLoad(): Promise<void> {
  const sp = await benchLog(SPARSE);
  const de = await benchLog(DENSE);
  const b = busy();
  try {
    const pairs: [string, Contender, Contender][] = [
      ['sparse scan / grep', grep(sp.path), scan(sp.path)],
      ['dense scan / python loop', pythonLoop(de.path), scan(de.path)],
    ];
    for (const [name, ref, mine] of pairs) {
      const runs = race([ref, mine], 3, `load: ${name}`);
      console.log(`\nunder load (one CPU-bound process beside; load ${load()}): ${name}`);
      table(runs);
      const [rs, ms_] = [summary(runs.get(ref)!), summary(runs.get(mine)!)];
      goals.push({
        work: `under load: ${name}`,
        target: name.startsWith('sparse') ? '<= 1.0x' : '<= 2x',
        measured: `${ms(ms_.wallMs)}, ${mib(ms_.peakKb)}`,
        reference: `${ref.name} ${ms(rs.wallMs)}: **${(ms_.wallMs / rs.wallMs).toFixed(2)}x**`,
        met: ms_.wallMs <= (name.startsWith('sparse') ? 1 : 2) * rs.wallMs,
      });
    }
  } finally {
    b.stop();
  }
}

/** Time and peak memory by size, one run each: files up to 4 GiB, beyond that a pipe from the generator. */
async function growthTable(): Promise<void> {
  const rows: { label: string; bytes: number | null; c: Contender }[] = [];
  for (const kills of quick ? [1000, 10_000] : [10_000, 100_000]) {
    const log = await benchLog({ sizeBytes: null, kills, hosts: 4, seed: 1 });
    rows.push({ label: `dense, ${kills} kills`, bytes: log.bytes, c: scan(log.path) });
  }
  if (values.million) rows.push({ label: 'dense, 1,000,000 kills (piped)', bytes: null, c: piped('scan', ['--seed', '1', '--kills', '1000000', '--hosts', '4'], `${OOMLENS} scan --json --quiet -`) });
  for (const gib of quick ? [0.125] : [1, 4]) {
    const log = await benchLog({ sizeBytes: gib * 1024 * MiB, kills: null, hosts: 4, seed: 1 });
    rows.push({ label: `sparse, ${gib} GiB file`, bytes: log.bytes, c: scan(log.path) });
  }
  const pipeGib = Number(values['pipe-gib'] ?? (quick ? 0.25 : 16));
  rows.push({ label: `sparse, ${pipeGib} GiB (piped)`, bytes: pipeGib * 1024 * MiB, c: piped('scan', ['--seed', '1', '--size', `${pipeGib}GiB`, '--hosts', '4'], `${OOMLENS} scan --json --quiet -`) });
  rows.push({ label: `sparse, ${pipeGib} GiB (piped) into wc -l: the generator alone`, bytes: pipeGib * 1024 * MiB, c: piped('wc', ['--seed', '1', '--size', `${pipeGib}GiB`, '--hosts', '4'], 'wc -l') });
  growth.push('| log | time | peak RSS | MB/s |', '|---|---|---|---|');
  for (const row of rows) {
    const r = measure(row.c);
    const rate = row.bytes === null ? 'n/a' : (row.bytes / 1e6 / (r.wallMs / 1000)).toFixed(0);
    const line = `| ${row.label} | ${ms(r.wallMs)} | ${mib(r.maxRssKb)} | ${rate} |`;
    growth.push(line);
    console.log(line, `(load ${load()})`);
  }
}

/** Runs the scan once more, keeping its output, and compares its kills with the generator's truth. */
async function checkKills(bench: BenchLog): Promise<string> {
  const [command, ...args] = scan(bench.path).argv;
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
  return `scan ${total} kills, truth ${bench.kills} (host, victim, line compared): ${verdict}`;
}

const started = load();
if (groups.has('startup')) await startup();
if (groups.has('sparse')) await sparse();
if (groups.has('dense')) await dense();
if (groups.has('load')) await underLoad();
if (groups.has('growth')) await growthTable();

const md = [
  `Measured by \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` on ${availableParallelism()} CPUs, load average ${started} at the start and ${load()} at the end; medians of ${rounds} rounds (dense: ${quick ? rounds : Math.min(rounds, 3)}, under load: 3), references in the same rounds, page cache warm.`,
  '',
  '| work | goal | oomlens | reference, same run: ratio | met |',
  '|---|---|---|---|---|',
  ...goals.map((g) => `| ${g.work} | ${g.target} | ${g.measured} | ${g.reference} | ${g.met === null ? '—' : g.met ? 'yes' : '**no**'} |`),
  '',
  ...notes.map((n) => `- ${n}`),
  ...(growth.length ? ['', 'Growth (one run each):', '', ...growth] : []),
].join('\n');
console.log(`\n${md}`);
if (values.markdown) writeFileSync(values.markdown, `${md}\n`);
