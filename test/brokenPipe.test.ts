import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/runCli.js';

// `oomlens scan big.log | head -1`: the reader goes away after one line; oomlens must stop at
// once, quietly (no EPIPE stack trace), with status 0.
const dir = mkdtempSync(join(tmpdir(), 'oomlens-pipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const big = join(dir, 'big.log');
// ~60 MB, 21 kills every 140 KB: a full scan takes seconds, the first record comes at once.
writeFileSync(big, readFileSync(join(ROOT, 'fixtures', 'sample-kern.log'), 'utf8').repeat(430));

/** Runs `oomlens ARGS | head -1` in bash; oomlens's own status, stderr, and the time taken. */
function headOne(args: string): { status: string; stderr: string; seconds: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', `node bin/oomlens.js ${args} 2>"${dir}/err" | head -1 >/dev/null; echo \${PIPESTATUS[0]}`], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { status: r.stdout.trim(), stderr: readFileSync(join(dir, 'err'), 'utf8'), seconds };
}

describe('broken pipe', () => {
  it.each(['scan --json', 'scan'])('%s big.log | head -1 exits 0 quietly, long before a full scan would end', (command) => {
    const cut = headOne(`${command} --threads 1 ${big}`);
    expect({ status: cut.status, stderr: cut.stderr }).toEqual({ status: '0', stderr: '' });
    // Measured: about 0.3 s; the whole file takes 2 s and more (the bound leaves room for a slow CI).
    expect(cut.seconds).toBeLessThan(1.5);
  });

  it.each(['scan', 'report --format html', 'explain'])('%s | head -1 exits 0 with nothing on stderr', (command) => {
    const r = headOne(`${command} --quiet ${big}`);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: '0', stderr: '' });
  });
});
