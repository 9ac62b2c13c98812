import type { Daemon } from './lineKind.js';

/**
 * `journalctl -o short-monotonic` prints `[ 1234.567890] host systemd-oomd[931]: msg`; the
 * decoder splits host and tag off such lines only for `kernel:` (in raw dmesg, `usb 1-1: ...`
 * would look the same), so for an untagged line the daemon's tag may still lead the message.
 */
const TAGGED = /^(?:(\S+) )?(systemd-oomd|systemd|earlyoom)\[\d+\]: ?/;

export function readDaemonTag(message: string): { host: string | null; daemon: Daemon; message: string } | null {
  const m = message.includes(']:') ? TAGGED.exec(message) : null;
  if (!m) return null;
  return { host: m[1] ?? null, daemon: m[2] as Daemon, message: message.slice(m[0].length) };
}
