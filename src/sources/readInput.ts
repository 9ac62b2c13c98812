import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

/** Chunk size for file reads: big enough to amortise syscalls, small enough to keep RSS flat. */
export const READ_CHUNK_BYTES = 1 << 20;

/** Opens one input as a byte stream: `-` is stdin, `.gz` is decompressed on the fly. */
export function openInput(path: string): Readable {
  if (path === '-') return process.stdin;
  const raw = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  if (path.endsWith('.gz')) return raw.pipe(createGunzip({ chunkSize: READ_CHUNK_BYTES }));
  return raw;
}
