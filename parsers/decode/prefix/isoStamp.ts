import type { DecodeContext } from '../decodeContext.js';
import { readHostIdent, type Head } from './head.js';

/**
 * Lines that start with an ISO 8601 stamp:
 * - rsyslog RFC 3339 / `journalctl -o short-iso[-precise]`: `STAMP host ident: msg` (syslog-ng
 *   templates may put a space where the `T` goes);
 * - `dmesg --time-format iso`: `2026-11-26T06:13:05,123456+00:00 msg` (comma fraction, no host);
 * - VMware `vmware.log` guest lines: `STAMP In(05) vcpu-5 - Guest: <6>[uptime] msg`.
 */
const ISO = /^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?) /;
const VMWARE_GUEST = /^\S+ vcpu-\d+ - Guest: /;

export function readIsoStamp(text: string, ctx: DecodeContext): Head | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const stamp = m[1]!;
  const time = ctx.clock.isoToEpoch(stamp);
  const from = m[0].length;
  const head: Head = { host: null, time, uptime: null, caller: null, ident: null, rest: from };
  if (stamp.includes(',')) return head; // util-linux dmesg
  const vm = VMWARE_GUEST.exec(text.slice(from));
  if (vm) return { ...head, rest: from + vm[0].length };
  const hi = readHostIdent(text, from);
  if (hi) return { ...head, host: hi.host, ident: hi.ident, rest: hi.rest };
  return head;
}
