import type { EarlyoomAction, KillReason, UserspaceKill, UserspaceVictim } from '../../src/schema/userspaceKill.js';
import { assertNever } from '../kinds/fieldTypes.js';
import type { UserspaceLine } from './classify.js';
import type { UserspaceRole } from './lineKind.js';
import { isoTime, near, type Moment } from './moment.js';
import { rawLinesOf, type RawLine, type TrackerOutput } from './trackerOutput.js';

type Fields<K extends UserspaceLine['kind']> = Extract<UserspaceLine, { kind: K }>['fields'];
type LowMemory = Extract<KillReason, { kind: 'low-memory' }>;

/** The memory report and the trigger line are printed together, right before (or after) the kill. */
const REPORT_NEAR_SEC = 1;
const REPORT_NEAR_LINES = 5;
/** earlyoom waits up to 10 s for the victim to exit, then says so. */
const EXIT_WAIT_SEC = 15;
const EXIT_WAIT_LINES = 2000;

interface Trigger {
  at: Moment;
  limitSignal: LowMemory['limitSignal'];
  memLimitPercent: number | null;
  swapLimitPercent: number | null;
  memLimitMiB: number | null;
  memAvailableMiB: number | null;
  raw: RawLine;
}

interface Report {
  at: Moment;
  fields: Fields<'earlyoomMemReport'>;
  raw: RawLine;
}

interface PendingKill {
  at: Moment;
  victim: UserspaceVictim;
  reason: LowMemory | null;
  action: EarlyoomAction;
  raw: RawLine[];
}

/**
 * Reads one host's earlyoom lines into kills: the memory report and the `low memory!` trigger
 * (the reason), `sending SIGTERM to process ...` (the victim), then escalation to SIGKILL and the
 * exit (or the failure) of the process. A kill is written when its outcome is logged, when the
 * next kill begins, or when earlyoom would have stopped waiting.
 */
export class EarlyoomTracker {
  private report: Report | null = null;
  private trigger: Trigger | null = null;
  private kill: PendingKill | null = null;

  constructor(
    private readonly host: string | null,
    private readonly out: TrackerOutput,
  ) {}

  get idle(): boolean {
    return this.kill === null;
  }

  /** True while a kill waits for its outcome: escalation and exit lines carry no search needle. */
  get wantsEveryLine(): boolean {
    return this.kill !== null;
  }

  oldestOpenLine(): number | null {
    return this.kill?.at.line ?? null;
  }

  take(c: UserspaceLine, at: Moment, text: string): void {
    const raw = { line: at.line, text };
    switch (c.role) {
      case 'context':
        if (c.detail.context === 'memory-report') this.report = { at, fields: c.fields as Fields<'earlyoomMemReport'>, raw };
        else this.trigger = { at, ...(c.fields as Fields<'earlyoomLowMemory'>), raw };
        return;
      case 'kill':
        return this.sending(c.fields as Fields<'earlyoomSending'>, at, raw);
      case 'outcome':
        return this.outcome(c.detail.outcome, c.fields as Partial<Fields<'earlyoomExited'> & Fields<'earlyoomCmdline'>>, raw);
      case 'announce':
      case 'withdraw':
      case 'section':
      case 'item':
      case 'corroborates':
        return; // systemd-oomd's and systemd's roles
      default:
        return assertNever(c);
    }
  }

  private outcome(outcome: Extract<UserspaceRole, { role: 'outcome' }>['outcome'], f: { pid?: number | null; cmdline?: string; afterSec?: number | null }, raw: RawLine): void {
    const kill = this.kill;
    switch (outcome) {
      case 'cmdline':
        if (kill && kill.victim.pid === f.pid) {
          kill.victim.cmdline = f.cmdline ?? null;
          kill.raw.push(raw);
        }
        return;
      case 'escalated':
        if (kill) {
          kill.action.escalated = true;
          kill.action.escalatedAfterSec = f.afterSec ?? null;
          kill.raw.push(raw);
        }
        return;
      case 'exited':
        if (kill && (f.pid == null || f.pid === kill.victim.pid)) {
          kill.action.exitedAfterSec = f.afterSec ?? null;
          this.end('exited', raw);
        }
        return;
      case 'did-not-exit':
        if (kill && kill.victim.pid === f.pid) this.end('did-not-exit', raw);
        return;
      case 'kill-failed':
        if (kill) this.end('kill-failed', raw);
        return;
      case 'dry-run':
        // --dryrun: the victim named just before was not signalled.
        this.kill = null;
        return;
      default:
        return assertNever(outcome);
    }
  }

