import { execFileSync } from 'node:child_process';
import { appendFileSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpMessages, kmsgLines, noiseMessages } from './support/oomDump.js';
import { CliProcess, pollUntil } from './support/watchProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'oomlens-kmsg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** kmsg records of one report, sequence numbers from `seq`. */
function dumpRecords(pid: number, uptime: number, seq: number): string[] {
  return kmsgLines(dumpMessages({ pid, comm: `kworker-${pid}`, uptime }), uptime, seq).map((l) => `${l}\n`);
}

describe('watch --kmsg', () => {
  it('starts after the records already there, resumes by sequence number, rebuilds a dump cut by a restart', async () => {
    const kmsg = join(dir, 'kmsg');
    const state = join(dir, 'state.json');
    const args = ['watch', '--kmsg', '--kmsg-path', kmsg, '--state', state, '--json', '--settle', '200'];
    // A kill from before the watch started: not reported.
    const old = [...kmsgLines(noiseMessages(3), 10, 1).map((l) => `${l}\n`), ...dumpRecords(5000, 11, 4)];
    writeFileSync(kmsg, old.join(''));
    let seq = 4 + dumpMessages({ pid: 0, comm: '', uptime: 0 }).length;

    const w1 = new CliProcess(args);
    await w1.until('the start notice', () => w1.stderr.includes('watching'));
    const d1 = dumpRecords(5001, 20, seq);
    seq += d1.length;
    appendFileSync(kmsg, d1.join(''));
    await w1.until('kill 5001', () => w1.lines.length >= 1);

    // Half a report, then a restart in its middle.
    const d2 = dumpRecords(5002, 30, seq);
    seq += d2.length;
    appendFileSync(kmsg, d2.slice(0, 12).join(''));
    await pollUntil('the state to hold the half report', () => {
      try {
        return JSON.parse(readFileSync(state, 'utf8')).position.seq === seq - d2.length + 11;
      } catch {
        return false;
      }
    });
    expect((await w1.kill('SIGTERM')).code).toBe(0);
    appendFileSync(kmsg, d2.slice(12).join(''));
    const w2 = new CliProcess(args);
    await w2.until('kill 5002', () => w2.lines.length >= 1);
    expect((await w2.kill('SIGTERM')).code).toBe(0);

    const records = [...w1.records(), ...w2.records()];
    expect(records.map((r) => r.victim.pid)).toEqual([5001, 5002]);
    for (const r of records) {
      expect(r).toMatchObject({ type: 'oom-kill', complete: true, host: null, source: { file: kmsg } });
      // Wall time from the boot time and the record's microseconds since boot.
      expect(r.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    expect(records[1]!.uptime).toBeCloseTo(30 + 20 * 1e-5, 5);
  });

  it('reads a FIFO in the kmsg format, with dictionary lines and escaped newlines', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const w = new CliProcess(['watch', '--kmsg', '--kmsg-path', fifo, '--json', '--settle', '200']);
    await w.until('the start notice', () => w.stderr.includes('watching'));
    const fd = openSync(fifo, 'w');
    const records = dumpRecords(6001, 40, 100).flatMap((r, i) => (i === 1 ? [r, ' SUBSYSTEM=memory\n', ' DEVICE=+memory:x\n'] : [r]));
    // Two lines folded into one record, as printk continuation can leave them.
    records.push('4,200,41000000,-;noise one\\x0anoise two\n');
    for (const r of records) writeSync(fd, r);
    await w.until('kill 6001', () => w.lines.length >= 1);
    closeSync(fd);
    await w.kill('SIGTERM');
    expect(w.records()[0]).toMatchObject({ victim: { pid: 6001, comm: 'kworker-6001' }, tasks: [{ pid: 6001 }], complete: true });
  });

  it('says so when the device cannot be read (exit 1)', async () => {
    const w = new CliProcess(['watch', '--kmsg', '--kmsg-path', join(dir, 'missing')]);
    expect((await w.exited).code).toBe(1);
    expect(w.stderr).toMatch(/^oomlens: cannot read .*missing: ENOENT\n$/);
  });
});
