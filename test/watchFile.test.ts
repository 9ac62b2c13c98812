import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DRAIN_IDLE_MS } from '../src/watch/fileTail.js';
import { dumpMessages, noiseMessages, syslogLines } from './support/oomDump.js';
import { CliProcess, pollUntil } from './support/watchProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'oomlens-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A report for victim `pid` as kern.log lines (each with its newline). */
function dump(pid: number, uptime: number): string[] {
  return syslogLines(dumpMessages({ pid, comm: `worker-${pid}`, uptime }), uptime).map((l) => `${l}\n`);
}

/** Writes lines one by one, with a short pause every few lines, like a syslog daemon would. */
async function writeSlowly(path: string, lines: string[]): Promise<number> {
  let last = 0;
  for (let i = 0; i < lines.length; i++) {
    appendFileSync(path, lines[i]!);
    last = performance.now();
    if (i % 4 === 3) await sleep(5);
  }
  return last;
}

function killPids(procs: CliProcess[]): number[] {
  return procs.flatMap((p) => p.records().filter((r) => r.type === 'oom-kill').map((r) => r.victim.pid as number));
}

/** Waits until the watcher saved a state that has read `path` to its end. */
async function stateAtEnd(statePath: string, path: string): Promise<void> {
  await pollUntil(`${statePath} to reach the end of ${path}`, () => {
    if (!existsSync(statePath)) return false;
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    return state.position.ino === statSync(path).ino && state.position.offset === statSync(path).size;
  });
}

