import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DOCS = join(import.meta.dirname, '..', '..', 'docs', 'prometheus');

/** Every `expr` of a Grafana dashboard, panels and template variables. */
export function dashboardQueries(): string[] {
  const dashboard = JSON.parse(readFileSync(join(DOCS, 'grafana-dashboard.json'), 'utf8')) as {
    panels: { targets: { expr: string }[] }[];
    templating: { list: { query: unknown }[] };
  };
  const panels = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
  const variables = dashboard.templating.list.flatMap((v) => (typeof v.query === 'object' && v.query !== null ? [(v.query as { query: string }).query] : []));
  return [...panels, ...variables];
}

/** Dashboard PromQL with Grafana's variables given values Prometheus accepts. */
export function concreteQuery(expr: string): string {
  return expr.replaceAll('$__range', '1h').replaceAll('$host', '.*').replaceAll('$workload', '.*').replace(/^label_values\((\w+)(\{.*\})?, \w+\)$/, '$1$2');
}

