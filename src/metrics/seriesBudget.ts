/**
 * Bounds the label sets of a metric: victim names come from the log, and a fork bomb of
 * randomly named processes must not grow the scrape without end. The first `max` label sets
 * are kept; a later new one is counted under `comm="other"` instead.
 */
export class SeriesBudget {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  /** The comm label to use for a kill with these labels. */
  comm(host: string, comm: string, rest: string[]): string {
    const key = JSON.stringify([host, comm, ...rest]);
    if (this.seen.has(key)) return comm;
    if (this.seen.size >= this.max) return OVERFLOW_COMM;
    this.seen.add(key);
    return comm;
  }
}

export const OVERFLOW_COMM = 'other';
