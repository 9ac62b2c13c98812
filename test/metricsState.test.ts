import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpMessages, syslogLines } from './support/oomDump.js';
import { CliProcess } from './support/watchProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'oomlens-mstate-'));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

async function startWatch(log: string, state: string): Promise<{ watch: CliProcess; url: string }> {
  const watch = new CliProcess(['watch', log, '--metrics', '127.0.0.1:0', '--settle', '100', '--state', state]);
  cleanups.push(() => watch.kill('SIGTERM'));
  await watch.until('the metrics address', () => /metrics at (http:\S+)/.test(watch.stderr));
  await watch.until('the start notice', () => watch.stderr.includes('watching'));
  return { watch, url: /metrics at (http:\S+)/.exec(watch.stderr)![1]! };
}

describe('watch --metrics --state', () => {
  it('a restarted watch exports the workloads it saw before at 0, and its source health', async () => {
    const log = join(dir, 'kern.log');
    const state = join(dir, 'state.json');
    writeFileSync(log, '');
    const first = await startWatch(log, state);
    appendFileSync(log, syslogLines(dumpMessages({ pid: 7, comm: 'java', uptime: 7, cgroup: '/system.slice/billing.service' }), 7).map((l) => `${l}\n`).join(''));
    await first.watch.until('the kill', () => first.watch.lines.length >= 1);
    const before = await (await fetch(first.url)).text();
    expect(before).toContain('oomlens_kills_total{killer="kernel",host="web-1",workload_kind="systemd",workload="billing.service"} 1');
    expect(before).toMatch(/oomlens_source_up\{source="[^"]+kern\.log"\} 1/);
    expect(before).toMatch(/oomlens_source_bytes_read_total\{source="[^"]+kern\.log"\} [1-9]\d*/);
    expect((await first.watch.kill('SIGTERM')).code).toBe(0);
    expect(existsSync(`${state}.series`)).toBe(true);

    const second = await startWatch(log, state);
    const after = await (await fetch(second.url)).text();
    expect(after).toContain('oomlens_kills_total{killer="kernel",host="web-1",workload_kind="systemd",workload="billing.service"} 0');
    expect(second.watch.lines).toHaveLength(0);
    expect((await second.watch.kill('SIGTERM')).code).toBe(0);
  }, 30_000);
});
