import { closeSync, writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));
const SIZE = 4 << 20;
const SPACE = 0x20;
const ZERO = 0x30;

/**
 * Bytes gathered in one reused 4 MiB buffer, written when it is full. The pieces of a line are
 * copied in as they are (pre-encoded text, digits written in place), so that no string is built
 * per line: the generator must outrun a scan reading its output through a pipe.
 * A pipe reader slower than the generator makes a non-blocking pipe answer EAGAIN: the write
 * then waits a millisecond and goes on.
 */
export class Sink {
  private readonly buffer = Buffer.allocUnsafe(SIZE);
  private used = 0;
  bytes = 0;

  constructor(
    private readonly fd: number,
    private readonly closeAtEnd: boolean,
  ) {}

  private room(n: number): void {
    if (n > SIZE - this.used) this.flush();
  }

  put(bytes: Uint8Array): void {
    if (bytes.length > SIZE) {
      this.flush();
      this.writeAll(bytes);
    } else {
      this.room(bytes.length);
      this.buffer.set(bytes, this.used);
      this.used += bytes.length;
    }
    this.bytes += bytes.length;
  }

  /** Text of ASCII only (the generator writes nothing else). */
  text(s: string): void {
    if (s.length > SIZE) return this.put(Buffer.from(s, 'latin1'));
    this.room(s.length);
    this.used += this.buffer.write(s, this.used, 'latin1');
    this.bytes += s.length;
  }

  byte(c: number): void {
    this.room(1);
    this.buffer[this.used++] = c;
    this.bytes++;
  }

  /** A non-negative integer in decimal, right-aligned in `width` columns with spaces (printk's %5lu). */
  uint(n: number, width = 0, pad = SPACE): void {
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    const len = Math.max(width, digits);
    this.room(len);
    let at = this.used + len - 1;
    let x = n;
    for (let i = 0; i < digits; i++, at--) {
      this.buffer[at] = ZERO + (x % 10);
      x = Math.floor(x / 10);
    }
    for (; at >= this.used; at--) this.buffer[at] = pad;
    this.used += len;
    this.bytes += len;
  }

  /** Zero-padded to `width` digits (the microseconds of a stamp). */
  zeroPadded(n: number, width: number): void {
    this.uint(n, width, ZERO);
  }

  flush(): void {
    this.writeAll(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private writeAll(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(this.fd, bytes, offset);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        Atomics.wait(pause, 0, 0, 1);
      }
    }
  }

  close(): void {
    this.flush();
    if (this.closeAtEnd) closeSync(this.fd);
  }
}
