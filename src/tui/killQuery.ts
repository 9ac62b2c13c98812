import { scopeOf } from '../analyze/killFacts.js';
import type { OomRecord } from '../schema/oomRecord.js';

/**
 * The little language of `/` (search) and `f` (filter): words separated by spaces, all of which
 * must match. A bare number is a pid (victim, allocating task or a process killed with the
 * victim); any other bare word is looked for, case-insensitively, in process names, the host, the
 * cgroup paths and the workload. `host:`, `comm:`, `pid:`, `cgroup:`, `scope:` (memcg, global,
 * unknown) and `type:` narrow a word to one field.
 */
export type KillQuery = (record: OomRecord) => boolean;

const FIELDS = ['host', 'comm', 'pid', 'cgroup', 'scope', 'type'] as const;
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
      return (r) => has([r.cgroup?.path, r.taskMemcg]);
    case 'scope':
      return (r) => scopeOf(r) === needle;
    case 'type':
      return (r) => r.type.toLowerCase() === needle;
  }
}

function commsOf(r: OomRecord): (string | null | undefined)[] {
  return [r.victim?.comm, r.trigger?.comm, ...r.alsoKilled.map((k) => k.comm)];
}

function pidsOf(r: OomRecord): (number | null | undefined)[] {
  return [r.victim?.pid, r.trigger?.pid, ...r.alsoKilled.map((k) => k.pid)];
}

function texts(r: OomRecord): string[] {
  const w = r.workload;
  const all = [...commsOf(r), r.host, r.cgroup?.path, r.taskMemcg, w?.id, w?.pod, w?.container, w?.unit];
  return all.filter((t): t is string => typeof t === 'string');
}
