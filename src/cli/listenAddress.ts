import { isIP } from 'node:net';

/** Where `watch --metrics` listens. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** The bind address when only a port is given: loopback, so metrics are not exposed by accident. */
export const DEFAULT_METRICS_HOST = '127.0.0.1';

export const LISTEN_FORMS = 'PORT, :PORT, HOST:PORT or [IPv6]:PORT (port 0-65535; host default 127.0.0.1)';

/**
 * Reads `PORT`, `:PORT`, `HOST:PORT` or `[IPv6]:PORT`; throws an Error naming the allowed forms.
 * A bare IPv6 address needs its brackets (`[::1]:9464`): `::1:9464` is ambiguous.
 */
export function parseListenAddress(text: string, option = '--metrics'): ListenAddress {
  const m = /^(?:(\[[^\]]*\]|[^:[\]]*):)?(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new Error(`${option}: '${text}' is not a listen address: give ${LISTEN_FORMS}`);
  const given = m[1] ?? '';
  if (given.startsWith('[')) {
    const host = given.slice(1, -1);
    if (isIP(host) !== 6) throw new Error(`${option}: '${host}' in brackets is not an IPv6 address`);
    return { host, port };
  }
  if (given === '') return { host: DEFAULT_METRICS_HOST, port };
  if (!/^[A-Za-z0-9.-]+$/.test(given)) throw new Error(`${option}: '${given}' is not a host name or IPv4 address (${LISTEN_FORMS})`);
  return { host: given, port };
}
