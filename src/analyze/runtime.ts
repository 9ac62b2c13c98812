/**
 * The runtime a victim runs on, from its process name or its unit's name, so that the advice
 * names the heap profiler that fits. Data, not branches: one row per runtime.
 */
export const RUNTIMES = ['jvm', 'python', 'node', 'go'] as const;
export type Runtime = (typeof RUNTIMES)[number];

const PATTERNS: [Runtime, RegExp][] = [
  ['jvm', /^(java|javaw|jsvc)$|(^|[-_.])(tomcat|jetty|kafka|elasticsearch|cassandra|zookeeper|jenkins|spring)([-_.@]|$)/i],
  ['python', /^(python[\d.]*|uwsgi|gunicorn|celery|uvicorn|ipython)$|(^|[-_.])(django|flask|celery|gunicorn|uwsgi)([-_.@]|$)/i],
  ['node', /^(node|nodejs|npm|bun|deno)$|(^|[-_.])(node|nextjs|express)([-_.@]|$)/i],
  ['go', /^(kubelet|etcd|containerd|dockerd|prometheus|consul|vault|nomad|traefik|caddy|coredns|grafana(-server)?|influxd|minio|gitea|loki|promtail|alertmanager|thanos|cockroach|telegraf)$/i],
];

export function runtimeOf(names: (string | null)[]): Runtime | null {
  for (const name of names) {
    if (!name) continue;
    const base = name.replace(/\.(service|scope|slice)$/, '');
    for (const [runtime, re] of PATTERNS) if (re.test(base)) return runtime;
  }
  return null;
}
