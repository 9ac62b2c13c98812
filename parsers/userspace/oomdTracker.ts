import type { KillReason, OomdCandidate, UserspaceKill } from '../../src/schema/userspaceKill.js';
import { workloadFromCgroupPath } from '../workload/fromCgroupPath.js';
import { assertNever } from '../kinds/fieldTypes.js';
import type { UserspaceLine } from './classify.js';
import type { Daemon } from './lineKind.js';
import { isoTime, near, type Moment } from './moment.js';
import { rawLinesOf, type RawLine, type TrackerOutput } from './trackerOutput.js';

type Fields<K extends UserspaceLine['kind']> = Extract<UserspaceLine, { kind: K }>['fields'];

/** The candidate block and its kill line are logged in the same breath (same second). */
const BLOCK_WAIT_SEC = 5;
/** systemd's unit line follows when PID 1 (or the user manager) notices the kill counter grow. */
const UNIT_WAIT_SEC = 30;
/** Without time stamps, "near" is measured in lines. */
const NEAR_LINES = 400;
/** A block interleaved with this many lines of other programs, none its own, is over. */
const BLOCK_QUIET_LINES = 400;

interface Block {
  at: Moment;
  considered: number | null;
  candidates: OomdCandidate[];
  raw: RawLine[];
  quiet: number;
}

interface PendingKill {
  at: Moment;
  cgroup: string | null;
  reason: KillReason | null;
  block: Block | null;
  unit: string | null;
  processesKilled: number | null;
  /** A unit line was attached (its count may still be null: `some process(es)`). */
  unitSeen: boolean;
  /** v247 announced the kill before trying it; a failure line takes it back. */
  announced: boolean;
  raw: RawLine[];
}

interface UnitLine {
  at: Moment;
  unit: string;
  processesKilled: number | null;
  raw: RawLine;
}

/**
 * Reads one host's systemd-oomd story into kills: the candidate block (251+), the kill line
 * (`Killed`/`Marked`, or v247's announcement), and the `<unit>: systemd-oomd killed N
 * process(es)` line systemd logs for the unit. The three arrive in either order within a second
 * or so; each kill waits a while for the pieces it lacks.
 */
export class OomdTracker {
  private block: Block | null = null;
  private readyBlock: Block | null = null;
  private kills: PendingKill[] = [];
  private units: UnitLine[] = [];
  /** Recently finished kills, so a late unit line attaches to nothing rather than making a second kill. */
  private recent: { at: Moment; unit: string | null }[] = [];

  constructor(
    private readonly host: string | null,
    private readonly out: TrackerOutput,
  ) {}

  /** True while a candidate block is being read: its lines carry no search needle. */
  get wantsEveryLine(): boolean {
    return this.block !== null;
  }

  get idle(): boolean {
    return this.block === null && this.readyBlock === null && this.kills.length === 0 && this.units.length === 0 && this.recent.length === 0;
  }

  /** The first line of a kill still open here (records are written in line order). */
  oldestOpenLine(): number | null {
    let oldest: number | null = null;
    for (const k of this.kills) if (oldest === null || k.at.line < oldest) oldest = k.at.line;
    for (const u of this.units) if (oldest === null || u.at.line < oldest) oldest = u.at.line;
    return oldest;
  }

