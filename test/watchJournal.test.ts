import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpMessages } from './support/oomDump.js';
import { CliProcess } from './support/watchProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'oomlens-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Journal export entries (`journalctl -o json`) of one kernel report. */
function entries(pid: number, firstIndex: number): string {
  return dumpMessages({ pid, comm: `svc-${pid}`, uptime: 0 })
    .map((MESSAGE, i) => {
      const n = firstIndex + i;
      const usec = 1_700_000_000_000_000 + n * 10;
      const entry = { __CURSOR: `s=f00d;i=${n};b=b007`, __REALTIME_TIMESTAMP: String(usec), _SOURCE_MONOTONIC_TIMESTAMP: String(500_000_000 + n * 10), _TRANSPORT: 'kernel', _HOSTNAME: 'node-7', MESSAGE };
      return `${JSON.stringify(entry)}\n`;
    })
    .join('');
}

/**
 * A stand-in for journalctl on PATH: notes its arguments, then follows the entries file for a
 * fresh start or the one after the cursor when asked to resume.
 */
function fakeJournalctl(binDir: string, script: string): NodeJS.ProcessEnv {
  mkdirSync(binDir, { recursive: true });
  writeFileSync(join(binDir, 'journalctl'), `#!/bin/sh\n${script}\n`);
  chmodSync(join(binDir, 'journalctl'), 0o755);
  return { ...process.env, PATH: `${binDir}:/usr/bin:/bin`, JOURNAL_DIR: dir };
}

describe('watch --journal', () => {
  it('runs journalctl -k -f -o json from the end, and resumes after the saved cursor', async () => {
    writeFileSync(join(dir, 'fresh.jsonl'), entries(9001, 1));
    writeFileSync(join(dir, 'resumed.jsonl'), entries(9002, 100));
    const env = fakeJournalctl(
      join(dir, 'bin'),
      'echo "$*" >> "$JOURNAL_DIR/args"\ncase "$*" in *--after-cursor=*) f=resumed ;; *) f=fresh ;; esac\nexec tail -n +1 -f "$JOURNAL_DIR/$f.jsonl"',
    );
    const args = ['watch', '--journal', '--json', '--settle', '100', '--state', join(dir, 'state.json')];
    const w1 = new CliProcess(args, env);
    await w1.until('kill 9001', () => w1.lines.length >= 1);
    expect((await w1.kill('SIGTERM')).code).toBe(0);
    const w2 = new CliProcess(args, env);
    await w2.until('kill 9002', () => w2.lines.length >= 1);
    expect((await w2.kill('SIGTERM')).code).toBe(0);

    const last = dumpMessages({ pid: 0, comm: '', uptime: 0 }).length;
    expect(readFileSync(join(dir, 'args'), 'utf8').split('\n')).toEqual([
      '--follow --output=json --lines=0',
      `--follow --output=json --after-cursor=s=f00d;i=${last};b=b007`,
      '',
    ]);
    const records = [...w1.records(), ...w2.records()];
    expect(records.map((r) => [r.victim.pid, r.host, r.complete])).toEqual([
      [9001, 'node-7', true],
      [9002, 'node-7', true],
    ]);
    expect(w1.stderr).toMatch(/watching the journal/);
  });

  it('says clearly when journalctl is missing or fails (exit 1)', async () => {
    const missing = new CliProcess(['watch', '--journal'], { ...process.env, PATH: join(dir, 'empty') });
    expect((await missing.exited).code).toBe(1);
    expect(missing.stderr).toBe('oomlens: journalctl not found: --journal needs systemd’s journalctl on PATH\n');

    const env = fakeJournalctl(join(dir, 'failing'), 'echo "No journal files were found." >&2\nexit 1');
    const failing = new CliProcess(['watch', '--journal'], env);
    expect((await failing.exited).code).toBe(1);
    expect(failing.stderr).toMatch(/oomlens: journalctl stopped \(exit code 1\): No journal files were found\.\n$/);
  });
});
