/**
 * Byte strings at least one of which is in every userspace-killer line that starts or completes
 * a kill, for the scanner's candidate filter (lines without any are skipped undecoded). The
 * candidate block's lines and those after an earlyoom kill need none: the assembler asks for
 * every line while it reads a block or waits for an outcome.
 *
 * Speed: the filter's stride is set by the first 11 bytes of each needle, and a byte pair that
 * ends one is verified wherever it occurs, so each needle is chosen to end in a pair that is
 * rare in logs (`md`, `IG`, `ee`), not in `: ` or `o `.
 */
export const USERSPACE_NEEDLES = [
  // systemd-oomd by name: its tag (`systemd-oomd[931]:`, `"SYSLOG_IDENTIFIER":"systemd-oomd"`) is
  // on every line it logs, and systemd's unit line says `systemd-oomd killed`.
  'ystemd-oomd',
  // earlyoom: the kill (`sending SIGTERM to process`), the trigger (`at or below SIGKILL limits`),
  // the memory report printed with it (`..., swap free: 204 of 4095 MiB`), and up to 1.1
  // `Out of memory! avail` and `Killing process`.
  'sending SIG',
  'or below SIG',
  ', swap free',
  'memory! avail',
  'Killing process ',
] as const;
