import { groupKeyOf } from '../../analyze/groupKey.js';
import type { KillRecord } from '../../schema/killRecord.js';
import type { Candidate } from './analyzePrometheus.js';
import type { RangeWindow } from './promClient.js';

/**
 * With logs and Prometheus both: the log's records are the kills (grouped per workload as
 * `report --by workload` does), and each group's memory series are the ones whose cgroup path
 * (cAdvisor's `id`) is a cgroup of its kills, or of the same pod or container.
 */
export function logCandidates(records: readonly KillRecord[], w: RangeWindow): Map<string, Candidate> {
  const out = new Map<string, Candidate>();
  for (const r of records) {
    if (r.type === 'oom-without-kill' || r.time === null) continue;
    const t = Date.parse(r.time) / 1000;
    if (!(t >= w.start && t <= w.end)) continue;
    const { key, label } = groupKeyOf(r, 'workload');
    const path = r.type === 'userspace-kill' ? r.victim.cgroup : (r.cgroup?.path ?? r.taskMemcg);
    const c = out.get(key) ?? { labels: { workload: label, ...(r.host ? { host: r.host } : {}) }, bySource: new Map([['log', []]]), cgroups: [] };
    out.set(key, c);
    // The first sample at or after the kill shows it, as for the counters.
    c.bySource.get('log')!.push({ t: w.start + Math.ceil((t - w.start) / w.step) * w.step, count: 1 });
    if (path && !c.cgroups!.includes(path)) c.cgroups!.push(path);
  }
  return out;
}

const POD = /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/;
const CONTAINER = /([0-9a-f]{64})/;

/** Whether a cgroup path names the same cgroup, pod (UID) or container (id) as one of `paths`. */
export function sharesCgroup(id: string, paths: readonly string[]): boolean {
  const pod = POD.exec(id)?.[1]?.replaceAll('_', '-');
  const container = CONTAINER.exec(id)?.[1];
  return paths.some((p) => p === id || (pod !== undefined && POD.exec(p)?.[1]?.replaceAll('_', '-') === pod) || (container !== undefined && p.includes(container)));
}
