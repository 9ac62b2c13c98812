import type { OomRecord } from '../../src/schema/oomRecord.js';
import type { DecodedLine } from '../decode/decodedLine.js';
import { isKernelLine } from '../decode/kernelLine.js';
import { classify, KIND_BY_NAME, type Classified, type FieldsOf, type KindName } from '../kinds/classify.js';
import { assertNever } from '../kinds/fieldTypes.js';
import type { Role } from '../kinds/roles.js';
import { LINE_KINDS } from '../kinds/table.js';
import { eventRecords } from './eventRecords.js';
import { OomEvent } from './oomEvent.js';

export interface AssemblerOptions {
  file?: string | null;
  /** Keep each report's raw lines in `rawLines` (TUI, explain). */
  keepRaw?: boolean;
  emit: (record: OomRecord) => void;
}

/** Kinds that may open a report when none is open on the stream (from the table's roles). */
export const OPENERS: ReadonlySet<KindName> = new Set(
  LINE_KINDS.filter((k) => {
    const r: Role = k.role;
    return r.role === 'start' || r.role === 'kill' || ((r.role === 'part' || r.role === 'end') && r.opens);
  }).map((k) => k.name),
);

/** After its kill, a report stays open this many unrelated lines for group members and the like. */
const AFTER_KILL_LINES = 50;
/** Before its kill, a report survives this many unrelated lines (huge Mem-Info, interleaving). */
const BEFORE_KILL_LINES = 3000;
/** A gap this long (seconds) between two lines of one stream means a new report. */
const MAX_GAP_SECONDS = 30;
/** Finished kills wait this many lines for a late oom_reaper line before they are written. */
const REAPER_WAIT_LINES = 5000;

interface Stream {
  key: string;
  host: string | null;
  event: OomEvent | null;
}

interface Pending {
  record: OomRecord;
  releaseAt: number;
  /** The record is a kill line with no dump of its own (a rate limit may have eaten it). */
  bare: boolean;
}

/**
 * The dump assembler: a state machine per stream (host, and printk caller id where printed)
 * that turns decoded lines into kill records. Lines it does not recognise never end a report
 * early; a report ends at the next report's first line, after a run of unrelated lines, at a
 * time gap, or at the end of input. Holds memory only for open reports and for finished kills
 * waiting for their late `oom_reaper` line.
 */
export class Assembler {
  private readonly streams = new Map<string, Stream>();
  private readonly kernelByHost = new Map<string | null, string>();
  private readonly pending: Pending[] = [];
  /** Hosts whose dump_header() rate limit was seen at work since their last dump. */
  private readonly suppressing = new Set<string | null>();
  private readonly lastDumpLine = new Map<string | null, number>();
  private readonly file: string | null;
  private readonly keepRaw: boolean;
  private readonly emit: (record: OomRecord) => void;
  private lineNo = 0;

  constructor(options: AssemblerOptions) {
    this.file = options.file ?? null;
    this.keepRaw = options.keepRaw ?? false;
    this.emit = options.emit;
  }

  /** True while some report is open: the caller must then feed every line, not only candidates. */
  wantsEveryLine(): boolean {
    return this.streams.size > 0;
  }

  /** Feeds one decoded line; `lineNo` is its 1-based physical line number. */
  push(line: DecodedLine, lineNo: number, raw?: string): void {
    this.lineNo = lineNo;
    if (!isKernelLine(line)) {
      this.ageAll();
      return;
    }
    const key = `${line.host ?? ''}\u0000${line.caller ?? ''}`;
    const c = classify(line.message);
    const stream = this.streams.get(key);
    if (stream?.event) this.closeIfStale(stream, line);
    this.ageAll(stream);
    if (c === null && stream?.event && line.unprefixed && this.rewrapped(stream.event, line.message)) {
      this.touch(stream.event, line, raw);
    } else if (c === null) {
      if (stream?.event) {
        stream.event.quiet += 1;
        // A line between two kill lines (e.g. "callbacks suppressed") means separate OOMs.
        stream.event.lastWasKill = false;
        this.touch(stream.event, line, raw);
      }
    } else {
      this.interpret(c, stream ?? { key, host: line.host, event: null }, line, raw);
    }
    this.releaseDue();
  }

