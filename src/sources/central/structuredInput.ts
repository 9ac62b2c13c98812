import type { Readable } from 'node:stream';
import { JournalExportDecoder, looksLikeJournalExport, type JournalEntry } from '../../../parsers/decode/journalExport.js';
import { KillRecord } from '../../schema/killRecord.js';
import { entryLine, restoreOrder, type CentralEntry } from './centralEntry.js';
import { elasticEntries } from './elasticHits.js';
import { lokiEntries } from './lokiResponse.js';

/**
 * Inputs that are not plain log lines, recognised by their first bytes (no flag, like the line
 * prefixes): `journalctl -o export` text, a binary journal file, a Loki `query_range` answer, an
 * Elasticsearch/OpenSearch `_search` answer, and `scan --json` NDJSON (records, not lines).
 */
export type StructuredKind = 'journal-export' | 'journal-file' | 'loki' | 'elasticsearch' | 'records';

/** Bytes looked at. */
export const STRUCTURED_SNIFF_BYTES = 64 * 1024;
/** A Loki or Elasticsearch answer is one JSON document, read whole: past this, ask for pages. */
const MAX_DOCUMENT_BYTES = 512 << 20;
const RECORD_TYPES = new Set(['oom-kill', 'oom-without-kill', 'userspace-kill']);

export function sniffStructured(head: Buffer): StructuredKind | null {
  if (head.subarray(0, 8).toString('latin1') === 'LPKSHHRH') return 'journal-file';
  const text = head.toString('utf8');
  if (looksLikeJournalExport(text)) return 'journal-export';
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) return null;
  const firstLine = trimmed.slice(0, trimmed.indexOf('\n') >= 0 ? trimmed.indexOf('\n') : undefined);
  try {
    const o = JSON.parse(firstLine) as Record<string, unknown>;
    if (typeof o.eventId === 'string' && RECORD_TYPES.has(o.type as string)) return 'records';
  } catch {
    // Not one object per line: a pretty-printed document, or a cut head.
  }
  if (/"resultType"\s*:\s*"streams"/.test(text)) return 'loki';
  if (/"hits"\s*:\s*\{/.test(text) && /"(?:_source|fields)"\s*:/.test(text)) return 'elasticsearch';
  return null;
}

export class StructuredInputError extends Error {}

/** The input's log lines, in the order they were written, for the line parser. */
export async function* structuredLines(kind: Exclude<StructuredKind, 'records' | 'journal-file'> | 'journal-export', stream: Readable): AsyncGenerator<Buffer> {
  if (kind === 'journal-export') {
    yield* journalExportLines(stream);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    size += (c as Buffer).length;
    if (size > MAX_DOCUMENT_BYTES) throw new StructuredInputError(`a ${kind} answer over ${MAX_DOCUMENT_BYTES >> 20} MiB: query it in pages (smaller time ranges)`);
    chunks.push(c as Buffer);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new StructuredInputError(`not valid JSON (${(err as Error).message}): a ${kind} answer cut short?`);
  }
  const entries = kind === 'loki' ? lokiEntries(doc) : elasticEntries(doc);
  if (entries === null) throw new StructuredInputError(kind === 'loki' ? 'not a Loki log query answer (data.resultType "streams")' : 'not an Elasticsearch _search answer (hits.hits)');
  yield Buffer.from(restoreOrder(entries).map((e) => `${entryLine(e)}\n`).join(''));
}

/** Export entries are in the journal's order already; a window of them is re-sorted by seqnum to repair a mix. */
const REORDER_WINDOW = 8192;

async function* journalExportLines(stream: Readable): AsyncGenerator<Buffer> {
  let pending: CentralEntry[] = [];
  let arrival = 0;
  const decoder = new JournalExportDecoder((e) => pending.push(exportEntry(e, arrival++)));
  const release = (all: boolean): Buffer | null => {
    if (pending.length === 0 || (!all && pending.length < REORDER_WINDOW)) return null;
    const ordered = restoreOrder(pending);
    const keep = all ? 0 : REORDER_WINDOW / 2;
    const out = ordered.slice(0, ordered.length - keep);
    pending = ordered.slice(ordered.length - keep);
    return Buffer.from(out.map((e) => `${entryLine(e)}\n`).join(''));
  };
  for await (const c of stream) {
    decoder.push(c as Buffer);
    const out = release(false);
    if (out) yield out;
  }
  decoder.end();
  const out = release(true);
  if (out) yield out;
}

function exportEntry(e: JournalEntry, arrival: number): CentralEntry {
  const kernel = e._TRANSPORT === 'kernel';
  const seq = e.__SEQNUM !== undefined && /^\d+$/.test(e.__SEQNUM) ? Number(e.__SEQNUM) : null;
  const mono = e._SOURCE_MONOTONIC_TIMESTAMP;
  return {
    host: e._HOSTNAME ?? null,
    timeUs: e.__REALTIME_TIMESTAMP !== undefined ? Number(e.__REALTIME_TIMESTAMP) : null,
    uptime: kernel && mono !== undefined ? Number(mono) / 1e6 : null,
    message: e.MESSAGE ?? '',
    ident: kernel ? 'kernel' : (e.SYSLOG_IDENTIFIER ?? e._COMM ?? null),
    whole: false,
    stream: e.__SEQNUM_ID ?? e._BOOT_ID ?? e._HOSTNAME ?? '',
    seq,
    arrival,
  };
}

/**
 * `scan --json` NDJSON (from many hosts: a fleet merge): each line a kill record, validated
 * against the schema. A line that is not one is a problem naming its line number.
 */
export async function* ndjsonRecords(stream: Readable, onBadLine: (line: number, why: string) => void): AsyncGenerator<KillRecord> {
  let carry = '';
  let n = 0;
  const parse = function* (line: string): Generator<KillRecord> {
    n += 1;
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      onBadLine(n, 'not JSON');
      return;
    }
    const r = KillRecord.safeParse(json);
    if (r.success) yield r.data;
    else onBadLine(n, `not a kill record (${r.error.issues[0]?.path.join('.') ?? ''}: ${r.error.issues[0]?.message ?? ''})`);
  };
  for await (const c of stream) {
    const parts = (carry + (c as Buffer).toString('utf8')).split('\n');
    carry = parts.pop()!;
    for (const line of parts) yield* parse(line);
  }
  if (carry !== '') yield* parse(carry);
}
