import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { globToRegExp, hasGlobSyntax } from '../filters/globPattern.js';
import { problemFrom, type InputProblem } from './inputProblem.js';
import { rotationOrder } from './rotationOrder.js';

/** One input to read: standard input, or a file (plain or compressed). */
export type InputRef = { kind: 'stdin' } | { kind: 'file'; path: string };

/** Stands for stdin among paths (a NUL cannot be in a path). */
const STDIN = '\0stdin';

/** Files a directory walk passes over: binary logs no text scan can read. */
const BINARY_LOGS = /(?:\.journal~?|^(?:wtmp|btmp|lastlog|faillog)(?:[.-].*)?)$/;

/**
 * Turns FILE arguments into the inputs to read, in order: `-` (or /dev/stdin) is stdin, a
 * directory is every log file under it (recursively, dot files and binary logs left out), a
 * pattern that names no file is a glob (`*`, `?`, `[...]`, `**`). Rotation sets are put oldest
 * first (`rotationOrder`); a file named twice is read once. What cannot be found is a problem.
 */
export async function expandInputs(args: readonly string[]): Promise<{ inputs: InputRef[]; problems: InputProblem[] }> {
  const problems: InputProblem[] = [];
  const entries: string[] = [];
  const seen = new Set<string>();
  const add = (paths: string[]) => {
    for (const p of paths) {
      if (seen.has(p)) continue;
      seen.add(p);
      entries.push(p);
    }
  };
  for (const arg of args) {
    if (arg === '-' || arg === '/dev/stdin') {
      add([STDIN]);
      continue;
    }
    const info = await stat(arg).catch((err: NodeJS.ErrnoException) => err);
    if (info instanceof Error) {
      if (info.code === 'ENOENT' && hasGlobSyntax(arg)) {
        const matches = await expandGlob(arg);
        if (matches.length === 0) problems.push({ input: arg, message: 'no file matches this pattern' });
        for (const m of matches) add(await filesUnder(m, problems));
      } else {
        problems.push(problemFrom(arg, info));
      }
    } else if (info.isDirectory()) {
      const files = await filesUnder(arg, problems);
      if (files.length === 0) problems.push({ input: arg, message: 'no log files in this directory' });
      add(files);
    } else {
      add([arg]);
    }
  }
  // stdin keeps its place among the arguments; the file places are filled in rotation order.
  const files = rotationOrder(entries.filter((e) => e !== STDIN));
  let k = 0;
  const inputs = entries.map((e): InputRef => (e === STDIN ? { kind: 'stdin' } : { kind: 'file', path: files[k++]! }));
  return { inputs, problems };
}

/** A file is itself; a directory is every log file below it, sorted by path. */
async function filesUnder(path: string, problems: InputProblem[]): Promise<string[]> {
  const info = await stat(path).catch(() => null);
  if (!info?.isDirectory()) return [path];
  const out: string[] = [];
  await walk(path, out, problems);
  return out;
}

async function walk(dir: string, out: string[], problems: InputProblem[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    problems.push(problemFrom(dir, err));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) await walk(path, out, problems);
    else if (BINARY_LOGS.test(e.name)) continue;
    // Symlinked files count; symlinked directories are not followed (no cycles).
    else if (e.isFile() || (e.isSymbolicLink() && (await stat(path).catch(() => null))?.isFile())) out.push(path);
  }
}

/** Paths matching a glob, sorted; `**` spans any number of directories. */
async function expandGlob(pattern: string): Promise<string[]> {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s) => s !== '');
  const out: string[] = [];
  await matchFrom(absolute ? '/' : '.', segments, 0, out);
  return [...new Set(out)].sort();
}

async function matchFrom(dir: string, segments: string[], i: number, out: string[]): Promise<void> {
  if (i === segments.length) {
    out.push(dir);
    return;
  }
  const seg = segments[i]!;
  if (!hasGlobSyntax(seg)) {
    const path = dir === '.' ? seg : join(dir, seg);
    if (await stat(path).catch(() => null)) await matchFrom(path, segments, i + 1, out);
    return;
  }
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [] as Dirent[]);
  if (seg === '**') {
    await matchFrom(dir, segments, i + 1, out);
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) await matchFrom(join(dir, e.name), segments, i, out);
    return;
  }
  const re = globToRegExp(seg);
  for (const e of entries) {
    if (e.name.startsWith('.') && !seg.startsWith('.')) continue;
    if (re.test(e.name)) await matchFrom(dir === '.' ? e.name : join(dir, e.name), segments, i + 1, out);
  }
}
