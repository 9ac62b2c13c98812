import { z } from 'zod';
import { TopProcess } from './memorySample.js';

/**
 * One life of a cgroup's memory, from the samples: from a start (the first sample, a kill, a
 * restart or a drop) to its end. Carried by `watch` with each kill (record and --exec) and by
 * `report --samples` per group.
 */
export const MemoryLife = z.object({
  cgroup: z.string(),
  host: z.string(),
  start: z.string().describe('ISO time of the first sample of the life'),
  end: z.string().describe('ISO time of its last sample'),
  seconds: z.number().describe('how long it lived (between those samples)'),
  samples: z.number().int(),
  endedBy: z.enum(['kill', 'restart', 'drop', 'ongoing']).describe('kill: the log or the oom_kill counter; restart: every process replaced; drop: usage fell sharply'),
  startBytes: z.number().describe('working set at the first sample (usage without inactive file cache)'),
  peakBytes: z.number().describe('highest usage sampled'),
  lastBytes: z.number().describe('working set at the last sample'),
  limitBytes: z.number().nullable(),
  growthBytesPerSec: z.number().nullable().describe('Theil–Sen slope of the working set over the life; null under 3 samples'),
  growing: z.boolean().describe('rising steadily (Kendall tau >= 0.6) by more than noise'),
  top: z.array(TopProcess).describe('the largest processes at the last sample'),
});
export type MemoryLife = z.infer<typeof MemoryLife>;
