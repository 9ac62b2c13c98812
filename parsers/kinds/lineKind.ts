/**
 * One kind of OOM report line, described as data: the pattern (named groups), how the groups
 * become fields, and real sample lines with the kernel they came from. The classifier tries
 * entries by the message's first character (`first`) or, for lines that begin with a free-form
 * name, by a substring every such line holds (`hint`).
 */
export interface LineKind<Name extends string, Fields> {
  name: Name;
  /** First characters a matching message can start with; omitted when it starts with a name. */
  first?: string;
  /** A substring every matching message contains (checked before the regex, for speed). */
  hint?: string;
  pattern: RegExp;
  convert: (groups: Record<string, string | undefined>, message: string) => Fields | null;
  samples: { line: string; kernel: string; fields?: NoInfer<Partial<Fields>> }[];
}

export function lineKind<Name extends string, Fields>(kind: LineKind<Name, Fields>): LineKind<Name, Fields> {
  return { ...kind, pattern: bytesAsWritten(kind.pattern) };
}

/**
 * A name is whatever bytes the kernel wrote: a comm set with prctl(PR_SET_NAME) can hold
 * U+2028, U+2029 or CR, which `.` does not match without the `s` flag, and a kill must not
 * vanish because of its victim's name.
 */
export function bytesAsWritten(pattern: RegExp): RegExp {
  return pattern.flags.includes('s') ? pattern : new RegExp(pattern.source, `${pattern.flags}s`);
}

/** Parses an optional integer group: missing stays null, never 0. */
export function int(v: string | undefined): number | null {
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
