/**
 * Real OOM kills for end-to-end tests: a small memory cgroup of our own (cgroup v2 with the
 * memory controller where the machine has it, else the v1 controller at /sys/fs/cgroup/memory),
 * a program run inside it (restarted as a supervisor would), and the kernel's own dump read back
 * from /dev/kmsg.
 *
 * Rules it keeps: every cgroup is named `oomlens-t-<story>-<random>` and has a limit of at most
 * 256 MiB (never a host-wide OOM); it kills only the processes it started (and their children,
 * which are the only tasks in its cgroup); it removes the cgroup in every outcome, also when the
 * test process exits early.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, readSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';

export type CgroupVersion = 'v1' | 'v2';
export type Availability = { ok: true; version: CgroupVersion; root: string } | { ok: false; why: string };

const V1_ROOT = '/sys/fs/cgroup/memory';
const KMSG = '/dev/kmsg';
/** The most a story may give its cgroup: small enough that the host never notices. */
const MAX_LIMIT = 256 << 20;

/** Where a writable memory controller is: cgroup v2 first (as users have it), then v1. */
export function findMemoryController(mounts = readMounts()): Availability {
  const why: string[] = [];
  for (const m of mounts.filter((x) => x.type === 'cgroup2')) {
    const controllers = readOr(join(m.dir, 'cgroup.subtree_control'), '').split(/\s+/);
    if (controllers.includes('memory') && writable(m.dir)) return { ok: true, version: 'v2', root: m.dir };
    why.push(`cgroup v2 at ${m.dir} has no memory controller enabled for children`);
  }
  const v1 = mounts.find((x) => x.type === 'cgroup' && x.options.split(',').includes('memory'));
  if (v1 && writable(v1.dir)) return { ok: true, version: 'v1', root: v1.dir };
  why.push(v1 ? `cgroup v1 memory controller at ${v1.dir} is not writable` : 'no cgroup v1 memory controller mounted');
  return { ok: false, why: why.join('; ') };
}

