import { constants } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { PROC_KMSG_REFUSAL, stealsKernelMessages } from '../sources/readInput.js';
import { countLines, pause, SourceError, wholeLines, type Deliver, type LineSource, type ProblemSink } from './lineSource.js';
import type { KmsgPosition } from './watchState.js';

/** One read returns one kmsg record (at most about 8 KiB); a FIFO or file may return more. */
const READ_BYTES = 64 * 1024;
/** Deliver after this much, even while more is readable. */
const BATCH_BYTES = 256 * 1024;
/** How often to look again when nothing is readable. */
const POLL_MS = 50;
const RECORD_SEQ = /^\d{1,4},(\d+),/;

export type KmsgStart = { resume: KmsgPosition } | { fromStart: boolean };

/**
 * Reads kernel log records straight from `/dev/kmsg` (or a FIFO or file in its format). Starts
 * after the records already there unless told to read them, and resumes after the last record
 * read (by sequence number) when the machine has not rebooted since.
 */
export class KmsgTail implements LineSource {
  private readonly abort = new AbortController();
  private carry: Buffer = Buffer.alloc(0);
  private seq: number | null = null;
  private line = 0;
  /** Records with a sequence number up to this one were read by an earlier run. */
  private seenUpTo: number | null = null;
  private skippingRecord = false;

  constructor(
    private readonly path: string,
    private readonly start: KmsgStart,
    private readonly problem: ProblemSink,
  ) {}

  async run(deliver: Deliver): Promise<void> {
    let handle: FileHandle;
    if (await stealsKernelMessages(this.path)) throw new SourceError(`cannot read ${this.path}: ${PROC_KMSG_REFUSAL}`);
    try {
      // Non-blocking: an idle /dev/kmsg (or FIFO) answers EAGAIN instead of holding a thread.
      handle = await open(this.path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const hint = e.code === 'EACCES' || e.code === 'EPERM' ? ' (needs root or CAP_SYSLOG)' : '';
      throw new SourceError(`cannot read ${this.path}: ${e.code ?? e.message}${hint}`);
    }
    try {
      const bootId = await readBootId();
      if ('resume' in this.start) {
        const pos = this.start.resume;
        this.line = pos.line;
        this.seq = pos.seq;
        if (pos.bootId !== null && pos.bootId === bootId) this.seenUpTo = pos.seq;
      } else if (!this.start.fromStart) {
        // Start at the end: what is in the buffer now happened before we were asked to watch.
        while ((await this.readBatch(handle)).length > 0);
      }
      await deliver({ data: Buffer.alloc(0), startLine: this.line, position: this.position(bootId) });
      while (!this.abort.signal.aborted) {
        const data = await this.readBatch(handle);
        if (data.length === 0) {
          await pause(POLL_MS, this.abort.signal);
          continue;
        }
        const startLine = this.line;
        this.line += countLines(data);
        await deliver({ data, startLine, position: this.position(bootId) });
      }
    } finally {
      await handle.close();
    }
  }

  stop(): void {
    this.abort.abort();
  }

  private position(bootId: string | null): KmsgPosition {
    return { kind: 'kmsg', path: this.path, bootId, seq: this.seq, line: this.line };
  }

  /** Reads what is readable now (up to a batch), as whole records not seen before. */
  private async readBatch(handle: FileHandle): Promise<Buffer> {
    const parts: Buffer[] = [];
    let size = 0;
    const buf = Buffer.allocUnsafe(READ_BYTES);
    while (size < BATCH_BYTES) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buf, 0, READ_BYTES, null));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') break;
        if (code === 'EPIPE') {
          // The ring buffer wrapped past our position; reading goes on at the oldest record.
          this.problem(`${this.path}: kernel messages were overwritten before they could be read`);
          continue;
        }
        throw err;
      }
      if (bytesRead === 0) break;
      const { lines, carry } = wholeLines(this.carry, buf.subarray(0, bytesRead));
      this.carry = carry;
      const fresh = this.unseen(lines);
      parts.push(fresh);
      size += fresh.length;
    }
    return Buffer.concat(parts);
  }

  /** Drops records (and their ` KEY=value` dictionary lines) an earlier run already read. */
  private unseen(lines: Buffer): Buffer {
    const kept: Buffer[] = [];
    for (let p = 0; p < lines.length; ) {
      const nl = lines.indexOf(10, p);
      const end = nl < 0 ? lines.length : nl + 1;
      const line = lines.subarray(p, end);
      p = end;
      if (line[0] !== 0x20) {
        const m = RECORD_SEQ.exec(line.toString('latin1', 0, 32));
        const seq = m ? Number(m[1]) : null;
        this.skippingRecord = seq !== null && this.seenUpTo !== null && seq <= this.seenUpTo;
        if (seq !== null && !this.skippingRecord) this.seq = seq;
      }
      if (!this.skippingRecord) kept.push(line);
    }
    return Buffer.concat(kept);
  }
}

async function readBootId(): Promise<string | null> {
  try {
    return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim() || null;
  } catch {
    return null;
  }
}
