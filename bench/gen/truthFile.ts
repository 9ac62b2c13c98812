import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { GenerateSummary, TruthKill } from './generate.js';

/**
 * The truth file beside a generated log: JSON Lines, one `{"type":"kill",...}` per kill in log
 * order, then one `{"type":"summary",...}`. Lines, not one JSON document, so that a million
 * kills are written and read without holding them all.
 */
export const killLine = (k: TruthKill) => `${JSON.stringify({ type: 'kill', ...k })}\n`;
export const summaryLine = (s: GenerateSummary & { seed: number }) => `${JSON.stringify({ type: 'summary', ...s })}\n`;

/** The default place of a log's truth file. */
export const truthPathOf = (logPath: string) => `${logPath}.truth.jsonl`;

export async function* readTruth(path: string): AsyncGenerator<TruthKill> {
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (!line) continue;
    const { type, ...rest } = JSON.parse(line) as { type: string } & TruthKill;
    if (type === 'kill') yield rest;
  }
}

export async function readSummary(path: string): Promise<GenerateSummary | null> {
  let summary: GenerateSummary | null = null;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line.startsWith('{"type":"summary"')) summary = JSON.parse(line) as GenerateSummary;
  }
  return summary;
}
