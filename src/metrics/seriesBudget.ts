/**
 * Bounds the label sets of the metrics whose label values come from log text (host, workload,
 * cgroup, process names): a fleet's central log or a fork bomb of randomly named processes
 * must not grow the scrape without end. The first `max` label sets are kept as they are; a
 * later new one is folded: its log-derived labels become `other`, its fixed-vocabulary labels
 * (killer, workload kind) stay, so the folded buckets are a handful of series at most.
 */
export const OVERFLOW_VALUE = 'other';

/** How many distinct folded label sets are remembered to count each one once. */
const MAX_FOLDED_REMEMBERED = 100_000;

export interface Admitted<L extends string> {
  labels: Record<L, string>;
  /** The label set is new and had to be folded into the `other` bucket. */
  newlyFolded: boolean;
}

export class SeriesBudget {
  private readonly kept = new Set<string>();
  private readonly folded = new Set<string>();
  /** Folded label sets past the remembered ones: counted at each occurrence (an upper bound). */
  private foldedUncounted = 0;

  constructor(readonly max: number) {}

  /** The labels to use for these, folded when the budget is spent; `fromLog` names the labels to fold. */
  admit<L extends string>(labels: Record<L, string>, fromLog: readonly L[]): Admitted<L> {
    const key = JSON.stringify(Object.values(labels));
    if (this.kept.has(key)) return { labels, newlyFolded: false };
    if (this.kept.size < this.max) {
      this.kept.add(key);
      return { labels, newlyFolded: false };
    }
    const out = { ...labels };
    for (const name of fromLog) out[name] = OVERFLOW_VALUE;
    let newlyFolded = false;
    if (this.folded.has(key)) newlyFolded = false;
    else if (this.folded.size < MAX_FOLDED_REMEMBERED) (this.folded.add(key), (newlyFolded = true));
    else (this.foldedUncounted += 1), (newlyFolded = true);
    return { labels: out, newlyFolded };
  }

  /** Label sets kept as they are (at most `max`). */
  get size(): number {
    return this.kept.size;
  }
}
