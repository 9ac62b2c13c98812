/**
 * Byte strings at least one of which is in every userspace-killer line that starts or completes
 * a kill, for the scanner's candidate filter (lines without any are skipped undecoded). The
 * candidate block's own lines (`Path:`, `Pressure:` ...) carry none: the assembler asks for every
 * line while it reads one, and while an earlyoom kill waits for its outcome. Each is at least 11
 * bytes, like the kernel's needles, so the filter keeps its stride.
 */
export const USERSPACE_NEEDLES = [
  // systemd-oomd
  'due to memory ',
  'due to swap used',
  'reclaim activity',
  'Swap used (',
  'Failed to kill any cgroup',
  'cgroups for killing',
  // systemd, for the unit
  'systemd-oomd killed ',
  // earlyoom (its `Could not kill process` holds the kernel's `ill process `)
  'mem avail: ',
  'or below SIG',
  'Out of memory! avail',
  'SIGTERM to process',
  'SIGKILL to process',
  'Killing process ',
] as const;
