import { describe, expect, it } from 'vitest';
import { KillMetrics } from '../src/metrics/killMetrics.js';
import { parseLogText } from '../parsers/index.js';
import type { OomRecord } from '../src/schema/oomRecord.js';
import { dumpMessages, syslogLines } from './support/oomDump.js';

// Label values come from the log: quotes, backslashes, escapes and very long names must give
// one valid exposition line per series, of bounded length.
describe('metrics labels from hostile log text', () => {
  it('escapes and bounds host and workload', async () => {
    const comm = `"><script>\\x\x1b]0;pwned\x07${'A'.repeat(20_000)}`;
    const host = `h"\\${'B'.repeat(10_000)}`;
    const [record] = parseLogText(syslogLines(dumpMessages({ pid: 7, comm, uptime: 7, cgroup: '/' }), 7, host).join('\n')) as OomRecord[];
    expect(record!.victim!.comm).toBe(comm);
    const m = new KillMetrics({ localHost: 'here' });
    m.observe(record!);
    const lines = (await m.registry.metrics()).split('\n').filter((l) => l.startsWith('oomlens_kills_total{'));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(400);
    expect(lines[0]).toMatch(/^oomlens_kills_total\{killer="kernel",host="h\\"\\\\B+…",workload_kind="none",workload="\\"><script>\\\\x\x1b\]0;pwned\x07A+…"\} 1$/);
  });
});
