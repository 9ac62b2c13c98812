import { isWholeLine, type CentralEntry } from './centralEntry.js';

/**
 * Loki's `query_range` answer for a log query: `data.result` is a list of streams, each with
 * its labels and `values` of `[nanoseconds, line]`, newest first by default (`direction=backward`).
 * The host is the first of these labels the stream has; a line that is a whole log line (a shipped
 * kern.log) keeps its own prefix, a bare message (promtail's journal target) becomes a kernel
 * line of that host at that time.
 */
const HOST_LABELS = ['host', 'hostname', 'nodename', 'node_name', 'node', 'instance'];
const IDENT_LABELS = ['syslog_identifier', 'identifier', 'app', 'program', 'unit'];

export function lokiEntries(doc: unknown): CentralEntry[] | null {
  const data = (doc as { data?: { resultType?: unknown; result?: unknown } } | null)?.data;
  if (data?.resultType !== 'streams' || !Array.isArray(data.result)) return null;
  const out: CentralEntry[] = [];
  data.result.forEach((s: { stream?: Record<string, string>; values?: [string, string][] }, si: number) => {
    const labels = s.stream ?? {};
    const values = Array.isArray(s.values) ? s.values.filter((v) => Array.isArray(v) && typeof v[1] === 'string') : [];
    // Newest first (the default): read it backwards to restore the order it was written in.
    const backward = values.length > 1 && BigInt(values[0]![0]) > BigInt(values[values.length - 1]![0]);
    const ordered = backward ? [...values].reverse() : values;
    const host = HOST_LABELS.map((l) => labels[l]).find((v) => v !== undefined && v !== '') ?? null;
    const ident = IDENT_LABELS.map((l) => labels[l]).find((v) => v !== undefined && v !== '') ?? 'kernel';
    const stream = `loki:${si}`;
    ordered.forEach(([ns, line]) => {
      out.push({
        host,
        timeUs: Number(BigInt(ns) / 1000n),
        uptime: null,
        message: line,
        ident: ident.endsWith('.service') ? ident.slice(0, -'.service'.length) : ident,
        whole: isWholeLine(line),
        stream,
        seq: null,
        arrival: out.length,
      });
    });
  });
  return out;
}
