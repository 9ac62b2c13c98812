import { dumpMessages, noiseMessages } from './oomDump.js';

/**
 * One multi-host kernel stream and the shapes central stores keep it in: the plain syslog text,
 * a Loki `query_range` answer (newest first, one stream per host), Elasticsearch `_search`
 * answers from Fluent Bit's kmsg input and from Filebeat (hits shuffled, one millisecond
 * `@timestamp` per dump), and `journalctl -o export` text. Deterministic.
 */
export interface StreamLine {
  host: string;
  /** Wall time, ms (several lines of a dump share it). */
  ms: number;
  uptime: number;
  seq: number;
  message: string;
}

const BASE_MS = Date.UTC(2026, 2, 1, 0, 50, 57);
const MONTH_STAMP = 'Mar  1 00:50:57';

export function multiHostStream(): StreamLine[] {
  const hosts = ['web-1', 'web-2', 'db-1'];
  const out: StreamLine[] = [];
  const seq = new Map(hosts.map((h) => [h, 1000]));
  let k = 0;
  for (let round = 0; round < 3; round++) {
    for (const host of hosts) {
      const uptime = 100 + round * 50 + hosts.indexOf(host);
      const pid = 100 * (round + 1) + hosts.indexOf(host) * 10 + 1;
      const comm = ['java', 'node', 'postgres'][hosts.indexOf(host)]!;
      const msgs = [...noiseMessages(2, k), ...dumpMessages({ pid, comm, uptime })];
      k += 2;
      msgs.forEach((message, i) => {
        const s = seq.get(host)!;
        seq.set(host, s + 1);
        out.push({ host, ms: BASE_MS + round * 60_000 + hosts.indexOf(host) * 7, uptime: uptime + i * 1e-5, seq: s, message });
      });
    }
  }
  return out;
}

export function plainText(lines: StreamLine[]): string {
  return lines.map((l) => `${MONTH_STAMP} ${l.host} kernel: [${l.uptime.toFixed(6).padStart(12)}] ${l.message}\n`).join('');
}

function shuffle<T>(items: T[], seed = 7): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Loki: promtail's journal target (bare messages, host label), nanosecond stamps shared by a dump, newest first. */
export function lokiAnswer(lines: StreamLine[]): string {
  const hosts = [...new Set(lines.map((l) => l.host))];
  const result = hosts.map((host) => ({
    stream: { host, job: 'systemd-journal', transport: 'kernel' },
    values: lines
      .filter((l) => l.host === host)
      .map((l) => [`${BigInt(l.ms) * 1_000_000n}`, l.message])
      .reverse(),
  }));
  return JSON.stringify({ status: 'success', data: { resultType: 'streams', result, stats: {} } }, null, 2);
}

/** Fluent Bit's kmsg input into Elasticsearch: kmsg sequence, uptime, a shared ms stamp; hits shuffled. */
export function elasticKmsgAnswer(lines: StreamLine[]): string {
  const hits = shuffle(lines).map((l, i) => ({
    _index: 'kmsg-2026.03.01',
    _id: `id${i}`,
    _score: null,
    _source: { '@timestamp': new Date(l.ms).toISOString(), host: { name: l.host }, priority: 6, sequence: l.seq, sec: Math.floor(l.uptime), usec: Math.round((l.uptime % 1) * 1e6), msg: l.message },
    sort: [l.ms],
  }));
  return JSON.stringify({ took: 3, timed_out: false, hits: { total: { value: hits.length, relation: 'eq' }, max_score: null, hits } });
}

/** Filebeat shipping kern.log into OpenSearch: whole lines with their file offsets; hits shuffled. */
export function elasticFilebeatAnswer(lines: StreamLine[]): string {
  const offsets = new Map<string, number>();
  const docs = lines.map((l) => {
    const message = `${MONTH_STAMP} ${l.host} kernel: [${l.uptime.toFixed(6).padStart(12)}] ${l.message}`;
    const offset = offsets.get(l.host) ?? 0;
    offsets.set(l.host, offset + Buffer.byteLength(message) + 1);
    return { '@timestamp': new Date(l.ms).toISOString(), message, host: { name: l.host }, log: { offset, file: { path: '/var/log/kern.log' } }, input: { type: 'filestream' } };
  });
  return JSON.stringify({ took: 1, hits: { hits: shuffle(docs, 11).map((d, i) => ({ _id: String(i), _source: d })) } });
}

/** `journalctl -o export` of the same kernel lines; one MESSAGE in the binary field form, and two entries swapped. */
export function journalExport(lines: StreamLine[]): Buffer {
  const parts: Buffer[] = [];
  const entries = lines.map((l, i) => ({ l, i }));
  // A store that appended two entries out of order: the seqnum puts them back.
  [entries[5], entries[6]] = [entries[6]!, entries[5]!];
  for (const { l, i } of entries) {
    const field = (k: string, v: string) => Buffer.from(`${k}=${v}\n`);
    parts.push(
      field('__CURSOR', `s=abc;i=${l.seq.toString(16)}`),
      field('__REALTIME_TIMESTAMP', String(l.ms * 1000)),
      field('__MONOTONIC_TIMESTAMP', String(Math.round(l.uptime * 1e6))),
      field('__SEQNUM', String(l.seq)),
      field('__SEQNUM_ID', `seqid-${l.host}`),
      field('_BOOT_ID', Buffer.from(l.host.padEnd(16, '-')).toString('hex').slice(0, 32)),
      field('_TRANSPORT', 'kernel'),
      field('PRIORITY', '6'),
      field('SYSLOG_IDENTIFIER', 'kernel'),
      field('_SOURCE_MONOTONIC_TIMESTAMP', String(Math.round(l.uptime * 1e6))),
      field('_HOSTNAME', l.host),
    );
    if (i === 3) {
      const data = Buffer.from(l.message);
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(data.length));
      parts.push(Buffer.from('MESSAGE\n'), len, data, Buffer.from('\n'));
    } else parts.push(field('MESSAGE', l.message));
    parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}
