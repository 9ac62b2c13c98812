import { z } from 'zod';

/**
 * One kernel log line with its transport prefix taken off: what the prefix told us, and the
 * message the kernel printed. Fields the prefix does not carry are null.
 */
export const DecodedLine = z.object({
  /** Host name from a syslog/journal prefix. */
  host: z.string().nullable(),
  /** Wall-clock time in epoch milliseconds. */
  time: z.number().nullable(),
  /** Seconds since boot (printk time, kmsg or journal monotonic stamp). */
  uptime: z.number().nullable(),
  /** printk caller id, `T1234` (task) or `C2` (cpu). */
  caller: z.string().nullable(),
  /** Syslog tag / journal identifier (`kernel`, `CRON`, ...), null when the prefix has none. */
  ident: z.string().nullable(),
  /** The message, prefix removed; leading spaces kept (they mark Mem-Info continuations). */
  message: z.string(),
  /** True for an indented line with no prefix of its own (dmesg/journalctl multi-line record). */
  continuation: z.boolean(),
  /** Set when the physical line was longer than the scanner's cap and lost its tail. */
  cut: z.boolean().optional(),
  /**
   * Set for a line with no prefix of its own among prefixed lines (a paste that lost a stamp, a
   * mail client's re-wrapped tail): it takes the host, caller and time of the line before it.
   */
  unprefixed: z.boolean().optional(),
});
export type DecodedLine = z.infer<typeof DecodedLine>;
