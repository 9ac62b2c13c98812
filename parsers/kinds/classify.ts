import { LINE_KINDS } from './table.js';

type Kinds = (typeof LINE_KINDS)[number];
/** A message recognised as one kind of OOM line, with its converted fields. */
export type Classified = {
  [K in Kinds as K['name']]: { kind: K['name']; fields: NonNullable<ReturnType<K['convert']>> };
}[Kinds['name']];
export type KindName = Classified['kind'];

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

function tryKind(kind: Kinds, text: string): Classified | null {
  const m = kind.pattern.exec(text);
  if (!m) return null;
  const fields = (kind.convert as (g: Record<string, string | undefined>, t: string) => unknown)(m.groups ?? {}, text);
  if (fields === null) return null;
  return { kind: kind.name, fields } as Classified;
}
