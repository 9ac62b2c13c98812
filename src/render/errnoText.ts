import { getSystemErrorMap } from 'node:util';

/** A system error in words, with its code (`no space left on device (ENOSPC)`); else its message. */
export function errnoText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const words = typeof e.errno === 'number' ? getSystemErrorMap().get(e.errno)?.[1] : undefined;
  return words && e.code ? `${words} (${e.code})` : e instanceof Error ? e.message : String(err);
}
