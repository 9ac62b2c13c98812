import { makeFleet, type Host } from './fleet.js';
import { NoisePool } from './noise.js';
import { userspaceAllowed, WallClock, writeKernelPrefix, writeProgramPrefix, type LogFormat } from './prefix.js';
import { Random } from './random.js';
import type { Sink } from './sink.js';

const NEWLINE = 0x0a;

export interface GenerateOptions {
  seed: number;
  /** Stop once this many bytes are written (after the last kill); null: when `kills` are written. */
  sizeBytes: number | null;
  /** Exactly this many kills, spread evenly over `sizeBytes`; null: one every `killEveryBytes` on average. */
  kills: number | null;
  hosts: number;
  format: LogFormat;
  /** Mean distance between kills when `kills` is not given (sparse logs). */
  killEveryBytes: number;
  /** Mean number of noise lines after each kill when no size is given (dense logs). */
  noisePerKill: number;
  /** Whether other hosts' lines fall between a dump's lines (a central log server's file). */
  interleave: boolean;
  startIso: string;
}

/** One kill the generator wrote: what a parser must find, and on which line its report starts. */
export interface TruthKill {
  host: string | null;
  victimPid: number;
  victimComm: string;
  line: number;
  kernel: string;
  cgroup: string | null;
  taskMemcg: string;
}

export interface GenerateSummary {
  bytes: number;
  lines: number;
  kills: number;
}

/** Byte offsets of `count` kills, uniform over `size` bytes, sorted (exactly `count` kills). */
function killOffsets(count: number, size: number, r: Random): Float64Array {
  const at = new Float64Array(count);
  for (let i = 0; i < count; i++) at[i] = r.float() * size;
  return at.sort();
}

/**
 * Writes a syslog-like log to `out` and each kill's truth to `truth`. Deterministic: the same
 * options give the same bytes. Three shapes: `sizeBytes` alone (sparse: kills at random, one per
 * `killEveryBytes`), `kills` alone (dense: dumps back to back with a little noise between, a
 * crash loop's central log), both (exactly `kills` kills spread over `sizeBytes`).
 */
export function generateLog(o: GenerateOptions, out: Sink, truth: (kill: TruthKill) => void): GenerateSummary {
  if (o.sizeBytes === null && o.kills === null) throw new Error('give a size, a kill count, or both');
  const r = new Random(o.seed);
  const clock = new WallClock(Date.parse(o.startIso) * 1000, o.format);
  const hosts = makeFleet(o.format === 'dmesg' ? 1 : Math.max(1, o.hosts), o.seed, clock.micros, r);
  const pool = new NoisePool(r, userspaceAllowed(o.format));
  let lines = 0;
  let kills = 0;

  const kernelLine = (h: Host, text: string) => {
    writeKernelPrefix(out, o.format, clock, h);
    out.text(text);
    out.byte(NEWLINE);
    lines++;
  };
  const noise = (h: Host) => {
    const n = pool.draw(r);
    if (n.kernel) writeKernelPrefix(out, o.format, clock, h);
    else writeProgramPrefix(out, clock, h.hostSpace);
    out.put(n.bytes);
    lines++;
  };
  const kill = () => {
    const h = r.pick(hosts);
    const story = h.nextKill(r);
    const dump = h.kernel.lines(story, r);
    truth({
      host: o.format === 'dmesg' ? null : h.host,
      victimPid: story.victim.pid,
      victimComm: story.victim.name,
      line: lines + 1,
      kernel: h.kernel.release,
      cgroup: story.memcg,
      taskMemcg: story.taskMemcg,
    });
    kills++;
    for (let i = 0; i < dump.length; i++) {
      // Another host's line may land inside the dump, never before its first line.
      if (i > 0 && o.interleave && hosts.length > 1 && r.chance(0.08)) noise(r.pick(hosts.filter((x) => x !== h)));
      kernelLine(h, dump[i]!);
      clock.advance(r.int(1, 40));
    }
  };

  if (o.sizeBytes === null) {
    // Dense: kills back to back, a crash loop over months.
    for (let k = 0; k < o.kills!; k++) {
      kill();
      const quiet = r.int(0, 2 * o.noisePerKill);
      for (let i = 0; i < quiet; i++) {
        clock.advance(r.exp(10e6));
        noise(r.pick(hosts));
      }
      clock.advance(r.exp(60e6));
    }
  } else {
    const size = o.sizeBytes;
    const offsets = o.kills === null ? null : killOffsets(o.kills, size, r);
    let nextKillAt = offsets === null ? r.exp(o.killEveryBytes) : (offsets[0] ?? Infinity);
    let k = 0;
    while (out.bytes < size || (offsets !== null && k < offsets.length)) {
      if (out.bytes >= nextKillAt) {
        kill();
        k++;
        nextKillAt = offsets === null ? out.bytes + r.exp(o.killEveryBytes) : (offsets[k] ?? Infinity);
      } else {
        clock.advance(r.exp(0.6e6));
        noise(r.pick(hosts));
      }
    }
  }
  out.close();
  return { bytes: out.bytes, lines, kills };
}
