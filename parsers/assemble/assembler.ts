import type { OomRecord } from '../../src/schema/oomRecord.js';
import type { DecodedLine } from '../decode/decodedLine.js';
import { isKernelLine } from '../decode/kernelLine.js';
import { classify, type Classified } from '../kinds/classify.js';
import { eventRecords } from './eventRecords.js';
import { OomEvent } from './oomEvent.js';
import { parseTaskRow } from './taskTable.js';
import { parseSummary } from '../kinds/summaryText.js';

export interface AssemblerOptions {
  file?: string | null;
  /** Keep each report's raw lines in `rawLines` (TUI, explain). */
  keepRaw?: boolean;
  emit: (record: OomRecord) => void;
}

/** Kinds that may open a report when none is open on the stream. */
export const OPENERS = new Set<Classified['kind']>([
  'trigger', 'taskInMemcg', 'memcgLimitReached', 'memcgCounter', 'memcgStatsHeader', 'tasksStateTitle',
  'taskHeader', 'summary', 'selection', 'victim', 'victimExiting', 'noKillable',
]);

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
    let stream = this.streams.get(key);
    if (stream?.event) this.closeIfStale(stream, line);
    this.ageAll(stream);

    if (c === null) {
      if (stream?.event) {
        stream.event.quiet += 1;
        // A line between two victim lines (e.g. "callbacks suppressed") means separate OOMs.
        stream.event.lastWasVictim = false;
        this.touch(stream.event, line, raw);
      }
      this.releaseDue();
      return;
    }
    if (c.kind === 'kernelVersion') {
      this.kernelByHost.set(line.host, c.fields.release);
      return;
    }
    if (c.kind === 'reaped' && this.attachReaper(line.host, c.fields)) {
      this.releaseDue();
      return;
    }
    stream ??= { key, host: line.host, event: null };
    if (stream.event && this.startsNewReport(stream.event, c, line)) this.close(stream);
    if (!stream.event) {
      if (!OPENERS.has(c.kind) || (c.kind === 'memcgCounter' && c.fields.counter !== 'memory')) {
        this.releaseDue();
        return;
      }
      // Streams live only while they hold a report, so memory stays flat over long inputs.
      stream.event = new OomEvent(lineNo, line.time, line.uptime, this.keepRaw);
      this.streams.set(key, stream);
    }
    const event = stream.event;
    this.touch(event, line, raw);
    event.quiet = 0;
    this.apply(event, c);
    event.lastWasVictim = c.kind === 'victim';
    if (event.end !== null && c.kind !== 'victim') this.close(stream);
    this.releaseDue();
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

  /** Whether line kind `c` cannot belong to the open report and must begin a new one. */
  private startsNewReport(e: OomEvent, c: Classified, line: DecodedLine): boolean {
    const killed = e.kills.length > 0;
    switch (c.kind) {
      case 'trigger':
        return true;
      case 'selection':
        return e.selection !== null || killed;
      case 'summary':
        return e.summary !== null || killed;
      case 'victim': {
        if (!killed) return false;
        if (e.hasKill(c.fields.pid) || e.group) return false;
        const prev = e.kills[e.kills.length - 1]!;
        // memory.oom.group without its "Tasks in" line: members follow the victim directly,
        // printed in the same instant; a rate-limited storm's kills come apart in time.
        const sameReason = prev.fields.reason !== null && prev.fields.reason === c.fields.reason && prev.fields.reason.startsWith('Memory cgroup');
        return !(e.lastWasVictim && sameReason && sameInstant(prev, line));
      }
      case 'taskInMemcg':
      case 'memcgLimitReached':
      case 'memcgStatsHeader':
      case 'tasksStateTitle':
        return killed;
      case 'memcgCounter':
        return killed && c.fields.counter === 'memory';
      case 'taskHeader':
        return killed || (e.tasks !== null && e.tasks.length > 0);
      default:
        return false;
    }
  }

  private apply(e: OomEvent, c: Classified): void {
    switch (c.kind) {
      case 'trigger':
        e.trigger = c.fields;
        e.section = null;
        break;
      case 'triggerFragment':
        if (e.trigger && e.trigger.order === null) e.trigger = { ...e.trigger, ...c.fields, nodemask: c.fields.nodemask ?? e.trigger.nodemask };
        break;
      case 'cpuLine':
      case 'pidLine':
        e.cpu ??= c.fields;
        break;
      case 'cpuset':
        e.cpuset ??= c.fields;
        break;
      case 'taskInMemcg':
        e.taskIn ??= c.fields;
        break;
      case 'memcgLimitReached':
        e.limitReached ??= c.fields.memcg;
        break;
      case 'memcgCounter':
        if (!e.counters.has(c.fields.counter)) {
          e.counters.set(c.fields.counter, c.fields);
          if (c.fields.unlimited) e.unlimited.push(c.fields.counter);
        }
        break;
      case 'memcgStatsHeader':
        // The first header is the OOMing cgroup's own; later ones (<= 5.2) are its children.
        if (e.statsPath === null) {
          e.statsPath = c.fields.path;
          if (c.fields.statsKb) e.stats = Object.fromEntries(Object.entries(c.fields.statsKb).map(([k, v]) => [`${k}Kb`, v]));
          e.section = 'memcgStats';
        } else {
          e.section = null;
        }
        break;
      case 'statLine':
        if (e.section === 'memcgStats') {
          (e.stats ??= {})[c.fields.key] = c.fields.value;
          if (c.fields.unlimited) e.unlimited.push(c.fields.key);
        }
        break;
      case 'memInfoTitle':
        e.memInfoSeen = true;
        e.section = 'memInfo';
        break;
      case 'keyValues':
        if (e.section === 'memInfo') Object.assign((e.memCounters ??= {}), c.fields.values);
        else if (e.section === 'memcgStats' && Object.keys(c.fields.values).length === 1) Object.assign((e.stats ??= {}), c.fields.values);
        break;
      case 'memInfoNumber':
        if (e.memInfoSeen) e.memNumbers.set(c.fields.key, { pages: c.fields.pages, kb: c.fields.kb });
        break;
      case 'buddyList':
        e.pageSizeKb ??= c.fields.pageSizeKb;
        break;
      case 'tasksStateTitle':
        e.section = null;
        break;
      case 'taskHeader':
        e.taskColumns = c.fields.columns;
        e.tasks = [];
        e.section = 'tasks';
        break;
      case 'taskRow':
        if (e.section === 'tasks' && e.taskColumns && e.tasks) {
          const task = parseTaskRow(c.fields.pid, c.fields.rest, e.taskColumns);
          if (task) e.tasks.push(task);
        }
        break;
      case 'summary':
        e.summaryText = c.fields.body;
        e.summary = c.fields;
        e.section = null;
        break;
      case 'summaryFragment':
        if (e.summaryText !== null) {
          // A summary split by a pr_cont race: glue the tail back on and read it again.
          e.summaryText += c.fields.body;
          e.summary = parseSummary(e.summaryText);
        }
        break;
      case 'selection':
        e.selection = c.fields;
        e.section = null;
        break;
      case 'victim':
        if (!e.hasKill(c.fields.pid)) {
          e.kills.push({ fields: c.fields, line: this.lineNo, time: e.lastTime, uptime: e.lastUptime, reaped: null });
        }
        e.section = null;
        break;
      case 'groupKill':
        e.group = true;
        break;
      case 'sharedMm':
        e.alsoKilled.push(c.fields);
        break;
      case 'reaped': {
        const kill = e.kills.find((k) => k.fields.pid === c.fields.pid);
        if (kill) kill.reaped = c.fields;
        break;
      }
      case 'noKillable':
        e.end = 'no-killable-process';
        break;
      case 'oomPanic':
        e.end = 'panic';
        break;
      case 'victimExiting':
        e.exiting = c.fields;
        e.end = 'victim-exiting';
        break;
      case 'sysrqIgnored':
        e.end = 'no-killable-process';
        break;
      case 'unableToReap':
      case 'kernelVersion':
        break;
    }
  }

  /** Attaches an oom_reaper line to its kill (same host, pid and comm), open or waiting. */
  private attachReaper(host: string | null, r: NonNullable<Extract<Classified, { kind: 'reaped' }>['fields']>): boolean {
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

  private close(stream: Stream): void {
    const event = stream.event;
    if (!event) return;
    stream.event = null;
    this.streams.delete(stream.key);
    const records = eventRecords(event, { file: this.file, host: stream.host, kernel: this.kernelByHost.get(stream.host) ?? null });
    const releaseAt = this.lineNo + REAPER_WAIT_LINES;
    for (const record of records) {
      // Only kills wait for a late reaper line; the rest keep their place in the queue.
      this.pending.push({ record, releaseAt: record.type === 'oom-kill' && record.reaped === null ? releaseAt : 0 });
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