  /** What line `c` does, by its kind's role in the report. */
  private interpret(c: Classified, stream: Stream, line: DecodedLine, raw: string | undefined): void {
    const role: Role = KIND_BY_NAME.get(c.kind)!.role;
    switch (role.role) {
      case 'event':
        return this.event(role.effect, c, stream, line, raw);
      case 'start':
        this.close(stream);
        this.suppressing.delete(line.host);
        this.lastDumpLine.set(line.host, this.lineNo);
        return this.take(this.open(stream, line), c, line, raw, { section: null });
      case 'part': {
        let e = stream.event;
        if (e && this.repeats(e, c.kind, role.repeat)) {
          this.close(stream);
          e = null;
        }
        if (!e && !role.opens) return;
        // A title repeated (a child cgroup's stats) leaves its section: its lines are not ours.
        const again = e !== null && e.has(c.kind) && (role.repeat === 'first' || role.repeat === 'afterKill');
        e ??= this.open(stream, line);
        if (role.joinsKills) e.joinsKills = true;
        return this.take(e, c, line, raw, role.section === undefined ? {} : { section: again ? null : role.section });
      }
      case 'item': {
        const e = stream.event;
        if (!e) return;
        const sections: readonly string[] = typeof role.section === 'string' ? [role.section] : role.section;
        if (e.section !== null && sections.includes(e.section)) this.take(e, c, line, raw, {});
        else this.touch(e, line, raw), (e.quiet = 0);
        return;
      }
      case 'continues': {
        const e = stream.event;
        if (!e) return;
        this.touch(e, line, raw);
        e.quiet = 0;
        this.rejoin(e, role.of as KindName, line.message);
        return;
      }
      case 'kill': {
        const fields = c.fields as FieldsOf<'victim'>;
        if (stream.event && this.killStartsNext(stream.event, fields, line)) this.close(stream);
        const e = stream.event ?? this.open(stream, line);
        this.touch(e, line, raw);
        e.quiet = 0;
        if (!e.hasKill(fields.pid)) e.kills.push({ fields, message: line.message, line: this.lineNo, time: e.lastTime, uptime: e.lastUptime, reaped: null });
        e.section = null;
        e.lastWasKill = true;
        return;
      }
      case 'end': {
        if (!stream.event && !role.opens) return;
        const e = stream.event ?? this.open(stream, line);
        this.take(e, c, line, raw, { section: null });
        e.end = role.reason;
        this.close(stream);
        return;
      }
      default:
        return assertNever(role);
    }
  }

  /** A line that stands alone. */
  private event(effect: Extract<Role, { role: 'event' }>['effect'], c: Classified, stream: Stream, line: DecodedLine, raw: string | undefined): void {
    switch (effect) {
      case 'kernelRelease':
        this.kernelByHost.set(line.host, (c.fields as FieldsOf<'kernelVersion'>).release);
        return;
      case 'reaper': {
        const r = c.fields as FieldsOf<'reaped'>;
        if (this.attachReaper(line.host, r)) return;
        const e = stream.event;
        if (!e) return;
        this.take(e, c, line, raw, {});
        const kill = e.kills.find((k) => k.fields.pid === r.pid);
        if (kill) kill.reaped = r;
        return;
      }
      case 'rateLimit':
        this.rateLimited(line.host);
        if (stream.event) this.take(stream.event, c, line, raw, {});
        return;
      case 'note':
        if (stream.event) this.take(stream.event, c, line, raw, {});
        return;
      default:
        return assertNever(effect);
    }
  }

  /** Whether a repeated line of `kind` cannot belong to the open report and begins the next. */
  private repeats(e: OomEvent, kind: KindName, repeat: Extract<Role, { role: 'part' }>['repeat']): boolean {
    const killed = e.kills.length > 0;
    switch (repeat) {
      case 'all':
      case 'first':
        return false;
      case 'afterKill':
        return killed;
      case 'once':
        return killed || e.has(kind);
      default:
        return assertNever(repeat);
    }
  }

