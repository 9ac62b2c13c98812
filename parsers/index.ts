import type { KillRecord } from '../src/schema/killRecord.js';
import { DecodeContext, type DecodeOptions } from './decode/decodeContext.js';
import { ChunkScanner } from './scan/chunkScanner.js';
import { TimelineAssembler } from './userspace/timelineAssembler.js';

export { Assembler } from './assemble/assembler.js';
export { DecodeContext, type DecodeOptions } from './decode/decodeContext.js';
export { decodeLine } from './decode/decodeLine.js';
export type { DecodedLine } from './decode/decodedLine.js';
export { classify } from './kinds/classify.js';
export { ChunkScanner } from './scan/chunkScanner.js';
export { classifyUserspace } from './userspace/classify.js';
export { UserspaceAssembler } from './userspace/assembler.js';
export { TimelineAssembler } from './userspace/timelineAssembler.js';
export { workloadFromCgroupPath } from './workload/fromCgroupPath.js';

export interface LogParserOptions {
  /** Name recorded in `source.file`. */
  file?: string | null;
  decode?: DecodeOptions;
  keepRaw?: boolean;
  emit: (record: KillRecord) => void;
}

/**
 * A streaming parser over raw log bytes: push chunks of any size, then end(). No I/O. It writes
 * the kernel's OOM records and the userspace killers' (systemd-oomd, earlyoom) as one timeline.
 */
export function createLogParser(options: LogParserOptions): ChunkScanner {
  const assembler = new TimelineAssembler({ file: options.file ?? null, keepRaw: options.keepRaw ?? false, emit: options.emit });
  return new ChunkScanner(assembler, new DecodeContext(options.decode));
}

/** Parses a whole text at once (tests, small inputs). */
export function parseLogText(text: string, options: Omit<LogParserOptions, 'emit'> = {}): KillRecord[] {
  const records: KillRecord[] = [];
  const parser = createLogParser({ ...options, emit: (r) => records.push(r) });
  parser.push(Buffer.from(text, 'utf8'));
  parser.end();
  return records;
}
