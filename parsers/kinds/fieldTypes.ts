import { decimal, exactInt, signedInt, sizeInt, type ExactInt } from './kernelInt.js';

export { decimal, exactInt, signedInt, sizeInt };

/**
 * The types a line kind's fields can have, and how a field's text becomes a value (the numbers
 * themselves are made in `kernelInt.ts`, the one converter). Sizes carry their unit in the type (and in the field's name): nothing is
 * converted between units at parse time, so a value is always the number the log gave.
 *
 * A `?` type may be absent from a line (its group did not match): it is then null, never 0.
 * A type without `?` is required: a line whose required field is missing is not of that kind.
 */
export type FieldType =
  | 'int' | 'int?'
  | 'kB' | 'kB?'
  | 'pages' | 'pages?'
  | 'bytes' | 'bytes?'
  | 'exact' | 'exact?'
  | 'string' | 'string?'
  | 'hex'
  | 'flags?'
  | 'decimal?'
  | 'bool'
  | 'strings'
  | 'numbers' | 'numbers?'
  | 'object';

/** The value a field of each type holds once converted. */
export interface FieldValueOf {
  int: number; 'int?': number | null;
  kB: number; 'kB?': number | null;
  pages: number; 'pages?': number | null;
  bytes: number; 'bytes?': number | null;
  /** A 64-bit counter: a number up to 2^53-1, a decimal string above (kernelInt.ExactInt). */
  exact: ExactInt; 'exact?': ExactInt | null;
  string: string; 'string?': string | null;
  hex: string;
  'flags?': string[] | null;
  /** A decimal a daemon prints (percentages, seconds). */
  'decimal?': number | null;
  bool: boolean;
  strings: string[];
  /** A bag of named numbers (`key:value` lines), keys as printed. */
  numbers: Record<string, number>;
  'numbers?': Record<string, number> | null;
  /** A structured value a kind's own reader builds (its shape is in the reader's type). */
  object: unknown;
}

/** Field name -> type, as a line kind declares them. */
export type FieldSpec = Readonly<Record<string, FieldType>>;

/** The converted fields of a spec (types marked `object` get their shape from `Shapes`). */
export type FieldsOf<S extends FieldSpec, Shapes = object> = {
  [K in keyof S]: K extends keyof Shapes ? Shapes[K] : FieldValueOf[S[K]];
};

/** Parses an optional signed integer group: missing stays null, never 0. */
export const int = signedInt;

/** Converts one captured group to its declared type; `undefined` means "not this kind". */
export function convertField(type: FieldType, text: string | undefined): unknown {
  switch (type) {
    case 'int':
      return signedInt(text) ?? undefined;
    case 'int?':
      return signedInt(text);
    case 'kB':
    case 'pages':
    case 'bytes':
      return sizeInt(text) ?? undefined;
    case 'kB?':
    case 'pages?':
    case 'bytes?':
      return sizeInt(text);
    case 'exact':
      return exactInt(text) ?? undefined;
    case 'exact?':
      return exactInt(text);
    case 'string':
      return text === undefined ? undefined : text;
    case 'string?':
      return text ?? null;
    case 'hex':
      return text === undefined ? undefined : text.toLowerCase();
    case 'flags?':
      return text ? text.split('|').filter(Boolean) : null;
    case 'decimal?':
      return decimal(text);
    case 'bool':
      return text !== undefined;
    case 'strings':
      return text === undefined ? undefined : text.split(/\s+/).filter(Boolean);
    case 'numbers':
      return text === undefined ? undefined : numberBag(text);
    case 'numbers?':
      return text === undefined ? null : numberBag(text);
    case 'object':
      return undefined;
    default:
      return assertNever(type);
  }
}

/**
 * `key:value` tokens (Mem-Info, node and zone lines) read as a bag by name, never by position.
 * A value may carry a unit (`15360kB`, `0KB`): the key then gets the unit's suffix (`freeKb`
 * style is left to the record builder; here `free:15360kB` -> `free_kB`).
 */
export function numberBag(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/([A-Za-z_][A-Za-z0-9_()]{0,40}):(-?\d+)(kB|KB)?(?=\s|$)/g)) {
    const n = signedInt(m[2]);
    if (n !== null) out[m[3] ? `${m[1]}_kB` : m[1]!] = n;
  }
  return out;
}

/** Whether a converted value has its declared type (the table test checks every sample with it). */
export function hasType(type: FieldType, value: unknown): boolean {
  switch (type) {
    case 'int':
    case 'kB':
    case 'pages':
    case 'bytes':
      return Number.isInteger(value);
    case 'int?':
    case 'kB?':
    case 'pages?':
    case 'bytes?':
      return value === null || Number.isInteger(value);
    case 'exact':
      return Number.isSafeInteger(value) || (typeof value === 'string' && /^\d+$/.test(value));
    case 'exact?':
      return value === null || Number.isSafeInteger(value) || (typeof value === 'string' && /^\d+$/.test(value));
    case 'string':
    case 'hex':
      return typeof value === 'string';
    case 'string?':
      return value === null || typeof value === 'string';
    case 'flags?':
      return value === null || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    case 'decimal?':
      return value === null || (typeof value === 'number' && Number.isFinite(value));
    case 'bool':
      return typeof value === 'boolean';
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'numbers':
      return isBag(value);
    case 'numbers?':
      return value === null || isBag(value);
    case 'object':
      return value !== undefined;
    default:
      return assertNever(type);
  }
}

function isBag(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => Number.isInteger(v));
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${String(value)}`);
}
