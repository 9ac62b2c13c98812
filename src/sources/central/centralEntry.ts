/**
 * One log line as a central store keeps it, with what puts it back in order. Stores split an
 * OOM dump into separate documents and lose their order (Loki answers newest first, Elasticsearch
 * sorts by a millisecond `@timestamp` shared by every line of a dump): the order is rebuilt from
 * a sequence the source wrote (kmsg sequence, journal seqnum, file offset) within its stream,
 * and only where there is none from the store's own order and time.
 */
export interface CentralEntry {
  host: string | null;
  /** Wall time, microseconds since the epoch. */
  timeUs: number | null;
  /** Seconds since boot (kmsg), when the store kept it. */
  uptime: number | null;
  message: string;
  /** `kernel` for kernel lines; else the program (earlyoom, systemd-oomd, systemd). */
  ident: string | null;
  /** The message is a whole log line with its own prefix (a shipped kern.log line): passed on as it is. */
  whole: boolean;
  /** Entries of one stream (a host's file, kmsg or journal) share this. */
  stream: string;
  /** Position within the stream the source wrote, or null when the store kept none. */
  seq: number | null;
  /** Order the store gave (after undoing newest-first). */
  arrival: number;
}

/** A line with a prefix the line decoder reads (syslog, ISO, RFC 5424, kmsg, dmesg): it carries its own host and time. */
const WHOLE_LINE = /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d |\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d|<\d{1,3}>\d? ?|\d+,\d+,\d+,[^;]*;|\[\s*\d+\.\d+\] )/;

export function isWholeLine(text: string): boolean {
  return WHOLE_LINE.test(text);
}

/**
 * Puts entries back in the order they were written: within each stream by `seq` where every
 * entry of the stream has one, else by time then the store's order; streams are merged by time,
 * each keeping its own order (the parser follows interleaved hosts).
 */
export function restoreOrder(entries: CentralEntry[]): CentralEntry[] {
  const streams = new Map<string, CentralEntry[]>();
  for (const e of entries) (streams.get(e.stream) ?? streams.set(e.stream, []).get(e.stream)!).push(e);
  const ordered: CentralEntry[][] = [];
  for (const list of streams.values()) {
    const bySeq = list.every((e) => e.seq !== null);
    list.sort(bySeq ? (a, b) => a.seq! - b.seq! || a.arrival - b.arrival : (a, b) => (a.timeUs ?? 0) - (b.timeUs ?? 0) || (a.uptime ?? 0) - (b.uptime ?? 0) || a.arrival - b.arrival);
    ordered.push(list);
  }
  // k-way merge by time: each stream's own order is kept whatever its times say.
  const out: CentralEntry[] = [];
  const at = ordered.map(() => 0);
  for (;;) {
    let best = -1;
    for (let i = 0; i < ordered.length; i++) {
      const e = ordered[i]![at[i]!];
      if (!e) continue;
      const b = best >= 0 ? ordered[best]![at[best]!]! : null;
      if (b === null || (e.timeUs ?? 0) < (b.timeUs ?? 0)) best = i;
    }
    if (best < 0) return out;
    out.push(ordered[best]![at[best]!]!);
    at[best]! += 1;
  }
}

/** The entry as a line the line decoder reads: as it was, or as a `journalctl -o json` line. */
export function entryLine(e: CentralEntry): string {
  if (e.whole) return e.message.replace(/\r?\n$/, '');
  const json: Record<string, string> = { MESSAGE: e.message };
  if (e.host !== null) json._HOSTNAME = e.host;
  if (e.timeUs !== null) json.__REALTIME_TIMESTAMP = String(Math.round(e.timeUs));
  if (e.ident === 'kernel') {
    json._TRANSPORT = 'kernel';
    if (e.uptime !== null) json._SOURCE_MONOTONIC_TIMESTAMP = String(Math.round(e.uptime * 1e6));
  } else if (e.ident !== null) json.SYSLOG_IDENTIFIER = e.ident;
  return JSON.stringify(json);
}

/** A value at a dotted path, nested (`host: {name}`) or flattened (`"host.name"`). */
export function fieldAt(doc: unknown, path: string): unknown {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const o = doc as Record<string, unknown>;
  if (path in o) return o[path];
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  for (let i = dot; i >= 0; i = path.indexOf('.', i + 1)) {
    const head = path.slice(0, i);
    if (head in o) {
      const v = fieldAt(o[head], path.slice(i + 1));
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

export function firstString(doc: unknown, paths: readonly string[]): string | null {
  for (const p of paths) {
    const v = fieldAt(doc, p);
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

export function firstNumber(doc: unknown, paths: readonly string[]): number | null {
  for (const p of paths) {
    const v = fieldAt(doc, p);
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+(?:\.\d+)?$/.test(v) ? Number(v) : NaN;
    if (Number.isFinite(n)) return n;
  }
  return null;
}
