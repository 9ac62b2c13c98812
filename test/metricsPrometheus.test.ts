import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpMessages, syslogLines } from './support/oomDump.js';
import { concreteQuery, dashboardQueries } from './support/dashboard.js';
import { instantQuery, startPrometheus, type PrometheusServer } from './support/prometheus.js';
import { CliProcess, pollUntil } from './support/watchProcess.js';

const ALERTS = join(import.meta.dirname, '..', 'docs', 'prometheus', 'alerts.yml');
const dir = mkdtempSync(join(tmpdir(), 'oomlens-prom-'));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

async function value(base: string, promql: string): Promise<string | null> {
  return (await instantQuery(base, promql).catch(() => []))[0]?.value[1] ?? null;
}

/** rsyslog's RFC 3339 lines stamped now: the alert's "last kill is recent" test sees a live kill. */
function nowLines(messages: string[], host: string): string[] {
  const stamp = new Date().toISOString().replace('Z', '+00:00');
  return messages.map((m) => `${stamp} ${host} kernel: ${m}`);
}

interface FiringAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
}

describe('watch --metrics scraped by a real Prometheus with docs/prometheus/alerts.yml', () => {
  it('counts what was written, and a kill reaching the log raises an alert naming the workload within a minute', async () => {
    const log = join(dir, 'kern.log');
    writeFileSync(log, '');
    const watch = new CliProcess(['watch', log, '--metrics', '127.0.0.1:0', '--settle', '100']);
    cleanups.push(() => watch.kill('SIGTERM'));
    await watch.until('the metrics address', () => /metrics at http:\/\/127\.0\.0\.1:\d+\/metrics/.test(watch.stderr));
    const target = /metrics at http:\/\/(127\.0\.0\.1:\d+)\/metrics/.exec(watch.stderr)![1]!;
    await watch.until('the start notice', () => watch.stderr.includes('watching'));

    const comms = ['java', 'java', 'we"ird', 'node', 'java'];
    appendFileSync(log, comms.flatMap((comm, i) => syslogLines(dumpMessages({ pid: 100 + i, comm, uptime: 10 * (i + 1) }), 10 * (i + 1))).map((l) => `${l}\n`).join(''));
    await watch.until('five kills', () => watch.lines.length >= comms.length);

    const config = [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      'rule_files:',
      `  - ${ALERTS}`,
      'scrape_configs:',
      '  - job_name: oomlens',
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n');
    const prometheus: PrometheusServer = await startPrometheus(dir, config);
    cleanups.push(() => prometheus.stop());
    const base = prometheus.base;
    try {
      await pollUntil('Prometheus to have scraped five kills', async () => (await value(base, 'sum(oomlens_kills_total)')) === '5', 30_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nprometheus:\n${prometheus.log()}`);
    }
    expect(await value(base, 'up{job="oomlens"}')).toBe('1');
    expect(await value(base, 'oomlens_kills_total{killer="kernel",host="web-1",workload_kind="docker",workload="a3f1c2d4e5b6"}')).toBe('5');
    expect(await value(base, 'oomlens_victim_anon_rss_bytes_count')).toBe('5');
    expect(await value(base, `oomlens_source_up{source="${log}"}`)).toBe('1');
    expect(Number(await value(base, 'oomlens_source_lines_read_total'))).toBe(comms.length * dumpMessages({ pid: 1, comm: 'x', uptime: 1 }).length);
    expect(await value(base, 'oomlens_source_lag_bytes')).toBe('0');
    expect(await value(base, 'count(oomlens_build_info)')).toBe('1');
    // Every dashboard query is PromQL the real server accepts, and most have data.
    for (const q of dashboardQueries()) await instantQuery(base, concreteQuery(q));

    // A workload never seen before is killed: its first kill must alert.
    const written = Date.now();
    appendFileSync(log, nowLines(dumpMessages({ pid: 4242, comm: 'billing', uptime: 500, cgroup: '/system.slice/billing.service' }), 'web-1').map((l) => `${l}\n`).join(''));
    let firing: FiringAlert | undefined;
    try {
      await pollUntil(
        'OomlensWorkloadKilled for billing.service',
        async () => {
          const res = (await (await fetch(`${base}/api/v1/alerts`)).json()) as { data: { alerts: FiringAlert[] } };
          firing = res.data.alerts.find((a) => a.labels.alertname === 'OomlensWorkloadKilled' && a.labels.workload === 'billing.service' && a.state === 'firing');
          return firing !== undefined;
        },
        60_000,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}\nwatch stderr:\n${watch.stderr}\nprometheus:\n${prometheus.log()}`);
    }
    const latencyMs = Date.now() - written;
    console.log(`alert latency: ${latencyMs} ms from the kill reaching the log to OomlensWorkloadKilled firing (1 s scrape and evaluation)`);
    expect(latencyMs).toBeLessThan(60_000);
    expect(firing!.labels).toMatchObject({ killer: 'kernel', host: 'web-1', workload_kind: 'systemd', workload: 'billing.service', severity: 'warning' });
    expect(firing!.annotations.summary).toBe('systemd billing.service on web-1 was killed for memory (kernel)');
  }, 120_000);
});
