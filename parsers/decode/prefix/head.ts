/** What a transport prefix told us, and where the message starts in the line. */
export interface Head {
  host: string | null;
  time: number | null;
  uptime: number | null;
  caller: string | null;
  ident: string | null;
  /** Offset of the message (after the prefix) in the line. */
  rest: number;
}

/**
 * Reads the `host ident[pid]: ` part that follows a syslog/journal time stamp at `from`.
 * A missing host is allowed when the first token is already the `kernel:` tag.
 */
// busybox syslogd may put `facility.level` between host and tag (`host kern.warn kernel: `).
const HOST_IDENT = /^(\S+) (?:[a-z]+\.[a-z]+ )?([^\s:[\]]+)(?:\[\d+\])?: ?/;
const IDENT_ONLY = /^([^\s:[\]]+)(?:\[\d+\])?: ?/;

export function readHostIdent(
  text: string,
  from: number,
): { host: string | null; ident: string | null; rest: number } | null {
  const s = text.slice(from);
  if (s.startsWith('kernel:') || s.startsWith('kernel[')) {
    const m = IDENT_ONLY.exec(s);
    if (m) return { host: null, ident: m[1]!, rest: from + m[0].length };
  }
  const m = HOST_IDENT.exec(s);
  if (m) return { host: m[1]!, ident: m[2]!, rest: from + m[0].length };
  return null;
}
