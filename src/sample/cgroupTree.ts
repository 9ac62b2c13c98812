import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readSmall } from './smallFile.js';

export type CgroupVersion = 'v1' | 'v2';

/** Where a memory controller hierarchy is mounted. */
export interface ControllerRoot {
  dir: string;
  version: CgroupVersion;
}

/** One cgroup of the hierarchy: its path as the kernel prints it and its directory. */
export interface CgroupNode {
  path: string;
  dir: string;
  children: CgroupNode[];
}

/**
 * The memory controller hierarchies of this machine, from /proc/self/mountinfo: the v1
 * `memory` hierarchy, and a cgroup2 mount whose root offers the memory controller.
 */
export function findControllerRoots(mountinfo = readSmall('/proc/self/mountinfo', 'utf8') ?? ''): ControllerRoot[] {
  const roots: ControllerRoot[] = [];
  for (const line of mountinfo.split('\n')) {
    // 36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const [fsType, , superOptions = ''] = line.slice(sep + 3).split(' ');
    const dir = unescapeMount(left[4] ?? '');
    if (!dir) continue;
    if (fsType === 'cgroup' && superOptions.split(',').includes('memory')) roots.push({ dir, version: 'v1' });
    if (fsType === 'cgroup2' && (readSmall(join(dir, 'cgroup.controllers')) ?? '').split(/\s+/).includes('memory')) {
      roots.push({ dir, version: 'v2' });
    }
  }
  return roots;
}

/** A hierarchy given by its directory (`--cgroup-root`): v2 when it has cgroup.controllers; null when neither. */
export function rootAt(dir: string): ControllerRoot | null {
  if (readSmall(join(dir, 'cgroup.controllers')) !== null) return { dir, version: 'v2' };
  if (readSmall(join(dir, 'memory.usage_in_bytes')) !== null || readSmall(join(dir, 'memory.limit_in_bytes')) !== null) return { dir, version: 'v1' };
  return null;
}

/** mountinfo writes space, tab, newline and backslash as octal escapes. */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/**
 * The cgroup tree under a controller root, read now. A cgroup removed while we walk is left
 * out, no error. `maxNodes` bounds the walk on hosts with runaway cgroup counts.
 */
export function walkCgroups(root: ControllerRoot, maxNodes = 100_000): { tree: CgroupNode; truncated: boolean } {
  const tree: CgroupNode = { path: '/', dir: root.dir, children: [] };
  let count = 1;
  let truncated = false;
  const stack: CgroupNode[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(node.dir, { withFileTypes: true });
    } catch {
      continue; // gone between the listing of its parent and now
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      if (count >= maxNodes) {
        truncated = true;
        break;
      }
      const child: CgroupNode = { path: node.path === '/' ? `/${e.name}` : `${node.path}/${e.name}`, dir: join(node.dir, e.name), children: [] };
      node.children.push(child);
      stack.push(child);
      count++;
    }
  }
  return { tree, truncated };
}

/** Every node, parents before children. */
export function* nodesOf(tree: CgroupNode): Generator<CgroupNode> {
  const stack = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}
