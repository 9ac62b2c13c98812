import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KillMetrics } from '../src/metrics/killMetrics.js';
import { loadKnownSeries, saveKnownSeries } from '../src/metrics/knownSeries.js';
import { parseListenAddress } from '../src/metrics/listenAddress.js';
import { parseLogText } from '../parsers/index.js';
import type { KillRecord } from '../src/schema/killRecord.js';
import type { OomRecord } from '../src/schema/oomRecord.js';
import { dumpMessages, syslogLines } from './support/oomDump.js';

const ROOT = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'oomlens-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kill(pid: number, comm: string, opts: { host?: string; cgroup?: string } = {}): OomRecord {
  const records = parseLogText(syslogLines(dumpMessages({ pid, comm, uptime: pid, cgroup: opts.cgroup }), pid, opts.host).join('\n'));
  expect(records).toHaveLength(1);
  return records[0] as OomRecord;
}

function series(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`));
}

describe('KillMetrics', () => {
  it('counts kills by killer, host, workload kind and workload, and escapes label values', async () => {
    const m = new KillMetrics({ localHost: 'here' });
    m.observe(kill(1, 'java'));
    m.observe(kill(2, 'java'));
    m.observe(kill(3, 'we"ird\\name', { cgroup: '/system.slice/we"ird\\.service' }));
    m.observe(kill(4, 'bash', { cgroup: '/kubepods/burstable/pod0a1b2c3d-0000-4000-8000-000000000001/4f5e' }));
    const text = await m.registry.metrics();
    expect(text).toContain('oomlens_kills_total{killer="kernel",host="web-1",workload_kind="docker",workload="a3f1c2d4e5b6"} 2');
    expect(text).toContain('oomlens_kills_total{killer="kernel",host="web-1",workload_kind="systemd",workload="we\\"ird\\\\.service"} 1');
    expect(text).toContain('oomlens_kills_total{killer="kernel",host="web-1",workload_kind="kubernetes",workload="0a1b2c3d-0000-4000-8000-000000000001"} 1');
    // The log's year-less stamp "Mar  1 00:50:57" is read in the current year: a time, not 0.
    expect(text).toMatch(/oomlens_last_kill_timestamp_seconds\{killer="kernel",host="web-1",workload_kind="docker",workload="a3f1c2d4e5b6"\} 1\d{9}/);
    // anon-rss 520000 kB = 532 MB: in the 1 GiB bucket, not the 256 MiB one.
    expect(text).toContain('oomlens_victim_anon_rss_bytes_bucket{le="268435456"} 0');
    expect(text).toContain('oomlens_victim_anon_rss_bytes_bucket{le="1073741824"} 4');
    expect(text).toMatch(/^oomlens_build_info\{version="\d+\.\d+\.\d+[^"]*",node="\d+\.\d+\.\d+"\} 1$/m);
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('one counter and one last-kill gauge for every killer: kernel, systemd-oomd, earlyoom', async () => {
    const m = new KillMetrics({ localHost: 'here' });
    const text = readFileSync(join(ROOT, 'fixtures', 'mixed-journal.jsonl'), 'utf8');
    for (const r of parseLogText(text, { decode: { year: 2026, tz: 'UTC' } })) m.observe(r as KillRecord);
    const out = await m.registry.metrics();
    expect(out).toContain('oomlens_kills_total{killer="systemd-oomd",host="ws-1",workload_kind="user",workload="user-1000/app-gnome-code-4471.scope"} 3');
    expect(out).toContain('oomlens_kills_total{killer="earlyoom",host="ws-1",workload_kind="none",workload="rustc"} 1');
    const killers = new Set(series(out, 'oomlens_last_kill_timestamp_seconds').map((l) => /killer="([^"]+)"/.exec(l)![1]));
    expect([...killers].sort()).toEqual(['earlyoom', 'kernel', 'systemd-oomd']);
  });

  it('the budget covers host and workload: 10,000 hosts make max-series series, an other bucket and a folded count', async () => {
    const m = new KillMetrics({ maxSeries: 50, localHost: 'here' });
    const one = kill(1, 'java');
    for (let i = 0; i < 10_000; i++) m.observe({ ...one, host: `host-${i}` });
    for (let i = 0; i < 3; i++) m.observe({ ...one, host: 'host-9999' }); // a folded set seen again is not counted again
    const text = await m.registry.metrics();
    const kills = series(text, 'oomlens_kills_total');
    expect(kills).toHaveLength(51);
    expect(kills).toContain('oomlens_kills_total{killer="kernel",host="other",workload_kind="docker",workload="other"} 9953');
    expect(series(text, 'oomlens_last_kill_timestamp_seconds')).toHaveLength(51);
    expect(text).toContain('oomlens_series_folded_total{metric="oomlens_kills_total"} 9950');
    expect(text).toContain('oomlens_series_budget 50');
    expect(Buffer.byteLength(text)).toBeLessThan(64 * 1024);
  });

  it('known workloads are exported at 0 before their first kill, and new ones are announced', async () => {
    const announced: unknown[] = [];
    const known = { killer: 'kernel', host: 'web-1', workload_kind: 'docker', workload: 'a3f1c2d4e5b6' };
    const m = new KillMetrics({ localHost: 'here', known: [known], onNewSeries: (l) => announced.push(l) });
    expect(await m.registry.metrics()).toContain('oomlens_kills_total{killer="kernel",host="web-1",workload_kind="docker",workload="a3f1c2d4e5b6"} 0');
    m.observe(kill(1, 'java'));
    m.observe(kill(2, 'node', { cgroup: '/system.slice/node.service' }));
    const text = await m.registry.metrics();
    expect(text).toContain('workload="a3f1c2d4e5b6"} 1');
    expect(announced).toEqual([{ killer: 'kernel', host: 'web-1', workload_kind: 'systemd', workload: 'node.service' }]);
    const file = join(dir, 'state.json.series');
    saveKnownSeries(file, [known]);
    expect(loadKnownSeries(file)).toEqual([known]);
    expect(loadKnownSeries(join(dir, 'missing'))).toEqual([]);
  });

  it('counts reports it could not read whole as parse problems, every kind present from the start', async () => {
    const m = new KillMetrics();
    expect(await m.registry.metrics()).toContain('oomlens_parse_problems_total{kind="long-line"} 0');
    const cut = parseLogText(syslogLines(dumpMessages({ pid: 9, comm: 'x', uptime: 9 }).slice(5), 9).join('\n'));
    for (const r of cut) m.observe(r as OomRecord);
    m.parseProblem('long-line', 2);
    const text = await m.registry.metrics();
    expect(text).toContain('oomlens_parse_problems_total{kind="incomplete-report"} 1');
    expect(text).toContain('oomlens_parse_problems_total{kind="long-line"} 2');
  });
});

describe('parseListenAddress', () => {
  it('reads PORT and HOST:PORT on loopback by default, :PORT on every interface, [IPv6]:PORT', () => {
    expect(parseListenAddress('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress(':9464')).toEqual({ host: '', port: 9464 });
    expect(parseListenAddress('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(parseListenAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    for (const bad of ['', 'x', '70000', 'host:', '1.2.3.4:port', '::1:9464', '[::1]']) expect(parseListenAddress(bad)).toBeNull();
  });
});