/** Whether real OOM kills can be made here, and if not, why (one line). */
export function realKernelAvailable(): Availability {
  if (process.platform !== 'linux') return { ok: false, why: `not Linux (${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, why: 'not root (real OOM tests need root to make cgroups and read /dev/kmsg)' };
  try {
    accessSync(KMSG, constants.R_OK | constants.W_OK);
  } catch {
    return { ok: false, why: `${KMSG} is not readable and writable` };
  }
  if (!hasPython()) return { ok: false, why: 'python3 is not installed (the stories run python3)' };
  return findMemoryController();
}

let pythonChecked: boolean | null = null;
function hasPython(): boolean {
  if (pythonChecked === null) {
    pythonChecked = (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(join(d, 'python3')));
  }
  return pythonChecked;
}

/**
 * A test that makes real OOM kills: runs where the kernel allows it; elsewhere it prints one line
 * saying why it did not run, and fails instead when OOMLENS_REQUIRE_REAL_KERNEL=1 (as in CI).
 */
export function realKernelIt(name: string, fn: (a: Extract<Availability, { ok: true }>) => Promise<void>, timeoutMs = 60_000): void {
  const a = realKernelAvailable();
  if (a.ok) {
    it(name, () => fn(a), timeoutMs);
    return;
  }
  const line = `real-kernel test "${name}" did not run: ${a.why}`;
  it(name, () => {
    if (process.env.OOMLENS_REQUIRE_REAL_KERNEL === '1') throw new Error(`${line} (OOMLENS_REQUIRE_REAL_KERNEL=1)`);
    console.log(line);
  });
}

// ---------------------------------------------------------------------------------------------
// Cgroups

export interface CgroupOptions {
  limitBytes: number;
  /** cgroup v2 only: kill the whole cgroup on OOM. */
  oomGroup?: boolean;
}

/** One memory cgroup of ours; `dir` is its directory, `path` what the kernel prints for it. */
export interface OwnCgroup {
  version: CgroupVersion;
  dir: string;
  path: string;
  /** Puts nothing in it; a process joins by writing its pid here (see `wrap`). */
  procs: string;
  /** Kills what is left inside (only our own processes can be there) and removes it. */
  remove(): Promise<void>;
}

const live = new Set<OwnCgroup>();
process.once('exit', () => {
  for (const c of live) removeNow(c);
});

/** The files a controller writes for a limit; exported so a fake cgroupfs tree can check them. */
export function limitFiles(version: CgroupVersion, o: CgroupOptions): Array<[string, string]> {
  switch (version) {
    case 'v1':
      // memsw (memory + swap) only where swap accounting exists; it must come after the limit.
      return [
        ['memory.limit_in_bytes', String(o.limitBytes)],
        ['memory.memsw.limit_in_bytes?', String(o.limitBytes)],
      ];
    case 'v2':
      return [
        ['memory.max', String(o.limitBytes)],
        ['memory.swap.max?', '0'],
        ['memory.oom.group', o.oomGroup ? '1' : '0'],
      ];
  }
}

/** Makes `oomlens-t-<story>-<random>` under the controller root with the given limit. */
export function makeCgroup(a: { version: CgroupVersion; root: string }, story: string, o: CgroupOptions, parent?: OwnCgroup): OwnCgroup {
  if (!(o.limitBytes > 0 && o.limitBytes <= MAX_LIMIT)) throw new Error(`limit ${o.limitBytes} is outside (0, 256 MiB]: never risk a host OOM`);
  if (o.oomGroup && a.version !== 'v2') throw new Error('memory.oom.group exists only in cgroup v2');
  const name = parent ? safeName(story) : `oomlens-t-${safeName(story)}-${randomBytes(4).toString('hex')}`;
  const base = parent ? parent.dir : a.root;
  const dir = join(base, name);
  mkdirSync(dir);
  const cg: OwnCgroup = {
    version: a.version,
    dir,
    path: `${parent ? parent.path : ''}/${name}`,
    procs: join(dir, 'cgroup.procs'),
    remove: async () => {
      await removeCgroup(cg);
    },
  };
  live.add(cg);
  try {
    for (const [file, value] of limitFiles(a.version, o)) {
      const optional = file.endsWith('?');
      const f = join(dir, optional ? file.slice(0, -1) : file);
      if (optional && !existsSync(f)) continue;
      writeFileSync(f, value);
    }
    if (a.version === 'v2' && o.oomGroup === undefined) writeFileSync(join(dir, 'memory.oom.group'), '0');
  } catch (err) {
    removeNow(cg);
    throw err;
  }
  return cg;
}

function safeName(s: string): string {
  return s.replace(/[^a-zA-Z0-9_-]/g, '-').slice(0, 40);
}

function pidsIn(cg: OwnCgroup): number[] {
  return readOr(cg.procs, '')
    .split('\n')
    .filter((l) => /^\d+$/.test(l))
    .map(Number);
}

/** Synchronous removal for the exit handler: kill what is inside, try rmdir a few times. */
function removeNow(cg: OwnCgroup): void {
  for (const pid of pidsIn(cg)) killPid(pid);
  for (let i = 0; i < 50; i++) {
    if (tryRmdir(cg)) return;
    const until = Date.now() + 20;
    while (Date.now() < until);
  }
}

async function removeCgroup(cg: OwnCgroup): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    for (const pid of pidsIn(cg)) killPid(pid);
    if (tryRmdir(cg)) return;
    if (Date.now() > deadline) throw new Error(`cannot remove ${cg.dir}: still has ${pidsIn(cg).join(' ') || 'children'}`);
    await sleep(25);
  }
}

function tryRmdir(cg: OwnCgroup): boolean {
  try {
    rmdirSync(cg.dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      live.delete(cg);
      return true;
    }
    if (code === 'EBUSY' || code === 'ENOTEMPTY') return false;
    throw err;
  }
  live.delete(cg);
  return true;
}

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

// ---------------------------------------------------------------------------------------------
// Running programs inside

/** argv that joins the cgroup and then becomes `cmd` (same pid, so no window outside it). */
export function wrap(cg: OwnCgroup, cmd: string[]): string[] {
  return ['sh', '-c', 'echo $$ > "$0" || exit 97; exec "$@"', cg.procs, ...cmd];
}

export interface Run {
  pid: number;
  startedMs: number;
  endedMs: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** We stopped it (timeout or end of story), the kernel did not. */
  stoppedByUs: boolean;
}

export interface RunOptions {
  /** Starts after the first: a supervisor restarting the service after each death. */
  restarts?: number;
  /** Delay after each death before the next start (ms); one number or one per restart. */
  restartDelayMs?: number | number[];
  /** A run still alive after this long is stopped by us (SIGKILL); default 45 s (a busy machine starts python slowly). */
  runTimeoutMs?: number;
}

/** Runs `cmd` (or `cmd(run)`, 0 first) in the cgroup, restarting it after each death, and returns every run. */
export async function runInCgroup(cg: OwnCgroup, cmd: string[] | ((run: number) => string[]), o: RunOptions = {}): Promise<Run[]> {
  const runs: Run[] = [];
  const total = (o.restarts ?? 0) + 1;
  for (let i = 0; i < total; i++) {
    runs.push(await runOnce(cg, typeof cmd === 'function' ? cmd(i) : cmd, o.runTimeoutMs ?? 45_000));
    if (i < total - 1) {
      const d = o.restartDelayMs ?? 0;
      await sleep(Array.isArray(d) ? (d[i] ?? d.at(-1) ?? 0) : d);
    }
  }
  return runs;
}

function runOnce(cg: OwnCgroup, cmd: string[], timeoutMs: number): Promise<Run> {
  const [file, ...args] = wrap(cg, cmd);
  const startedMs = Date.now();
  const child: ChildProcess = spawn(file!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    let stoppedByUs = false;
    const timer = setTimeout(() => {
      stoppedByUs = true;
      if (child.pid !== undefined) killPid(child.pid);
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 97) reject(new Error(`could not join ${cg.dir}: ${stderr.trim()}`));
      else resolve({ pid: child.pid!, startedMs, endedMs: Date.now(), code, signal, stoppedByUs });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The kernel's log

/** One /dev/kmsg record as the kernel wrote it: `PRI,SEQ,USEC,FLAGS;message`. */
export interface KmsgRecord {
  raw: string;
  seq: number;
  usec: number;
  message: string;
}

/** A place in /dev/kmsg: a unique marker we wrote; what comes after it is read by `since`. */
export interface KmsgMark {
  marker: string;
}

export function markKmsg(label: string): KmsgMark {
  const marker = `oomlens-t mark ${safeName(label)} ${randomBytes(6).toString('hex')}`;
  writeFileSync(KMSG, `${marker}\n`);
  return { marker };
}

/** Every record after the marker (all of the ring buffer is read; it is small). */
export function kmsgSince(mark: KmsgMark): KmsgRecord[] {
  const fd = openSync(KMSG, constants.O_RDONLY | constants.O_NONBLOCK);
  const buf = Buffer.alloc(16 * 1024);
  const all: KmsgRecord[] = [];
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') break;
        if (code === 'EPIPE') continue; // records overwritten while we read: go on with the next
        throw err;
      }
      if (n === 0) break;
      const rec = parseKmsgRecord(buf.toString('utf8', 0, n));
      if (rec) all.push(rec);
    }
  } finally {
    closeSync(fd);
  }
  const at = all.findIndex((r) => r.message === mark.marker);
  if (at < 0) throw new Error(`the kmsg marker "${mark.marker}" is gone (ring buffer overwritten?)`);
  return all.slice(at + 1);
}

function parseKmsgRecord(text: string): KmsgRecord | null {
  const line = text.split('\n')[0]!;
  const m = /^(\d+),(\d+),(\d+),[^;]*;(.*)$/.exec(line);
  if (!m) return null;
  return { raw: line, seq: Number(m[2]), usec: Number(m[3]), message: m[4]! };
}

/**
 * The records of the OOM dumps of one cgroup (and the reaper lines of its victims). Other
 * engineers make real kills on the same machine at the same time: the kernel prints one dump at
 * a time (oom_lock), so a dump is kept whole when it names our cgroup.
 */
export function dumpsOf(records: KmsgRecord[], cgroupPath: string): KmsgRecord[] {
  const ours = new RegExp(`${escapeRe(cgroupPath)}(?=$|[/,: ])`);
  const out: KmsgRecord[] = [];
  const victims = new Set<string>();
  let block: KmsgRecord[] | null = null;
  let killed = false;
  const close = () => {
    if (block && block.some((r) => ours.test(r.message))) {
      out.push(...block);
      for (const r of block) {
        const v = /Killed process (\d+) /.exec(r.message);
        if (v) victims.add(v[1]!);
      }
    }
    block = null;
    killed = false;
  };
  for (const r of records) {
    if (r.message.includes(' invoked oom-killer: ')) {
      close();
      block = [r];
      continue;
    }
    if (block) {
      const part = /Killed process \d+ |are going to be killed due to memory\.oom\.group/.test(r.message);
      if (killed && !part) close();
      else {
        block.push(r);
        if (part) killed = true;
        continue;
      }
    }
    const reaped = /^oom_reaper: reaped process (\d+) /.exec(r.message);
    if (reaped && victims.has(reaped[1]!)) out.push(r);
  }
  close();
  return out.sort((a, b) => a.seq - b.seq);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The records as /dev/kmsg gives them, one per line: what `oomlens report` reads from a kmsg copy. */
export function kmsgText(records: KmsgRecord[]): string {
  return records.map((r) => `${r.raw}\n`).join('');
}

/**
 * The records as `dmesg --time-format iso` prints them (wall time = boot time + µs since boot),
 * the form most people paste; `bootMs` is the wall time of boot in ms.
 */
export function isoText(records: KmsgRecord[], bootMs = bootTimeMs()): string {
  return records
    .map((r) => {
      const t = bootMs * 1000 + r.usec;
      const d = new Date(Math.floor(t / 1000));
      const us = String(t % 1_000_000).padStart(6, '0');
      return `${d.toISOString().slice(0, 19)},${us}+00:00 ${unescapeKmsg(r.message)}\n`;
    })
    .join('');
}

/** /dev/kmsg writes bytes < 0x20, >= 0x7f and `\` as \xNN. */
function unescapeKmsg(s: string): string {
  return s.replace(/\\x([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export function bootTimeMs(): number {
  const btime = /^btime (\d+)$/m.exec(readOr('/proc/stat', ''));
  if (btime) return Number(btime[1]) * 1000;
  const up = Number(readOr('/proc/uptime', '0').split(' ')[0]);
  return Date.now() - up * 1000;
}

// ---------------------------------------------------------------------------------------------
// Stories

export interface Story extends RunOptions {
  /** Part of the cgroup name. */
  name: string;
  limitBytes: number;
  cmd: string[] | ((run: number) => string[]);
  oomGroup?: boolean;
}

export interface StoryResult {
  story: Story;
  cgroup: OwnCgroup;
  runs: Run[];
  /** Our cgroup's dumps, kernel text as read from /dev/kmsg. */
  records: KmsgRecord[];
}

/**
 * Runs a story from start to end: makes the cgroup, runs (and restarts) the program, waits for
 * the reaper lines, reads our dumps back, and removes the cgroup whatever happened.
 */
export async function runStory(a: { version: CgroupVersion; root: string }, story: Story): Promise<StoryResult> {
  const mark = markKmsg(story.name);
  const cgroup = makeCgroup(a, story.name, { limitBytes: story.limitBytes, oomGroup: story.oomGroup });
  try {
    const runs = await runInCgroup(cgroup, story.cmd, story);
    await sleep(150); // oom_reaper lines come from a kernel thread, a little later
    return { story, cgroup, runs, records: dumpsOf(kmsgSince(mark), cgroup.path) };
  } finally {
    await cgroup.remove();
  }
}

/**
 * python3 that holds `startMiB`, then grows by `stepMiB` per `everyS` seconds forever. Paced by
 * the clock from the moment it is started (not from when the interpreter is ready, nor by
 * sleeps), so a busy machine does not bend the rate: each life lasts the same.
 */
export function pythonLeak(o: { startMiB: number; stepMiB: number; everyS: number }): () => string[] {
  return () => [
    'python3',
    '-S',
    '-c',
    `import time\nt0=${Date.now() / 1000}\na=[b'x'*(${o.startMiB}<<20)]\nheld=${o.startMiB}\nwhile 1:\n    time.sleep(0.05)\n    want=${o.startMiB}+${o.stepMiB / o.everyS}*(time.time()-t0)\n    while held+1<=want:\n        a.append(b'x'*(1<<20)); held+=1`,
  ];
}

/** python3 that holds `holdMiB` for `forS` seconds, then asks for `thenMiB` more at once, then idles. */
export function pythonSpike(o: { holdMiB: number; forS: number; thenMiB: number }): string[] {
  return ['python3', '-c', `import time\na=b'x'*(${o.holdMiB}<<20)\ntime.sleep(${o.forS})\nb=b'x'*(${o.thenMiB}<<20)\ntime.sleep(30)`];
}

/** python3 at `baseMiB` that takes `burstMiB` more (and keeps it) at each of the given seconds, as load arrives. */
export function pythonBursts(o: { baseMiB: number; burstMiB: number; atS: number[] }): string[] {
  return ['python3', '-c', `import time\nt0=time.time()\na=[b'x'*(${o.baseMiB}<<20)]\nfor t in ${JSON.stringify(o.atS)}:\n    time.sleep(max(0,t0+t-time.time()))\n    a.append(b'x'*(${o.burstMiB}<<20))\ntime.sleep(30)`];
}

/** Several python3 processes in one cgroup, each holding `eachMiB`, the last one growing (for memory.oom.group). */
export function pythonGroup(o: { copies: number; eachMiB: number }): string[] {
  const hold = `import time\na=b'x'*(${o.eachMiB}<<20)\ntime.sleep(30)`;
  const grow = `import time\na=[]\nwhile 1:\n    a.append(b'x'*(4<<20)); time.sleep(0.2)`;
  const starts = Array.from({ length: o.copies - 1 }, () => `python3 -c "${hold}" &`).join(' ');
  return ['sh', '-c', `${starts} sleep 0.5; exec python3 -c "${grow}"`];
}

/** python3 that asks for `needMiB` at start-up. */
export function pythonStartup(o: { needMiB: number }): string[] {
  return ['python3', '-c', `import time\na=b'x'*(${o.needMiB}<<20)\ntime.sleep(30)`];
}

// ---------------------------------------------------------------------------------------------

interface Mount {
  dir: string;
  type: string;
  options: string;
}

function readMounts(): Mount[] {
  return readOr('/proc/self/mounts', '')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f.length >= 4)
    .map((f) => ({ dir: f[1]!.replace(/\\040/g, ' '), type: f[2]!, options: f[3]! }));
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
