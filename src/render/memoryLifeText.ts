import { durationText } from '../analyze/durationText.js';
import type { CounterOomKill } from '../schema/counterKill.js';
import type { MemoryLife } from '../schema/memoryLife.js';
import { formatKb } from './killTable.js';
import { terminalSafe } from './terminalSafe.js';

/** A size from the samples: "61.2 MiB" (one decimal; bytes below 1 KiB as they are). */
export function bytesText(bytes: number | null): string {
  if (bytes === null) return 'no limit';
  return bytes < 1024 ? `${Math.round(bytes)} B` : formatKb(Math.round(bytes / 1024)).replace(/^(\d+) KiB$/, '$1.0 KiB');
}

/** A rate as people say it: "2.0 MiB/s", "35 KiB/s"; null when not measured. */
export function rateText(bytesPerSec: number | null): string | null {
  if (bytesPerSec === null) return null;
  const sign = bytesPerSec < 0 ? '-' : '+';
  return `${sign}${bytesText(Math.abs(bytesPerSec))}/s`;
}

/** The memory of a life in one indented line under a kill (terminal-safe). */
export function lifeLine(life: MemoryLife): string {
  const parts = [`lived ${durationText(life.seconds)} (${life.samples} samples)`];
  const rate = rateText(life.growthBytesPerSec);
  if (rate) parts.push(`${rate}${life.growing ? ' steadily' : ', not steadily'}`);
  parts.push(`${bytesText(life.startBytes)} at start, peak ${bytesText(life.peakBytes)} of ${bytesText(life.limitBytes)}`);
  const top = life.top.map((p) => `${terminalSafe(p.comm)} (${p.pid}) ${bytesText(p.rssBytes)}`).join(', ');
  if (top) parts.push(`largest before: ${top}`);
  return `  memory of ${terminalSafe(life.cgroup)}: ${parts.join('; ')}\n`;
}

/** A kill only the cgroup's oom_kill counter showed (terminal-safe), and its life. */
export function counterKillLine(k: CounterOomKill): string {
  const what = k.count === 1 ? 'an OOM kill' : `${k.count} OOM kills`;
  return `${k.time}  the kernel counted ${what} in ${terminalSafe(k.cgroup)} with no report in the log (rate-limited, lost, or in a log not followed)\n${lifeLine(k.life)}`;
}
