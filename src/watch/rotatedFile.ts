import { createReadStream } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { FilePosition } from './watchState.js';

/** Compressed rotated files we can read (gzip: logrotate's default `compress`). */
const GZIP = /\.gz$/;
/** Compressions we cannot read from: skipped, so their content cannot be matched. */
const UNREADABLE = /\.(xz|bz2|zst|lz4|lz|Z|zip)$/;

/** One member of a followed file's rotation set, as found on disk. */
export interface RotatedFile {
  path: string;
  mtimeMs: number;
  dev: number;
  ino: number;
  size: number;
  gz: boolean;
}

/** Whether the bytes just before `offset` in the open file are `tail`. */
export async function endsWith(handle: FileHandle, offset: number, tail: Buffer): Promise<boolean> {
  if (tail.length === 0) return true;
  if (offset < tail.length) return false;
  const buf = Buffer.alloc(tail.length);
  const { bytesRead } = await handle.read(buf, 0, tail.length, offset - tail.length);
  return bytesRead === tail.length && buf.equals(tail);
}

/**
 * The files logrotate made of `followed`, oldest first: next to it (`kern.log.2.gz`,
 * `kern.log.1`, `kern.log-20261201`) or one directory down (`olddir`). Numbered ones are
 * older the higher the number, dated ones the earlier the date; the file's mtime breaks ties
 * only (compressing a rotated file gives it a new mtime).
 */
export async function rotationSet(followed: string): Promise<RotatedFile[]> {
  const dir = dirname(followed);
  const base = basename(followed);
  const found: (RotatedFile & { rank: [number, string]; mtimeMs: number })[] = [];
  const look = async (where: string, depth: number) => {
    let entries;
    try {
      entries = await readdir(where, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(where, e.name);
      if (e.isDirectory() && depth === 0) await look(path, 1);
      if (!e.name.startsWith(base) || path === followed || UNREADABLE.test(e.name)) continue;
      const rank = rankOf(e.name.slice(base.length).replace(GZIP, ''));
      if (!rank) continue;
      const st = await stat(path).catch(() => null);
      if (st?.isFile()) found.push({ path, dev: st.dev, ino: st.ino, size: st.size, gz: GZIP.test(e.name), rank, mtimeMs: st.mtimeMs });
    }
  };
  await look(dir, 0);
  found.sort((a, b) => a.rank[0] - b.rank[0] || (a.rank[1] < b.rank[1] ? -1 : a.rank[1] > b.rank[1] ? 1 : 0) || a.mtimeMs - b.mtimeMs);
  return found.map(({ path, dev, ino, size, gz, mtimeMs }) => ({ path, dev, ino, size, gz, mtimeMs }));
}

/** Sort key of a rotated name's suffix: dated (`-20261201`, `.2026-12-01-13`) before numbered (`.3` before `.1`). */
function rankOf(suffix: string): [number, string] | null {
  const n = /^\.(\d{1,4})$/.exec(suffix);
  if (n) return [1, String(9999 - Number(n[1])).padStart(4, '0')];
  const d = /^[-.]((?:\d[-_]?){8,20})$/.exec(suffix);
  if (d) return [0, d[1]!.replace(/\D/g, '').padEnd(20, '0')];
  return null;
}

/**
 * Where a followed file read up to `position` went: the member of the rotation set with the
 * same inode (renamed), else one holding the same bytes just before the offset (a copytruncate
 * copy, or a renamed file compressed since). Returns the set and the member's index.
 */
export async function locateRotated(position: FilePosition, sameInodeOnly = false): Promise<{ set: RotatedFile[]; index: number } | null> {
  const set = await rotationSet(position.path);
  if (position.ino === 0) {
    // The file did not exist yet: whatever was rotated since we started waiting is its content.
    const since = position.since;
    const index = since === undefined ? -1 : set.findIndex((f) => f.mtimeMs >= since);
    return index < 0 ? null : { set, index };
  }
  const tail = Buffer.from(position.tail, 'base64');
  const byInode = set.findIndex((f) => !f.gz && f.dev === position.dev && f.ino === position.ino && f.size >= position.offset);
  if (byInode >= 0 && (await holdsAt(set[byInode]!, position.offset, tail))) return { set, index: byInode };
  if (sameInodeOnly) return null;
  // With nothing read yet, the first bytes read after the save (when noted) recognise it.
  if (tail.length === 0) {
    const head = Buffer.from(position.head ?? '', 'base64');
    if (head.length === 0) return null;
    for (let i = set.length - 1; i >= 0; i--) if (await startsWith(set[i]!, head)) return { set, index: i };
    return null;
  }
  for (let i = set.length - 1; i >= 0; i--) {
    const f = set[i]!;
    if ((f.gz || f.size >= position.offset) && (await holdsAt(f, position.offset, tail))) return { set, index: i };
  }
  return null;
}

/** Whether a file's content begins with `head`. */
export async function startsWith(file: Pick<RotatedFile, 'path' | 'gz'>, head: Buffer): Promise<boolean> {
  if (file.gz) return (await decompressedPrefix(file.path, head.length).catch(() => null))?.equals(head) ?? false;
  const handle = await open(file.path, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const buf = Buffer.alloc(head.length);
    const { bytesRead } = await handle.read(buf, 0, head.length, 0);
    return bytesRead === head.length && buf.equals(head);
  } finally {
    await handle.close();
  }
}

async function holdsAt(file: RotatedFile, offset: number, tail: Buffer): Promise<boolean> {
  if (file.gz) {
    const head = await decompressedPrefix(file.path, offset).catch(() => null);
    return head !== null && head.length === offset && head.subarray(offset - tail.length).equals(tail);
  }
  const handle = await open(file.path, 'r').catch(() => null);
  if (!handle) return false;
  try {
    return await endsWith(handle, offset, tail);
  } finally {
    await handle.close();
  }
}

/** The first `bytes` bytes of a gzip file's content (fewer when it is shorter). */
async function decompressedPrefix(path: string, bytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  for await (const chunk of gunzipStream(path)) {
    parts.push(chunk as Buffer);
    have += (chunk as Buffer).length;
    if (have >= bytes) break;
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

/** A gzip file's content from byte `from`, in chunks (a damaged end stops it quietly). */
export async function* decompressedFrom(path: string, from: number): AsyncGenerator<Buffer> {
  let skip = from;
  try {
    for await (const chunk of gunzipStream(path)) {
      let buf = chunk as Buffer;
      if (skip > 0) {
        const n = Math.min(skip, buf.length);
        skip -= n;
        buf = buf.subarray(n);
      }
      if (buf.length > 0) yield buf;
    }
  } catch {
    // Compressed while we read it, or cut: what came out is all there is.
  }
}

function gunzipStream(path: string) {
  const raw = createReadStream(path);
  const gunzip = createGunzip();
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}
