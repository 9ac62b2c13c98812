import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogParser, parseLogText } from '../parsers/index.js';
import { KillRecord } from '../src/schema/killRecord.js';
import { UserspaceKill } from '../src/schema/userspaceKill.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const DECODE = { year: 2026, tz: 'UTC' };

function text(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** The userspace kills of a fixture, each checked against the schema. */
function kills(name: string, keepRaw = false): UserspaceKill[] {
  const records = parseLogText(text(name), { file: name, decode: DECODE, keepRaw });
  for (const r of records) KillRecord.parse(r);
  return records.filter((r) => r.type === 'userspace-kill').map((r) => UserspaceKill.parse(r));
}

describe('systemd-oomd', () => {
  it('v247: the announced kill names the monitored cgroup only; a failure line takes one back', () => {
    const [pressure, swap, ...rest] = kills('oomd-v247-announced-kills.log');
    expect(rest).toEqual([]);
    expect(pressure).toMatchObject({
      killer: 'systemd-oomd', host: 'build-9', time: '2026-01-12T09:30:02.000Z',
      victim: { cgroup: null, unit: null, processesKilled: null },
      reason: { kind: 'memory-pressure', cgroup: '/user.slice/user-1000.slice', pressurePercent: null, limitPercent: 10, durationSec: 30 },
      candidates: null, action: null, source: { line: 1 },
    });
    expect(swap).toMatchObject({ source: { line: 5 }, reason: { kind: 'swap', swapUsedBytes: 2038431744, swapTotalBytes: 2147479552, limitPercent: 90, memoryUsedBytes: null } });
  });

  it('v248: Killed by pressure, with the unit line of the user manager attached', () => {
    const [k, ...rest] = kills('oomd-v248-killed-pressure-unit-line.log');
    expect(rest).toEqual([]);
    expect(k).toMatchObject({
      host: 'fedora-ws', time: '2026-06-03T14:59:49.000Z',
      victim: { cgroup: '/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-firefox-4121.scope', unit: 'app-gnome-firefox-4121.scope', processesKilled: 27, pid: null, comm: null },
      workload: { kind: 'user', unit: 'app-gnome-firefox-4121.scope' },
      reason: { kind: 'memory-pressure', cgroup: '/user.slice/user-1000.slice/user@1000.service', pressurePercent: 63.28, limitPercent: 50, durationSec: 20 },
      consideredCount: null, candidates: null,
    });
  });

  it('v248: Killed by swap (swap figures only)', () => {
    const [k] = kills('oomd-v248-killed-swap.log');
    expect(k).toMatchObject({
      victim: { cgroup: '/system.slice/photo-index.service', unit: 'photo-index.service', processesKilled: 3 },
      workload: { kind: 'systemd', unit: 'photo-index.service' },
      reason: { kind: 'swap', memoryUsedBytes: null, memoryTotalBytes: null, swapUsedBytes: 4290772992, swapTotalBytes: 4294963200, limitPercent: 90 },
    });
  });

  it('v250: memory and swap figures; `journalctl -o short-monotonic` lines keep their tag on the message', () => {
    const [k, ...rest] = kills('oomd-v250-memory-and-swap.log');
    expect(rest).toEqual([]);
    expect(k).toMatchObject({
      host: null, time: null,
      victim: { cgroup: '/system.slice/httpd.service', unit: 'httpd.service', processesKilled: 212 },
      reason: { kind: 'swap', memoryUsedBytes: 16323162112, memoryTotalBytes: 16735670272, swapUsedBytes: 8556351488, swapTotalBytes: 8589930496, limitPercent: 90 },
    });
  });

  it('v255: the ranked candidate block (ending with the victim) and `some process(es)`', () => {
    const [k, ...rest] = kills('oomd-v255-candidates-pressure.log');
    expect(rest).toEqual([]);
    expect(k).toMatchObject({
      host: 'lap-3', source: { line: 20 }, consideredCount: 97,
      victim: { unit: 'vte-spawn-5b1e0c2a.scope', processesKilled: null },
      reason: { kind: 'memory-pressure', pressurePercent: 64.51, limitPercent: 50, durationSec: 20 },
    });
    expect(k!.candidates).toEqual([
      {
        rank: 1, cgroup: '/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-firefox\\x2dw-96379.scope', pressureLimitPercent: 0,
        pressureAvg10: 12.06, pressureAvg60: 9.91, pressureAvg300: 3.02, memoryBytes: Math.round(2.1 * 2 ** 30), swapBytes: null, pgscan: 1022112, lastPgscan: 1021907,
      },
      {
        rank: 2, cgroup: k!.victim.cgroup, pressureLimitPercent: 0,
        pressureAvg10: 71.4, pressureAvg60: 48.02, pressureAvg300: 15.77, memoryBytes: Math.round(9.8 * 2 ** 30), swapBytes: null, pgscan: 3033791, lastPgscan: 2934276,
      },
    ]);
  });

  it('v256 journal JSON: swap candidates (tab-indented MESSAGE), an interleaved PID 1 line, the unit line', () => {
    const [k, ...rest] = kills('oomd-v256-candidates-swap.jsonl');
    expect(rest).toEqual([]);
    expect(k).toMatchObject({
      host: 'ws-12', time: '2026-03-01T08:17:27.120Z', consideredCount: 145,
      victim: { unit: 'app-gnome-firefox\\x2dw-2504.scope', processesKilled: 41 },
      reason: { kind: 'swap', memoryUsedBytes: 15859245056, swapUsedBytes: 4273479680, limitPercent: 90 },
      candidates: [{ rank: 1, swapBytes: Math.round(477.8 * 2 ** 20), memoryBytes: null, pressureAvg10: null }],
    });
  });

  it('v258: `Marked ... for killing` (prekill hooks), a debug line between block and kill, comma-separated pressure', () => {
    const [k, ...rest] = kills('oomd-v258-marked-prekill.log');
    expect(rest).toEqual([]);
    expect(k).toMatchObject({
      host: 'ci-runner-4', time: '2026-05-26T08:14:37.749Z', consideredCount: 19,
      victim: { cgroup: '/system.slice/batch-import.service', unit: 'batch-import.service', processesKilled: 1 },
      reason: { kind: 'memory-pressure', cgroup: '/system.slice', pressurePercent: 85.03, limitPercent: 80, durationSec: 2 },
      candidates: [{ rank: 1, cgroup: '/system.slice/batch-import.service', pressureAvg10: 84.9, pressureAvg60: 61.07, pressureAvg300: 18.22, pgscan: 402113 }],
    });
  });

  it('the kill line logged before its candidate block still gets it', () => {
    const [k, ...rest] = kills('oomd-killed-before-candidates.log');
    expect(rest).toEqual([]);
    expect(k).toMatchObject({ source: { line: 1 }, consideredCount: 62, victim: { unit: 'app-code-892075.scope' } });
    expect(k!.candidates).toHaveLength(1);
    expect(k!.candidates![0]).toMatchObject({ pressureAvg10: 64.02, memoryBytes: Math.round(10.5 * 2 ** 30) });
  });

  it('unit lines alone (a user journal) are kills too, with what they say', () => {
    const ks = kills('oomd-unit-line-only.log');
    expect(ks.map((k) => [k.victim.unit, k.victim.processesKilled, k.victim.cgroup, k.reason])).toEqual([
      ['vte-spawn-5207a1.scope', 29, null, null],
      ['snap.code.code-9eb5.scope', 2, null, null],
      ['vte-spawn-10bd77.scope', null, null, null],
    ]);
  });
});

describe('earlyoom', () => {
  it('1.0: `Out of memory! avail` and `Killing process` (the signal is not logged)', () => {
    const [k, ...rest] = kills('earlyoom-1.0-killing-process.log');
    expect(rest).toEqual([]);
    expect(k).toMatchObject({
      killer: 'earlyoom', host: 'old-desk', source: { line: 3 }, workload: null,
      victim: { pid: 2712, comm: 'chromium', uid: null, vmRssMiB: null, badness: null, oomScore: null, cgroup: null },
      reason: { kind: 'low-memory', memAvailableMiB: 93, memLimitMiB: 156, memAvailablePercent: null, limitSignal: null },
      action: { signal: null, escalated: false, outcome: null },
    });
  });

  it('1.2: SIGTERM, then SIGKILL to the same process in a later round, is one escalated kill', () => {
    const [k, ...rest] = kills('earlyoom-1.2-staged-sigterm-sigkill.log');
    expect(rest).toEqual([]);
    expect(k).toMatchObject({
      source: { line: 3 },
      victim: { pid: 4410, comm: 'firefox', uid: null, badness: 873, vmRssMiB: 5102 },
      reason: { kind: 'low-memory', limitSignal: 'SIGTERM', memLimitPercent: 10, swapLimitPercent: 10, memAvailableMiB: 310, memTotalMiB: 7841, memAvailablePercent: 3, swapFreeMiB: 99, swapFreePercent: 4 },
      action: { signal: 'SIGTERM', escalated: true, escalatedAfterSec: null, outcome: null },
    });
  });

  it('1.3: no uid; `process exited after`', () => {
    const [k] = kills('earlyoom-1.3-no-uid-exited.log');
    expect(k).toMatchObject({
      victim: { pid: 22918, comm: 'Web Content', uid: null, badness: 702, vmRssMiB: 3390 },
      reason: { memAvailableMiB: 1398, memAvailablePercent: 8, swapTotalMiB: 0 },
      action: { signal: 'SIGTERM', exitedAfterSec: 0.2, outcome: 'exited' },
    });
  });

  it('1.7: uid and badness, escalation to SIGKILL, `process PID exited after`', () => {
    const [k, ...rest] = kills('earlyoom-1.7-badness-uid-escalated.log', true);
    expect(rest).toEqual([]);
    expect(k).toMatchObject({
      host: 'gpu-box', time: '2026-03-14T03:11:09.000Z',
      victim: { pid: 31337, uid: 1000, comm: 'java', badness: 912, oomScore: null, vmRssMiB: 9877, cmdline: null },
      reason: { memAvailableMiB: 812, memTotalMiB: 15876, memAvailablePercent: 5.11, swapFreeMiB: 204, swapTotalMiB: 4095, swapFreePercent: 4.98, limitSignal: 'SIGTERM', memLimitPercent: 10, swapLimitPercent: 10 },
      action: { signal: 'SIGTERM', escalated: true, escalatedAfterSec: 0.8, exitedAfterSec: 1.204, outcome: 'exited' },
    });
    // --raw keeps the kill's own lines in line order, not PID 1's line in between.
    expect(k!.rawLines).toHaveLength(5);
    expect(k!.rawLines![0]).toContain('mem avail:');
    expect(k!.rawLines!.some((l) => l.includes('apt-daily'))).toBe(false);
  });

  it('newest: oom_score, oom_score_adj and cmdline; RFC 3339 stamps', () => {
    const ks = kills('earlyoom-oom-score-cmdline.log');
    expect(ks.map((k) => [k.time, k.victim.comm, k.victim.oomScore, k.victim.oomScoreAdj, k.victim.badness, k.victim.cmdline, k.action?.exitedAfterSec])).toEqual([
      ['2026-09-11T01:54:23.000Z', 'bun', 690, 0, null, 'bun test --timeout 60000 ./src', 0.306],
      ['2026-09-11T02:03:51.000Z', 'node', 702, null, null, 'node /srv/app/server.js --port 8080', 0.412],
    ]);
    expect(ks[0]!.reason).toMatchObject({ memLimitPercent: 8, swapLimitPercent: 30.42, swapFreePercent: 28.32 });
  });

  it('a failed kill is kept with its outcome; a --dryrun kill is not a kill', () => {
    const ks = kills('earlyoom-kill-failed-dryrun.log');
    expect(ks.map((k) => [k.victim.comm, k.action?.outcome])).toEqual([['postgres', 'kill-failed']]);
  });

  it('the cmdline on a line of its own; `did not exit`', () => {
    const [k] = kills('earlyoom-cmdline-line-did-not-exit.log');
    expect(k).toMatchObject({
      victim: { pid: 31002, cmdline: 'java -Xmx24g -jar indexer.jar', vmRssMiB: 24410 },
      reason: { limitSignal: 'SIGKILL', memLimitPercent: 5 },
      action: { signal: 'SIGKILL', escalated: false, outcome: 'did-not-exit' },
    });
  });
});

describe('untagged text', () => {
  it('`journalctl -u earlyoom -o cat`: the messages alone are read as earlyoom', () => {
    const text = ['low memory! at or below SIGTERM limits: mem 10.00%, swap 10.00%', 'sending SIGTERM to process 812 uid 1000 "chrome": badness 700, VmRSS 2048 MiB', 'process 812 exited after 0.150 seconds', ''].join('\n');
    const [k, ...rest] = parseLogText(text);
    expect(rest).toEqual([]);
    expect(k).toMatchObject({ type: 'userspace-kill', killer: 'earlyoom', host: null, time: null, victim: { pid: 812, comm: 'chrome' }, action: { outcome: 'exited', exitedAfterSec: 0.15 } });
  });
});

describe('userspace records do not depend on chunking', () => {
  const names = [
    'oomd-v255-candidates-pressure.log', 'oomd-v256-candidates-swap.jsonl', 'oomd-killed-before-candidates.log',
    'earlyoom-1.7-badness-uid-escalated.log', 'earlyoom-cmdline-line-did-not-exit.log', 'mixed-journal.jsonl',
  ];
  for (const name of names) {
    it(name, () => {
      const whole = parseLogText(text(name), { file: name, decode: DECODE });
      const bytes = Buffer.from(text(name));
      for (const sizes of [[1], [7, 3, 101], [4096]]) {
        const out: KillRecord[] = [];
        const parser = createLogParser({ file: name, decode: DECODE, emit: (r) => out.push(r) });
        for (let p = 0, i = 0; p < bytes.length; i++) {
          const n = sizes[i % sizes.length]!;
          parser.push(bytes.subarray(p, p + n));
          p += n;
        }
        parser.end();
        expect(out).toEqual(whole);
      }
    });
  }
});
