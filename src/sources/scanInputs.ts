import type { Argv } from 'yargs';
import { createLogParser } from '../../parsers/index.js';
import type { KillRecord } from '../schema/killRecord.js';
import type { OomRecord } from '../schema/oomRecord.js';
import { openInput } from './readInput.js';

/**
 * The inputs every batch command (`scan`, `report`, `explain`, `tui`) reads, and how: one
 * definition of the options so that they stay the same everywhere.
 */
export interface InputArgs {
  files: string[];
  raw?: boolean;
}

export function inputOptions<T>(y: Argv<T>) {
  return y
    .positional('files', { type: 'string', array: true, default: ['-'], describe: 'log files (`-` for stdin)' })
    .option('raw', { type: 'boolean', default: false, describe: 'keep each report’s raw lines in the records' });
}

export interface InputProblem {
  input: string;
  message: string;
}

/**
 * Scans every input in order and hands each record to `onRecord` as it is found: the kernel's
 * and the userspace killers' kills, one timeline per input. Problems with one input are
 * collected and the others still scanned.
 */
export async function scanTimeline(
  args: InputArgs,
  onRecord: (record: KillRecord) => void | Promise<void>,
): Promise<{ problems: InputProblem[] }> {
  const problems: InputProblem[] = [];
  for (const file of args.files) {
    try {
      await scanOne(file, args.raw ?? false, onRecord);
    } catch (err) {
      problems.push({ input: file, message: (err as Error).message });
    }
  }
  return { problems };
}

/** `scanTimeline` for callers that read the kernel's records only. */
export async function scanInputs(
  args: InputArgs,
  onRecord: (record: OomRecord) => void | Promise<void>,
): Promise<{ problems: InputProblem[] }> {
  return scanTimeline(args, (record) => (record.type === 'userspace-kill' ? undefined : onRecord(record)));
}

async function scanOne(file: string, keepRaw: boolean, onRecord: (r: KillRecord) => void | Promise<void>): Promise<void> {
  const queue: KillRecord[] = [];
  const parser = createLogParser({ file: file === '-' ? null : file, keepRaw, emit: (r) => queue.push(r) });
  for await (const chunk of openInput(file)) {
    parser.push(chunk as Buffer);
    for (const r of queue.splice(0)) await onRecord(r);
  }
  parser.end();
  for (const r of queue.splice(0)) await onRecord(r);
}
