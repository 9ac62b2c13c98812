import type { RangeSeries } from './promClient.js';

/**
 * Where Prometheus keeps OOM kills, one row per exporter: the query, the labels that name what
 * was killed, and how its series turn into kill events. Data, not branches: a new exporter is
 * a new row.
 */
export type KillSourceName = 'oomlens' | 'cadvisor' | 'kube-state-metrics' | 'node' | 'log';

export interface KillSource {
  name: KillSourceName;
  query: string;
  /** Labels naming the workload, in the order they make its key. */
  identity: readonly string[];
  /** How a series becomes kill events. */
  events: (s: RangeSeries, step: number, windowStart: number) => KillEvent[];
  /** What its count means, for the evidence. */
  note: string;
}

export interface KillEvent {
  /** Unix seconds of the first sample that shows the kill (it happened within one step before). */
  t: number;
  count: number;
}

export const KILL_SOURCES: readonly KillSource[] = [
  {
    name: 'oomlens',
    query: 'oomlens_kills_total',
    identity: ['host', 'workload_kind', 'workload'],
    events: (s, step, start) => counterIncrements(s, step, start),
    note: "oomlens watch's oomlens_kills_total (every killer)",
  },
  {
    name: 'cadvisor',
    query: 'container_oom_events_total{container!="",container!="POD"}',
    identity: ['namespace', 'pod', 'container'],
    events: (s, step, start) => counterIncrements(s, step, start),
    note: "cAdvisor's container_oom_events_total (per container instance: a restarted container starts a new series at 0)",
  },
  {
    // The reason gauge says only how the last termination ended; restarts while it reads
    // OOMKilled count the kills, and the gauge turning to OOMKilled counts one.
    name: 'kube-state-metrics',
    query: 'kube_pod_container_status_restarts_total and on (namespace, pod, container) (kube_pod_container_status_last_terminated_reason{reason="OOMKilled"} == 1)',
    identity: ['namespace', 'pod', 'container'],
    events: (s, step, start) => counterIncrements(s, step, start, { appearanceCounts: 1 }),
    note: 'kube-state-metrics: container restarts whose last termination reason was OOMKilled',
  },
  {
    name: 'node',
    query: 'node_vmstat_oom_kill',
    identity: ['instance'],
    events: (s, step, start) => counterIncrements(s, step, start),
    note: "node_exporter's node_vmstat_oom_kill (every kernel OOM kill on the node, containers' included)",
  },
];

/**
 * Kill events from a counter's samples: each rise between neighbouring samples, a reset
 * counted from 0, a series that first appears inside the window counted at its value (or at
 * `appearanceCounts` when the series is a filtered one that appears when a kill happens).
 */
export function counterIncrements(s: RangeSeries, step: number, windowStart: number, opts: { appearanceCounts?: number } = {}): KillEvent[] {
  const out: KillEvent[] = [];
  let prev: [number, number] | null = null;
  for (const sample of s.samples) {
    const [t, v] = sample;
    let count = 0;
    if (prev === null) {
      // Present from the window's start: its value is history, not a kill in the window.
      if (t > windowStart + step) count = opts.appearanceCounts ?? v;
    } else if (t - prev[0] > step * 1.5 && opts.appearanceCounts !== undefined) {
      count = opts.appearanceCounts;
    } else {
      count = v >= prev[1] ? v - prev[1] : v;
    }
    if (count > 0) out.push({ t, count: Math.round(count) });
    prev = sample;
  }
  return out;
}
