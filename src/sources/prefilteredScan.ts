import type { FileHandle } from 'node:fs/promises';
import type { ChunkScanner } from '../../parsers/scan/chunkScanner.js';
import type { SegmentResult } from './segmentPrefilter.js';

/** Bytes read at a candidate: its line and, while a report stays open, the lines after it. */
const WINDOW_BYTES = 16 * 1024;

export interface PrefilteredScanHooks {
  /** Called after the scanner was fed, to pass on what it emitted (may wait for the reader). */
  drain: () => Promise<void>;
  /** Bytes of the file dealt with so far. */
  progress?: (bytes: number) => void;
}

/**
 * Scans one plain file of `size` bytes whose candidate lines a prefilter found elsewhere
 * (`segments`, in file order): the scanner only reads the bytes from each candidate on while a
 * report is open, and is told how many lines it passed over in between. The records are the
 * same as when the scanner reads every byte itself (`test/prefilteredScan.test.ts`). After a
 * failed read the records found so far still come out.
 */
export async function scanPrefiltered(
  file: FileHandle,
  size: number,
  segments: AsyncIterable<SegmentResult>,
  scanner: ChunkScanner,
  hooks: PrefilteredScanHooks,
): Promise<void> {
  const window = Buffer.allocUnsafe(WINDOW_BYTES);
  let pos = 0;
  let lineBase = 0;
  try {
    for await (const segment of segments) {
      for (let k = 0; k < segment.starts.length; k++) {
        const at = segment.starts[k]!;
        if (at < pos) continue; // already read while a report was open
        scanner.skipLines(lineBase + segment.indexes[k]! - scanner.lines);
        pos = at;
        // From the candidate on until no report is open and the bytes pushed end with a line.
        do {
          const { bytesRead } = await file.read(window, 0, Math.min(WINDOW_BYTES, size - pos), pos);
          if (bytesRead === 0) break;
          const lastNewline = window.lastIndexOf(10, bytesRead - 1);
          const take = lastNewline < 0 ? bytesRead : lastNewline + 1;
          scanner.push(window.subarray(0, take));
          pos += take;
          await hooks.drain();
        } while (scanner.wantsEveryLine() || scanner.midLine);
      }
      lineBase += segment.lines;
      hooks.progress?.(Math.max(pos, segment.end));
    }
    // A last line without newline may still be in the scanner: end() counts it.
    if (!scanner.midLine) scanner.skipLines(lineBase - scanner.lines);
  } finally {
    // Also after a failed read: the records found so far still come out.
    scanner.end();
    await hooks.drain();
  }
}
