import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FilePosition } from './watchState.js';

/** Rotated files we cannot read from an offset. */
const COMPRESSED = /\.(gz|xz|bz2|zst|lz4|Z)$/;

/** Whether the bytes just before `offset` in the open file are `tail`. */
export async function endsWith(handle: FileHandle, offset: number, tail: Buffer): Promise<boolean> {
  if (tail.length === 0) return true;
  if (offset < tail.length) return false;
  const buf = Buffer.alloc(tail.length);
  const { bytesRead } = await handle.read(buf, 0, tail.length, offset - tail.length);
  return bytesRead === tail.length && buf.equals(tail);
}

/**
 * Finds where the followed file's unread rest went after a rotation: a file next to it with
 * the same inode (renamed by logrotate, or by `mv`), else one that holds the same bytes just
 * before the offset we had read to (a copytruncate copy). Newest first; null when none does.
 */
export async function findRotated(position: FilePosition): Promise<string | null> {
  const dir = dirname(position.path);
  const base = basename(position.path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null;
  }
  const candidates: { path: string; dev: number; ino: number; size: number; mtimeMs: number }[] = [];
  for (const name of names) {
    if (name === base || !name.startsWith(base) || COMPRESSED.test(name)) continue;
    const path = join(dir, name);
    const st = await stat(path).catch(() => null);
    if (st?.isFile()) candidates.push({ path, dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs });
  }
  candidates.sort((a, b) => b.mtimeMs - a.mtimeMs);
  const tail = Buffer.from(position.tail, 'base64');
  const sameInode = candidates.filter((c) => c.dev === position.dev && c.ino === position.ino);
  for (const c of [...sameInode, ...candidates.filter((c) => !sameInode.includes(c))]) {
    if (c.size < position.offset) continue;
    if (await holdsAt(c.path, position.offset, tail)) return c.path;
  }
  return null;
}

async function holdsAt(path: string, offset: number, tail: Buffer): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return false;
  try {
    return await endsWith(handle, offset, tail);
  } finally {
    await handle.close();
  }
}
