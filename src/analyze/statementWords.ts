import { formatKb } from '../render/killTable.js';
import type { Statement } from './analysis.js';
import { approxSize } from './approxSize.js';
import { durationText } from './durationText.js';
import { code, fromText, listOf, ours, words, type Phrase } from './phrase.js';
import type { Runtime } from './runtime.js';
import type { StatementKind } from './statementKinds.js';
import { MEMORY_WORDS } from './memoryWords.js';
import { spanTimeText, timeText } from './timeText.js';

/**
 * Evidence and next steps in words: one entry per statement kind. Log text (names, paths) goes
 * in as values, so each renderer escapes it its own way (renderPhrase); commands are code.
 */
// Values are JSON from the analyzer; each entry knows the shape of its own kind.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type V = Record<string, any>;

const kb = (v: number | null | undefined): Part => ours(v === null || v === undefined ? 'an unknown size' : formatKb(v));
const limitOf = (v: number | null | undefined): Part => ours(v === null || v === undefined ? 'an unknown limit' : formatKb(v));
const dur = (sec: number): Part => ours(durationText(sec));
const pct = (x: number): string => `${Math.round(x * 100)}%`;
type Part = Phrase[number];

function share(k: number, n: number): string {
  if (n === 1) return k === 1 ? 'the kill' : 'none';
  if (k === n) return n === 2 ? 'both' : `all ${n}`;
  return `${k} of ${n}`;
}

function timeOf(v: V): Phrase {
  if (v.atMs !== null && v.atMs !== undefined) return words`${ours(timeText(v.atMs))}`;
  if (v.uptime !== null && v.uptime !== undefined) return words`uptime ${ours(`${Math.round(v.uptime)} s`)}`;
  return words`an unknown time`;
}

/** The profiler that fits the runtime. */
const PROFILERS: Record<Runtime, (comm: string) => Phrase> = {
  jvm: () => words`a heap dump (${code('jcmd <pid> GC.heap_dump /tmp/heap.hprof')}, or ${code('jmap -dump:live,format=b,file=heap.hprof <pid>')}) and a class histogram (${code('jcmd <pid> GC.class_histogram')})`,
  python: () => words`${code('tracemalloc')} snapshots (${code('tracemalloc.start()')}, then ${code('take_snapshot().compare_to(...)')}) or ${code('memray attach <pid>')}`,
  node: () => words`heap snapshots (start node with ${code('--heapsnapshot-signal=SIGUSR2')}, then ${code('kill -USR2 <pid>')}) compared in Chrome DevTools`,
  go: () => words`pprof heap profiles (${code('go tool pprof http://<host>/debug/pprof/heap')}, with net/http/pprof enabled)`,
};

