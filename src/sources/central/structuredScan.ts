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
  const problems: string[] = [];
  if (format === 'records') {
    const stream = openFileStream(file, () => undefined);
    stream.on('data', (c: Buffer) => ctx.advance(c.length));
    for await (const r of ndjsonRecords(stream, (line, why) => problems.length < 5 && problems.push(`line ${line}: ${why}`))) await ctx.deliver(r);
    return problems.length ? `${problems.join('; ')} (other lines were read)` : null;
  }
  const queue: KillRecord[] = [];
  const parser = ctx.parserFor(file.path, file.newestMs, (r) => queue.push(r));
  const drain = async () => {
    for (const r of queue.splice(0)) await ctx.deliver(r);
  };
  let input: Readable;
  let outcome: Promise<string | null> = Promise.resolve(null);
  if (format === 'journal-file') {
    const run = runLogCommand({ label: `journalctl --file ${file.path}`, command: 'journalctl', args: ['--file', file.path, '--output=export', '--no-pager'], bootTimeMs: null });
    input = run.stdout;
    outcome = run.outcome;
  } else {
    input = openFileStream(file, () => undefined);
    input.on('data', (c: Buffer) => ctx.advance(c.length));
  }
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
