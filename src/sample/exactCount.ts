/**
 * Kernel counters are unsigned 64-bit. A JSON number is exact only up to 2^53 (8 PiB), so a
 * value is kept as a number when it is exact and as its decimal string otherwise: nothing is
 * rounded. The reader parses with BigInt and decides here, in one place.
 */
export type Exact = number | string;

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The value as a JSON number when exact, else its exact decimal string. */
export function exact(value: bigint): Exact {
  return value <= SAFE && value >= -SAFE ? Number(value) : value.toString();
}

/** An unsigned decimal as the kernel prints it; null when the text is not one. */
export function parseUnsigned(text: string): bigint | null {
  const t = text.trim();
  return /^\d{1,20}$/.test(t) ? BigInt(t) : null;
}

/** For arithmetic (rates, shares), where a double is precise enough; never for printing a value. */
export function approx(value: Exact): number {
  return typeof value === 'number' ? value : Number(value);
}

/** The exact decimal text of a value, for printing and environment variables. */
export function exactText(value: Exact): string {
  return typeof value === 'number' ? String(value) : value;
}
