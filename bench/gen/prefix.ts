import type { Sink } from './sink.js';

/** How each line of the generated log starts: the syslog formats a log server holds, or bare dmesg. */
export type LogFormat = 'syslog' | 'iso' | 'journal' | 'dmesg';
export const LOG_FORMATS: readonly LogFormat[] = ['syslog', 'iso', 'journal', 'dmesg'];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const ascii = (s: string) => Buffer.from(s, 'latin1');
const ISO_ZONE = ascii('+00:00 ');
const OPEN = 0x5b;
const CLOSE_SPACE = ascii('] ');
const DOT = 0x2e;

/**
 * The fleet's shared wall clock, in microseconds since the epoch (UTC). The text of the
 * current second is encoded once per second (most lines share one).
 */
export class WallClock {
  private second = -1;
  private stamp: Buffer = Buffer.alloc(0);

  constructor(
    public micros: number,
    private readonly format: LogFormat,
  ) {}

  advance(micros: number): void {
    this.micros += Math.max(0, Math.round(micros));
  }

  /**
   * `Mar  1 00:00:07 ` (rsyslog's traditional format), `Mar 01 00:00:07 ` (journalctl's short
   * format), or `2026-03-01T00:00:07` (RFC 3339, its fraction and zone written per line).
   */
  private secondText(): Buffer {
    const second = Math.floor(this.micros / 1e6);
    if (second === this.second) return this.stamp;
    this.second = second;
    const d = new Date(second * 1000);
    const day = d.getUTCDate();
    const hms = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
    const month = MONTHS[d.getUTCMonth()]!;
    switch (this.format) {
      case 'syslog':
        this.stamp = ascii(`${month} ${day < 10 ? ` ${day}` : day} ${hms} `);
        break;
      case 'journal':
        this.stamp = ascii(`${month} ${two(day)} ${hms} `);
        break;
      case 'iso':
        this.stamp = ascii(`${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(day)}T${hms}`);
        break;
      case 'dmesg':
        this.stamp = Buffer.alloc(0);
        break;
    }
    return this.stamp;
  }

  writeTime(out: Sink): void {
    out.put(this.secondText());
    if (this.format !== 'iso') return;
    out.byte(DOT);
    out.zeroPadded(this.micros % 1e6, 6);
    out.put(ISO_ZONE);
  }
}

/** A host's name as its lines spell it, encoded once. */
export class LineSource {
  readonly kernelTag: Buffer;
  constructor(
    readonly host: string,
    readonly bootMicros: number,
    /** Whether this host's kernel stamps its messages (printk.time); old RHEL does not by default. */
    readonly printkTime: boolean,
  ) {
    this.kernelTag = ascii(`${host} kernel: `);
  }
}

/** printk's `[  8812.402311] `: seconds since this host booted. */
function writePrintkStamp(out: Sink, clock: WallClock, bootMicros: number): void {
  const up = clock.micros - bootMicros;
  out.byte(OPEN);
  out.uint(Math.floor(up / 1e6), 5);
  out.byte(DOT);
  out.zeroPadded(up % 1e6, 6);
  out.put(CLOSE_SPACE);
}

/** Writes the prefix of a kernel line of `source`, with its trailing space. */
export function writeKernelPrefix(out: Sink, format: LogFormat, clock: WallClock, source: LineSource): void {
  if (format !== 'dmesg') {
    clock.writeTime(out);
    out.put(source.kernelTag);
  }
  if (format === 'dmesg' || (format !== 'journal' && source.printkTime)) writePrintkStamp(out, clock, source.bootMicros);
}

/** Writes the prefix of a userspace program's line up to its tag (`host `); never in dmesg. */
export function writeProgramPrefix(out: Sink, clock: WallClock, hostSpace: Buffer): void {
  clock.writeTime(out);
  out.put(hostSpace);
}

/** dmesg holds only the kernel's ring buffer: no other program's lines, one host. */
export function userspaceAllowed(format: LogFormat): boolean {
  return format !== 'dmesg';
}
