import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { parseLogText } from '../parsers/index.js';
import { KillMetrics } from '../src/metrics/killMetrics.js';
import { serveMetrics } from '../src/metrics/metricsServer.js';
import { SourceMetrics } from '../src/metrics/sourceMetrics.js';
import type { KillRecord } from '../src/schema/killRecord.js';

/**
 * `node dist/bench/metricsScrape.js [--hosts N --workloads W --max-series S --rounds R]`: the scrape
 * of a `watch --metrics` that has seen kills of W workloads on each of N hosts (a central log),
 * the series budget full. Prints the series count, the exposition size, and the median scrape
 * time over HTTP on loopback against serving the same bytes from a static buffer (the
 * reference, same process): the ratio is prom-client's rendering cost.
 */
const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '10000' },
    workloads: { type: 'string', default: '3' },
    'max-series': { type: 'string', default: '500' },
    rounds: { type: 'string', default: '50' },
  },
});
const hosts = Number(values.hosts);
const workloads = Number(values.workloads);
const rounds = Number(values.rounds);

const dump = (comm: string, cg: string) =>
  [
    `${comm} invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0`,
    'memory: usage 524288kB, limit 524288kB, failcnt 42',
    `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=${cg},task_memcg=${cg},task=${comm},pid=4242,uid=1000`,
    `Memory cgroup out of memory: Killed process 4242 (${comm}) total-vm:1200000kB, anon-rss:520000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:1172kB oom_score_adj:0`,
  ].map((m, i) => `Mar  1 00:50:57 HOST kernel: [ 1000.00000${i}] ${m}`);
const base = parseLogText(dump('java', '/system.slice/billing.service').join('\n'))[0] as KillRecord;

const metrics = new KillMetrics({ maxSeries: Number(values['max-series']), localHost: 'central' });
new SourceMetrics(metrics.registry, '/var/log/remote/all.log');
const t0 = performance.now();
for (let h = 0; h < hosts; h++) {
  for (let w = 0; w < workloads; w++) {
    const unit = `svc-${w}.service`;
    metrics.observe({ ...base, host: `host-${String(h).padStart(5, '0')}.example.net`, workload: { kind: 'systemd', id: unit, unit, pod: null, qos: null, container: null } } as KillRecord);
  }
}
const observeMs = performance.now() - t0;

const { server, url } = await serveMetrics(metrics.registry, { host: '127.0.0.1', port: 0 });
const body = Buffer.from(await (await fetch(url)).text());
const reference = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(body));
await new Promise<void>((resolve) => reference.listen(0, '127.0.0.1', resolve));
const refUrl = `http://127.0.0.1:${(reference.address() as AddressInfo).port}/metrics`;

async function timeFetch(u: string): Promise<number> {
  const s = performance.now();
  await (await fetch(u)).arrayBuffer();
  return performance.now() - s;
}
const ours: number[] = [];
const ref: number[] = [];
for (let r = 0; r < rounds; r++) {
  ours.push(await timeFetch(url));
  ref.push(await timeFetch(refUrl));
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const text = body.toString();
const count = (name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`)).length;
const oomlensSeries = text.split('\n').filter((l) => l.startsWith('oomlens_')).length;
console.log(`kills observed: ${hosts * workloads} (${hosts} hosts x ${workloads} workloads) in ${observeMs.toFixed(0)} ms`);
console.log(`oomlens_kills_total series: ${count('oomlens_kills_total')}, oomlens_last_kill_timestamp_seconds: ${count('oomlens_last_kill_timestamp_seconds')}, all oomlens_* samples: ${oomlensSeries}, all samples: ${text.split('\n').filter((l) => l && !l.startsWith('#')).length}`);
console.log(/oomlens_series_folded_total\{[^}]*\} \d+/.exec(text)?.[0] ?? 'no folded counter');
console.log(`scrape: ${body.length} bytes; median ${median(ours).toFixed(2)} ms over ${rounds} scrapes vs ${median(ref).toFixed(2)} ms for the same bytes from a buffer (${(median(ours) / median(ref)).toFixed(1)}x)`);
server.close();
reference.close();
