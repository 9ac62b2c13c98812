import type { Daemon } from './lineKind.js';
import { USERSPACE_LINE_KINDS } from './table.js';

type Kinds = (typeof USERSPACE_LINE_KINDS)[number];
/** A message recognised as one kind of userspace-killer line, with its converted fields. */
export type UserspaceLine = {
  [K in Kinds as K['name']]: { kind: K['name']; daemon: K['daemon']; role: K['role']['role']; detail: K['role']; fields: NonNullable<ReturnType<K['convert']>> };
}[Kinds['name']];
export type UserspaceKindName = UserspaceLine['kind'];

const byDaemon = new Map<Daemon, Kinds[]>();
for (const kind of USERSPACE_LINE_KINDS) byDaemon.set(kind.daemon, [...(byDaemon.get(kind.daemon) ?? []), kind]);

/** The daemon a syslog identifier names, or null for any other program. */
export function daemonOf(ident: string): Daemon | null {
  return ident === 'systemd-oomd' || ident === 'systemd' || ident === 'earlyoom' ? ident : null;
}

/**
 * Classifies one message of `daemon` (null: the line carried no identifier, as in
 * `journalctl -o cat` output, so every daemon's kinds are tried). Returns null for lines that
 * tell nothing about a kill; never throws.
 */
export function classifyUserspace(daemon: Daemon | null, message: string): UserspaceLine | null {
  const kinds = daemon === null ? USERSPACE_LINE_KINDS : (byDaemon.get(daemon) ?? []);
  for (const kind of kinds) {
    if (!message.includes(kind.hint)) continue;
    const m = kind.pattern.exec(message);
    if (!m) continue;
    const fields = (kind.convert as (g: Record<string, string | undefined>, t: string) => unknown)(m.groups ?? {}, message);
    if (fields !== null) return { kind: kind.name, daemon: kind.daemon, role: kind.role.role, detail: kind.role, fields } as UserspaceLine;
  }
  return null;
}