  /** Whether a kill line belongs to the next report rather than the open one. */
  private killStartsNext(e: OomEvent, v: FieldsOf<'victim'>, line: DecodedLine): boolean {
    if (e.kills.length === 0 || e.hasKill(v.pid) || e.joinsKills) return false;
    const prev = e.kills[e.kills.length - 1]!;
    // memory.oom.group without its "Tasks in" line: members follow the victim directly,
    // printed in the same instant; a rate-limited storm's kills come apart in time.
    const sameReason = prev.fields.reason !== null && prev.fields.reason === v.reason && prev.fields.reason.startsWith('Memory cgroup');
    return !(e.lastWasKill && sameReason && sameInstant(prev, line));
  }

  /**
   * A mail or forum client re-wrapped the last line at 72-80 columns: its tail came on a line
   * with no prefix. Joined only when the kernel's format says the line was incomplete (the kill
   * line ends with `,` before its next field) and the whole reads as the same kill.
   */
  private rewrapped(e: OomEvent, tail: string): boolean {
    const kill = e.kills[e.kills.length - 1];
    if (!e.lastWasKill || !kill || !kill.message.trimEnd().endsWith(',')) return false;
    const message = `${kill.message.trimEnd()} ${tail.trim()}`;
    const whole = classify(message);
    if (whole?.kind !== 'victim' || (whole.fields as FieldsOf<'victim'>).pid !== kill.fields.pid) return false;
    kill.fields = whole.fields as FieldsOf<'victim'>;
    kill.message = message;
    return true;
  }

  /** A pr_cont tail: glued to the last line of kind `of` while that one is incomplete, and read again. */
  private rejoin(e: OomEvent, of: KindName, tail: string): void {
    const head = e.last(of);
    const entry = KIND_BY_NAME.get(of) as { incomplete?: (f: unknown) => boolean } | undefined;
    if (!head || !entry?.incomplete?.(head.fields)) return;
    const message = head.message.trimStart() + tail.trimStart();
    const whole = classify(message);
    if (whole?.kind === of) e.replaceLast(whole, message);
  }

  private open(stream: Stream, line: DecodedLine): OomEvent {
    // Streams live only while they hold a report, so memory stays flat over long inputs.
    stream.event = new OomEvent(this.lineNo, line.time, line.uptime, this.keepRaw);
    this.streams.set(stream.key, stream);
    return stream.event;
  }

  /** Line `c` is the report's: kept, and the section moves when its role says so. */
  private take(e: OomEvent, c: Classified, line: DecodedLine, raw: string | undefined, move: { section?: OomEvent['section'] }): void {
    this.touch(e, line, raw);
    e.quiet = 0;
    e.lastWasKill = false;
    if (move.section !== undefined) e.section = move.section;
    e.add(c, line.message);
  }

  /** Tells the assembler that `count` lines were passed over by a prefilter (no report open). */
  skipped(count: number): void {
    this.lineNo += count;
    this.releaseDue();
  }

  /** Closes every open report and writes every waiting kill (end of input, or idle in watch). */
  flush(): void {
    for (const stream of this.streams.values()) this.close(stream);
    for (const p of this.pending.splice(0)) this.emit(p.record);
  }

  /** Closes reports that already have their kill and writes waiting kills (watch: settle timer). */
  settle(): void {
    for (const stream of this.streams.values()) if (stream.event && stream.event.kills.length > 0) this.close(stream);
    for (const p of this.pending.splice(0)) this.emit(p.record);
  }

  /**
   * First line of the oldest report still open or still waiting to be written, or null when
   * none is: a resumed watch feeds the input again from that line to rebuild them.
   */
  oldestNeededLine(): number | null {
    const starts = [...this.streams.values()].flatMap((s) => (s.event ? [s.event.startLine] : []));
    for (const p of this.pending) starts.push(p.record.source.line);
    return starts.length > 0 ? Math.min(...starts) : null;
  }

