import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpMessages, syslogLines } from './support/oomDump.js';
import { CliProcess, pollUntil } from './support/watchProcess.js';

/** The pretest step (scripts/pretest.mjs) installs the Debian package. */
const hasPrometheus = spawnSync('prometheus', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'oomlens-prom-'));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One instant-query result through Prometheus's HTTP API, or null when it has none yet. */
async function query(base: string, promql: string): Promise<string | null> {
  try {
    const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
    return body.data?.result?.[0]?.value[1] ?? null;
  } catch {
    return null;
  }
}

describe('watch --metrics scraped by a real Prometheus', () => {
  if (!hasPrometheus) throw new Error('prometheus is missing: npm test installs it (scripts/pretest.mjs), or apt-get install prometheus');
  it('oomlens_kills_total in Prometheus equals the kills written', async () => {
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

    const port = await freeLoopbackPort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: oomlens\n    static_configs:\n      - targets: ['${target}']\n`);
    const prometheus = spawn(
      'prometheus',
      [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let promLog = '';
    prometheus.stderr.setEncoding('utf8').on('data', (d: string) => (promLog += d));
    const promExit = new Promise((resolve) => prometheus.on('exit', resolve));
    cleanups.push(() => (prometheus.kill('SIGTERM'), promExit));

    const base = `http://127.0.0.1:${port}`;
    try {
      await pollUntil('Prometheus to have scraped five kills', async () => (await query(base, 'sum(oomlens_kills_total)')) === '5', 30_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nprometheus:\n${promLog}`);
    }
    expect(await query(base, 'up{job="oomlens"}')).toBe('1');
    expect(await query(base, 'oomlens_kills_total{comm="java",constraint="memcg",workload="docker"}')).toBe('3');
    expect(await query(base, 'oomlens_kills_total{comm="we\\"ird"}')).toBe('1');
    expect(await query(base, 'oomlens_victim_anon_rss_bytes_count')).toBe('5');
    expect(await query(base, 'process_resident_memory_bytes{job="oomlens"} > 0')).not.toBeNull();
  });
});
