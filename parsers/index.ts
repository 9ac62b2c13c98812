import type { OomRecord } from '../src/schema/oomRecord.js';
import { Assembler } from './assemble/assembler.js';
import { DecodeContext, type DecodeOptions } from './decode/decodeContext.js';
import { ChunkScanner } from './scan/chunkScanner.js';

export { Assembler } from './assemble/assembler.js';
export { DecodeContext, type DecodeOptions } from './decode/decodeContext.js';
export { decodeLine } from './decode/decodeLine.js';
export type { DecodedLine } from './decode/decodedLine.js';
export { classify } from './kinds/classify.js';
export { ChunkScanner } from './scan/chunkScanner.js';
export { workloadFromCgroupPath } from './workload/fromCgroupPath.js';

export interface LogParserOptions {
  /** Name recorded in `source.file`. */
  file?: string | null;
  decode?: DecodeOptions;
  keepRaw?: boolean;
  emit: (record: OomRecord) => void;
}

/** A streaming parser over raw log bytes: push chunks of any size, then end(). No I/O. */
export function createLogParser(options: LogParserOptions): ChunkScanner {
  const assembler = new Assembler({ file: options.file ?? null, keepRaw: options.keepRaw ?? false, emit: options.emit });
  return new ChunkScanner(assembler, new DecodeContext(options.decode));
}

/** Parses a whole text at once (tests, small inputs). */
export function parseLogText(text: string, options: Omit<LogParserOptions, 'emit'> = {}): OomRecord[] {
  const records: OomRecord[] = [];
  const parser = createLogParser({ ...options, emit: (r) => records.push(r) });
  parser.push(Buffer.from(text, 'utf8'));
  parser.end();
  return records;
}
