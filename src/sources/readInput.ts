import { createReadStream } from 'node:fs';
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { Readable, type Transform } from 'node:stream';
import { createGunzip, createInflateRaw } from 'node:zlib';
import { SNIFF_BYTES, sniffCompression, type Compression } from './compression.js';
import { decompressed } from './decompress.js';

/** Chunk size for file reads: big enough to amortise syscalls, small enough to keep RSS flat. */
export const READ_CHUNK_BYTES = 1 << 20;

/** A file to scan, as found on disk. */
export interface FileInput {
  path: string;
  size: number;
  /** When the newest line was written: the gzip header's mtime, else the file's. */
  newestMs: number;
  compression: Compression;
  /** False for a pipe or a device (`<(zcat ...)`): no size, no peeking, read as a stream. */
  regular: boolean;
  /**
   * A FIFO stays open from here on: opening it again would make its first writer see the reader
   * go away (and lose what it wrote), and a second open may wait for a writer that never comes.
   */
  handle?: FileHandle;
}

/**
 * `/proc/kmsg` hands each message to one reader only: reading it takes the kernel's messages
 * away from the system logger (rsyslog's imklog, journald). Refused wherever a file is read.
 */
export async function stealsKernelMessages(path: string): Promise<boolean> {
  return (await realpath(path).catch(() => path)) === '/proc/kmsg';
}
export const PROC_KMSG_REFUSAL = 'is /proc/kmsg: reading it takes the kernel’s messages away from the system logger; read /dev/kmsg instead (`oomlens watch --kmsg`, or `dmesg`)';

/** Opens the file once to learn its size, age and format (and that it can be read). */
export async function inspectFile(path: string): Promise<FileInput> {
  if (await stealsKernelMessages(path)) throw new Error(PROC_KMSG_REFUSAL);
  const handle = await open(path, 'r');
  let keep = false;
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    // A device never ends (/dev/zero, /dev/kmsg): only /dev/null, an empty input, is read.
    if ((info.isCharacterDevice() || info.isBlockDevice()) && info.rdev !== (await stat('/dev/null')).rdev) {
      throw new Error('is a device, not a log file (for /dev/kmsg use `oomlens watch --kmsg`)');
    }
    // Peeking at a pipe would eat its first bytes.
    if (!info.isFile()) {
      keep = true;
      return { path, size: 0, newestMs: Date.now(), compression: { kind: 'none' }, regular: false, handle };
    }
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    const compression = sniffCompression(head.subarray(0, bytesRead));
    const newestMs = compression.kind === 'gzip' && compression.mtimeMs !== null ? compression.mtimeMs : info.mtimeMs;
    return { path, size: info.size, newestMs, compression, regular: true };
  } finally {
    if (!keep) await handle.close();
  }
}

/**
 * The file's bytes as a stream, decompressed on the fly (never to disk). `onCompressedRead`
 * sees the bytes read from disk of a compressed file, for progress (a plain file's chunks are those bytes).
 */
export function openFileStream(file: FileInput, onCompressedRead: (bytes: number) => void): Readable {
  const raw = file.handle ? file.handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES }) : createReadStream(file.path, { highWaterMark: READ_CHUNK_BYTES });
  if (file.compression.kind === 'none') return raw;
  // gzip: our own reader, which keeps what came out before damage (trailing garbage, a cut end).
  if (file.compression.kind === 'gzip') return Readable.from(gunzipToTheDamage(file.path, raw, onCompressedRead), { objectMode: false });
  // pipe() keeps the file stream flowing, so this listener takes nothing away from it.
  raw.on('data', (chunk) => onCompressedRead(chunk.length));
  return decompressed(raw, file.compression);
}

/** Decompressed chunks kept ahead of the reader before the file is paused. */
const QUEUE_HIGH = 16;

/**
 * Decompresses, and on damage (trailing garbage, a cut end) first hands out everything that
 * came out before it, then throws: zlib drops its buffered output when it fails, so the last
 * kills before the damage would be lost with it.
 */
async function* gunzipToTheDamage(path: string, raw: Readable, onCompressedRead: (bytes: number) => void): AsyncGenerator<Buffer> {
  let delivered = 0;
  try {
    for await (const chunk of inflated(raw, createGunzip({ chunkSize: READ_CHUNK_BYTES }), onCompressedRead)) {
      delivered += chunk.length;
      yield chunk;
    }
  } catch (err) {
    // zlib fails on bytes after the first member (trailing garbage) without handing out the
    // member's last output: that member alone, raw-inflated (which stops at its end), has it.
    if ((err as NodeJS.ErrnoException).code === 'Z_DATA_ERROR') {
      const start = await gzipHeaderLength(path);
      if (start !== null) {
        let seen = 0;
        try {
          for await (const chunk of inflated(createReadStream(path, { start }), createInflateRaw({ chunkSize: READ_CHUNK_BYTES }), () => undefined)) {
            const fresh = chunk.subarray(Math.max(0, Math.min(chunk.length, delivered - seen)));
            seen += chunk.length;
            if (fresh.length > 0) {
              delivered += fresh.length;
              yield fresh;
            }
          }
        } catch {
          // Damaged inside the first member: what came out is all there is.
        }
      }
    }
    throw err;
  }
}

/** Where the deflate data of a gzip file's first member starts (after FEXTRA, FNAME, FCOMMENT, FHCRC). */
async function gzipHeaderLength(path: string): Promise<number | null> {
  const handle = await open(path, 'r');
  try {
    const b = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(b, 0, b.length, 0);
    if (bytesRead < 10 || b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8) return null;
    const flags = b[3]!;
    let p = 10;
    if (flags & 4) p += 2 + b.readUInt16LE(p);
    for (const bit of [8, 16]) if (flags & bit) while (p < bytesRead && b[p++] !== 0);
    if (flags & 2) p += 2;
    return p < bytesRead ? p : null;
  } finally {
    await handle.close();
  }
}

/** A zlib stream's output as it comes, without losing what it made before it failed. */
async function* inflated(raw: Readable, gunzip: Transform, onCompressedRead: (bytes: number) => void): AsyncGenerator<Buffer> {
  const queue: Buffer[] = [];
  let failure: Error | null = null;
  let ended = false;
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  // Flowing 'data' events hand over each piece as zlib makes it, before any error it meets later.
  gunzip.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    if (queue.length >= QUEUE_HIGH) raw.pause();
    poke();
  });
  gunzip.on('error', (err) => {
    failure ??= err;
    ended = true;
    raw.destroy();
    poke();
  });
  gunzip.on('end', () => ((ended = true), poke()));
  gunzip.on('drain', () => queue.length < QUEUE_HIGH && raw.resume());
  raw.on('data', (chunk: Buffer | string) => {
    onCompressedRead(chunk.length);
    if (!gunzip.write(chunk)) raw.pause();
  });
  raw.on('end', () => gunzip.end());
  raw.on('error', (err) => {
    failure ??= err;
    ended = true;
    gunzip.destroy();
    poke();
  });
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk) {
        if (queue.length < QUEUE_HIGH / 2 && !ended && gunzip.writableNeedDrain === false) raw.resume();
        yield chunk;
      } else if (ended) {
        break;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
    if (failure) throw failure;
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
}
