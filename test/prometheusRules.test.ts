import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KillMetrics } from '../src/metrics/killMetrics.js';
import { SourceMetrics } from '../src/metrics/sourceMetrics.js';
import { dashboardQueries, concreteQuery } from './support/dashboard.js';
import { requireBinary } from './support/prometheus.js';

const DOCS = join(import.meta.dirname, '..', 'docs', 'prometheus');


/** The metric names a watch exports (histograms as their _bucket/_sum/_count series). */
async function exportedNames(): Promise<Set<string>> {
  const m = new KillMetrics();
  new SourceMetrics(m.registry, '/var/log/kern.log');
  const names = new Set<string>();
  for (const metric of await m.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (metric.type === ('histogram' as never)) for (const s of ['_bucket', '_sum', '_count']) names.add(metric.name + s);
  }
  return names;
}

/** Identifiers in PromQL that are metric names: not functions, keywords, label names or strings. */
function metricNames(promql: string): string[] {
  const noStrings = promql.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\{[^}]*\}/g, '{}').replace(/\[[^\]]*\]/g, '').replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names: string[] = [];
  for (const m of noStrings.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = noStrings.slice(m.index! + m[0].length).trimStart();
    if (after.startsWith('(')) continue; // a function
    if (['and', 'or', 'unless', 'offset', 'bool', 'vector', 'time'].includes(m[0])) continue;
    if (/^\d/.test(m[0])) continue;
    names.push(m[0]);
  }
  return names;
}

describe('docs/prometheus', () => {
  it('alerts.yml passes promtool check rules and its unit tests (promtool test rules)', () => {
    requireBinary('promtool');
    const check = spawnSync('promtool', ['check', 'rules', 'alerts.yml'], { cwd: DOCS, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const test = spawnSync('promtool', ['test', 'rules', 'alerts.test.yml'], { cwd: DOCS, encoding: 'utf8' });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toContain('SUCCESS');
  });

  it('every query of the Grafana dashboard names only metrics a watch exports (and up)', async () => {
    const exported = await exportedNames();
    exported.add('up'); // Prometheus's own, per scrape target
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(10);
    for (const q of queries) {
      const names = metricNames(concreteQuery(q));
      expect(names.length, q).toBeGreaterThan(0);
      for (const n of names) expect(exported.has(n), `${n} in ${q}`).toBe(true);
    }
  });

  it('the name check finds a metric that is not exported', () => {
    expect(metricNames('sum(rate(oomlens_nope_total{host=~".*"}[5m])) by (host) or vector(0)')).toEqual(['oomlens_nope_total']);
  });
});
