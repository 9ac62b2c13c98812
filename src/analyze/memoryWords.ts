import { bytesText, rateText } from '../render/memoryLifeText.js';
import type { AnalysisGroup, Cause } from './analysis.js';
import { durationText } from './durationText.js';
import type { MemoryEvidenceKind } from './memoryKinds.js';
import type { GroupMemory } from './memoryShape.js';
import { ours, plainText, words, type Phrase } from './phrase.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type V = Record<string, any>;
const size = (b: number | null) => ours(bytesText(b));
const of = (v: V) => livesText(v.lives, v.of);

function livesText(agree: number, of: number): string {
  if (of === 1) return 'its one life';
  if (agree === of) return of === 2 ? 'both lives' : `all ${of} lives`;
  return `${agree} of ${of} lives`;
}

/** Memory-sample evidence in words (merged into the statement word table). */
export const MEMORY_WORDS: Record<MemoryEvidenceKind, (v: V) => Phrase> = {
  'memory-ramp': (v) =>
    words`Memory samples: ${ours(of(v))} ramped steadily to the limit at ${ours(rateText(v.bytesPerSec) ?? '?')}${v.lives > 1 ? words` (${ours(rateText(v.minBytesPerSec)!)} to ${ours(rateText(v.maxBytesPerSec)!)})` : []}, from ${size(v.startBytes)} to the ${size(v.limitBytes)} limit in ~${ours(durationText(v.lifeSec))}: a leak, measured.`,
  'memory-step': (v) =>
    words`Memory samples: ${ours(of(v))} sat flat (${size(v.beforeBytes)}) and then jumped${v.jumpBytes > 0 ? words` (by up to ${size(v.jumpBytes)} between two samples)` : []} past the ${size(v.limitBytes)} limit: a spike, not a leak.`,
  'memory-at-limit': (v) =>
    words`Memory samples: ${ours(of(v))} began at ${size(v.startBytes)}, at the ${size(v.limitBytes)} limit from the first sample, and lasted ~${ours(durationText(v.lifeSec))}: it needs more than the limit to start.`,
  'memory-pressure': (v) => words`Memory samples: in ${ours(of(v))} the memory rose and fell with the host's memory pressure (correlation ${ours(v.r.toFixed(2))}): it follows the load.`,
  'memory-flat': (v) => words`Memory samples: ${ours(of(v))} stayed flat (peak ${size(v.peakBytes)} of ${size(v.limitBytes)}): no growth to explain the kills.`,
  'memory-no-samples': () => words`No memory samples of this cgroup.`,
};

/** The group's headline once the samples decided its cause (plain text; renderers escape it). */
export function memoryHeadline(g: AnalysisGroup, m: GroupMemory, cause: Cause, agree: number, of: number): string {
  const lives = livesText(agree, of).replace(/^its /, '');
  const limit = m.lives.find((l) => l.limitBytes !== null)?.limitBytes ?? null;
  const subject = g.label;
  const when = g.kills === 1 ? 'was killed once' : `was killed ${g.kills} times`;
  const phrase: Record<Cause, Phrase> = {
    leak: words`a leak of ${ours(rateText(m.growthBytesPerSec) ?? '?')}`,
    startup: words`a start-up that needs more than ${size(limit)}`,
    spike: words`a spike: flat, then one jump past ${size(limit)}`,
    load: words`load: its memory follows the host's memory pressure`,
    'fork-storm': words`a fork storm`,
    'host-pressure': words`the host running short`,
    'limit-too-close': words`a limit too close to normal use`,
  };
  return plainText(words`${subject} ${when} at its ${size(limit)} limit: ${phrase[cause]}, measured in ${ours(lives)} (${ours(String(m.samples))} memory samples).`);
}
