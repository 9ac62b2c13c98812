/**
 * Where a transport folded one kernel record's embedded newlines into one line (rsyslog's
 * `#012`, kmsg's `\x0a`, a journal MESSAGE's `\n`), we split it back only when the record has
 * the shape of the one multi-line block an OOM report holds: the memory.stat dump (`anon 1234`,
 * `file 5678`, ...) that kernels before 6.4 print with a single printk, and the Mem-Info counters
 * (`active_anon:50 inactive_anon:400120#012 active_file:0 ...`) of show_free_areas, after an
 * optional `Mem-Info:` or `Memory cgroup stats for PATH:` header. A newline (or `#012`
 * text) anywhere else is part of a value the kernel printed: a cgroup path, a comm. Splitting
 * there would let whoever names a cgroup or a process forge report lines.
 */
const STAT_LINE = /^[a-z][a-z0-9_]{0,63} \d{1,20}$/;
const COUNTER_LINE = /^ ?[a-z][a-z0-9_]{0,63}:\d{1,20}(?:kB)?(?: [a-z][a-z0-9_]{0,63}:\d{1,20}(?:kB)?){0,15}$/;
/** The kernel puts `:` right after the path, so a path cannot end a piece that passes as a header. */
const HEADER = /^(?:Mem-Info:|Memory cgroup stats for \S.*:)$/s;

function isBlockLine(part: string): boolean {
  return STAT_LINE.test(part) || COUNTER_LINE.test(part);
}

export function splitFoldedBlock(message: string, separator: string): string[] {
  if (!message.includes(separator)) return [message];
  const parts = message.split(separator);
  if (parts.at(-1) === '') parts.pop();
  if (parts.length < 2 || !parts.every((p, i) => isBlockLine(p) || (i === 0 && HEADER.test(p)))) return [message];
  return parts;
}
