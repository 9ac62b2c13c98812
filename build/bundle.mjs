// One bundle per entry point (the CLI and the prefilter thread), split into chunks at the
// CLI's dynamic imports so that each command still loads only what it needs. Node's start of a
// command then reads a handful of files instead of ~300 ESM modules (the start-up time of
// `oomlens scan` is most of a small scan's time). blessed stays outside: it requires its
// widgets and terminfo files by path at run time.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts', prefilterWorker: 'src/sources/prefilterWorker.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external: ['blessed'],
  // Chunks sit beside the entries: new URL('./prefilterWorker.js', import.meta.url) must resolve from any chunk.
  chunkNames: '[name]-[hash]',
  // CommonJS dependencies (prom-client) require node's built-ins: give the ESM chunks a require.
  banner: { js: "import { createRequire as __oomlensRequire } from 'node:module'; const require = __oomlensRequire(import.meta.url);" },
  logLevel: 'warning',
});
