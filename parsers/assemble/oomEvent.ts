import type { Classified, FieldsOf, KindName } from '../kinds/classify.js';
import type { EndReason, Section } from '../kinds/roles.js';

export type VictimFields = FieldsOf<'victim'>;

/** A victim line, where it was, and what the reaper said about it later. */
export interface KillSeen {
  fields: VictimFields;
  /** The kill line as printed (a re-wrapped tail is joined to it). */
  message: string;
  line: number;
  time: number | null;
  uptime: number | null;
  reaped: FieldsOf<'reaped'> | null;
}

/** One recognised line of the report: its fields, its text (for pr_cont joins), its section. */
export interface Seen<K extends KindName = KindName> {
  fields: FieldsOf<K>;
  message: string;
  /** The section the line was in (items are kept only inside their section). */
  section: Section | null;
}

/**
 * Everything one OOM report said so far, as it was printed: the lines of each kind in order, the
 * kills, and where the report is. The assembler fills it by the kinds' roles; `eventRecords`
 * reads it into kill records. Nothing here knows a kind's meaning.
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
  section: Section | null = null;
  /** The last recognised line was a kill line (memory.oom.group members follow directly). */
  lastWasKill = false;
  /** The kernel's rate limit suppressed this report's dump (its kill lines stand alone). */
  rateLimited = false;
  /** A line said every later kill belongs to this report (memory.oom.group). */
  joinsKills = false;
  kills: KillSeen[] = [];
  end: EndReason | null = null;
  rawLines: string[] | null;
  private readonly seen = new Map<KindName, Seen[]>();
  /** Lines read inside a section, of any kind, in the order printed. */
  private readonly sectioned: (Seen & { kind: KindName })[] = [];

  constructor(line: number, time: number | null, uptime: number | null, keepRaw: boolean) {
    this.startLine = line;
    this.startTime = time;
    this.startUptime = uptime;
    this.lastTime = time;
    this.lastUptime = uptime;
    this.rawLines = keepRaw ? [] : null;
  }

  add(c: Classified, message: string): void {
    const list = this.seen.get(c.kind);
    const seen: Seen = { fields: c.fields, message, section: this.section };
    if (list) list.push(seen);
    else this.seen.set(c.kind, [seen]);
    if (seen.section !== null) this.sectioned.push({ ...seen, kind: c.kind });
  }

  /** The lines read inside `section`, in the order printed. */
  linesIn(section: Section): readonly Classified[] {
    return this.sectioned.filter((s) => s.section === section).map((s) => ({ kind: s.kind, fields: s.fields }) as Classified);
  }

  /** Replaces the last line of a kind (a pr_cont head joined with its tail). */
  replaceLast(c: Classified, message: string): void {
    const list = this.seen.get(c.kind);
    if (list && list.length > 0) list[list.length - 1] = { fields: c.fields, message, section: list[list.length - 1]!.section };
  }

  has(kind: KindName): boolean {
    return this.seen.has(kind);
  }

  all<K extends KindName>(kind: K): Seen<K>[] {
    return (this.seen.get(kind) ?? []) as unknown as Seen<K>[];
  }

  first<K extends KindName>(kind: K): FieldsOf<K> | null {
    return (this.seen.get(kind)?.[0]?.fields ?? null) as FieldsOf<K> | null;
  }

  last<K extends KindName>(kind: K): Seen<K> | null {
    const list = this.seen.get(kind);
    return (list?.[list.length - 1] ?? null) as Seen<K> | null;
  }

  /** Fields of the lines of `kind` that were read inside `section`. */
  inSection<K extends KindName>(kind: K, section: Section): FieldsOf<K>[] {
    return this.all(kind).filter((s) => s.section === section).map((s) => s.fields);
  }

  /** Only kill lines (and reaper notes): the dump before them was not printed or not kept. */
  get bare(): boolean {
    for (const kind of this.seen.keys()) if (kind !== 'reaped' && kind !== 'unableToReap' && kind !== 'callbacksSuppressed') return false;
    return this.kills.length > 0;
  }

  hasKill(pid: number): boolean {
    return this.kills.some((k) => k.fields.pid === pid);
  }
}
