import { convertField, type FieldSpec, type FieldValueOf } from './fieldTypes.js';
import type { Role } from './roles.js';

/** The fields a reader must return for a spec: declared types, `object` fields of any shape. */
export type ReadFields<S extends FieldSpec> = { [K in keyof S]: S[K] extends 'object' ? unknown : FieldValueOf[S[K]] };

/**
 * One kind of OOM report line, described as data (lnav's formats are the model): the pattern
 * with named groups, the fields it yields with their types, its role in the report, and real
 * sample lines with the kernel they came from. The classifier tries entries by the message's
 * first character (`first`) or, for lines that begin with a free-form name, by a substring every
 * such line holds (`hint`).
 *
 * Fields are read from the groups of the same name (or from `groups` aliases), converted by
 * their declared type (`fieldTypes.ts`, the one place numbers are made). A kind whose fields
 * need more than a group each (a comm that may hold `)`, a summary read from the right) has a
 * `read`; the compiler checks it returns the declared fields, the table test checks their types.
 */
export interface LineKind<Name extends string, Spec extends FieldSpec, F> {
  name: Name;
  /** First characters a matching message can start with; omitted when it starts with a name. */
  first?: string;
  /** A substring every matching message contains (checked before the regex, for speed). */
  hint?: string;
  pattern: RegExp;
  /** Field name -> type: what a line of this kind yields. */
  fields: Spec;
  /** Other group names a field is read from when its own group did not match (older formats). */
  groups?: { readonly [K in keyof Spec]?: readonly string[] };
  /** Reads the fields when one group per field is not enough; null: not this kind after all. */
  read?: (groups: Record<string, string | undefined>, message: string) => F | null;
  role: Role;
  /** For a kind a `continues` kind may join: whether the line as read so far lacks its tail. */
  incomplete?: (fields: F) => boolean;
  samples: { line: string; kernel: string; fields?: NoInfer<Partial<F>> }[];
}

export function lineKind<const Name extends string, const Spec extends FieldSpec, F extends ReadFields<Spec> = ReadFields<Spec>>(
  kind: LineKind<Name, Spec, F>,
): LineKind<Name, Spec, F> {
  return kind;
}

/** Reads a kind's declared fields from its pattern's groups; null when a required one is missing. */
export function readDeclared(
  spec: FieldSpec,
  aliases: Readonly<Record<string, readonly string[] | undefined>> | undefined,
  groups: Record<string, string | undefined>,
): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const name in spec) {
    let text = groups[name];
    for (const alias of aliases?.[name] ?? []) text ??= groups[alias];
    const value = convertField(spec[name]!, text);
    if (value === undefined) return null;
    out[name] = value;
  }
  return out;
}

export { int } from './fieldTypes.js';
