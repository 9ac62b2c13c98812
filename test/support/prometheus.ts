import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pollUntil } from './watchProcess.js';

/**
 * A real Prometheus (the Debian package, installed by .ci/run) on loopback for a test: random
 * free port, its own data directory, stopped by `stop()` (call it in every outcome).
 */
export interface PrometheusServer {
  base: string;
  log: () => string;
  stop: () => Promise<unknown>;
}

/** Fails the test with one line when a Debian binary is missing (never a silent skip). */
export function requireBinary(name: 'prometheus' | 'promtool'): void {
  if (spawnSync(name, ['--version']).status !== 0) {
    throw new Error(`${name} is not installed: apt-get install prometheus (.ci/run does) and run again`);
  }
}

export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPrometheus(dir: string, config: string, extraArgs: string[] = []): Promise<PrometheusServer> {
  requireBinary('prometheus');
  const port = await freeLoopbackPort();
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, config);
  const child = spawn(
    'prometheus',
    [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', ...extraArgs],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let running = true;
  void exited.then(() => (running = false));
  const server: PrometheusServer = {
    base: `http://127.0.0.1:${port}`,
    log: () => log,
    stop: async () => {
      if (!running) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await pollUntil('Prometheus to be ready', async () => !running || (await fetch(`${server.base}/-/ready`).then((r) => r.ok, () => false)), 20_000);
    if (!running) throw new Error('exited');
  } catch (err) {
    await server.stop();
    throw new Error(`Prometheus did not start (${(err as Error).message}):\n${log}`);
  }
  return server;
}

/** An instant query's result vector through the HTTP API. */
export async function instantQuery(base: string, promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown } };
  if (body.status !== 'success') throw new Error(`query ${promql}: ${body.error}`);
  if (body.data?.resultType === 'scalar') return [{ metric: {}, value: body.data.result as [number, string] }];
  return body.data!.result as { metric: Record<string, string>; value: [number, string] }[];
}
