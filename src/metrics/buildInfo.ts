import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The version in oomlens's package.json, found upwards from this module (src/ in tests, dist/src/ when built). */
export function oomlensVersion(): string {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'oomlens' && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
