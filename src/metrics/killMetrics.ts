import { hostname } from 'node:os';
import { collectDefaultMetrics, Counter, exponentialBuckets, Gauge, Histogram, Registry } from 'prom-client';
import type { KillRecord } from '../schema/killRecord.js';
import { oomlensVersion } from './buildInfo.js';
import { killLabelsOf, LOG_DERIVED, type KillLabelName, type KillLabels } from './killLabels.js';
import { SeriesBudget } from './seriesBudget.js';

export const DEFAULT_MAX_SERIES = 500;

/** Why something counts as a parse problem. */
export type ParseProblemKind = 'incomplete-report' | 'long-line';
const PARSE_PROBLEM_KINDS: readonly ParseProblemKind[] = ['incomplete-report', 'long-line'];
const KILLERS = ['kernel', 'systemd-oomd', 'earlyoom'] as const;

export interface KillMetricsOptions {
  /** Kill label sets kept as they are; later new ones fold into `other` (host and workload). */
  maxSeries?: number;
  /** The host label of records whose log line names no host. */
  localHost?: string;
  /** Label sets known before this run (a previous run, the sampler): exported at 0 at once. */
  known?: readonly KillLabels[];
  /** Called with each label set newly kept (to persist the known series). */
  onNewSeries?: (labels: KillLabels) => void;
}

/**
 * The Prometheus metrics of `oomlens watch`, in a registry of their own (plus the default
 * process metrics). One counter for every killer; every label from log text goes through the
 * series budget; prom-client escapes the values in the exposition.
 */
export class KillMetrics {
  readonly registry = new Registry();
  readonly budget: SeriesBudget;
  private readonly localHost: string;
  private readonly onNewSeries: (labels: KillLabels) => void;
  private readonly kills: Counter<KillLabelName>;
  private readonly lastKill: Gauge<KillLabelName>;
  private readonly anonRss: Histogram;
  private readonly parseProblems: Counter<'kind'>;
  private readonly folded: Counter<'metric'>;

  constructor(options: KillMetricsOptions = {}) {
    this.budget = new SeriesBudget(options.maxSeries ?? DEFAULT_MAX_SERIES);
    this.localHost = options.localHost ?? hostname();
    this.onNewSeries = options.onNewSeries ?? (() => undefined);
    const registers = [this.registry];
    const labelNames: KillLabelName[] = ['killer', 'host', 'workload_kind', 'workload'];
    this.kills = new Counter({
      name: 'oomlens_kills_total',
      help: 'Processes (or, for systemd-oomd, cgroups) killed for memory, by killer, seen by this watch',
      labelNames,
      registers,
    });
    this.lastKill = new Gauge({
      name: 'oomlens_last_kill_timestamp_seconds',
      help: 'When the last kill of this workload was logged (Unix time)',
      labelNames,
      registers,
    });
    this.anonRss = new Histogram({
      name: 'oomlens_victim_anon_rss_bytes',
      help: 'Anonymous RSS of kernel OOM kill victims when they were killed',
      buckets: exponentialBuckets(1 << 20, 4, 10),
      registers,
    });
    this.parseProblems = new Counter({
      name: 'oomlens_parse_problems_total',
      help: 'OOM reports that could not be read whole, and log lines too long to read',
      labelNames: ['kind'],
      registers,
    });
    this.folded = new Counter({
      name: 'oomlens_series_folded_total',
      help: 'New label sets folded into workload="other",host="other" because --max-series was reached',
      labelNames: ['metric'],
      registers,
    });
    const build = new Gauge({ name: 'oomlens_build_info', help: 'oomlens version and Node.js runtime (always 1)', labelNames: ['version', 'node'], registers });
    build.set({ version: oomlensVersion(), node: process.versions.node }, 1);
    new Gauge({ name: 'oomlens_series_budget', help: 'Kill label sets kept as they are before folding (--max-series)', registers }).set(this.budget.max);
    for (const kind of PARSE_PROBLEM_KINDS) this.parseProblems.inc({ kind }, 0);
    this.folded.inc({ metric: 'oomlens_kills_total' }, 0);
    for (const labels of options.known ?? []) this.know(labels, false);
    collectDefaultMetrics({ register: this.registry });
  }

  /** A workload known without a kill (the sampler, a previous run): its series starts at 0. */
  know(labels: KillLabels, announce = true): void {
    if (!(KILLERS as readonly string[]).includes(labels.killer)) return;
    const admitted = this.admit(labels, announce);
    this.kills.inc(admitted, 0);
  }

  observe(record: KillRecord): void {
    if (record.type !== 'userspace-kill' && !record.complete) this.parseProblems.inc({ kind: 'incomplete-report' });
    const found = killLabelsOf(record, this.localHost);
    if (!found) return;
    const labels = this.admit(found, true);
    this.kills.inc(labels);
    const when = record.time !== null ? Date.parse(record.time) : Date.now();
    this.lastKill.set(labels, (Number.isFinite(when) ? when : Date.now()) / 1000);
    if (record.type === 'oom-kill' && record.victim?.anonRssKb != null) this.anonRss.observe(record.victim.anonRssKb * 1024);
  }

  parseProblem(kind: ParseProblemKind, count = 1): void {
    this.parseProblems.inc({ kind }, count);
  }

  private admit(labels: KillLabels, announce: boolean): KillLabels {
    const before = this.budget.size;
    const admitted = this.budget.admit(labels, LOG_DERIVED);
    if (admitted.newlyFolded) this.folded.inc({ metric: 'oomlens_kills_total' });
    if (announce && this.budget.size > before) this.onNewSeries(admitted.labels);
    return admitted.labels;
  }
}
