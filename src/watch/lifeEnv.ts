import type { MemoryLife } from '../schema/memoryLife.js';

/** The life of a kill's memory as `--exec` environment variables (values only; the JSON on stdin has it all). */
export function lifeEnv(life: MemoryLife | null): Record<string, string> {
  if (!life) return {};
  const whole = (v: number | null) => (v === null ? '' : String(Math.round(v)));
  return {
    OOMLENS_CGROUP: life.cgroup,
    OOMLENS_LIFE_SECONDS: whole(life.seconds),
    OOMLENS_GROWTH_BYTES_PER_SEC: whole(life.growthBytesPerSec),
    OOMLENS_START_BYTES: whole(life.startBytes),
    OOMLENS_PEAK_BYTES: whole(life.peakBytes),
    OOMLENS_LIMIT_BYTES: whole(life.limitBytes),
    OOMLENS_TOP_PIDS: life.top.map((p) => p.pid).join(' '),
  };
}
