import type { PressureHost } from './analysis.js';
import { byFrequency } from './distribution.js';
import { largestConsumers } from './consumers.js';
import type { KillFacts } from './killFacts.js';

/**
 * Hosts under memory pressure: whole-system OOMs there killed more than one kind of process,
 * so the host is short of memory overall rather than one process outgrowing its limit.
 */
export function pressureHosts(kills: KillFacts[]): PressureHost[] {
  const globalByHost = new Map<string, KillFacts[]>();
  for (const k of kills) {
    if (k.scope !== 'global') continue;
    const list = globalByHost.get(k.hostKey);
    if (list) list.push(k);
    else globalByHost.set(k.hostKey, [k]);
  }
  const hosts: PressureHost[] = [];
  for (const [host, list] of globalByHost) {
    const victims = byFrequency(list.map((k) => k.victimName));
    if (victims.length < 2) continue;
    // The latest report says how big the host is now.
    const latest = list.reduce((a, b) => ((b.t ?? 0) >= (a.t ?? 0) ? b : a));
    const mem = latest.kernel?.memInfo;
    const ramKb = mem?.ramPages != null && latest.pageSizeKb !== null ? mem.ramPages * latest.pageSizeKb : null;
    hosts.push({ host, globalKills: list.length, victims, ramKb, totalSwapKb: mem?.totalSwapKb ?? null, largestConsumers: largestConsumers(list) });
  }
  return hosts.sort((a, b) => b.globalKills - a.globalKills);
}
