import { sizeInt } from './kernelInt.js';

/**
 * `Memory cgroup stats for <path>:[ key:NKB ...]`. The path may contain `:`, so the header ends
 * at the first `:` after which only v1 `key:NKB` stats (or nothing) follow. Values are kB.
 */
const INLINE_STATS = /^\s*(?:[a-z_]+:\d+KB\s*)*$/;

export function parseStatsHeader(rest: string): { path: string; statsKb: Record<string, number> | null } {
  for (let i = rest.indexOf(':'); i >= 0; i = rest.indexOf(':', i + 1)) {
    const after = rest.slice(i + 1);
    if (INLINE_STATS.test(after)) {
      const statsKb: Record<string, number> = {};
      for (const m of after.matchAll(/([a-z_]+):(\d+)KB/g)) {
        const n = sizeInt(m[2]);
        if (n !== null) statsKb[m[1]!] = n;
      }
      return { path: rest.slice(0, i), statsKb: Object.keys(statsKb).length > 0 ? statsKb : null };
    }
  }
  const last = rest.lastIndexOf(':');
  return { path: last > 0 ? rest.slice(0, last) : rest.trim(), statsKb: null };
}
