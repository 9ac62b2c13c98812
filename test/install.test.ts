import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NOBODY, runAsNobody, worldReadableCli } from './support/asNobody.js';
import { ROOT } from './support/runCli.js';

// How people get oomlens running: a packed release installed for use without dev dependencies,
// and the tests' own trick for running it as another user from a private checkout.
const dir = mkdtempSync(join(tmpdir(), 'oomlens-install-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an install for use: npm ci --omit=dev', () => {
  it('a packed release installs without dev dependencies (no TypeScript) and scans', () => {
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--json'], { cwd: ROOT, encoding: 'utf8' });
    expect(pack.status, pack.stderr).toBe(0);
    const tarball = (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename;
    const app = join(dir, 'app');
    spawnSync('mkdir', [app]);
    expect(spawnSync('tar', ['-xzf', join(dir, tarball), '-C', app, '--strip-components=1']).status).toBe(0);
    cpSync(join(ROOT, 'package-lock.json'), join(app, 'package-lock.json'));
    // `prepare` runs as for any npm ci: with dist/ shipped and no TypeScript it builds nothing.
    const ci = spawnSync('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, encoding: 'utf8', timeout: 300_000 });
    expect(ci.status, ci.stderr).toBe(0);
    expect(readdirSync(join(app, 'node_modules'))).not.toContain('typescript');
    const scan = spawnSync(process.execPath, [join(app, 'bin', 'oomlens.js'), 'scan', '--json', '--year', '2026', '--tz', 'UTC', join(app, 'fixtures', 'sample-kern.log')], { encoding: 'utf8' });
    expect(scan.status, scan.stderr).toBe(0);
    expect(scan.stdout.trim().split('\n')).toHaveLength(21);
  }, 300_000);

  it('a checkout with neither dist/ nor TypeScript: prepare stops with one line that says what to do', () => {
    const bare = join(dir, 'bare');
    cpSync(join(ROOT, 'scripts'), join(bare, 'scripts'), { recursive: true });
    writeFileSync(join(bare, 'package.json'), '{"name":"x","type":"module"}\n');
    const r = spawnSync(process.execPath, [join(bare, 'scripts', 'prepare.mjs')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^oomlens: dist\/ is not built and TypeScript \(a dev dependency\) is not installed: run `npm ci`.*\n$/);
  });
});

describe('running the CLI as nobody from a checkout in a private directory', () => {
  it.skipIf(process.getuid?.() !== 0)('(root only) a mode-700 checkout: nobody cannot load it, the world-readable copy runs', () => {
    const home = join(dir, 'home');
    spawnSync('mkdir', ['-m', '700', home]);
    chmodSync(home, 0o700);
    const clone = join(home, 'oomlens');
    // The checkout as a clone has it (dependencies installed), without the dev tools.
    const copy = worldReadableCli(ROOT);
    cpSync(copy.dir, clone, { recursive: true });
    copy.remove();
    const secret = join(dir, 'secret.log');
    writeFileSync(secret, 'x\n', { mode: 0 });
    chmodSync(secret, 0);
    // Straight from the private checkout: node cannot even load the entry point.
    const direct = spawnSync(process.execPath, [join(clone, 'bin', 'oomlens.js'), 'scan', secret], { encoding: 'utf8', cwd: '/', ...NOBODY });
    expect(direct.status).not.toBe(0);
    expect(direct.stderr).toMatch(/EACCES|permission denied|Cannot find module/i);
    // From the copy the tests make: oomlens itself answers.
    const readable = worldReadableCli(clone);
    try {
      const r = runAsNobody(readable.bin, ['scan', secret]);
      expect({ code: r.code, stderr: r.stderr }).toEqual({
        code: 1,
        stderr: `oomlens: ${secret}: permission denied: run as root, or join the group that may read the logs (adm on Debian/Ubuntu: sudo usermod -aG adm $USER, then log in again)\n`,
      });
    } finally {
      readable.remove();
    }
  });
});
