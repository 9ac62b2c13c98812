import { hostname } from 'node:os';
import type { MemorySample, TopProcess } from '../schema/memorySample.js';
import { parsePressure } from './cgroupFiles.js';
import { readCgroupMemory, readLimit, type CgroupMemory } from './cgroupMemory.js';
import { cgroupGlob } from './cgroupGlob.js';
import { findControllerRoots, nodesOf, walkCgroups, type CgroupNode, type ControllerRoot } from './cgroupTree.js';
import { exact } from './exactCount.js';
import { pageSize, pidsOf, topByRss } from './processes.js';
import { isKernelFs, KernelFiles, readSmall, type FileReader } from './smallFile.js';

export interface SamplerOptions {
  /** Controller hierarchies to read; default: found in /proc/self/mountinfo. */
  roots?: ControllerRoot[];
  /** `--cgroup` globs; none: every cgroup with a finite limit. */
  globs?: string[];
  /** Where /proc is (the host's /proc from inside a container: /host/proc). */
  procRoot?: string;
  host?: string;
  /** At most this many cgroups per sample (the first in tree order); the rest are said to be left out. */
  maxCgroups?: number;
}

/** The moment of a sample, read by the caller: wall clock and CLOCK_MONOTONIC. */
export interface SampleTime {
  wallMs: number;
  monotonicSec: number;
}

export interface SampleRound {
  samples: MemorySample[];
  /** Cgroups that matched but were gone (or half-gone) when read: normal churn, not an error. */
  vanished: number;
  /** Matching cgroups beyond `maxCgroups`, not read this round. */
  leftOut: number;
}

export const DEFAULT_MAX_CGROUPS = 2000;
/** Every this many rounds a cgroup's slow files (memory.stat, peak, failcnt, high, pressure) are read too. */
export const FULL_EVERY = 6;
/** The tree is walked again (new cgroups found) every this many rounds; between walks the chosen cgroups are read. */
export const WALK_EVERY = 6;
/** Pids carried in a sample (and OOMLENS_PIDS); the count is always whole. */
const MAX_PIDS = 64;

/** Reads the memory of the chosen cgroups, one round at a time. */
export class Sampler {
  private readonly roots: ControllerRoot[];
  private readonly globs: RegExp[];
  private readonly procRoot: string;
  private readonly host: string;
  private readonly maxCgroups: number;
  private readonly pageSize: number;
  private readonly bootId: string | null;
  /** Kernel files stay open between rounds (see smallFile.ts); plain reads elsewhere (fake trees). */
  private readonly files = new KernelFiles();
  private readonly cgroupRead: Map<string, FileReader>;
  private readonly procRead: FileReader;
  private round = 0;
  private leftOut = 0;
  private chosenNodes: { root: ControllerRoot; node: CgroupNode }[] = [];
  private readonly last = new Map<string, { memory: CgroupMemory; fullRound: number; pids: number[]; top: TopProcess[] }>();

  constructor(options: SamplerOptions = {}) {
    this.roots = options.roots ?? findControllerRoots();
    this.globs = (options.globs ?? []).map(cgroupGlob);
    this.procRoot = options.procRoot ?? '/proc';
    this.host = options.host ?? hostname();
    this.maxCgroups = options.maxCgroups ?? DEFAULT_MAX_CGROUPS;
    this.pageSize = pageSize(this.procRoot);
    this.bootId = readSmall(`${this.procRoot}/sys/kernel/random/boot_id`)?.trim() || null;
    const cached: FileReader = (path, encoding) => this.files.read(path, encoding);
    this.cgroupRead = new Map(this.roots.map((r) => [r.dir, isKernelFs(r.dir) ? cached : readSmall]));
    this.procRead = isKernelFs(this.procRoot) ? cached : readSmall;
  }

  /** Closes the files kept open. */
  close(): void {
    this.files.close();
  }

  /** The hierarchies this sampler reads (none: no memory controller found). */
  get controllerRoots(): readonly ControllerRoot[] {
    return this.roots;
  }

