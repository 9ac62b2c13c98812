import { bytesAsWritten } from '../kinds/lineKind.js';

/** The daemons whose lines we read, by the syslog identifier / journal `SYSLOG_IDENTIFIER` they log under. */
export type Daemon = 'systemd-oomd' | 'systemd' | 'earlyoom';

/**
 * One kind of userspace OOM-killer line, described as data like the kernel's line kinds: which
 * daemon logs it, a substring every such line holds (checked before the regex), the pattern,
 * how its groups become fields, and real-format sample lines with the release they come from.
 */
export interface UserspaceLineKind<Name extends string, Fields> {
  name: Name;
  daemon: Daemon;
  hint: string;
  pattern: RegExp;
  convert: (groups: Record<string, string | undefined>, message: string) => Fields | null;
  samples: { line: string; version: string; fields?: NoInfer<Partial<Fields>> }[];
}

export function userspaceKind<Name extends string, Fields>(kind: UserspaceLineKind<Name, Fields>): UserspaceLineKind<Name, Fields> {
  return { ...kind, pattern: bytesAsWritten(kind.pattern) };
}

/** An optional decimal group: missing stays null, never 0 (the kernel table's helper). */
export { int as num } from '../kinds/lineKind.js';
