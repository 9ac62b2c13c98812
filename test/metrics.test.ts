import { describe, expect, it } from 'vitest';
import { KillMetrics } from '../src/metrics/killMetrics.js';
import { parseListenAddress } from '../src/metrics/metricsServer.js';
import { parseLogText } from '../parsers/index.js';
import type { OomRecord } from '../src/schema/oomRecord.js';
import { dumpMessages, syslogLines } from './support/oomDump.js';

function kill(pid: number, comm: string): OomRecord {
  const records = parseLogText(syslogLines(dumpMessages({ pid, comm, uptime: pid }), pid).join('\n'));
  expect(records).toHaveLength(1);
  return records[0] as OomRecord;
}

describe('KillMetrics', () => {
  it('counts kills by host, comm, constraint and workload, and escapes label values', async () => {
    const m = new KillMetrics({ localHost: 'here' });
    m.observe(kill(1, 'java'));
    m.observe(kill(2, 'java'));
    m.observe(kill(3, 'we"ird\\name'));
    const text = await m.registry.metrics();
    expect(text).toContain('oomlens_kills_total{host="web-1",comm="java",constraint="memcg",workload="docker"} 2');
    expect(text).toContain('oomlens_kills_total{host="web-1",comm="we\\"ird\\\\name",constraint="memcg",workload="docker"} 1');
    expect(text).toMatch(/oomlens_last_kill_timestamp_seconds\{host="web-1",comm="java"\} \d+/);
    // anon-rss 520000 kB = 532 MB: in the 1 GiB bucket, not the 256 MiB one.
    expect(text).toContain('oomlens_victim_anon_rss_bytes_bucket{le="268435456"} 0');
    expect(text).toContain('oomlens_victim_anon_rss_bytes_bucket{le="1073741824"} 3');
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('bounds the series: past --max-series new victims count as comm="other"', async () => {
    const m = new KillMetrics({ maxSeries: 2 });
    for (const [pid, comm] of [[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd'], [5, 'a']] as const) m.observe(kill(pid, comm));
    const text = await m.registry.metrics();
    const series = text.split('\n').filter((l) => l.startsWith('oomlens_kills_total{'));
    expect(series.map((l) => /comm="(\w+)".* (\d+)$/.exec(l)!.slice(1).join('='))).toEqual(['a=2', 'b=1', 'other=2']);
  });

  it('counts reports it could not read whole as parse errors', async () => {
    const m = new KillMetrics();
    const cut = parseLogText(syslogLines(dumpMessages({ pid: 9, comm: 'x', uptime: 9 }).slice(5), 9).join('\n'));
    for (const r of cut) m.observe(r as OomRecord);
    m.parseError('long-line', 2);
    const text = await m.registry.metrics();
    expect(text).toContain('oomlens_parse_errors_total{kind="incomplete-report"} 1');
    expect(text).toContain('oomlens_parse_errors_total{kind="long-line"} 2');
  });
});

describe('parseListenAddress', () => {
  it('reads [HOST:]PORT, loopback by default', () => {
    expect(parseListenAddress('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(parseListenAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
    for (const bad of ['', 'x', ':9464', '70000', 'host:', '1.2.3.4:port']) expect(parseListenAddress(bad)).toBeNull();
  });
});
