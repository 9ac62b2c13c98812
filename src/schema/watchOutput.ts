import { z } from 'zod';
import { CounterOomKill } from './counterKill.js';
import { KillRecord } from './killRecord.js';
import { MemoryLife } from './memoryLife.js';

/**
 * What `watch --json` writes, one per line: the kill records (with `--samples`, each with the
 * life of its cgroup's memory up to the kill, when that cgroup was sampled), and kills only the
 * oom_kill counter showed.
 */
export const WatchOutput = z.union([
  z.intersection(KillRecord, z.object({ life: MemoryLife.optional().describe('with --samples: the memory of the life that ended in this kill') })),
  CounterOomKill,
]);
export type WatchOutput = z.infer<typeof WatchOutput>;
