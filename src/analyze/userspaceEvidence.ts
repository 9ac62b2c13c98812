import { formatKb } from '../render/killTable.js';
import type { UserspaceKill } from '../schema/userspaceKill.js';
import { durationText } from './durationText.js';
import type { GroupStats } from './groupStats.js';

/**
 * What systemd-oomd and earlyoom acted on, in their own numbers (pressure against its limit, swap
 * and memory use, available memory against the limits), at the group's latest kill by each, and
 * where each daemon is configured. Only figures the daemons logged are quoted.
 */
export function userspaceEvidence(s: GroupStats): string[] {
  const kills = userspaceKills(s);
  const out: string[] = [];
  const oomd = kills.filter((k) => k.killer === 'systemd-oomd');
  if (oomd.length > 0) out.push(...oomdEvidence(oomd, s.kills.length));
  const earlyoom = kills.filter((k) => k.killer === 'earlyoom');
  if (earlyoom.length > 0) out.push(...earlyoomEvidence(earlyoom, s.kills.length));
  return out;
}

export function userspaceSteps(s: GroupStats): string[] {
  const killers = new Set(userspaceKills(s).map((k) => k.killer));
  const out: string[] = [];
  if (killers.has('systemd-oomd')) {
    out.push(
      'systemd-oomd acts on pressure and swap before the kernel would: `oomctl` shows what it watches; its limits are DefaultMemoryPressureLimit= and SwapUsedLimit= (oomd.conf) and ManagedOOMMemoryPressureLimit= on the slice; ManagedOOMPreference=avoid or omit protects a unit.',
    );
  }
  if (killers.has('earlyoom')) {
    out.push('earlyoom kills when available memory and free swap are both below its -m/-s limits; --avoid, --prefer and --ignore steer its choice, and `journalctl -u earlyoom` holds its memory reports.');
  }
  return out;
}

function userspaceKills(s: GroupStats): UserspaceKill[] {
  return s.kills.flatMap((k) => (k.record.type === 'userspace-kill' ? [k.record] : []));
}

function oomdEvidence(kills: UserspaceKill[], groupKills: number): string[] {
  const out: string[] = [];
  const who = `systemd-oomd made ${count(kills.length, groupKills)}`;
  const latest = kills[kills.length - 1]!;
  const r = latest.reason;
  if (r?.kind === 'memory-pressure') {
    const pressure = r.pressurePercent !== null ? ` (${pct(r.pressurePercent)} at ${latestText(kills)})` : '';
    out.push(`${who}: memory pressure on ${r.cgroup ?? 'a monitored cgroup'} stayed above ${r.limitPercent !== null ? pct(r.limitPercent) : 'its limit'}${r.durationSec !== null ? ` for ${durationText(r.durationSec)}` : ''}${pressure}.`);
  } else if (r?.kind === 'swap') {
    const used = [pair('memory', r.memoryUsedBytes, r.memoryTotalBytes), pair('swap', r.swapUsedBytes, r.swapTotalBytes)].filter((x) => x !== null);
    out.push(`${who}: ${r.memoryUsedBytes !== null ? 'memory and swap' : 'swap'} use above ${r.limitPercent !== null ? pct(r.limitPercent) : 'its limit'}${used.length > 0 ? ` (${used.join(', ')} at ${latestText(kills)})` : ''}.`);
  } else {
    out.push(`${who}; only systemd's line for the unit is in the log, so its reason is not.`);
  }
  const counted = kills.filter((k) => k.victim.processesKilled !== null);
  if (counted.length > 0) {
    const n = counted.reduce((sum, k) => sum + k.victim.processesKilled!, 0);
    out.push(`systemd counted ${n} process${n === 1 ? '' : 'es'} killed in the unit${counted.length < kills.length ? ` (${counted.length} of ${kills.length} kills counted)` : ''}: it kills the whole cgroup, not one process.`);
  }
  const rank = latest.candidates?.find((c) => c.cgroup === latest.victim.cgroup)?.rank;
  if (rank !== undefined && latest.consideredCount !== null) out.push(`At ${latestText(kills)} it ranked ${rank} of the ${latest.consideredCount} cgroups systemd-oomd considered.`);
  return out;
}

function earlyoomEvidence(kills: UserspaceKill[], groupKills: number): string[] {
  const who = `earlyoom made ${count(kills.length, groupKills)}`;
  const latest = kills[kills.length - 1]!;
  const r = latest.reason?.kind === 'low-memory' ? latest.reason : null;
  const now = [r?.memAvailablePercent != null ? `${pct(r.memAvailablePercent)} of memory available` : null, r?.swapFreePercent != null ? `${pct(r.swapFreePercent)} of swap free` : null].filter((x) => x !== null);
  const limits = r?.memLimitPercent != null && r.swapLimitPercent != null ? `, at or below its ${r.limitSignal ? `${r.limitSignal} ` : ''}limits of ${pct(r.memLimitPercent)} and ${pct(r.swapLimitPercent)}` : '';
  const out = [`${who}${now.length > 0 ? `: ${now.join(' and ')} at ${latestText(kills)}${limits}` : ''}.`];
  const a = latest.action;
  const fate =
    a?.outcome === 'exited'
      ? `it exited${a.exitedAfterSec !== null ? ` ${a.exitedAfterSec} s` : ''} after ${a.signal ?? 'the signal'}${a.escalated ? ' and SIGKILL' : ''}`
      : a?.outcome === 'did-not-exit'
        ? 'it had not exited 10 s later'
        : a?.outcome === 'kill-failed'
          ? 'the kill failed'
          : null;
  const rss = latest.victim.vmRssMiB !== null ? `the victim held ${formatKb(latest.victim.vmRssMiB * 1024)} RSS` : null;
  const last = [rss, fate].filter((x) => x !== null);
  if (last.length > 0) out.push(`At ${latestText(kills)} ${last.join('; ')}.`);
  return out;
}

function latestText(kills: UserspaceKill[]): string {
  return kills.length === 1 ? 'the kill' : 'the latest kill';
}

function count(n: number, of: number): string {
  if (n === of) return n === 1 ? 'the kill' : n === 2 ? 'both kills' : `all ${n} kills`;
  return `${n} of the ${of} kills`;
}

function pct(v: number): string {
  return `${Number.isInteger(v) ? v : v.toFixed(2)}%`;
}

function pair(what: string, used: number | null, total: number | null): string | null {
  if (used === null || total === null) return null;
  return `${what} ${formatKb(used / 1024)} of ${formatKb(total / 1024)}`;
}
