import { describe, expect, it } from 'vitest';
import { parseListenAddress } from '../src/cli/listenAddress.js';

describe('--metrics listen address', () => {
  it('accepts PORT, :PORT, HOST:PORT and [IPv6]:PORT, loopback by default', () => {
    expect(parseListenAddress('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress(':9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(parseListenAddress('metrics.local:0')).toEqual({ host: 'metrics.local', port: 0 });
    expect(parseListenAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(parseListenAddress('[::]:9464')).toEqual({ host: '::', port: 9464 });
  });
  it.each(['', 'abc', '99999', '::1:9464', '[::1]', 'host:', 'a b:1', '[nope]:1'])('rejects %j naming the option', (text) => {
    expect(() => parseListenAddress(text)).toThrow(/^--metrics: /);
  });
});