describe('watch FILE', () => {
  it('reports every kill once across rotations (rename and copytruncate), restarts and SIGKILL', async () => {
    const log = join(dir, 'kern.log');
    const state = join(dir, 'state.json');
    const args = ['watch', log, '--state', state, '--json'];
    const hasKill = (p: CliProcess, pid: number) => () => p.records().some((r) => r.victim?.pid === pid);
    const latencies: number[] = [];

    // 1. The file does not exist yet; the dump arrives line by line, one line in two writes.
    const w1 = new CliProcess(args);
    await w1.until('the waiting notice', () => w1.stderr.includes('does not exist yet'));
    writeFileSync(log, noiseMessages(3).map((m) => `${m}\n`).join(''));
    const d1 = dump(1001, 100);
    await writeSlowly(log, d1.slice(0, 8));
    appendFileSync(log, d1[8]!.slice(0, 20));
    await sleep(150);
    appendFileSync(log, d1[8]!.slice(20));
    const t1 = await writeSlowly(log, d1.slice(9));
    await w1.until('kill 1001', hasKill(w1, 1001));
    latencies.push(w1.lines.at(-1)!.at - t1);

    // 2. Rotated by rename in the middle of a dump.
    const d2 = dump(1002, 200);
    await writeSlowly(log, d2.slice(0, 12));
    renameSync(log, `${log}.1`);
    const t2 = await writeSlowly(log, d2.slice(12));
    await w1.until('kill 1002', hasKill(w1, 1002));
    latencies.push(w1.lines.at(-1)!.at - t2);

    // 3. Rotated by copytruncate in the middle of a dump.
    const d3 = dump(1003, 300);
    await writeSlowly(log, d3.slice(0, 12));
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    const t3 = await writeSlowly(log, d3.slice(12));
    await w1.until('kill 1003', hasKill(w1, 1003));
    latencies.push(w1.lines.at(-1)!.at - t3);

    // 4. SIGTERM in the middle of a dump; more lines, then copytruncate, while it is down.
    const d4 = dump(1004, 400);
    await writeSlowly(log, d4.slice(0, 10));
    await stateAtEnd(state, log);
    expect((await w1.kill('SIGTERM')).code).toBe(0);
    await writeSlowly(log, d4.slice(10, 14));
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    await writeSlowly(log, d4.slice(14));
    const w2 = new CliProcess(args);
    await w2.until('kill 1004', hasKill(w2, 1004));

    // 5. SIGKILL in the middle of a dump; more lines, then rotation by rename, while it is down.
    const d5 = dump(1005, 500);
    await writeSlowly(log, d5.slice(0, 10));
    await stateAtEnd(state, log);
    await w2.kill('SIGKILL');
    await writeSlowly(log, d5.slice(10, 14));
    renameSync(log, `${log}.1`);
    await writeSlowly(log, d5.slice(14));
    const w3 = new CliProcess(args);
    await w3.until('kill 1005', hasKill(w3, 1005));

    // 6. A whole dump written while it is down, and the file deleted and created anew.
    await stateAtEnd(state, log);
    expect((await w3.kill('SIGTERM')).code).toBe(0);
    rmSync(log);
    await writeSlowly(log, [...noiseMessages(2).map((m) => `${m}\n`), ...dump(1006, 600)]);
    const w4 = new CliProcess(args);
    await w4.until('kill 1006', hasKill(w4, 1006));
    expect((await w4.kill('SIGTERM')).code).toBe(0);

    const all = [w1, w2, w3, w4];
    expect(killPids(all)).toEqual([1001, 1002, 1003, 1004, 1005, 1006]);
    for (const r of all.flatMap((p) => p.records())) {
      // Each dump was put back together whole: trigger, task table, victim, reaper.
      expect(r).toMatchObject({ type: 'oom-kill', complete: true, constraint: 'CONSTRAINT_MEMCG' });
      expect(r.tasks).toHaveLength(1);
      expect(r.reaped).not.toBeNull();
    }
    // Only the file deleted while the watch was down is said to be gone (it cannot tell what it missed).
    expect([w1, w2, w3].map((p) => p.stderr).join('')).not.toMatch(/replaced|missed|Error/);
    expect(w4.stderr).toMatch(/was replaced \(rotated or deleted\) and its old content is not next to it/);
    console.log(`watch latency, last line written -> kill printed (settle 500 ms): ${latencies.map((l) => `${Math.round(l)} ms`).join(', ')}`);
    // After a rename the old file is read until it has been idle DRAIN_IDLE_MS (the HUP window).
    expect(latencies[0]).toBeLessThan(1000);
    expect(latencies[1]).toBeLessThan(1000 + DRAIN_IDLE_MS);
    expect(latencies[2]).toBeLessThan(1000);
  });

  it('does not repeat a kill whose lines are fed again to rebuild another host’s dump after a restart', async () => {
    const log = join(dir, 'two-hosts.log');
    const state = join(dir, 'two-hosts.json');
    writeFileSync(log, '');
    const args = ['watch', log, '--state', state, '--json', '--settle', '100'];
    const a = syslogLines(dumpMessages({ pid: 4001, comm: 'on-a', uptime: 50 }), 50, 'host-a').map((l) => `${l}\n`);
    const b = syslogLines(dumpMessages({ pid: 4002, comm: 'on-b', uptime: 60 }), 60, 'host-b').map((l) => `${l}\n`);
    const w1 = new CliProcess(args);
    await w1.until('the start notice', () => w1.stderr.includes('watching'));
    // host-a's report is still open while host-b's whole report (and kill) is logged.
    await writeSlowly(log, [...a.slice(0, 10), ...b]);
    await w1.until('kill 4002', () => w1.lines.length >= 1);
    await stateAtEnd(state, log);
    expect((await w1.kill('SIGTERM')).code).toBe(0);
    // The restart feeds host-b's lines again (they follow host-a's report start).
    const w2 = new CliProcess(args);
    await w2.until('the start notice', () => w2.stderr.includes('watching'));
    await writeSlowly(log, a.slice(10));
    await w2.until('kill 4001', () => w2.lines.length >= 1);
    expect((await w2.kill('SIGTERM')).code).toBe(0);
    expect(killPids([w1, w2])).toEqual([4002, 4001]);
    expect(w2.records()[0]).toMatchObject({ host: 'host-a', complete: true, source: { line: 1 } });
  });

  it('keeps up with a burst and numbers lines as the file does', async () => {
    const log = join(dir, 'burst.log');
    writeFileSync(log, noiseMessages(5).map((m) => `${m}\n`).join(''));
    const w = new CliProcess(['watch', log, '--json', '--settle', '200']);
    await w.until('the watcher to start', () => w.stderr.includes('watching'));
    const lines: string[] = [];
    const starts: number[] = [];
    for (let k = 0; k < 20; k++) {
      lines.push(...syslogLines(noiseMessages(150, k * 150), 1000 + k));
      starts.push(5 + lines.length + 1);
      lines.push(...syslogLines(dumpMessages({ pid: 2000 + k, comm: 'burst', uptime: 1000 + k + 0.5 }), 1000 + k + 0.5));
    }
    appendFileSync(log, lines.map((l) => `${l}\n`).join(''));
    await w.until('20 kills', () => w.lines.length >= 20);
    await w.kill('SIGTERM');
    const records = w.records();
    expect(records.map((r) => r.victim.pid)).toEqual(Array.from({ length: 20 }, (_, k) => 2000 + k));
    expect(records.map((r) => r.source.line)).toEqual(starts);
  });

  it('prints the scan columns, and refuses two sources at once (exit 2)', async () => {
    const log = join(dir, 'table.log');
    writeFileSync(log, '');
    const w = new CliProcess(['watch', log, '--settle', '100']);
    await w.until('the watcher to start', () => w.stderr.includes('watching'));
    appendFileSync(log, dump(3001, 10).join(''));
    await w.until('a kill line', () => w.lines.length >= 1);
    await w.kill('SIGINT');
    expect(w.lines[0]!.text).toMatch(/^\S+\s+web-1\s+.*worker-3001 \(3001\)\s+507\.8 MiB\s+512\.0 MiB\s+MEMCG\s+docker:a3f1c2d4e5b6$/);

    const bad = new CliProcess(['watch', log, '--kmsg']);
    expect((await bad.exited).code).toBe(2);
    expect(bad.stderr).toMatch(/give one source/);
  });

  it('stops at once with exit 1 when the state file cannot be written or is not a watch state', async () => {
    const log = join(dir, 'state-trouble.log');
    writeFileSync(log, '');
    const unwritable = new CliProcess(['watch', log, '--state', join(dir, 'no-such-dir', 'state.json')]);
    expect((await unwritable.exited).code).toBe(1);
    expect(unwritable.stderr).toMatch(/oomlens: cannot write state file .*no-such-dir\/state\.json: no such file or directory \(ENOENT\)\n$/);
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, '{"version":2}');
    const wrong = new CliProcess(['watch', log, '--state', foreign]);
    expect((await wrong.exited).code).toBe(1);
    expect(wrong.stderr).toBe(`oomlens: state file ${foreign} is not an oomlens watch state (version 1)\n`);
  });
});