  sample(at: SampleTime): SampleRound {
    const time = new Date(at.wallMs).toISOString();
    const hostPressureText = readSmall(`${this.procRoot}/pressure/memory`);
    const hostPressure = hostPressureText === null ? null : parsePressure(hostPressureText);
    const samples: MemorySample[] = [];
    let vanished = 0;
    if (this.round++ % WALK_EVERY === 0) this.leftOut = this.walk();
    const seen = new Set<string>();
    for (const { root, node } of this.chosenNodes) {
      const read = this.cgroupRead.get(root.dir) ?? readSmall;
      const key = node.dir;
      const before = this.last.get(key);
      const hot = before !== undefined && before.memory.limit !== null && before.memory.usage * 2n >= before.memory.limit;
      // Full reads every FULL_EVERY rounds, and every round at half the limit or more: what the
      // pre-OOM decision reads must be fresh.
      const full = !before || hot || this.round - before.fullRound >= FULL_EVERY;
      const memory = readCgroupMemory(node.dir, root.version, read, before?.memory ?? null, full);
      if (!memory) {
        vanished++;
        continue;
      }
      seen.add(key);
      // Processes too are read in full rounds only: far from its limit, a cgroup's process list
      // 30 s old is news enough; near it (hot) every round is full.
      const pids = full || !before ? pidsBelow(node, read) : before.pids;
      const top = full || !before ? topByRss(pids, this.pageSize, this.procRoot, undefined, this.procRead) : before.top;
      this.last.set(key, { memory, fullRound: full ? this.round : before!.fullRound, pids, top });
      const workingSet = memory.inactiveFile !== null && memory.inactiveFile < memory.usage ? memory.usage - memory.inactiveFile : memory.usage;
      const opt = (v: bigint | null) => (v === null ? null : exact(v));
      samples.push({
        type: 'memory-sample',
        host: this.host,
        time,
        monotonicSec: at.monotonicSec,
        bootId: this.bootId,
        cgroup: node.path,
        version: root.version,
        usageBytes: exact(memory.usage),
        limitBytes: opt(memory.limit),
        highBytes: opt(memory.high),
        peakBytes: opt(memory.peak),
        workingSetBytes: exact(workingSet),
        anonBytes: opt(memory.anon),
        fileBytes: opt(memory.file),
        shmemBytes: opt(memory.shmem),
        kernelBytes: opt(memory.kernel),
        inactiveFileBytes: opt(memory.inactiveFile),
        events: memory.events && {
          high: opt(memory.events.high),
          max: opt(memory.events.max),
          oom: opt(memory.events.oom),
          oomKill: opt(memory.events.oomKill),
        },
        failcnt: opt(memory.failcnt),
        oomKills: opt(memory.oomKills),
        pressure: memory.pressure,
        hostPressure,
        processes: pids.length,
        pids: pids.slice(0, MAX_PIDS),
        top,
      });
    }
    for (const key of this.last.keys()) if (!seen.has(key)) this.last.delete(key);
    return { samples, vanished, leftOut: this.leftOut };
  }

  /** Walks the trees and keeps the chosen cgroups (at most maxCgroups); returns how many were left out. */
  private walk(): number {
    this.chosenNodes = [];
    let leftOut = 0;
    for (const root of this.roots) {
      const { tree } = walkCgroups(root);
      const read = this.cgroupRead.get(root.dir) ?? readSmall;
      for (const node of nodesOf(tree)) {
        if (!this.chosen(node, root, read)) continue;
        if (this.chosenNodes.length >= this.maxCgroups) leftOut++;
        else this.chosenNodes.push({ root, node });
      }
    }
    return leftOut;
  }

  /** Named by a glob, or (no globs) any cgroup with a finite limit. */
  private chosen(node: CgroupNode, root: ControllerRoot, read: FileReader): boolean {
    if (this.globs.length > 0) return this.globs.some((g) => g.test(node.path));
    const limit = readLimit(node.dir, root.version, read);
    return limit !== null && limit !== undefined;
  }
}

/** Pids of the cgroup and its descendants (a pod's limit sits above its containers' processes). */
function pidsBelow(node: CgroupNode, read: FileReader): number[] {
  if (node.children.length === 0) return pidsOf(node.dir, read);
  const out: number[] = [];
  for (const n of nodesOf(node)) out.push(...pidsOf(n.dir, read));
  return out;
}
