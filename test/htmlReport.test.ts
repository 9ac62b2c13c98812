import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/runCli.js';

// The HTML report in a real headless browser (Debian's chromium; .ci/run installs it).
const CHROMIUM = '/usr/bin/chromium';
const OUT = join(ROOT, 'test-output', 'html-report');

function writeReport(name: string, args: string[]): string {
  const { code, stdout } = runCli(['report', '--format', 'html', ...args]);
  expect(code).toBe(0);
  const file = join(OUT, name);
  writeFileSync(file, stdout);
  return file;
}

describe('oomlens report --format html', () => {
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
    mkdirSync(OUT, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'oomlens-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1100, height: 900 },
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function open(file: string) {
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, problems, requests };
  }

  it('loads offline with no console errors and draws the charts, the evidence and every kill', async () => {
    const file = writeReport('sample.html', ['--raw', 'fixtures/sample-kern.log']);
    const { page, problems, requests } = await open(file);
    expect(problems).toEqual([]);
    // Nothing but the page itself is fetched: no external assets.
    expect(requests).toEqual([pathToFileURL(file).href]);

    expect(await page.locator('svg.timeline').count()).toBe(1);
    expect(await page.locator('svg.timeline circle.kill').count()).toBe(21);
    expect(await page.locator('article.group').count()).toBe(7);
    // Groups with more than one kill chart each life on a time axis: 7 + 2 + 5 lives.
    expect(await page.locator('svg.lives').count()).toBe(3);
    expect(await page.locator('svg.lives circle.life').count()).toBe(14);
    // A single kill has no life to measure: its victim's anon-rss against the limit instead.
    expect(await page.locator('svg.rss').count()).toBe(4);
    expect(await page.locator('svg.rss circle.rss').count()).toBe(4);
    expect(await page.locator('svg.rss path.limit').count()).toBe(1);
    expect(await page.locator('svg.consumers').count()).toBe(3);
    // The host-pressure card's chart shows the consumers its text names.
    const card = page.locator('article.group').filter({ hasText: 'HOST PRESSURE' }).first();
    const text = (await card.locator('li').allTextContents()).find((t) => t.startsWith("Largest consumers in db-2's task tables"))!;
    const bars = await card.locator('svg.consumers text.name').allTextContents();
    expect(bars.length).toBeGreaterThan(0);
    for (const name of bars) expect(text).toContain(name);
    expect(await page.locator('#kills tr[id^="kill-"]').count()).toBe(21);

    const first = page.locator('article.group').first();
    expect(await first.locator('.badge').textContent()).toBe('RECURRING');
    expect(await first.locator('.headline').textContent()).toContain('killed every ~14 min at its 200.0 MiB limit');
    expect(await first.locator('.causes').textContent()).toBe('Causes, most likely first: leak (medium)');
    expect(await first.locator('li code').first().textContent()).toBe('oomlens watch');
    // Charts really rendered: the timeline has a size and its marks are spread over it.
    const box = await page.locator('svg.timeline').boundingBox();
    expect(box!.width).toBeGreaterThan(500);
    const xs = await page.locator('svg.timeline circle.kill').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().x));
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(400);

    // A kill's detail opens in place, with the raw report when --raw was given.
    const detail = page.locator('#kill-6 + tr details');
    await detail.locator('summary').click();
    expect(await detail.textContent()).toContain('The victim was not the biggest task: java (pid 8810) held 5.8 GiB.');
    expect(await detail.locator('pre').textContent()).toContain('Out of memory: Killed process 3104 (node)');
    // Long raw lines wrap instead of widening the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1100);

    await page.screenshot({ path: join(OUT, 'sample.png'), fullPage: true });
    await page.close();
  });

  it('keeps hostile process names and cgroup paths as text', async () => {
    const file = writeReport('hostile.html', ['--by', 'workload', 'fixtures/report-hostile-names.log']);
    const { page, problems, requests } = await open(file);
    expect(problems).toEqual([]);
    expect(requests).toHaveLength(1);
    expect(await page.evaluate(() => document.scripts.length)).toBe(0);
    expect(await page.locator('svg[onload], img, [onerror]').count()).toBe(0);
    const text = await page.locator('#groups').textContent();
    expect(text).toContain('<svg onload=x>');
    expect(text).toContain('a|b*_[c](d)&amp');
    expect(text).toContain('\\x1b]0;pwned\\x07');
    await page.screenshot({ path: join(OUT, 'hostile.png'), fullPage: true });
    await page.close();
  });

  it('an input without kills is still a valid page', async () => {
    const empty = join(OUT, 'empty.log');
    writeFileSync(empty, 'Mar 11 10:00:00 web-1 kernel: eth0: link up\n');
    const file = writeReport('empty.html', [empty]);
    const { page, problems } = await open(file);
    expect(problems).toEqual([]);
    expect(await page.locator('.summary').textContent()).toBe('No OOM kills found.');
    await page.close();
  });
});
