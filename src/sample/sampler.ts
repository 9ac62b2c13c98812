import { hostname } from 'node:os';
import type { MemorySample } from '../schema/memorySample.js';
import { parsePressure } from './cgroupFiles.js';
import { readCgroupMemory, readLimit } from './cgroupMemory.js';
import { cgroupGlob } from './cgroupGlob.js';
import { findControllerRoots, nodesOf, walkCgroups, type CgroupNode, type ControllerRoot } from './cgroupTree.js';
import { exact } from './exactCount.js';
import { pageSize, pidsOf, topByRss } from './processes.js';
import { readSmall } from './smallFile.js';

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

  constructor(options: SamplerOptions = {}) {
    this.roots = options.roots ?? findControllerRoots();
    this.globs = (options.globs ?? []).map(cgroupGlob);
    this.procRoot = options.procRoot ?? '/proc';
    this.host = options.host ?? hostname();
    this.maxCgroups = options.maxCgroups ?? DEFAULT_MAX_CGROUPS;
    this.pageSize = pageSize(this.procRoot);
    this.bootId = readSmall(`${this.procRoot}/sys/kernel/random/boot_id`)?.trim() || null;
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
    let leftOut = 0;
    for (const root of this.roots) {
      const { tree } = walkCgroups(root);
      for (const node of nodesOf(tree)) {
        if (!this.chosen(node, root)) continue;
        if (samples.length >= this.maxCgroups) {
          leftOut++;
          continue;
        }
        const memory = readCgroupMemory(node.dir, root.version);
        if (!memory) {
          vanished++;
          continue;
        }
        const pids = pidsBelow(node);
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
          top: topByRss(pids, this.pageSize, this.procRoot),
        });
      }
    }
    return { samples, vanished, leftOut };
  }

  /** Named by a glob, or (no globs) any cgroup with a finite limit. */
  private chosen(node: CgroupNode, root: ControllerRoot): boolean {
    if (this.globs.length > 0) return this.globs.some((g) => g.test(node.path));
    const limit = readLimit(node.dir, root.version);
    return limit !== null && limit !== undefined;
  }
}

/** Pids of the cgroup and its descendants (a pod's limit sits above its containers' processes). */
function pidsBelow(node: CgroupNode): number[] {
  if (node.children.length === 0) return pidsOf(node.dir);
  const out: number[] = [];
  for (const n of nodesOf(node)) out.push(...pidsOf(n.dir));
  return out;
}
