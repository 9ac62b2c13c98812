import type { UserspaceKill } from '../../src/schema/userspaceKill.js';

/** What a per-host tracker needs from its assembler: where finished kills go, and how to label them. */
export interface TrackerOutput {
  file: string | null;
  keepRaw: boolean;
  finish: (record: UserspaceKill) => void;
}

/** A line kept for `rawLines`, with its number so that pieces read out of order sort back. */
export interface RawLine {
  line: number;
  text: string;
}

/** `rawLines` in line order, or nothing when raw lines are not kept. */
export function rawLinesOf(out: TrackerOutput, raw: RawLine[]): { rawLines?: string[] } {
  if (!out.keepRaw) return {};
  return { rawLines: [...raw].sort((a, b) => a.line - b.line).map((r) => r.text) };
}
