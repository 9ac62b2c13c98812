import { firstNumber, firstString, isWholeLine, type CentralEntry } from './centralEntry.js';

/**
 * An Elasticsearch / OpenSearch `_search` answer: `hits.hits[]._source`, as Filebeat (a shipped
 * file: `message`, `host.name`, `log.file.path`, `log.offset`), Fluent Bit's kmsg input
 * (`msg`, `priority`, `sequence`, `sec`/`usec` since boot) or a journald shipper (`message`,
 * `__SEQNUM` / `journald.seqnum`, `syslog.identifier`) writes them. `@timestamp` has millisecond
 * precision: every line of a dump shares it, so the order comes from the kmsg sequence, the
 * journal seqnum or the file offset of the host's stream.
 */
const HOST = ['host.name', 'host.hostname', 'hostname', 'host', 'agent.hostname', 'kubernetes.node.name'];
const MESSAGE = ['message', 'msg', 'log', 'MESSAGE'];
const IDENT = ['syslog.identifier', 'journald.process.name', 'process.name', 'SYSLOG_IDENTIFIER', 'ident', 'program'];

export function elasticEntries(doc: unknown): CentralEntry[] | null {
  const hits = (doc as { hits?: { hits?: unknown } } | null)?.hits?.hits;
  if (!Array.isArray(hits)) return null;
  const out: CentralEntry[] = [];
  for (const hit of hits as { _source?: unknown; fields?: unknown }[]) {
    const src = hit?._source ?? hit?.fields;
    const message = firstString(src, MESSAGE);
    if (message === null) continue;
    const host = firstString(src, HOST);
    const ts = firstString(src, ['@timestamp', 'timestamp']);
    const ms = ts !== null ? Date.parse(ts) : NaN;
    const kmsgSeq = firstNumber(src, ['sequence', 'kmsg.sequence']);
    const journalSeq = firstNumber(src, ['__SEQNUM', 'journald.seqnum', 'seqnum']);
    const offset = firstNumber(src, ['log.offset', 'offset']);
    const file = firstString(src, ['log.file.path', 'source', 'path']);
    const sec = firstNumber(src, ['sec']);
    const usec = firstNumber(src, ['usec']);
    const kind = kmsgSeq !== null ? 'kmsg' : journalSeq !== null ? 'journal' : offset !== null ? `file:${file ?? ''}` : 'store';
    out.push({
      host,
      timeUs: Number.isFinite(ms) ? ms * 1000 : null,
      uptime: kmsgSeq !== null && sec !== null ? sec + (usec ?? 0) / 1e6 : null,
      message,
      ident: kmsgSeq !== null ? 'kernel' : (firstString(src, IDENT) ?? 'kernel'),
      whole: isWholeLine(message),
      stream: `${host ?? ''}\0${kind}`,
      seq: kmsgSeq ?? journalSeq ?? offset,
      arrival: out.length,
    });
  }
  return out;
}
