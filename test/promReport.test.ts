import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingCgroup, BILLING_POD_UID, fleetOpenMetrics, HOURS, LOAD_BYTES_PER_RPS, START, type FleetTruth } from './support/fleetSeries.js';
import { freeLoopbackPort, requireBinary, startPrometheus, type PrometheusServer } from './support/prometheus.js';
import { runCli } from './support/runCli.js';
import { dumpMessages } from './support/oomDump.js';

const dir = mkdtempSync(join(tmpdir(), 'oomlens-promreport-'));
let prometheus: PrometheusServer | null = null;
let truth: FleetTruth;
const since = new Date(START * 1000).toISOString();
const until = new Date((START + HOURS * 3600) * 1000).toISOString();
const WORK = 'sum by (namespace, pod) (rate(http_requests_total[1m]))';

beforeAll(async () => {
  requireBinary('promtool');
  const data = fleetOpenMetrics();
  truth = data.truth;
  writeFileSync(join(dir, 'series.om'), data.text);
  const made = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'series.om'), join(dir, 'data')], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`promtool tsdb create-blocks-from failed: ${made.stderr}`);
  // No scrape targets: only the loaded blocks. Retention long enough for the 2024 samples.
  prometheus = await startPrometheus(dir, 'global:\n  scrape_interval: 1m\nscrape_configs: []\n', ['--storage.tsdb.retention.time=100y']);
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function report(extra: string[]): { code: number; stdout: string; stderr: string } {
  return runCli(['report', '--prometheus', prometheus!.base, '--since', since, '--until', until, ...extra]);
}

