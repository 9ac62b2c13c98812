/**
 * The part a line kind plays in an OOM report. The assembler is an interpreter of these roles
 * (one `switch` the compiler checks for exhaustiveness); it knows no kind by name.
 *
 * Report layout, from `out_of_memory()` -> `oom_kill_process()` -> `dump_header()`: the trigger
 * line, the stack dump, the memory section (memcg counters and stats, or Mem-Info), the task
 * table, the `oom-kill:` summary, the kill line(s); later the oom_reaper line.
 */

/** Sections whose lines mean something only after their title line. */
export type Section = 'memcgStats' | 'memInfo' | 'tasks' | 'allocations';

/** What a second line of a kind in one open report means. */
export type Repeat =
  /** Every one belongs to the report (lists, stack lines). */
  | 'all'
  /** The first one counts; later ones are kept but read as nested detail (child cgroups). */
  | 'first'
  /** One seen after the report's kill begins the next report; before it, the first counts. */
  | 'afterKill'
  /** A second one, or one after the kill, begins the next report. */
  | 'once';

/** Why a report ended without a kill (the record's `reason`). */
export type EndReason = 'no-killable-process' | 'victim-exiting' | 'panic';

/** What a line that stands alone does. */
export type EventEffect =
  /** `oom_reaper: reaped process`: attaches to the kill of that pid and comm, even a late one. */
  | 'reaper'
  /** A boot banner naming the host's kernel release. */
  | 'kernelRelease'
  /** `oom_kill_process: N callbacks suppressed`: the kernel rate limit ate the dumps that follow. */
  | 'rateLimit'
  /** Part of an open report that changes none of its fields. */
  | 'note';

export type Role =
  /** Begins a report; any report open on the stream ends before it. */
  | { role: 'start' }
  /**
   * A line of the report. `opens`: it may begin a report when none is open (a fragment pasted
   * from the middle). `section`: it is the title of that section (null: it ends the section).
   * `joinsKills`: every kill line after it belongs to this report (memory.oom.group).
   */
  | { role: 'part'; opens: boolean; repeat: Repeat; section?: Section | null; joinsKills?: boolean }
  /** A line that counts only inside its section (stat lines, task rows, counter lines). */
  | { role: 'item'; section: Section | readonly Section[] }
  /**
   * The second piece of a line of kind `of` that another CPU's line split off (pr_cont):
   * joined to it only while that line is incomplete, and the whole is read again.
   */
  | { role: 'continues'; of: string }
  /** The kill: `Killed process`. */
  | { role: 'kill' }
  /** Ends the report without a kill. */
  | { role: 'end'; reason: EndReason; opens: boolean }
  | { role: 'event'; effect: EventEffect };
