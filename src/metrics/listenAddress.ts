/**
 * `--metrics` addresses. Written here until the CLI's shared listen-address parser lands
 * (src/cli/listenAddress.ts); the forms are the ones Prometheus exporters use.
 */
export interface ListenAddress {
  host: string;
  port: number;
}

/** Loopback unless a host is named: metrics tell which workloads a host runs and kills. */
export const DEFAULT_LISTEN_HOST = '127.0.0.1';
/** `:PORT`: Node's default, every interface (IPv6 and IPv4 where the host has both). */
export const ANY_HOST = '';

/**
 * Reads `PORT` (loopback), `:PORT` (every interface, as node_exporter's `:9100`),
 * `HOST:PORT` and `[IPv6]:PORT`; null when it is none of these.
 */
export function parseListenAddress(text: string): ListenAddress | null {
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)?(:))?(\d{1,5})$/.exec(text);
  if (!m) return null;
  const port = Number(m[3]);
  if (port > 65535) return null;
  if (m[2] === undefined) return { host: DEFAULT_LISTEN_HOST, port };
  if (m[1] === undefined) return { host: ANY_HOST, port };
  return { host: m[1].replace(/^\[(.*)\]$/, '$1'), port };
}
