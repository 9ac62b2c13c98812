import { hostname } from 'node:os';
import { collectDefaultMetrics, Counter, exponentialBuckets, Gauge, Histogram, Registry } from 'prom-client';
import type { KillRecord } from '../schema/killRecord.js';
import { victimNameOf } from '../schema/killIdentity.js';
import { SeriesBudget } from './seriesBudget.js';

export const DEFAULT_MAX_SERIES = 500;
/** Longest label value kept: a log line may be 64 KiB, a scrape of 500 such series must not be. */
const MAX_LABEL_CHARS = 128;

/** Why something counts as a parse error. */
export type ParseErrorKind = 'incomplete-report' | 'long-line';

/**
 * The Prometheus metrics of `oomlens watch`, in a registry of their own (plus the default
 * process metrics). Label values come from the log as they are; prom-client escapes them in
 * the exposition, and `SeriesBudget` bounds how many series they make.
 */
export class KillMetrics {
  readonly registry = new Registry();
  private readonly budget: SeriesBudget;
  private readonly localHost: string;
  private readonly kills: Counter<'host' | 'comm' | 'constraint' | 'workload'>;
  private readonly userspaceKills: Counter<'host' | 'comm' | 'killer' | 'reason'>;
  private readonly lastKill: Gauge<'host' | 'comm'>;
  private readonly anonRss: Histogram;
  private readonly parseErrors: Counter<'kind'>;

  constructor(options: { maxSeries?: number; localHost?: string } = {}) {
    this.budget = new SeriesBudget(options.maxSeries ?? DEFAULT_MAX_SERIES);
    this.localHost = options.localHost ?? hostname();
    const registers = [this.registry];
    this.kills = new Counter({
      name: 'oomlens_kills_total',
      help: 'Processes killed by the kernel OOM killer, seen by this watch',
      labelNames: ['host', 'comm', 'constraint', 'workload'],
      registers,
    });
    this.userspaceKills = new Counter({
      name: 'oomlens_userspace_kills_total',
      help: 'Kills by systemd-oomd or earlyoom, seen by this watch (comm: the process, or the unit systemd-oomd killed)',
      labelNames: ['host', 'comm', 'killer', 'reason'],
      registers,
    });
    this.lastKill = new Gauge({
      name: 'oomlens_last_kill_timestamp_seconds',
      help: 'When the last OOM kill was logged (Unix time)',
      labelNames: ['host', 'comm'],
      registers,
    });
    this.anonRss = new Histogram({
      name: 'oomlens_victim_anon_rss_bytes',
      help: 'Anonymous RSS of OOM kill victims when they were killed',
      buckets: exponentialBuckets(1 << 20, 4, 10),
      registers,
    });
    this.parseErrors = new Counter({
      name: 'oomlens_parse_errors_total',
      help: 'OOM reports that could not be read whole, and log lines too long to read',
      labelNames: ['kind'],
      registers,
    });
    collectDefaultMetrics({ register: this.registry });
  }

  observe(record: KillRecord): void {
    if (record.type === 'userspace-kill') {
      const host = bounded(record.host ?? this.localHost);
      const killer = record.killer;
      const reason = record.reason?.kind ?? 'unknown';
      this.userspaceKills.inc({ host, comm: this.budget.comm(host, bounded(victimNameOf(record) ?? 'unknown'), [killer, reason]), killer, reason });
      return;
    }
    if (!record.complete) this.parseErrors.inc({ kind: 'incomplete-report' });
    if (record.type !== 'oom-kill' || !record.victim) return;
    const host = bounded(record.host ?? this.localHost);
    const constraint = (record.constraint ?? 'unknown').replace(/^CONSTRAINT_/, '').toLowerCase();
    const workload = record.workload?.kind ?? 'none';
    const comm = this.budget.comm(host, bounded(record.victim.comm), [constraint, workload]);
    this.kills.inc({ host, comm, constraint, workload });
    const when = record.time !== null ? Date.parse(record.time) : Date.now();
    this.lastKill.set({ host, comm }, when / 1000);
    if (record.victim.anonRssKb !== null) this.anonRss.observe(record.victim.anonRssKb * 1024);
  }

  parseError(kind: ParseErrorKind, count = 1): void {
    this.parseErrors.inc({ kind }, count);
  }
}

function bounded(value: string): string {
  return value.length > MAX_LABEL_CHARS ? `${value.slice(0, MAX_LABEL_CHARS - 1)}…` : value;
}