  expire(now: Moment): void {
    if (this.kill && !near(this.kill.at, now, EXIT_WAIT_SEC, EXIT_WAIT_LINES)) this.finish();
  }

  finishAll(): void {
    this.finish();
  }

  private sending(f: Fields<'earlyoomSending'>, at: Moment, raw: RawLine): void {
    const { signal } = f;
    // 1.2 sent SIGTERM and later SIGKILL to the same victim from separate poll rounds.
    if (this.kill && this.kill.victim.pid === f.pid && near(this.kill.at, at, EXIT_WAIT_SEC, EXIT_WAIT_LINES)) {
      if (signal === 'SIGKILL' && this.kill.action.signal === 'SIGTERM') this.kill.action.escalated = true;
      this.kill.raw.push(raw);
      return;
    }
    this.finish();
    const raws = [raw];
    const reason = this.reasonAt(at, raws);
    this.kill = {
      at,
      victim: {
        cgroup: null, unit: null, processesKilled: null, pid: f.pid, comm: f.comm, uid: f.uid, vmRssMiB: f.vmRssMiB,
        oomScore: f.oomScore, oomScoreAdj: f.oomScoreAdj, badness: f.badness, cmdline: f.cmdline,
      },
      reason,
      action: { signal, escalated: false, escalatedAfterSec: null, exitedAfterSec: null, outcome: null },
      raw: raws,
    };
  }

  /** The trigger and memory report that go with a kill at `at`; they are used up by it. */
  private reasonAt(at: Moment, raws: RawLine[]): LowMemory | null {
    const trigger = this.trigger && near(this.trigger.at, at, REPORT_NEAR_SEC, REPORT_NEAR_LINES) ? this.trigger : null;
    const anchor = trigger?.at ?? at;
    // Up to 1.1 the trigger carries its own figure and reports were only periodic, not the kill's.
    const own = trigger !== null && trigger.memAvailableMiB !== null;
    const report = !own && this.report && near(this.report.at, anchor, REPORT_NEAR_SEC, REPORT_NEAR_LINES) ? this.report : null;
    this.trigger = null;
    this.report = null;
    if (!trigger && !report) return null;
    if (trigger) raws.push(trigger.raw);
    if (report) raws.push(report.raw);
    const r = report?.fields;
    return {
      kind: 'low-memory',
      memAvailableMiB: r?.memAvailableMiB ?? trigger?.memAvailableMiB ?? null,
      memTotalMiB: r?.memTotalMiB ?? null,
      memAvailablePercent: r?.memAvailablePercent ?? null,
      swapFreeMiB: r?.swapFreeMiB ?? null,
      swapTotalMiB: r?.swapTotalMiB ?? null,
      swapFreePercent: r?.swapFreePercent ?? null,
      limitSignal: trigger?.limitSignal ?? null,
      memLimitPercent: trigger?.memLimitPercent ?? null,
      swapLimitPercent: trigger?.swapLimitPercent ?? null,
      memLimitMiB: trigger?.memLimitMiB ?? null,
    };
  }

  private end(outcome: NonNullable<EarlyoomAction['outcome']>, raw: RawLine): void {
    this.kill!.action.outcome = outcome;
    this.kill!.raw.push(raw);
    this.finish();
  }

  private finish(): void {
    const k = this.kill;
    if (!k) return;
    this.kill = null;
    const record: UserspaceKill = {
      type: 'userspace-kill',
      killer: 'earlyoom',
      eventId: `${this.out.file ?? 'stdin'}:${k.at.line}`,
      host: this.host,
      time: isoTime(k.at.time),
      victim: k.victim,
      workload: null,
      reason: k.reason,
      consideredCount: null,
      candidates: null,
      action: k.action,
      source: { file: this.out.file, line: k.at.line },
      ...rawLinesOf(this.out, k.raw),
    };
    this.out.finish(record);
  }
}
