import type { ExactInt } from '../kinds/kernelInt.js';
import type { Classified } from '../kinds/classify.js';
import type { Summary } from '../kinds/summaryText.js';
import type { Task } from '../../src/schema/oomRecord.js';

type Fields<K extends Classified['kind']> = Extract<Classified, { kind: K }>['fields'];
export type VictimFields = NonNullable<Fields<'victim'>>;

/** A victim line, where it was, and what the reaper said about it later. */
export interface KillSeen {
  fields: VictimFields;
  line: number;
  time: number | null;
  uptime: number | null;
  reaped: Fields<'reaped'> | null;
}

/** Where the report is, for lines whose meaning depends on the section before them. */
export type Section = 'memcgStats' | 'memInfo' | 'tasks' | null;

/**
 * Everything one OOM report said so far, as it was printed. The assembler fills it line by
 * line; `toRecords` turns it into kill records.
 */
export class OomEvent {
  readonly startLine: number;
  readonly startTime: number | null;
  readonly startUptime: number | null;
  lastTime: number | null;
  lastUptime: number | null;
  /** Lines of this report that were longer than the scanner's cap and were cut. */
  cutLines = 0;
  /** Lines of any kind since the last line this report recognised. */
  quiet = 0;
  section: Section = null;
  /** The last recognised line was a victim line (memory.oom.group members follow directly). */
  lastWasVictim = false;

  trigger: Fields<'trigger'> | null = null;
  cpu: Fields<'cpuLine'> | null = null;
  cpuset: Fields<'cpuset'> | null = null;
  taskIn: Fields<'taskInMemcg'> | null = null;
  limitReached: string | null = null;
  counters = new Map<string, Fields<'memcgCounter'>>();
  statsPath: string | null = null;
  stats: Record<string, ExactInt | null> | null = null;
  /** Limits the kernel printed as "unlimited": counter names and memory.stat keys. */
  unlimited: string[] = [];
  memInfoSeen = false;
  memCounters: Record<string, number> | null = null;
  memNumbers = new Map<string, { pages: number | null; kb: number | null }>();
  pageSizeKb: number | null = null;
  taskColumns: string[] | null = null;
  tasks: Task[] | null = null;
  summaryText: string | null = null;
  summary: Summary | null = null;
  selection: Fields<'selection'> | null = null;
  kills: KillSeen[] = [];
  group = false;
  alsoKilled: { pid: number; comm: string }[] = [];
  end: 'no-killable-process' | 'victim-exiting' | 'panic' | null = null;
  exiting: Fields<'victimExiting'> | null = null;
  rawLines: string[] | null;

  constructor(line: number, time: number | null, uptime: number | null, keepRaw: boolean) {
    this.startLine = line;
    this.startTime = time;
    this.startUptime = uptime;
    this.lastTime = time;
    this.lastUptime = uptime;
    this.rawLines = keepRaw ? [] : null;
  }

  /** True when the report's text told us the OOM was a memory cgroup's. */
  get isMemcg(): boolean {
    if (this.summary) return this.summary.oomMemcg !== null;
    return (
      this.taskIn !== null ||
      this.limitReached !== null ||
      this.counters.has('memory') ||
      this.selection?.reason === 'Memory cgroup out of memory' ||
      this.kills.some((k) => k.fields.reason === 'Memory cgroup out of memory')
    );
  }

  hasKill(pid: number): boolean {
    return this.kills.some((k) => k.fields.pid === pid);
  }
}
