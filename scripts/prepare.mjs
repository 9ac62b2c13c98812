#!/usr/bin/env node
// npm's `prepare`: builds dist/ where it can. In a checkout with the dev dependencies (`npm ci`)
// that is always; an install for use (`npm ci --omit=dev` of a packed release, which ships
// dist/) has no TypeScript and needs no build. Only a checkout with neither dist/ nor
// TypeScript stops, with the one line that says what to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
let tsc = null;
try {
  tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  // not installed: --omit=dev
}
const built = existsSync(join(root, 'dist', 'bundle', 'main.js'));
if (tsc) {
  // tsc, then the per-command bundles (build/bundle.mjs, esbuild: a dev dependency too).
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const b = spawnSync(process.execPath, [join(root, 'build', 'bundle.mjs')], { stdio: 'inherit' });
  process.exit(b.status ?? 1);
} else if (!built) {
  process.stderr.write('oomlens: dist/ is not built and TypeScript (a dev dependency) is not installed: run `npm ci` with the dev dependencies, or install a packed release (npm pack)\n');
  process.exit(1);
}
