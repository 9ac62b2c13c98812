/** Exit codes, documented in README. */
export const EXIT = {
  ok: 0,
  /** Some input could not be read; the rest was scanned and reported. */
  inputError: 1,
  usage: 2,
  /** `--fail-on-kill` and at least one kill was found. */
  killFound: 3,
} as const;
