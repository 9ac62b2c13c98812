import { createLogParser } from '../../parsers/index.js';
import { KillRecord } from '../../src/schema/killRecord.js';

/** Parses bytes pushed in chunks of the given sizes (cycled), each record checked against the schema. */
export function parseChunks(bytes: Uint8Array, sizes: number[] = [bytes.length || 1]): KillRecord[] {
  const out: KillRecord[] = [];
  const parser = createLogParser({ file: 'f', emit: (r) => out.push(KillRecord.parse(r)) });
  for (let p = 0, i = 0; p < bytes.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]!);
    parser.push(Buffer.from(bytes.subarray(p, p + n)));
    p += n;
  }
  parser.end();
  return out;
}
