import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { multiHostStream, type StreamLine } from './support/centralStores.js';
import { freeLoopbackPort } from './support/prometheus.js';
import { runCli } from './support/runCli.js';
import { CliProcess, pollUntil } from './support/watchProcess.js';

/**
 * A real rsyslogd (Debian package) on loopback as a central log host: hosts send their kernel
 * lines over TCP, rsyslog writes one mixed file and one file per host; `watch` follows the mixed
 * file, stopped and resumed from its state in the middle, and reports every kill exactly once.
 */
const dir = mkdtempSync(join(tmpdir(), 'oomlens-rsyslog-'));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

function stopChild(child: ChildProcess): Promise<unknown> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  return exited.finally(() => clearTimeout(timer));
}

/** RFC 3164 frames, as a host's rsyslog forwards its kernel lines (`*.* @@central:514`). */
function frames(lines: StreamLine[]): string {
  return lines.map((l) => `<4>Mar  1 00:50:57 ${l.host} kernel: [${l.uptime.toFixed(6).padStart(12)}] ${l.message}\n`).join('');
}

async function send(port: number, text: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text, () => resolve()));
    socket.on('error', reject);
  });
}

describe('rsyslog forwarding a multi-host stream to a central file', () => {
  it('watch follows the central file and reports every kill exactly once, across a restart', async () => {
    if (spawnSync('rsyslogd', ['-v']).status !== 0) throw new Error('rsyslogd is not installed: apt-get install rsyslog (.ci/run does)');
    const port = await freeLoopbackPort();
    const central = join(dir, 'central.log');
    mkdirSync(join(dir, 'work'));
    mkdirSync(join(dir, 'hosts'));
    writeFileSync(central, '');
    const conf = join(dir, 'rsyslog.conf');
    writeFileSync(
      conf,
      [
        `global(workDirectory="${dir}/work")`,
        'module(load="imtcp")',
        `input(type="imtcp" address="127.0.0.1" port="${port}" ruleset="central")`,
        `template(name="perHost" type="string" string="${dir}/hosts/%HOSTNAME%.log")`,
        'ruleset(name="central") {',
        `  action(type="omfile" file="${central}" template="RSYSLOG_TraditionalFileFormat" flushOnTXEnd="on")`,
        '  action(type="omfile" dynaFile="perHost" template="RSYSLOG_TraditionalFileFormat")',
        '}',
        '',
      ].join('\n'),
    );
    const rsyslog = spawn('rsyslogd', ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let rlog = '';
    rsyslog.stdout!.on('data', (d) => (rlog += d));
    rsyslog.stderr!.on('data', (d) => (rlog += d));
    cleanups.push(() => stopChild(rsyslog));
    await pollUntil(
      'rsyslogd to listen',
      () => new Promise<boolean>((resolve) => {
        const s = connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
        s.on('error', () => resolve(false));
      }),
      15_000,
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n${rlog}`);
    });

    const stream = multiHostStream();
    const half = stream.findIndex((l, i) => i > stream.length / 2 && l.message.startsWith('eth0'));
    const state = join(dir, 'state.json');
    const first = new CliProcess(['watch', central, '--json', '--settle', '150', '--state', state]);
    cleanups.push(() => first.kill('SIGTERM'));
    await first.until('the watch to start', () => first.stderr.includes('watching'));
    await send(port, frames(stream.slice(0, half)));
    const kills = (p: CliProcess) => p.records().filter((r) => r.type === 'oom-kill');
    await first.until('the first kills', () => kills(first).length >= 5, 20_000);
    expect((await first.kill('SIGTERM')).code).toBe(0);

    // While the watch is down, the rest arrives; the restart resumes from its state.
    await send(port, frames(stream.slice(half)));
    await pollUntil('rsyslog to write everything', () => readFileSync(central, 'utf8').split('\n').length > stream.length, 15_000);
    const second = new CliProcess(['watch', central, '--json', '--settle', '150', '--state', state]);
    cleanups.push(() => second.kill('SIGTERM'));
    await second.until('the remaining kills', () => kills(first).length + kills(second).length >= 9, 20_000);
    await new Promise((r) => setTimeout(r, 500)); // anything more would be a duplicate
    expect((await second.kill('SIGTERM')).code).toBe(0);

    const seen = [...kills(first), ...kills(second)].map((r) => `${r.host} ${r.victim.pid} ${r.victim.comm}`);
    const plain = runCli(['scan', '--json', '--quiet', central]).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(plain).toHaveLength(9);
    expect(seen).toEqual(plain.map((r) => `${r.host} ${r.victim.pid} ${r.victim.comm}`));
    expect(new Set(seen).size).toBe(9);
    expect(new Set(seen.map((s) => s.split(' ')[0]))).toEqual(new Set(['web-1', 'web-2', 'db-1']));

    // The per-host files tell the same story, host by host.
    const perHost = runCli(['scan', '--json', '--quiet', join(dir, 'hosts')]).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(perHost.map((r) => `${r.host} ${r.victim.pid}`).sort()).toEqual(seen.map((s) => s.split(' ').slice(0, 2).join(' ')).sort());
  }, 90_000);
});
