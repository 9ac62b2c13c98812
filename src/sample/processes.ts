import { join } from 'node:path';
import type { TopProcess } from '../schema/memorySample.js';
import { parsePids, parseStatmResidentPages } from './cgroupFiles.js';
import { readSmall, type FileReader } from './smallFile.js';

/** How many processes' RSS is read per cgroup and sample: a fork bomb must not make sampling slow. */
export const MAX_RSS_READS = 256;
export const TOP_PROCESSES = 3;

/** The pids listed in a cgroup's own cgroup.procs (not its children's); [] when it vanished. */
export function pidsOf(cgroupDir: string, readFile: FileReader = readSmall): number[] {
  const text = readFile(join(cgroupDir, 'cgroup.procs'));
  return text === null ? [] : parsePids(text);
}

/**
 * The largest processes by resident set, from /proc/PID/statm (a cheap read), their names from
 * /proc/PID/comm. A process that exits meanwhile is left out.
 */
export function topByRss(pids: number[], pageSize: number, procRoot = '/proc', count = TOP_PROCESSES, readFile: FileReader = readSmall): TopProcess[] {
  const sized: { pid: number; rssBytes: number }[] = [];
  for (const pid of pids.length > MAX_RSS_READS ? pids.slice(0, MAX_RSS_READS) : pids) {
    const statm = readFile(join(procRoot, String(pid), 'statm'));
    const pages = statm === null ? null : parseStatmResidentPages(statm);
    if (pages !== null) sized.push({ pid, rssBytes: pages * pageSize });
  }
  sized.sort((a, b) => b.rssBytes - a.rssBytes || a.pid - b.pid);
  const top: TopProcess[] = [];
  for (const p of sized) {
    if (top.length >= count) break;
    const comm = readFile(join(procRoot, String(p.pid), 'comm'), 'utf8');
    if (comm !== null) top.push({ pid: p.pid, comm: comm.replace(/\n$/, ''), rssBytes: p.rssBytes });
  }
  return top;
}

/** The kernel's page size, from the first mapping in /proc/self/smaps (4096 if that cannot be read). */
export function pageSize(procRoot = '/proc'): number {
  const smaps = readSmall(join(procRoot, 'self', 'smaps')) ?? '';
  const m = /^KernelPageSize:\s+(\d+) kB$/m.exec(smaps);
  return m ? Number(m[1]) * 1024 : 4096;
}
