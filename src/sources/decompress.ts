import { PassThrough, Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { SNIFF_BYTES, sniffCompression, unsupportedMessage, type Compression } from './compression.js';

/** Output chunk of the gzip decoder: big enough to amortise the parser's per-chunk cost. */
const GUNZIP_CHUNK_BYTES = 1 << 20;

/**
 * The decompressed bytes of `raw`, stored as `compression` says: gzip by node's zlib, xz by
 * xz-embedded compiled to WebAssembly (xz-decompress), zstd by a pure-JS decoder (fzstd; Node 20's
 * zlib has none). All three stream: memory stays flat whatever the input's size. A decoder's
 * error names the format ("corrupt xz data ..."); the records before it still come out.
 */
export function decompressed(raw: Readable, compression: Compression): Readable {
  switch (compression.kind) {
    case 'none':
      return raw;
    case 'gzip': {
      const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
      raw.on('error', (err) => gunzip.destroy(err));
      return raw.pipe(gunzip);
    }
    // The decoders load only when a file needs them: a plain scan starts no slower. Meanwhile
    // the bytes wait in a PassThrough (the stream may already flow for a progress listener).
    case 'xz': {
      const waiting = held(raw);
      return relabelErrors(async () => {
        const { default: xz } = await import('xz-decompress');
        const web = Readable.toWeb(waiting) as unknown as ReadableStream<Uint8Array>;
        return Readable.fromWeb(new xz.XzReadableStream(web) as unknown as WebReadableStream<Uint8Array>);
      }, 'xz');
    }
    case 'zstd': {
      const waiting = held(raw);
      return relabelErrors(async () => {
        const zstd = zstdDecoder((await import('fzstd')).Decompress);
        waiting.on('error', (err) => zstd.destroy(err));
        return waiting.pipe(zstd);
      }, 'zstd');
    }
    case 'unsupported': {
      // Not read: the stream is left alone and the error says how to read it.
      raw.destroy();
      return Readable.from((async function* () {
        throw new Error(unsupportedMessage(compression));
      })());
    }
  }
}

/**
 * Looks at the first bytes of a stream that cannot be peeked at (stdin, a pipe, a command's
 * output) and returns it decompressed: `cat kern.log.2.gz | oomlens scan` reads the log.
 */
export async function sniffedStream(raw: Readable): Promise<{ compression: Compression; stream: Readable }> {
  const chunks = raw[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let bytes = 0;
  let ended = false;
  while (bytes < SNIFF_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = next.value as Buffer;
    head.push(chunk);
    bytes += chunk.length;
  }
  const first = Buffer.concat(head);
  const compression = sniffCompression(first);
  const whole = Readable.from(
    (async function* () {
      if (first.length > 0) yield first;
      if (ended) return;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value as Buffer;
    })(),
    { objectMode: false },
  );
  return { compression, stream: decompressed(whole, compression) };
}

/** `raw` piped into a PassThrough at once: nothing is lost while a decoder loads. */
function held(raw: Readable): PassThrough {
  const through = new PassThrough();
  raw.on('error', (err) => through.destroy(err));
  return raw.pipe(through);
}

function zstdDecoder(ZstdDecompress: typeof import('fzstd').Decompress): Transform {
  const decoder = new ZstdDecompress();
  const t = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        decoder.push(chunk);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done) {
      try {
        decoder.push(new Uint8Array(0), true);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
  // fzstd may reuse its output buffer for the next block: copy each piece out.
  decoder.ondata = (data) => t.push(Buffer.from(data));
  return t;
}

/** Decoder errors as one line that names the format (the records before the damage still count). */
function relabelErrors(open: () => Promise<Readable>, format: string): Readable {
  return Readable.from(
    (async function* () {
      try {
        for await (const chunk of await open()) yield chunk as Buffer;
      } catch (err) {
        throw corrupt(format, err);
      }
    })(),
    { objectMode: false },
  );
}

/** xz-embedded's return codes (xz.h), for the message. */
const XZ_ERRORS: Record<string, string> = { '5': 'not xz data', '6': 'unsupported xz options', '7': 'damaged data', '8': 'truncated' };

function corrupt(format: string, err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  const code = /error code (\d+)/.exec(message)?.[1];
  const why = (code && XZ_ERRORS[code]) ?? message;
  return new Error(`corrupt ${format} data (${why}); the records before the damage were still reported`);
}
