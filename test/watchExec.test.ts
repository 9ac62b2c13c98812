import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpMessages, syslogLines } from './support/oomDump.js';
import { CliProcess, pollUntil } from './support/watchProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'oomlens-exec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dumpText(pid: number, comm: string, uptime: number): string {
  return syslogLines(dumpMessages({ pid, comm, uptime }), uptime).map((l) => `${l}\n`).join('');
}

async function startWatch(log: string, hookArgs: string[]): Promise<CliProcess> {
  writeFileSync(log, '');
  const w = new CliProcess(['watch', log, '--settle', '100', ...hookArgs], { ...process.env, HOOK_DIR: dir });
  await w.until('the start notice', () => w.stderr.includes('watching'));
  return w;
}

describe('watch --exec', () => {
  it('passes each record as JSON on stdin only, never into the command line', async () => {
    const log = join(dir, 'hook.log');
    const out = join(dir, 'hook.ndjson');
    const w = await startWatch(log, ['--exec', 'cat >> "$HOOK_DIR/hook.ndjson"']);
    // A victim name that would run a command if it were pasted into a shell string.
    const hostile = '$(touch pwned)';
    appendFileSync(log, dumpText(7001, hostile, 10) + dumpText(7002, 'java', 20));
    await w.until('two kills', () => w.lines.length >= 2);
    await pollUntil('both records in the hook output', () => existsSync(out) && readFileSync(out, 'utf8').split('\n').length >= 3);
    expect((await w.kill('SIGTERM')).code).toBe(0);
    const seen = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(seen.map((r) => [r.victim.pid, r.victim.comm])).toEqual([
      [7001, hostile],
      [7002, 'java'],
    ]);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(existsSync('pwned')).toBe(false);
  });

  it('logs a failing hook and one that outlives its timeout, and keeps watching', async () => {
    const log = join(dir, 'fail.log');
    const w = await startWatch(log, ['--exec', 'read line; case "$line" in *8001*) exit 3;; *) sleep 30;; esac', '--exec-timeout', '0.3']);
    appendFileSync(log, dumpText(8001, 'a', 10));
    await w.until('the failure', () => /hook failed \(exit code 3\)/.test(w.stderr));
    appendFileSync(log, dumpText(8002, 'b', 20));
    await w.until('the timeout', () => /hook still running after 0\.3 s; killed/.test(w.stderr));
    appendFileSync(log, dumpText(8003, 'c', 30));
    await w.until('the third kill', () => w.lines.length >= 3);
    expect((await w.kill('SIGTERM')).code).toBe(0);
  });
});
