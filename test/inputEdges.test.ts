import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'oomlens-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SAMPLE = readFileSync(join(ROOT, 'fixtures', 'sample-kern.log'));
const kills = (stdout: string) => stdout.split('\n').filter((l) => / kernel /.test(l)).length;

describe('inputs that are not plain files', () => {
  it('a .gz with trailing garbage keeps every kill before the damage, and says so', () => {
    const whole = runCli(['scan', join(ROOT, 'fixtures', 'sample-kern.log')]);
    const gz = join(dir, 'garbage.log.gz');
    writeFileSync(gz, Buffer.concat([gzipSync(SAMPLE), Buffer.from('not gzip at all\n')]));
    const r = runCli(['scan', gz]);
    expect(kills(r.stdout)).toBe(kills(whole.stdout));
    expect(kills(r.stdout)).toBeGreaterThan(10);
    expect(r.stderr).toMatch(/garbage\.log\.gz: corrupt gzip data .*; the records before the damage were still reported/);
    expect(r.code).toBe(1);
  });

  it('a named FIFO is opened once: the first writer’s data is read and the scan ends', async () => {
    const fifo = join(dir, 'log.fifo');
    expect(spawnSyncOk('mkfifo', [fifo])).toBe(true);
    const scan = spawn(process.execPath, [join(ROOT, 'bin', 'oomlens.js'), 'scan', fifo], { cwd: ROOT });
    let out = '';
    scan.stdout.on('data', (d) => (out += d));
    // The writer opens after the scan did (open blocks until both ends are there).
    const writer = spawn('sh', ['-c', `cat "${join(ROOT, 'fixtures', 'sample-kern.log')}" > "${fifo}"`]);
    const [code, writerCode] = await Promise.all([new Promise((r) => scan.on('exit', r)), new Promise((r) => writer.on('exit', r))]);
    expect({ code, writerCode }).toEqual({ code: 0, writerCode: 0 });
    expect(kills(out)).toBe(kills(runCli(['scan', join(ROOT, 'fixtures', 'sample-kern.log')]).stdout));
  });

  it.each([['scan', '/proc/kmsg'], ['watch', '/proc/kmsg'], ['watch', '--kmsg', '--kmsg-path', '/proc/kmsg']])('%s %s is refused: reading it would steal the messages from the system logger', (...args) => {
    const r = runCli(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is \/proc\/kmsg: reading it takes the kernel’s messages away from the system logger; read \/dev\/kmsg instead/);
  });
});

function spawnSyncOk(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args).status === 0;
}