describe('report --prometheus against a real Prometheus loaded with known series', () => {
  it('tells the leak, the load-following service and the idle one apart (JSON)', () => {
    const out = report(['--work', WORK, '--format', 'json']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const a = JSON.parse(out.stdout);
    expect(truth.leakKills.length).toBeGreaterThanOrEqual(3);
    expect(truth.loadKills.length).toBeGreaterThanOrEqual(2);

    const leak = a.groups.find((g: any) => g.key === 'shop/billing-5d8f/billing');
    expect(leak.label).toBe('Kubernetes shop/billing-5d8f container billing');
    expect(leak.kills).toBe(truth.leakKills.length);
    expect(leak.killSource).toBe('kube-state-metrics');
    expect(leak.corroboration).toContainEqual({ source: 'cadvisor', kills: 0 });
    expect(leak.evidence.join(' ')).toMatch(/cAdvisor counted 0: .*restarted .* new series at 0/);
    expect(leak.hypotheses.map((h: any) => h.cause)).toEqual(['leak', 'load']);
    expect(leak.hypotheses[0].confidence).toBe('high');
    expect(leak.cause).toBe('leak');
    expect(leak.hypotheses[1].confidence).toBe('low');
    expect(Math.abs(leak.work.correlation)).toBeLessThan(0.4);
    // 4 MiB a minute: 240 MiB an hour of uptime, within 10 %.
    expect(leak.memory.growthBytesPerHour / (240 * 1048576)).toBeGreaterThan(0.9);
    expect(leak.memory.growthBytesPerHour / (240 * 1048576)).toBeLessThan(1.1);
    expect(leak.killTimes[0].peakBytesBefore).toBeGreaterThan(500 * 1048576);
    expect(leak.headline).toContain('leak-like');

    const load = a.groups.find((g: any) => g.key === 'shop/search-77c1/search');
    expect(load.kills).toBe(truth.loadKills.length);
    expect(load.killSource).toBe('cadvisor');
    expect(load.hypotheses.map((h: any) => h.cause)).toEqual(['load', 'leak']);
    expect(load.hypotheses[0].confidence).toBe('high');
    expect(load.cause).toBe('load');
    expect(load.work.query).toBe(WORK);
    expect(load.work.correlation).toBeGreaterThan(0.9);
    expect(load.work.strength).toBe('strong');
    expect(load.work.bytesPerUnit / LOAD_BYTES_PER_RPS).toBeGreaterThan(0.85);
    expect(load.work.bytesPerUnit / LOAD_BYTES_PER_RPS).toBeLessThan(1.15);
    expect(load.headline).toContain('follows the work');

    // The idle one: no kill, so no group; among the quiet workloads, neither load nor leak.
    expect(a.groups.some((g: any) => g.key.includes('cron'))).toBe(false);
    const idle = a.quiet.find((g: any) => g.key === 'batch/cron-1a2b/cron');
    expect(idle.kills).toBe(0);
    expect(idle.hypotheses.every((h: any) => h.confidence === 'low')).toBe(true);
    expect(idle.work.correlation).toBeNull(); // no traffic: nothing to correlate, said as such
    expect(idle.hypotheses.find((h: any) => h.cause === 'load').evidence.join(' ')).toContain('did not vary');

    const node = a.groups.find((g: any) => g.killSource === 'node');
    expect(node.kills).toBe(truth.leakKills.length + truth.loadKills.length);
    expect(a.summary.kills).toBe(truth.leakKills.length + truth.loadKills.length);
    expect(a.summary.nodeKills).toBe(truth.leakKills.length + truth.loadKills.length);
  });

  it('with a log too: the kills of the log, the curves of Prometheus matched by cgroup path', () => {
    const log = truth.leakKills
      .flatMap((t, life) => {
        const stamp = new Date(t * 1000).toISOString().replace('Z', '+00:00');
        return dumpMessages({ pid: 5000 + life, comm: 'billing', uptime: 1000 + life, cgroup: billingCgroup(life) }).map((m) => `${stamp} node-1 kernel: ${m}`);
      })
      .join('\n');
    const file = join(dir, 'node-1-kern.log');
    writeFileSync(file, `${log}\n`);
    const out = report(['--work', WORK, '--format', 'json', '--quiet', file]);
    expect(out.stderr).toBe('');
    const a = JSON.parse(out.stdout);
    expect(a.source.killQueries).toEqual([]);
    expect(a.groups).toHaveLength(1);
    const g = a.groups[0];
    expect(g.key).toBe(`kubernetes:pod/${BILLING_POD_UID}`);
    expect(g.killSource).toBe('log');
    expect(g.kills).toBe(truth.leakKills.length);
    expect(g.memory.series).toBe(truth.leakKills.length + 1);
    expect(g.cause).toBe('leak');
    expect(g.killTimes.map((k: any) => Date.parse(k.time) / 1000)).toEqual(truth.leakKills);
  });

  it('charts memory and work on one time axis in HTML, and says what it could not test without --work', () => {
    const html = report(['--work', WORK, '--format', 'html']);
    expect(html.code).toBe(0);
    expect(html.stdout.match(/<svg class="work-chart"/g)!.length).toBeGreaterThanOrEqual(3);
    expect(html.stdout).toMatch(/<path class="memory" d="M[\d.,L]+"/);
    expect(html.stdout).toMatch(/<path class="work" d="M[\d.,L]+"/);
    expect(html.stdout).toContain('class="kill"');
    const text = report([]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('No --work query');
    expect(text.stdout).toMatch(/load \(low\): Not tested: give --work PROMQL/);
  });

  it('one-line errors: an unreachable server, a bad query, a bad URL', async () => {
    const port = await freeLoopbackPort();
    const down = runCli(['report', '--prometheus', `http://127.0.0.1:${port}`, '--since', since, '--until', until]);
    expect(down.code).toBe(1);
    expect(down.stderr).toBe(`oomlens: cannot reach Prometheus at http://127.0.0.1:${port}: ECONNREFUSED\n`);
    const bad = report(['--work', 'sum(']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^oomlens: Prometheus at .* refused the query sum\(: .*\n$/);
    expect(runCli(['report', '--prometheus', 'ftp://x']).stderr).toMatch(/^oomlens: --prometheus: not an http\(s\) URL: ftp:\/\/x\n$/);
    expect(runCli(['report', '--work', 'up']).code).toBe(2);
  });
});
