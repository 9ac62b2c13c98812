import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/runCli.js';

// Log text is attacker-controlled: process names, cgroup paths and host names carrying
// terminal escapes, <script> and onerror= must reach no terminal raw and run in no browser.
const HOSTILE = 'fixtures/hostile-host-comm-cgroup-syslog.log';
/** C0 controls but newline, DEL, C1 controls: what a terminal would act on. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('terminal output of hostile log text', () => {
  const PWNED = '\\x1b]0;pwned\\x07';
  const outputs: [string, string[], string][] = [
    ['scan', ['scan', HOSTILE], PWNED],
    ['report', ['report', HOSTILE], PWNED],
    ['report --by host', ['report', '--by', 'host', HOSTILE], PWNED],
    ['report --by cgroup', ['report', '--by', 'cgroup', HOSTILE], PWNED],
    // Markdown escapes the backslashes and brackets as well.
    ['report markdown', ['report', '--format', 'markdown', HOSTILE], '\\\\x1b\\]0;pwned\\\\x07'],
    ['explain 1', ['explain', '--event', '1', HOSTILE], 'Kill 1 of 3: <script>alert(1)</script>'],
    ['explain 2', ['explain', '--event', '2', HOSTILE], PWNED],
    ['explain 3', ['explain', '--event', '3', HOSTILE], PWNED],
  ];
  it.each(outputs)('%s: no raw control character, the escapes shown as text', (_what, args, shown) => {
    const r = runCli(args);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain(shown);
  });

  it('watch: each kill line is safe too', () => {
    // SIGTERM after the kills are out: watch writes what is complete and exits 0.
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'oomlens.js'), 'watch', '--from-start', '--settle', '50', HOSTILE], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 3000,
      killSignal: 'SIGTERM',
    });
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J');
  });
});

describe('bidi controls, zero-width characters and C1 controls in names', () => {
  // `x\u202egnp.exe` would show as `xexe.png`; U+2028 breaks a table row, U+200F reorders it.
  const BIDI = 'fixtures/bidi-c1-names-syslog.log';
  const INVISIBLE = /[\u0080-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
  it.each([
    ['scan', ['scan', BIDI], String.raw`x\u202egnp.exe\x9b (4242)`],
    ['report', ['report', BIDI], String.raw`x\u202egnp.exe\x9b`],
    ['report --by cgroup', ['report', '--by', 'cgroup', BIDI], String.raw`/brk/\u202egnp.exe\u2066\u2028`],
    ['report markdown', ['report', '--format', 'markdown', BIDI], String.raw`x\\u202egnp.exe\\x9b`],
    ['explain', ['explain', '--event', '1', BIDI], String.raw`x\u202egnp.exe\x9b`],
  ])('%s shows them escaped', (_what, args, shown) => {
    const r = runCli(args);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(INVISIBLE);
    expect(r.stdout).toContain(shown);
  });

  it.each([['scan', '--json'], ['report', '--format', 'json'], ['explain', '--json', '--event', '1']])('%s %s escapes them as \\uNNNN and stays the same JSON', (...args) => {
    const r = runCli([...args, BIDI]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(INVISIBLE);
    expect(r.stdout).toContain('x\\u202egnp.exe\\u009b');
    const parsed = args[0] === 'scan' ? JSON.parse(r.stdout.trim().split('\n')[0]!) : JSON.parse(r.stdout);
    expect(JSON.stringify(parsed)).toContain('x\u202egnp.exe\u009b');
  });
});

describe('HTML report of hostile log text, in a real browser', () => {
  const CHROMIUM = '/usr/bin/chromium';
  const OUT = join(ROOT, 'test-output', 'safe-output');
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium`);
    mkdirSync(OUT, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'oomlens-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it.each(['comm', 'host', 'cgroup', 'workload'])('--by %s --raw: no script runs, the hostile text is there as text', async (by) => {
    const r = runCli(['report', '--format', 'html', '--raw', '--by', by, HOSTILE]);
    expect(r.code).toBe(0);
    const file = join(OUT, `hostile-by-${by}.html`);
    writeFileSync(file, r.stdout);
    const page = await context.newPage();
    const fired: string[] = [];
    page.on('dialog', (d) => {
      fired.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('console', (m) => fired.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => fired.push(`pageerror: ${e.message}`));
    // A trap the injected markup would spring: alert() and onerror handlers call it.
    await page.addInitScript(() => {
      const w = window as unknown as { __pwned: string[]; alert: (m: unknown) => void };
      w.__pwned = [];
      w.alert = (m) => w.__pwned.push(String(m));
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.waitForTimeout(100);
    expect(await page.evaluate(() => (window as unknown as { __pwned: string[] }).__pwned)).toEqual([]);
    expect(fired).toEqual([]);
    expect(await page.evaluate(() => document.scripts.length)).toBe(0);
    expect(await page.locator('img, iframe, [onerror], [onload]').count()).toBe(0);
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('"><img src=x onerror=alert(1)>');
    expect(text).toContain('\\x1b]0;pwned\\x07');
    expect(text).not.toContain('\u001b');
    await page.close();
  });
});
