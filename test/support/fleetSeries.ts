/**
 * Six hours of known Prometheus series, as OpenMetrics text for `promtool tsdb create-blocks-from
 * openmetrics`: a leaking service (memory grows with uptime whatever its traffic, killed at its
 * limit, restarted: the sawtooth), a load-following one (memory = base + bytes per request/s,
 * killed at traffic peaks) and an idle one (flat memory, no traffic, no kill). Deterministic.
 */
export const START = Date.UTC(2024, 2, 1, 0, 0, 0) / 1000;
export const HOURS = 6;
export const STEP = 15;
const MIB = 1048576;
export const LOAD_BYTES_PER_RPS = 1.5 * MIB;

export const BILLING_POD_UID = '5e4c2a10-0000-4000-8000-00000000000a';
/** The cgroup of the billing container's n-th life (cAdvisor's `id`, the kernel's memcg path). */
export function billingCgroup(life: number): string {
  return `/kubepods/burstable/pod${BILLING_POD_UID}/${life.toString(16).padStart(64, '0')}`;
}

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Family {
  type: 'gauge' | 'counter';
  name: string;
  lines: string[];
}

export interface FleetTruth {
  leakKills: number[];
  loadKills: number[];
}

export function fleetOpenMetrics(): { text: string; truth: FleetTruth } {
  const rand = rng(42);
  const fam = (type: Family['type'], name: string): Family => ({ type, name, lines: [] });
  const mem = fam('gauge', 'container_memory_working_set_bytes');
  const reqs = fam('counter', 'http_requests');
  const cadvisorOom = fam('counter', 'container_oom_events');
  const restarts = fam('counter', 'kube_pod_container_status_restarts');
  const reason = fam('gauge', 'kube_pod_container_status_last_terminated_reason');
  // node_exporter exposes it untyped, without _total.
  const nodeOom = fam('gauge', 'node_vmstat_oom_kill');
  const sample = (f: Family, labels: string, v: number, t: number) => f.lines.push(`${f.name}${f.type === 'counter' ? '_total' : ''}{${labels}} ${v} ${t}`);

  const leak = 'namespace="shop",pod="billing-5d8f",container="billing"';
  const load = 'namespace="shop",pod="search-77c1",container="search"';
  const idle = 'namespace="batch",pod="cron-1a2b",container="cron"';
  const truth: FleetTruth = { leakKills: [], loadKills: [] };

  // The leak: +4 MiB a minute from 120 MiB, killed at 512 MiB; traffic an unrelated wave.
  let leakLife = 0;
  let leakMem = 120 * MIB;
  let leakReqs = 0;
  let leakRestarts = 0;
  let leakReason = 0;
  // The load follower: 150 MiB + 1.5 MiB per request/s; traffic peaks at 140/s every 2 h; the limit 350 MiB.
  let loadReqs = 0;
  let loadOoms = 0;
  let nodeKills = 0;
  let loadKilledThisPeak = false;
  const n = (HOURS * 3600) / STEP;
  for (let i = 0; i <= n; i++) {
    const t = START + i * STEP;
    const min = (i * STEP) / 60;
    // Leak.
    leakMem = 120 * MIB + leakLife * (4 * MIB / 60) * STEP + rand() * 2 * MIB;
    if (leakMem >= 512 * MIB) {
      truth.leakKills.push(t);
      leakLife = 0;
      leakMem = 120 * MIB + rand() * 2 * MIB;
      leakRestarts += 1;
      leakReason = 1;
      nodeKills += 1;
    }
    leakLife += 1;
    const leakRps = 50 + 30 * Math.sin((2 * Math.PI * min) / 47);
    leakReqs += leakRps * STEP;
    // cAdvisor: one series per container instance (id), each at 0: restarted containers start over.
    sample(mem, `${leak},id="${billingCgroup(leakRestarts)}"`, Math.round(leakMem), t);
    sample(cadvisorOom, `${leak},id="${billingCgroup(leakRestarts)}"`, 0, t);
    sample(reqs, 'namespace="shop",pod="billing-5d8f"', Math.round(leakReqs), t);
    sample(restarts, leak, leakRestarts, t);
    sample(reason, `${leak},reason="OOMKilled"`, leakReason, t);
    // Load follower.
    const loadRps = 40 + 100 * Math.max(0, Math.sin((2 * Math.PI * min) / 120)) + rand() * 4;
    loadReqs += loadRps * STEP;
    let loadMem = 150 * MIB + LOAD_BYTES_PER_RPS * loadRps + rand() * 3 * MIB;
    if (loadMem >= 350 * MIB && !loadKilledThisPeak) {
      // A worker killed at the peak: the container lives on, its OOM counter rises.
      truth.loadKills.push(t);
      loadOoms += 1;
      nodeKills += 1;
      loadKilledThisPeak = true;
      loadMem = 0.9 * loadMem;
    }
    if (loadRps < 100) loadKilledThisPeak = false;
    sample(mem, `${load},id="/kubepods/burstable/pod5e4c2a10-0000-4000-8000-00000000000b/${'b'.repeat(64)}"`, Math.round(loadMem), t);
    sample(cadvisorOom, `${load},id="/kubepods/burstable/pod5e4c2a10-0000-4000-8000-00000000000b/${'b'.repeat(64)}"`, loadOoms, t);
    sample(reqs, 'namespace="shop",pod="search-77c1"', Math.round(loadReqs), t);
    // Idle.
    sample(mem, `${idle},id="/kubepods/besteffort/pod5e4c2a10-0000-4000-8000-00000000000c/${'c'.repeat(64)}"`, Math.round(40 * MIB + rand() * 40960), t);
    sample(reqs, 'namespace="batch",pod="cron-1a2b"', 0, t);
    sample(nodeOom, 'instance="node-1:9100"', nodeKills, t);
  }
  const families = [mem, reqs, cadvisorOom, restarts, reason, nodeOom];
  // OpenMetrics wants each series' samples together, in time order.
  const text = families
    .map((f) => {
      const bySeries = new Map<string, string[]>();
      for (const l of f.lines) {
        const k = l.slice(0, l.indexOf('}') + 1);
        (bySeries.get(k) ?? bySeries.set(k, []).get(k)!).push(l);
      }
      return [`# TYPE ${f.name} ${f.type}`, ...[...bySeries.values()].flat()].join('\n');
    })
    .join('\n');
  return { text: `${text}\n# EOF\n`, truth };
}
