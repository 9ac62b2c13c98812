import { z } from 'zod';
import { MemoryLife } from './memoryLife.js';

/**
 * `watch --samples`: a kill the kernel counted (a cgroup's oom_kill counter went up) for which no
 * kernel report was read in time: its dump was rate-limited, lost, or is in a log not followed.
 */
export const CounterOomKill = z.object({
  type: z.literal('counter-oom-kill'),
  host: z.string(),
  cgroup: z.string().describe('the sampled cgroup whose counter went up (the kill was in it or below it)'),
  count: z.number().int().positive().describe('kills counted and not logged'),
  time: z.string().describe('ISO time of the sample that saw the counter higher'),
  life: MemoryLife.describe('the life of its memory up to the kill'),
});
export type CounterOomKill = z.infer<typeof CounterOomKill>;
