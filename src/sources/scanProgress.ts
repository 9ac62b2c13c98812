/** Inputs smaller than this finish before a progress line would help. */
export const PROGRESS_MIN_BYTES = 64 << 20;
const REDRAW_MS = 250;

interface ProgressOut {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

/**
 * The progress line on stderr while a large input is scanned: bytes done / total, MB/s, kills
 * so far, ETA. Only on a terminal (never in a pipe or a log file), redrawn in place a few times a
 * second, and erased at the end.
 */
export class ScanProgress {
  private done = 0;
  private kills = 0;
  private readonly started = Date.now();
  private readonly timer: NodeJS.Timeout | null;

  constructor(
    private readonly totalBytes: number,
    private readonly out: ProgressOut = process.stderr,
    enabled = true,
  ) {
    const on = enabled && out.isTTY === true && totalBytes >= PROGRESS_MIN_BYTES;
    this.timer = on ? setInterval(() => this.draw(), REDRAW_MS) : null;
    this.timer?.unref();
  }

  /** `bytes` more of the total were dealt with. */
  advance(bytes: number): void {
    this.done += bytes;
  }

  kill(): void {
    this.kills += 1;
  }

  /** Erases the line (before anything else is written to stderr). */
  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.out.write('\r\x1b[K');
  }

  /** The text of the line, e.g. `scanned 312/1024 MB  1450 MB/s  17 kills  ETA 0:01`. */
  line(now = Date.now()): string {
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = this.done / seconds;
    const left = rate > 0 ? Math.round(Math.max(0, this.totalBytes - this.done) / rate) : NaN;
    const eta = Number.isFinite(left) ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}` : '?';
    const mb = (n: number) => Math.round(n / 1e6);
    return `scanned ${mb(this.done)}/${mb(this.totalBytes)} MB  ${mb(rate)} MB/s  ${this.kills} kill${this.kills === 1 ? '' : 's'}  ETA ${eta}`;
  }

  private draw(): void {
    this.out.write(`\r\x1b[K${this.line().slice(0, (this.out.columns || 80) - 1)}`);
  }
}
