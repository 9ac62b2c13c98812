import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ChunkScanner } from '../../../parsers/scan/chunkScanner.js';
import type { KillRecord } from '../../schema/killRecord.js';
import { runLogCommand } from '../commandInput.js';
import { openFileStream, type FileInput } from '../readInput.js';
import { ndjsonRecords, sniffStructured, structuredLines, STRUCTURED_SNIFF_BYTES, type StructuredKind } from './structuredInput.js';

/** The structured format of a plain file, from its first bytes; null for log lines. */
export async function sniffFile(path: string): Promise<StructuredKind | null> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(STRUCTURED_SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return sniffStructured(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

export interface StructuredContext {
  deliver: (record: KillRecord) => Promise<void>;
  advance: (bytes: number) => void;
  parserFor: (file: string, newestMs: number, emit: (r: KillRecord) => void) => ChunkScanner;
}

/**
 * Scans a structured input: records are delivered as they are (a fleet merge of `scan --json`),
 * the rest become log lines in their written order for the line parser. A binary journal file
 * is read by journalctl (`--file`, export format). Resolves to a problem, if any.
 */
export async function scanStructured(file: FileInput, format: StructuredKind, ctx: StructuredContext): Promise<string | null> {
  if (format === 'journal-file') {
    const run = runLogCommand({ label: `journalctl --file ${file.path}`, command: 'journalctl', args: ['--file', file.path, '--output=export', '--no-pager'], bootTimeMs: null });
    return scanStructuredStream(run.stdout, file.path, file.newestMs, 'journal-export', ctx, run.outcome);
  }
  const stream = openFileStream(file, () => undefined);
  stream.on('data', (c: Buffer) => ctx.advance(c.length));
  return scanStructuredStream(stream, file.path, file.newestMs, format, ctx);
}

/**
 * Standard input in a structured format (`curl …/query_range | oomlens scan`): the first chunk
 * tells; it is put back for whichever reader follows. Null format: plain log lines.
 */
export async function sniffStdin(stdin: Readable): Promise<StructuredKind | null> {
  const first = await new Promise<Buffer | null>((resolve) => {
    const done = (chunk: Buffer | null) => {
      stdin.off('readable', onReadable);
      stdin.off('end', onEnd);
      resolve(chunk);
    };
    const onReadable = () => done(stdin.read() as Buffer | null);
    const onEnd = () => done(null);
    stdin.on('readable', onReadable);
    stdin.on('end', onEnd);
  });
  if (first === null) return null;
  stdin.unshift(first);
  return sniffStructured(first.subarray(0, STRUCTURED_SNIFF_BYTES));
}

export async function scanStructuredStream(
  input: Readable,
  label: string,
  newestMs: number,
  format: StructuredKind,
  ctx: StructuredContext,
  outcome: Promise<string | null> = Promise.resolve(null),
): Promise<string | null> {
  const problems: string[] = [];
  if (format === 'records') {
    const stream = input;
    for await (const r of ndjsonRecords(stream, (line, why) => problems.length < 5 && problems.push(`line ${line}: ${why}`))) await ctx.deliver(r);
    return problems.length ? `${problems.join('; ')} (other lines were read)` : null;
  }
  const queue: KillRecord[] = [];
  const parser = ctx.parserFor(label, newestMs, (r) => queue.push(r));
  const drain = async () => {
    for (const r of queue.splice(0)) await ctx.deliver(r);
  };
  try {
    for await (const lines of structuredLines(format === 'journal-file' ? 'journal-export' : format, input)) {
      parser.push(lines);
      await drain();
    }
  } finally {
    parser.end();
    await drain();
  }
  return outcome;
}