const WORDS: Record<StatementKind, (v: V) => Phrase> = {
  saw: (v) => {
    const subject: Phrase = v.comms.length === 1 ? words`${v.comms[0]}` : listOf([...v.comms, ...(v.moreComms > 0 ? [ours(`${v.moreComms} more`)] : [])], 9);
    const hosts: Phrase = v.hosts.length === 0 ? words`an unnamed host` : v.hosts.length === 1 ? words`${v.hosts[0]}` : words`${v.hosts.length + v.moreHosts} hosts (${listOf(v.hosts)})`;
    const when: Phrase =
      v.firstMs !== null && v.lastMs !== null
        ? v.firstMs === v.lastMs
          ? words` at ${ours(timeText(v.firstMs))}`
          : words` between ${ours(spanTimeText(v.firstMs, v.lastMs))} and ${ours(spanTimeText(v.lastMs, v.firstMs))} (${dur((v.lastMs - v.firstMs) / 1000)})`
        : [];
    const events: Phrase = v.events !== v.kills ? words` in ${v.events} OOM events` : [];
    return words`${v.kills === 1 ? 'One kill' : `${v.kills} kills`} of ${subject}${events} on ${hosts}${when}.`;
  },
  scope: (v) => {
    const limits: number[] = v.limitsKb;
    const limit: Phrase = limits.length === 0 ? words`a cgroup limit the log does not size` : limits.length === 1 ? words`the ${kb(limits[0])} cgroup limit` : words`cgroup limits (${ours(limits.map(formatKb).join(', '))})`;
    if (v.kills === 1) {
      if (v.memcg === 1) return words`It hit ${limit}.`;
      if (v.global === 1) return words`It was a whole-system OOM: no cgroup limit was involved.`;
      return words`The report is too incomplete to tell a cgroup limit from whole-system pressure.`;
    }
    const parts: Phrase[] = [];
    if (v.memcg > 0) parts.push(words`${ours(share(v.memcg, v.kills))} hit ${limit}`);
    if (v.global > 0) parts.push(words`${ours(share(v.global, v.kills))} were whole-system OOMs`);
    if (v.unknown > 0) parts.push(words`${ours(share(v.unknown, v.kills))} left too little of the report to tell`);
    const joined = parts.flatMap((p, i) => (i === 0 ? p : [ours(', '), ...p]));
    const first = joined[0];
    if (first && 'w' in first) joined[0] = ours(first.w.charAt(0).toUpperCase() + first.w.slice(1));
    return [...joined, ours('.')];
  },
  cgroups: (v) =>
    words`It spans ${v.cgroups.length + v.more} cgroups, each judged on its own limit: ${listOf(
      v.cgroups.map((c: V) => words`${c.path ?? 'an unnamed cgroup'} (${limitOf(c.limitKb)}, ${c.kills === 1 ? '1 kill' : `${c.kills} kills`})`),
      8,
    )}${v.more > 0 ? ` and ${v.more} more` : ''}.`,
  'inferred-deployment': (v) =>
    words`${v.pods} pods${v.comm ? words` running ${v.comm}` : []}${v.qos ? ` (QoS ${v.qos})` : ''} hit the same ${limitOf(v.limitKb)} limit on this host: likely one Deployment or ReplicaSet whose pods were recreated (inferred from name, limit and QoS; the path holds only pod UIDs).`,
  'victim-rss': (v) => {
    const of = v.limitKb !== null && v.maxKb !== null ? ` (${v.minKb === v.maxKb ? '' : 'up to '}${Math.round((v.maxKb / v.limitKb) * 100)}% of the limit)` : '';
    return v.minKb === v.maxKb
      ? words`The victim held ${kb(v.medianKb)} anon-rss when killed${of}.`
      : words`Victim anon-rss at the kills: ${kb(v.minKb)} min, ${kb(v.medianKb)} median, ${kb(v.maxKb)} max${of}.`;
  },
  'victim-largest': (v) =>
    v.yes === v.known
      ? words`The victim was the largest task in ${v.known === 1 ? 'the task table' : v.known === 2 ? 'both task tables' : `all ${v.known} task tables`}.`
      : words`The victim was the largest task in ${v.yes} of ${v.known} task tables; otherwise something else held more.`,
  'victim-not-largest': (v) =>
    words`The victim was not the largest task: ${v.name} (pid ${v.pid}) held more${v.oomScoreAdj !== null && v.oomScoreAdj < 0 ? `, shielded by oom_score_adj ${v.oomScoreAdj}` : ''}.`,
  'triggered-by-other': (v) =>
    words`${v.known === 1 ? 'The' : `In ${v.yes} of ${v.known} kills the`} allocation that triggered the OOM came from another process (${listOf(v.comms.map((c: string) => (v.siblings.includes(c) ? words`another ${c}` : words`${c}`)))}).`,
  consumers: (v) => words`Largest consumers in the task tables (RSS, share of the table): ${consumers(v.consumers)}.`,
  'burst-runs': (v) =>
    words`${v.burstEvents} of ${v.events} OOM events came in runs less than ${dur(v.gapSec)} apart; the largest run held ${v.largest} within ${dur(v.seconds)}.`,
  'host-also-pressure': (v) => words`${listOf(v.hosts)} also had whole-system OOMs killing other processes: the burst may have exhausted the host.`,
  copies: (v) =>
    v.storm
      ? words`Up to ${v.copies} processes named ${v.comm ?? '?'} were in one task table: many copies at once, like a fork storm.`
      : words`At most ${v.copies} process${v.copies === 1 ? '' : 'es'} named ${v.comm ?? '?'} in any task table${v.newPidEachKill ? ', a new pid each kill' : ''}: one instance restarting, like a crash loop.`,
  'pressure-host': (v) => {
    const size: string[] = [v.ramKb !== null ? `${formatKb(v.ramKb)} of RAM` : null, v.swapKb === 0 ? 'no swap' : v.swapKb !== null ? `${formatKb(v.swapKb)} of swap` : null].filter((x): x is string => x !== null);
    return words`Whole-system OOMs on ${v.host} killed ${v.victims.length} different processes (${listOf(v.victims)}) in ${v.globalKills} kills${size.length > 0 ? words`; ${v.host} has ${ours(size.join(' and '))}` : []}.`;
  },
  'pressure-consumers': (v) => words`Largest consumers in ${v.host}'s task tables (RSS, share of the table): ${consumers(v.consumers)}.`,
  lives: (v) =>
    words`${v.count === 1 ? 'One life' : `${v.count} lives`} (kill to kill, restart included): median ${dur(v.medianSec)}${
      v.cv !== null
        ? words`; they vary by ${ours(pct(v.cv))} (${v.regular ? `regular: a steady beat varies by under ${pct(v.regularMaxCv)}` : v.irregular ? `irregular: over ${pct(v.irregularMinCv)}, it follows something other than a clock` : `not steady: a steady beat varies by under ${pct(v.regularMaxCv)}`})`
        : []
    }.`,
  'kills-per-day': (v) => words`About ${v.perDay >= 10 ? Math.round(v.perDay) : v.perDay.toFixed(1)} kills a day over the ${dur(v.spanSec)} they span.`,
  backoff: (v) =>
    words`The gaps double (${ours(v.livesSec.map((s: number) => durationText(s)).join(', '))}): a restart back-off such as Kubernetes' CrashLoopBackOff (10 s, 20 s, 40 s … 5 min), not a memory rhythm; each life is short and dies soon after start.`,
  'short-life': (v) => words`Each life lasts at most ~${dur(v.medianSec)} (restart included): it dies seconds after it starts, before a leak could build up.`,
  'long-life': (v) =>
    words`Each life lasts ~${dur(v.medianSec)}${v.regular ? ' on a steady beat' : ''}: long enough to grow to the limit (a leak), or a start-up that takes that long to reach it; the kill times alone cannot tell these apart.`,
  'big-allocation': (v) =>
    words`${v.kills === v.known ? (v.known === 1 ? 'The victim' : 'Every victim') : `${v.kills} of ${v.known} victims`} had mapped far more than it held (total-vm up to ${kb(v.maxTotalVmKb)} under the ${limitOf(v.limitKb)} limit): killed in the middle of one big allocation.`,
  'small-steps': (v) =>
    words`The victim's mapped memory (total-vm up to ${kb(v.maxTotalVmKb)}) was close to what it held: it reached the ${limitOf(v.limitKb)} limit in small steps, not in one big allocation.`,
  growth: (v) =>
    words`Estimate: ${limitOf(v.limitKb)} ÷ ${dur(v.lifeSec)} ≈ ${ours(v.lifeSec < 120 ? `${approxSize(v.kbPerMin / 60)}/s` : `${approxSize(v.kbPerMin)}/min`)}, an upper bound: the log does not show the memory at a life's start, which this assumes is zero.`,
  'memory-kinds': (v) => {
    const parts = [v.anonKb !== null ? `anon ${formatKb(v.anonKb)}` : null, v.fileKb !== null ? `file ${formatKb(v.fileKb)}` : null, v.shmemKb !== null ? `shmem ${formatKb(v.shmemKb)}` : null, v.kernelKb !== null ? `kernel ${formatKb(v.kernelKb)}` : null].filter((x): x is string => x !== null);
    const total = (v.anonKb ?? 0) + (v.fileKb ?? 0) + (v.kernelKb ?? 0);
    const what = total > 0 && (v.anonKb ?? 0) >= 0.8 * total ? ': anonymous memory (heap, buffers), the process’s own data' : total > 0 && (v.fileKb ?? 0) >= 0.5 * total ? ': mostly page cache, which the kernel could not reclaim fast enough' : total > 0 && (v.kernelKb ?? 0) >= 0.3 * total ? ': much kernel memory (slab, sockets, page tables)' : '';
    return words`Memory at the kill (${v.from === 'memory.stat' ? 'memory.stat in the dump' : 'the kill line'}): ${ours(parts.join(', '))}${what}.`;
  },
  failcnt: (v) => words`The cgroup had hit its limit ${ours(String(v.failcnt))} times (failcnt) by the latest kill.`,
  'same-limit-elsewhere': (v) =>
    words`${v.comm} was killed ${v.times === 1 ? 'once' : v.times === 2 ? 'twice' : `${v.times} times`} more at ${v.limitKb !== null ? words`the same ${kb(v.limitKb)} limit` : words`a cgroup limit`} in other containers: a recreated container gets a new id, so these may be the same service.`,
  'no-other': (v) => (v.spanSec !== null ? words`No other kill like it in the ${dur(v.spanSec)} the log's kills span.` : words`No other kill like it in the log; the log gives no wider time span to judge by.`),
  'next-kill': (v) =>
    v.wall
      ? words`If the beat goes on, the next kill is due ≈ ${timeOf(v)}: take the profile by ${ours(timeText(v.profileBy))}.`
      : words`If the beat goes on, the next kill is due ≈ ${timeOf(v)} (~${dur(v.medianSec)} after the last).`,
  quiet: (v) => words`Quiet for ${v.cycles} cycles (~${dur(v.medianSec)} each) since ${timeOf(v)}, although the log goes on: fixed, or moved elsewhere?`,
  'odd-tiny-victim': (v) =>
    words`Odd: victim pid ${v.pid} held only ${kb(v.rssKb)} of the ${kb(v.limitKb)} limit while ${v.trigger ?? 'another process'} asked for memory; check the task table (a forged or mixed-up line looks like this too).`,
  'odd-values': (v) =>
    words`Odd: the kill line of pid ${v.pid} does not add up (${v.what === 'rss-above-total-vm' ? 'more resident than mapped' : v.what === 'rss-above-ram' ? "more resident than the host's RAM" : 'far more resident than the limit'}); treat its figures with care (a forged line looks like this).`,
  'shared-pages': (v) =>
    words`The ${v.name} processes add up to ${kb(v.sumKb)} in one task table, more than the host's ${kb(v.ramKb)} of RAM: shared pages are counted once per process, so the sum over-states what they hold.`,
  text: (v) => fromText(v.text),

  'step-profile': (v) => {
    const tool = v.runtime ? PROFILERS[v.runtime as Runtime](v.comm) : words`heap profiles`;
    const when: Phrase = v.byMs !== null && v.byMs !== undefined ? words` (the latest by ${ours(timeText(v.byMs))})` : v.lifeSec ? words` (say at a third and at two thirds of the ~${dur(v.lifeSec)} life)` : [];
    return words`Take ${tool} of ${v.comm} twice in one life${when} and compare what grew.`;
  },
  'step-memory-curve': (v) =>
    words`Sample the cgroup's memory over one life (${code('oomlens watch')} samples it; or memory.current / container_memory_working_set_bytes): a straight ramp to ${limitOf(v.limitKb)} is a leak, a plateau reached at start is start-up, steps that follow requests are load.`,
  'step-raise-limit-startup': (v) =>
    v.atLeastKb !== null
      ? words`Raise the limit to at least about ${kb(v.atLeastKb)} (what the victim had mapped when killed), or make the start-up need less.`
      : words`Raise the limit above what start-up needs (measure it once without the limit), or make the start-up need less.`,
  'step-raise-limit-leak': () =>
    words`Raising the limit only buys time in proportion to the part that grows; it does not fix a leak (and where start-up memory is large, the interval grows by less).`,
  'step-restart-reasons': (v) => words`Find what restarts ${v.comm} and why: restart counts and exit reasons (${code('systemctl status')}, ${code('kubectl describe pod')}, ${code('docker inspect')}).`,
  'step-fork-parent': (v) =>
    words`Find the parent that started so many ${v.comm} processes (the task tables list them; ${code('pstree')} or the job's logs) and cap it: fewer parallel jobs, ${code('pids.max')}, ${code('ulimit -u')}.`,
  'step-startup-memory': (v) => words`Check whether ${limitOf(v.limitKb)} is enough for ${v.comm} to start at all: its memory right after start-up against the limit.`,
  'step-host-memory': (v) => words`Check the host memory at the time: how much each ${v.comm} needs times how many ran at once, against the RAM.`,
  'step-host-consumers': (v) =>
    words`Compare the host's memory with what its largest consumers hold${v.top.length > 0 ? words` (${listOf(v.top)})` : []}: per-process memory metrics over a day show whether one of them grows.`,
  'step-set-limits': () => words`Set memory limits (cgroup memory.max, container limits, Kubernetes requests and limits) so one service cannot starve the rest, or give the host more memory.`,
  'step-overcommit': () => words`Look for overcommit: the sum of the services’ expected peaks against the host RAM (and swap).`,
  'step-load-peaks': (v) =>
    words`Line the kills up with ${v.comm}'s load (requests, queue depth, batch jobs): if the peaks follow load, raise ${limitOf(v.limitKb)} above the real peak or bound the work per process.`,
  'step-own-limit': (v) => words`Give ${v.comm} its own memory limit so that it is the one killed, early and alone, rather than the host running dry.`,
  'step-check-doing': (v) => words`Check what ${v.comm} was doing at the time: request logs, batch jobs, a deploy.`,
  'step-compare-usual': (v) =>
    v.memcg
      ? words`Compare its usual memory with the ${limitOf(v.limitKb)} limit (memory.peak, container metrics): a one-off spike, or a limit set too close to normal use.`
      : words`Check the host memory around the time (per-process memory metrics, ${code('sar -r')}) for what else was growing.`,
  'step-keep-watching': () => words`Keep watching for a repeat (${code('oomlens watch')}).`,
  'step-by-comm': (v) => words`Run ${code('oomlens report --by comm')} to see every kill of ${v.comm} together.`,
  'step-where-moved': (v) => words`The kills of ${v.comm} stopped ${v.cycles} cycles before the log ends: check whether a fix was deployed, or whether the service moved (another host, a new cgroup or name).`,
  'step-text': (v) => fromText(v.text),
  ...MEMORY_WORDS,
};

function consumers(list: V[]): Phrase {
  return listOf(
    list.map((c) => words`${c.name} ${ours(c.rssKb !== null ? formatKb(c.rssKb) : `${c.rssPages} pages`)} (${ours(pct(c.share))})`),
    5,
  );
}

export function statementPhrase(s: Statement): Phrase {
  return WORDS[s.kind](s.values as V);
}
