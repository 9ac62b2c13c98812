import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
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
}

/** Opens the file once to learn its size, age and format (and that it can be read). */
export async function inspectFile(path: string): Promise<FileInput> {
  const handle = await open(path, 'r');
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    // A device never ends (/dev/zero, /dev/kmsg): only /dev/null, an empty input, is read.
    if ((info.isCharacterDevice() || info.isBlockDevice()) && info.rdev !== (await stat('/dev/null')).rdev) {
      throw new Error('is a device, not a log file (for /dev/kmsg use `oomlens watch --kmsg`)');
    }
    // Peeking at a pipe would eat its first bytes.
    if (!info.isFile()) return { path, size: 0, newestMs: Date.now(), compression: { kind: 'none' }, regular: false };
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    const compression = sniffCompression(head.subarray(0, bytesRead));
    const newestMs = compression.kind === 'gzip' && compression.mtimeMs !== null ? compression.mtimeMs : info.mtimeMs;
    return { path, size: info.size, newestMs, compression, regular: true };
  } finally {
    await handle.close();
  }
}

/**
 * The file's bytes as a stream, decompressed on the fly (never to disk). `onCompressedRead`
 * sees the bytes read from disk of a compressed file, for progress (a plain file's chunks are those bytes).
 */
export function openFileStream(file: FileInput, onCompressedRead: (bytes: number) => void): Readable {
  const raw = createReadStream(file.path, { highWaterMark: READ_CHUNK_BYTES });
  if (file.compression.kind === 'none') return raw;
  // pipe() keeps the file stream flowing, so this listener takes nothing away from it.
  raw.on('data', (chunk) => onCompressedRead(chunk.length));
  return decompressed(raw, file.compression);
}