  /**
   * A line this host's systemd-oomd or systemd logged (or an unattributed line, `daemon` null),
   * classified, or with `c` null when it is none of ours.
   */
  take(daemon: Daemon | null, c: UserspaceLine | null, at: Moment, text: string): void {
    const raw = { line: at.line, text };
    if (this.block && c?.role === 'item') {
      this.readBlockLine(this.block, c.detail.starts, c.fields, raw);
      return;
    }
    // Only systemd-oomd's own next line ends its block; PID 1 and others interleave with it.
    if (c === null || c.daemon === 'systemd') this.passBy();
    if (daemon === 'systemd-oomd' || (c !== null && c.daemon === 'systemd-oomd')) this.endBlock();
    if (!c) return;
    switch (c.role) {
      case 'section':
        this.block = { at, considered: (c.fields as Fields<'oomdCandidatesHeader'>).considered, candidates: [], raw: [raw], quiet: 0 };
        return;
      case 'kill': {
        const f = c.fields as Fields<'oomdPressureKill' | 'oomdSwapKill'>;
        return this.addKill({ at, cgroup: f.victim, reason: f.reason, announced: false, raw });
      }
      case 'announce':
        return this.addKill({ at, cgroup: null, reason: (c.fields as Fields<'oomdPressureActionV247' | 'oomdSwapActionV247'>).reason, announced: true, raw });
      case 'withdraw': {
        const f = c.fields as Fields<'oomdKillFailed'>;
        return this.withdraw(f.basis === 'swap' ? 'swap' : 'memory-pressure', f.monitored, at);
      }
      case 'corroborates': {
        const f = c.fields as Fields<'unitOomdKilled'>;
        return this.addUnit({ at, unit: f.unit, processesKilled: f.processesKilled, raw });
      }
      case 'item': // a candidate line outside a block
      case 'context':
      case 'outcome':
        return; // earlyoom's roles
      default:
        return assertNever(c);
    }
  }

  /** A line of another program (or host) went by. */
  passBy(): void {
    if (this.block && ++this.block.quiet > BLOCK_QUIET_LINES) this.endBlock();
  }

  /** Writes what waited long enough; `now` is the newest line seen. */
  expire(now: Moment): void {
    // A block whose daemon fell silent (no next line of its own) is over after a few seconds.
    if (this.block && this.block.at.time !== null && now.time !== null && now.time - this.block.at.time > BLOCK_WAIT_SEC * 1000) this.endBlock();
    if (this.readyBlock && !near(this.readyBlock.at, now, BLOCK_WAIT_SEC, NEAR_LINES)) this.readyBlock = null;
    for (const k of [...this.kills]) {
      const complete = k.unitSeen && (k.block !== null || k.announced);
      if (complete || !near(k.at, now, UNIT_WAIT_SEC, NEAR_LINES)) this.finishKill(k);
    }
    for (const u of [...this.units]) if (!near(u.at, now, UNIT_WAIT_SEC, NEAR_LINES)) this.finishUnit(u);
    this.recent = this.recent.filter((r) => near(r.at, now, UNIT_WAIT_SEC, NEAR_LINES));
  }

  /** Writes every kill that is still open (end of input, or idle in watch). */
  finishAll(): void {
    this.endBlock();
    this.readyBlock = null;
    for (const k of [...this.kills]) this.finishKill(k);
    for (const u of [...this.units]) this.finishUnit(u);
  }

  private readBlockLine(block: Block, starts: boolean, fields: object, raw: RawLine): void {
    block.quiet = 0;
    block.raw.push(raw);
    if (starts) {
      block.candidates.push({
        rank: block.candidates.length + 1, cgroup: (fields as Fields<'oomdCandidatePath'>).cgroup, pressureLimitPercent: null, pressureAvg10: null,
        pressureAvg60: null, pressureAvg300: null, memoryBytes: null, swapBytes: null, pgscan: null, lastPgscan: null,
      });
    } else {
      const current = block.candidates[block.candidates.length - 1];
      if (current) Object.assign(current, fields);
    }
  }

  /** The block is complete: it belongs to a kill just logged (rare order), or waits for the next one. */
  private endBlock(): void {
    const block = this.block;
    if (!block) return;
    this.block = null;
    const kill = this.kills.find((k) => k.block === null && !k.announced && this.blockFits(block, k.cgroup, k.at));
    if (kill) kill.block = block;
    else this.readyBlock = block;
  }

  private blockFits(block: Block, cgroup: string | null, at: Moment): boolean {
    return near(block.at, at, BLOCK_WAIT_SEC, NEAR_LINES) && block.candidates.some((c) => c.cgroup === cgroup);
  }

