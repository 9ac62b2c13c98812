/**
 * The few Prometheus HTTP API calls `report --prometheus` makes (Node's fetch): range queries
 * only. A failure is one line naming the server, the query and what went wrong.
 */
export class PrometheusError extends Error {}

/** One series of a range query: its labels and its [unix seconds, value] samples. */
export interface RangeSeries {
  labels: Record<string, string>;
  samples: [number, number][];
}

export interface RangeWindow {
  /** Unix seconds. */
  start: number;
  end: number;
  /** Seconds between samples. */
  step: number;
}

/** At most this many samples per series (Prometheus refuses more than 11,000). */
const MAX_POINTS = 2000;
const MIN_STEP_S = 15;
const TIMEOUT_MS = 60_000;

/** A step that keeps every series under MAX_POINTS samples, in whole seconds, at least 15 s. */
export function windowOf(startMs: number, endMs: number): RangeWindow {
  const start = Math.floor(startMs / 1000);
  const end = Math.ceil(endMs / 1000);
  return { start, end, step: Math.max(MIN_STEP_S, Math.ceil((end - start) / MAX_POINTS)) };
}

export async function queryRange(base: string, promql: string, w: RangeWindow): Promise<RangeSeries[]> {
  const url = new URL('api/v1/query_range', base.endsWith('/') ? base : `${base}/`);
  const body = new URLSearchParams({ query: promql, start: String(w.start), end: String(w.end), step: String(w.step) });
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new PrometheusError(`cannot reach Prometheus at ${base}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  let json: { status?: string; error?: string; data?: { resultType?: string; result?: { metric: Record<string, string>; values: [number, string][] }[] } };
  try {
    json = (await res.json()) as typeof json;
  } catch {
    throw new PrometheusError(`${base} answered HTTP ${res.status} without JSON: is it a Prometheus server?`);
  }
  if (json.status !== 'success') throw new PrometheusError(`Prometheus at ${base} refused the query ${promql}: ${json.error ?? `HTTP ${res.status}`}`);
  if (json.data?.resultType !== 'matrix') throw new PrometheusError(`query ${promql} is not a range vector (got ${json.data?.resultType})`);
  return (json.data.result ?? []).map((r) => ({
    labels: r.metric,
    samples: r.values.map(([t, v]) => [t, Number(v)] as [number, number]).filter(([, v]) => Number.isFinite(v)),
  }));
}
