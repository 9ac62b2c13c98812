import { scopeOf } from '../analyze/killFacts.js';
import type { KillRecord } from '../schema/killRecord.js';
import { killerOf } from '../schema/killIdentity.js';

/**
 * The little language of `/` (search) and `f` (filter): words separated by spaces, all of which
 * must match. A bare number is a pid (victim, allocating task or a process killed with the
 * victim); any other bare word is looked for, case-insensitively, in process names, the host, the
 * cgroup paths and the workload (for systemd-oomd, the unit). `host:`, `comm:`, `pid:`, `cgroup:`,
 * `scope:` (memcg, global, unknown, userspace), `type:` and `killer:` (kernel, systemd-oomd,
 * earlyoom) narrow a word to one field.
 */
export type KillQuery = (record: KillRecord) => boolean;

const FIELDS = ['host', 'comm', 'pid', 'cgroup', 'scope', 'type', 'killer'] as const;
type Field = (typeof FIELDS)[number];

export function parseKillQuery(text: string): KillQuery {
  const terms = text.trim().split(/\s+/).filter(Boolean).map(parseTerm);
  return (r) => terms.every((t) => t(r));
}

function parseTerm(word: string): KillQuery {
  const m = /^([a-z]+)[:=](.*)$/i.exec(word);
  const field = m ? FIELDS.find((f) => f === m[1]!.toLowerCase()) : undefined;
  if (m && field) return fieldTerm(field, m[2]!.toLowerCase());
  const needle = word.toLowerCase();
  if (/^\d+$/.test(word)) return (r) => pidsOf(r).includes(Number(word));
  return (r) => texts(r).some((t) => t.toLowerCase().includes(needle));
}

function fieldTerm(field: Field, needle: string): KillQuery {
  const has = (values: (string | null | undefined)[]) => values.some((v) => v != null && v.toLowerCase().includes(needle));
  switch (field) {
    case 'host':
      return (r) => has([r.host]);
    case 'comm':
      return (r) => has(commsOf(r));
    case 'pid':
      return (r) => pidsOf(r).includes(Number(needle));
    case 'cgroup':
      return (r) => has(cgroupsOf(r));
    case 'scope':
      return (r) => scopeOf(r) === needle;
    case 'type':
      return (r) => r.type.toLowerCase() === needle;
    case 'killer':
      return (r) => killerOf(r).includes(needle);
  }
}

function commsOf(r: KillRecord): (string | null | undefined)[] {
  if (r.type === 'userspace-kill') return [r.victim.comm, r.victim.unit];
  return [r.victim?.comm, r.trigger?.comm, ...r.alsoKilled.map((k) => k.comm)];
}

function pidsOf(r: KillRecord): (number | null | undefined)[] {
  if (r.type === 'userspace-kill') return [r.victim.pid];
  return [r.victim?.pid, r.trigger?.pid, ...r.alsoKilled.map((k) => k.pid)];
}

function cgroupsOf(r: KillRecord): (string | null | undefined)[] {
  return r.type === 'userspace-kill' ? [r.victim.cgroup] : [r.cgroup?.path, r.taskMemcg];
}

function texts(r: KillRecord): string[] {
  const w = r.workload;
  const all = [...commsOf(r), r.host, ...cgroupsOf(r), w?.id, w?.pod, w?.container, w?.unit];
  return all.filter((t): t is string => typeof t === 'string');
}
