import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/** The unprivileged user the permission tests run the CLI as. */
export const NOBODY = { uid: 65534, gid: 65534 };

/**
 * The package directories `root`'s CLI loads at run time (relative to `root`): its dependencies
 * and theirs, found the way node resolves them (nested node_modules first, then up), without
 * the dev tools.
 */
function runtimePackages(root: string): string[] {
  const seen = new Set<string>();
  const resolveFrom = (from: string, name: string): string | null => {
    for (let at = from; at.length >= root.length; at = dirname(at)) {
      const candidate = join(at, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
      if (at === root) break;
    }
    return null;
  };
  const visit = (pkgDir: string) => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      const at = resolveFrom(pkgDir, dep);
      if (!at || seen.has(at)) continue;
      seen.add(at);
      visit(at);
    }
  };
  visit(root);
  return [...seen].map((p) => relative(root, p));
}

/**
 * A world-readable copy of what the CLI needs (package.json, bin, dist, the runtime packages)
 * in a fresh directory of mode 755 under the system's temp dir. A checkout may sit in a private
 * directory (mode 700 or 750 homes, `mktemp -d`), where `nobody` cannot load its modules.
 */
export function worldReadableCli(root: string): { bin: string; dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'oomlens-cli-copy-'));
  chmodSync(dir, 0o755);
  for (const part of ['package.json', 'bin', 'dist']) cpSync(join(root, part), join(dir, part), { recursive: true });
  for (const path of runtimePackages(root)) cpSync(join(root, path), join(dir, path), { recursive: true, dereference: true });
  // Whatever the umask of the checkout was: readable (and directories enterable) by everyone.
  spawnSync('chmod', ['-R', 'a+rX', dir]);
  return { bin: join(dir, 'bin', 'oomlens.js'), dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a copied CLI as `nobody`. */
export function runAsNobody(bin: string, args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: '/', encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL', ...NOBODY, ...options });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}
