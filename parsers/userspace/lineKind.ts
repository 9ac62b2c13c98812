import type { FieldSpec } from '../kinds/fieldTypes.js';

/** The daemons whose lines we read, by the syslog identifier / journal `SYSLOG_IDENTIFIER` they log under. */
export type Daemon = 'systemd-oomd' | 'systemd' | 'earlyoom';

/**
 * One kind of userspace OOM-killer line, described as data like the kernel's line kinds: which
 * daemon logs it, a substring every such line holds (checked before the regex), the pattern,
 * how its groups become fields, and real-format sample lines with the release they come from.
 */
/**
 * The part a userspace killer's line plays in the story of one kill (the trackers interpret
 * these, with an exhaustive switch, as the kernel assembler interprets the kernel roles).
 */
export type UserspaceRole =
  /** Names the victim: a kill. */
  | { role: 'kill' }
  /** A kill announced before it was tried, without its victim (systemd-oomd 247). */
  | { role: 'announce' }
  /** The attempt failed: withdraws an announcement. */
  | { role: 'withdraw' }
  /** The title of the candidate list logged with a kill. */
  | { role: 'section' }
  /** A line of that list: the start of a candidate, or one of its figures. */
  | { role: 'item'; starts: boolean }
  /** The killed unit's own line from the service manager. */
  | { role: 'corroborates' }
  /** What made the daemon act: a trigger line or the memory figures next to the kill. */
  | { role: 'context'; context: 'memory-report' | 'trigger' }
  /** What happened to the victim after the signal. */
  | { role: 'outcome'; outcome: 'cmdline' | 'escalated' | 'exited' | 'did-not-exit' | 'kill-failed' | 'dry-run' };

export interface UserspaceLineKind<Name extends string, Fields, R extends UserspaceRole = UserspaceRole> {
  name: Name;
  daemon: Daemon;
  hint: string;
  pattern: RegExp;
  /** Field name -> type: every field a line of this kind can yield (a figure line yields one). */
  fields: FieldSpec;
  role: R;
  convert: (groups: Record<string, string | undefined>, message: string) => Fields | null;
  samples: { line: string; version: string; fields?: NoInfer<Partial<Fields>> }[];
}

export function userspaceKind<const Name extends string, Fields, const R extends UserspaceRole>(
  kind: UserspaceLineKind<Name, Fields, R>,
): UserspaceLineKind<Name, Fields, R> {
  return kind;
}

/** An optional decimal group: missing stays null, never 0 (the one converter, `fieldTypes.ts`). */
export { decimal as num } from '../kinds/kernelInt.js';
