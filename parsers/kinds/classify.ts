import type { LineKind } from './lineKind.js';
import { readDeclared } from './lineKind.js';
import type { Role } from './roles.js';
import { LINE_KINDS } from './table.js';

type Kinds = (typeof LINE_KINDS)[number];
type FieldsOfKind<K> = K extends LineKind<string, infer _S, infer F> ? F : never;
/** A message recognised as one kind of OOM line, with its converted fields. */
export type Classified = {
  [K in Kinds as K['name']]: { kind: K['name']; fields: FieldsOfKind<K> };
}[Kinds['name']];
export type KindName = Classified['kind'];
/** The fields a line of kind `K` yields. */
export type FieldsOf<K extends KindName> = Extract<Classified, { kind: K }>['fields'];

/** Each kind's entry by name (roles, `incomplete`), for the assembler. */
export const KIND_BY_NAME = new Map<KindName, Kinds>(LINE_KINDS.map((k) => [k.name, k]));

export function roleOf(kind: KindName): Role {
  return KIND_BY_NAME.get(kind)!.role;
}

// Entries indexed by the first character they can start with; the rest are tried by hint.
const byFirst = new Map<string, Kinds[]>();
const byHint: Kinds[] = [];
for (const kind of LINE_KINDS) {
  if ('first' in kind && kind.first) {
    for (const ch of kind.first) byFirst.set(ch, [...(byFirst.get(ch) ?? []), kind]);
  } else {
    byHint.push(kind);
  }
}

/**
 * Classifies one kernel message (prefix already removed). Leading blanks are ignored (they
 * mark continuation lines). Returns null for a line that is not part of an OOM report's
 * vocabulary; never throws.
 */
export function classify(message: string): Classified | null {
  const text = message.charCodeAt(0) === 0x20 || message.charCodeAt(0) === 0x09 ? message.trimStart() : message;
  const first = byFirst.get(text.charAt(0));
  if (first) {
    for (const kind of first) {
      const hit = tryKind(kind, text);
      if (hit) return hit;
    }
  }
  for (const kind of byHint) {
    if (kind.hint && !text.includes(kind.hint)) continue;
    const hit = tryKind(kind, text);
    if (hit) return hit;
  }
  return null;
}

/** Reads `text` as one given kind, or null (the table test uses it to find samples two kinds match). */
export function tryKind(kind: Kinds, text: string): Classified | null {
  const m = kind.pattern.exec(text);
  if (!m) return null;
  const groups = m.groups ?? {};
  const entry = kind as LineKind<string, Record<string, never>, unknown>;
  const fields = entry.read ? entry.read(groups, text) : readDeclared(kind.fields, entry.groups, groups);
  if (fields === null) return null;
  return { kind: kind.name, fields } as Classified;
}