  private addKill(k: { at: Moment; cgroup: string | null; reason: KillReason | null; announced: boolean; raw: RawLine }): void {
    const kill: PendingKill = { ...k, block: null, unit: null, processesKilled: null, unitSeen: false, raw: [k.raw] };
    if (this.readyBlock && !k.announced && this.blockFits(this.readyBlock, k.cgroup, k.at)) {
      kill.block = this.readyBlock;
      this.readyBlock = null;
    }
    const unit = this.units.find((u) => this.unitFits(u, kill));
    if (unit) {
      this.attachUnit(kill, unit);
      this.units.splice(this.units.indexOf(unit), 1);
    }
    this.kills.push(kill);
  }

  private withdraw(kind: KillReason['kind'], monitored: string | null, at: Moment): void {
    for (let i = this.kills.length - 1; i >= 0; i--) {
      const k = this.kills[i]!;
      const r = k.reason;
      if (!k.announced || r?.kind !== kind || !near(k.at, at, BLOCK_WAIT_SEC, NEAR_LINES)) continue;
      if (monitored !== null && !(r.kind === 'memory-pressure' && r.cgroup === monitored)) continue;
      this.kills.splice(i, 1);
      return;
    }
  }

  private addUnit(u: UnitLine): void {
    const kill = this.kills.find((k) => this.unitFits(u, k));
    if (kill) this.attachUnit(kill, u);
    else if (!this.recent.some((r) => r.unit === u.unit && near(r.at, u.at, UNIT_WAIT_SEC, NEAR_LINES))) this.units.push(u);
  }

  /** A unit line names the unit whose cgroup was killed; v247 named no victim, so any unit fits. */
  private unitFits(u: UnitLine, k: PendingKill): boolean {
    if (k.unitSeen || !near(u.at, k.at, UNIT_WAIT_SEC, NEAR_LINES)) return false;
    return k.cgroup === null ? k.announced : lastComponent(k.cgroup) === u.unit;
  }

  private attachUnit(k: PendingKill, u: UnitLine): void {
    k.unit = u.unit;
    k.processesKilled = u.processesKilled;
    k.unitSeen = true;
    k.raw.push(u.raw);
  }

  private finishKill(k: PendingKill): void {
    this.kills.splice(this.kills.indexOf(k), 1);
    const unit = k.unit ?? (k.cgroup !== null && UNIT_NAME.test(lastComponent(k.cgroup)) ? lastComponent(k.cgroup) : null);
    this.recent.push({ at: k.at, unit });
    this.write(k.at, { cgroup: k.cgroup, unit, processesKilled: k.processesKilled }, k.reason, k.block, [...k.raw, ...(k.block?.raw ?? [])]);
  }

  private finishUnit(u: UnitLine): void {
    this.units.splice(this.units.indexOf(u), 1);
    this.write(u.at, { cgroup: null, unit: u.unit, processesKilled: u.processesKilled }, null, null, [u.raw]);
  }

  private write(
    at: Moment,
    victim: { cgroup: string | null; unit: string | null; processesKilled: number | null },
    reason: KillReason | null,
    block: Block | null,
    raw: RawLine[],
  ): void {
    const record: UserspaceKill = {
      type: 'userspace-kill',
      killer: 'systemd-oomd',
      eventId: `${this.out.file ?? 'stdin'}:${at.line}`,
      host: this.host,
      time: isoTime(at.time),
      victim: { ...victim, pid: null, comm: null, uid: null, vmRssMiB: null, oomScore: null, oomScoreAdj: null, badness: null, cmdline: null },
      workload: workloadFromCgroupPath(victim.cgroup),
      reason,
      consideredCount: block?.considered ?? null,
      candidates: block?.candidates ?? null,
      action: null,
      source: { file: this.out.file, line: at.line },
      ...rawLinesOf(this.out, raw),
    };
    this.out.finish(record);
  }
}

const UNIT_NAME = /\.(service|scope|slice|socket|mount|swap)$/;

function lastComponent(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
