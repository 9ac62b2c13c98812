import type { SourcePosition } from './watchState.js';

/**
 * Whole lines read from a followed source, and where the source stands after them. A source
 * also delivers a chunk with no data whenever its position moves without new lines (started at
 * the end of a file, opened a new empty file), so the position saved is always current.
 */
export interface SourceChunk {
  data: Buffer;
  /** Lines before `data` in the file it comes from (0 at the start of a new file). */
  startLine: number;
  position: SourcePosition;
}

/** Called for each chunk in order; resolves once the chunk has been taken in. */
export type Deliver = (chunk: SourceChunk) => Promise<void>;

/**
 * A followed input (a log file across rotations, /dev/kmsg, the journal). `run` delivers
 * chunks of whole lines until `stop()` and then resolves; it rejects when the source cannot be
 * read at all (missing journalctl, permission denied).
 */
export interface LineSource {
  run(deliver: Deliver): Promise<void>;
  stop(): void;
}

/** Non-fatal trouble a source reports and carries on after. */
export type ProblemSink = (message: string) => void;

/** Counts `\n` in a buffer. */
export function countLines(data: Buffer, from = 0, to = data.length): number {
  let n = 0;
  for (let i = data.indexOf(10, from); i >= 0 && i < to; i = data.indexOf(10, i + 1)) n += 1;
  return n;
}

/** A promise that resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** A source that cannot be read at all: one line for the user, no stack trace. */
export class SourceError extends Error {}

/** A line without its newline is passed on in pieces past this size (the scanner cuts it). */
const MAX_CARRY_BYTES = 1 << 20;

/** Splits off the whole lines of `carry + data`; returns them and keeps the rest as the new carry. */
export function wholeLines(carry: Buffer, data: Buffer): { lines: Buffer; carry: Buffer } {
  const joined = carry.length > 0 ? Buffer.concat([carry, data]) : data;
  const nl = joined.lastIndexOf(10);
  if (nl < 0 && joined.length >= MAX_CARRY_BYTES) return { lines: joined, carry: Buffer.alloc(0) };
  if (nl < 0) return { lines: Buffer.alloc(0), carry: Buffer.from(joined) };
  return { lines: joined.subarray(0, nl + 1), carry: Buffer.from(joined.subarray(nl + 1)) };
}
