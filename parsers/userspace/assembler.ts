import type { UserspaceKill } from '../../src/schema/userspaceKill.js';
import type { DecodedLine } from '../decode/decodedLine.js';
import { classifyUserspace, daemonOf } from './classify.js';
import { EarlyoomTracker } from './earlyoomTracker.js';
import type { Moment } from './moment.js';
import { readDaemonTag } from './taggedMessage.js';
import { OomdTracker } from './oomdTracker.js';
import type { TrackerOutput } from './trackerOutput.js';

export interface UserspaceAssemblerOptions {
  file?: string | null;
  /** Keep each kill's lines in `rawLines`. */
  keepRaw?: boolean;
  emit: (record: UserspaceKill) => void;
}

/**
 * Turns decoded lines into userspace-kill records: one systemd-oomd and one earlyoom tracker per
 * host. Records are written in line order of their kill line, each once nothing before it can
 * still be completed. Lines of the kernel and of unrelated programs only advance the clock.
 */
export class UserspaceAssembler {
  private readonly oomd = new Map<string, OomdTracker>();
  private readonly earlyoom = new Map<string, EarlyoomTracker>();
  /** Trackers with something open, checked for expiry on every line. */
  private readonly active = new Set<OomdTracker | EarlyoomTracker>();
  private readonly done: UserspaceKill[] = [];
  private readonly out: TrackerOutput;
  private readonly emit: (record: UserspaceKill) => void;
  private now: Moment = { line: 0, time: null };

  constructor(options: UserspaceAssemblerOptions) {
    this.emit = options.emit;
    this.out = {
      file: options.file ?? null,
      keepRaw: options.keepRaw ?? false,
      finish: (record) => {
        let i = this.done.length;
        while (i > 0 && this.done[i - 1]!.source.line > record.source.line) i -= 1;
        this.done.splice(i, 0, record);
      },
    };
  }

  /**
   * True while a systemd-oomd candidate block is being read or an earlyoom kill waits for its
   * outcome: the lines that complete them hold no search needle.
   */
  wantsEveryLine(): boolean {
    for (const t of this.active) if (t.wantsEveryLine) return true;
    return false;
  }

  /** The first line of a kill not yet written (null: none), for merging with the kernel's records. */
  oldestNeededLine(): number | null {
    let oldest = this.done[0]?.source.line ?? null;
    for (const t of this.active) {
      const line = t.oldestOpenLine();
      if (line !== null && (oldest === null || line < oldest)) oldest = line;
    }
    return oldest;
  }

  push(line: DecodedLine, lineNo: number, raw?: string): void {
    this.now = { line: lineNo, time: line.time ?? this.now.time };
    if (line.ident !== 'kernel') this.read(line, raw ?? line.message);
    this.tick();
  }

  /** `count` lines were passed over unread (they hold nothing of ours). */
  skipped(count: number): void {
    this.now = { line: this.now.line + count, time: this.now.time };
    this.tick();
  }

  /** Writes every open kill (end of input). */
  flush(): void {
    for (const t of this.active) t.finishAll();
    this.active.clear();
    this.release();
  }

  /** Writes every open kill now (watch: nothing new for a while). */
  settle(): void {
    this.flush();
  }

  private read(line: DecodedLine, raw: string): void {
    const tagged = line.ident === null ? readDaemonTag(line.message) : null;
    const daemon = tagged?.daemon ?? (line.ident === null ? null : daemonOf(line.ident));
    const hostName = tagged?.host ?? line.host;
    const host = hostName ?? '';
    const oomd = this.oomd.get(host);
    if (line.ident !== null && daemon === null) {
      oomd?.passBy();
      return;
    }
    const c = classifyUserspace(daemon, (tagged?.message ?? line.message).trimStart());
    const at = { line: this.now.line, time: line.time };
    if (c?.daemon === 'earlyoom') {
      this.tracker(this.earlyoom, host, () => new EarlyoomTracker(hostName, this.out)).take(c, at, raw);
    } else if (c) {
      this.tracker(this.oomd, host, () => new OomdTracker(hostName, this.out)).take(daemon, c, at, raw);
    } else if (daemon !== null) {
      oomd?.take(daemon, null, at, raw);
    } else {
      oomd?.passBy();
    }
  }

  private tracker<T extends OomdTracker | EarlyoomTracker>(map: Map<string, T>, host: string, make: () => T): T {
    let t = map.get(host);
    if (!t) {
      t = make();
      map.set(host, t);
    }
    this.active.add(t);
    return t;
  }

  private tick(): void {
    for (const t of this.active) {
      t.expire(this.now);
      if (t.idle) this.active.delete(t);
    }
    this.release();
  }

  private release(): void {
    if (this.done.length === 0) return;
    let open: number | null = null;
    for (const t of this.active) {
      const line = t.oldestOpenLine();
      if (line !== null && (open === null || line < open)) open = line;
    }
    while (this.done.length > 0 && (open === null || this.done[0]!.source.line < open)) this.emit(this.done.shift()!);
  }
}