  private touch(event: OomEvent, line: DecodedLine, raw: string | undefined): void {
    if (line.cut) event.cutLines += 1;
    if (line.time !== null) event.lastTime = line.time;
    if (line.uptime !== null) event.lastUptime = line.uptime;
    if (event.rawLines && event.rawLines.length < 20000) event.rawLines.push(raw ?? line.message);
  }

  /** Every other open report sees one more line that is not its own. */
  private ageAll(except?: Stream): void {
    for (const stream of this.streams.values()) {
      const e = stream.event;
      if (!e || stream === except) continue;
      e.quiet += 1;
      if (quietTooLong(e)) this.close(stream);
    }
  }

  private closeIfStale(stream: Stream, line: DecodedLine): void {
    const e = stream.event!;
    const gap =
      line.uptime !== null && e.lastUptime !== null
        ? line.uptime - e.lastUptime
        : line.time !== null && e.lastTime !== null
          ? (line.time - e.lastTime) / 1000
          : 0;
    if (quietTooLong(e) || gap > MAX_GAP_SECONDS || gap < -1) this.close(stream);
  }

  /** Attaches an oom_reaper line to its kill (same host, pid and comm), open or waiting. */
  private attachReaper(host: string | null, r: FieldsOf<'reaped'>): boolean {
    for (const stream of this.streams.values()) {
      if (stream.host !== host || !stream.event) continue;
      const kill = stream.event.kills.find((k) => k.fields.pid === r.pid && k.fields.comm === r.comm);
      if (kill) {
        kill.reaped = r;
        return true;
      }
    }
    for (const p of this.pending) {
      const v = p.record.victim;
      if (p.record.host === host && v && v.pid === r.pid && v.comm === r.comm && p.record.reaped === null) {
        p.record.reaped = { anonRssKb: r.anonRssKb, fileRssKb: r.fileRssKb, shmemRssKb: r.shmemRssKb };
        return true;
      }
    }
    return false;
  }

  /**
   * `oom_kill_process: N callbacks suppressed` on a host: the kernel's rate limit left out the
   * dumps of that host's bare kill lines since its last dump (the line is printed when the next
   * interval begins), and of those that follow until its next dump.
   */
  private rateLimited(host: string | null): void {
    this.suppressing.add(host);
    const since = this.lastDumpLine.get(host) ?? 0;
    for (const s of this.streams.values()) if (s.host === host && s.event?.bare) s.event.rateLimited = true;
    for (const p of this.pending) if (p.bare && p.record.host === host && p.record.source.line > since) p.record.rateLimited = true;
  }

  private close(stream: Stream): void {
    const event = stream.event;
    if (!event) return;
    stream.event = null;
    this.streams.delete(stream.key);
    const bare = event.bare;
    if (bare && this.suppressing.has(stream.host)) event.rateLimited = true;
    const records = eventRecords(event, { file: this.file, host: stream.host, kernel: this.kernelByHost.get(stream.host) ?? null });
    const releaseAt = this.lineNo + REAPER_WAIT_LINES;
    for (const record of records) {
      // Only kills wait for a late reaper line; the rest keep their place in the queue.
      this.pending.push({ record, releaseAt: record.type === 'oom-kill' && record.reaped === null ? releaseAt : 0, bare });
    }
  }

  private releaseDue(): void {
    while (this.pending.length > 0 && this.pending[0]!.releaseAt <= this.lineNo) {
      this.emit(this.pending.shift()!.record);
    }
  }
}

/** Whether a line was printed within a few milliseconds of an earlier kill (or we cannot tell). */
function sameInstant(kill: { uptime: number | null; time: number | null }, line: DecodedLine): boolean {
  if (kill.uptime !== null && line.uptime !== null) return Math.abs(line.uptime - kill.uptime) <= 0.01;
  if (kill.time !== null && line.time !== null) return Math.abs(line.time - kill.time) <= 1000;
  return true;
}

/** A report that has gone this many lines without one of its own is over. */
function quietTooLong(e: OomEvent): boolean {
  return e.quiet > (e.kills.length > 0 ? AFTER_KILL_LINES : BEFORE_KILL_LINES);
}
