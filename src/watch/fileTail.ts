import { watch } from 'chokidar';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { problemFrom } from '../sources/inputProblem.js';
import { PROC_KMSG_REFUSAL, stealsKernelMessages } from '../sources/readInput.js';
import { countLines, pause, SourceError, type Deliver, type LineSource, type ProblemSink } from './lineSource.js';
import { decompressedFrom, endsWith, locateRotated, startsWith, type RotatedFile } from './rotatedFile.js';
import type { FilePosition } from './watchState.js';

/** Bytes per read: a burst of thousands of lines goes through in a few reads. */
const READ_BYTES = 1 << 20;
/** Bytes kept from before the offset, to recognise the file (or its copy) again. */
const TAIL_BYTES = 1024;
/** chokidar drops a change event within 50 ms of the previous one: look again after this. */
const RECHECK_MS = 60;
/** A look now and then even without events (inotify limits, missed events). */
const IDLE_CHECK_MS = 1000;
/**
 * A renamed (or deleted) file is read until it has been idle this long and the new file has
 * data: syslog daemons keep writing to the old file until their HUP (logrotate's postrotate)
 * makes them reopen the name, 0.2-1 s later.
 */
export const DRAIN_IDLE_MS = 300;
/** How long after its last growth a renamed file is looked at often. */
const DRAIN_LOOK_MS = 5000;
/** A copytruncate copy may still be being compressed: look for it this many times. */
const COPY_LOOKS = 5;

interface OpenFile {
  handle: FileHandle;
  dev: number;
  ino: number;
  offset: number;
  line: number;
  tail: Buffer;
  /** When we last read new bytes from it (or opened it): a renamed file is left once idle. */
  grewAt: number;
}

/** Where reading stands in a file: an open one, or a compressed one read as a stream. */
type Positioned = Pick<OpenFile, 'dev' | 'ino' | 'offset' | 'line' | 'tail'>;

export type FileStart = { resume: FilePosition } | { fromStart: boolean };

/**
 * Follows a log file by name, like `tail -F`, delivering whole lines. Survives rotation by
 * rename (the old file, held open, is read until it has been idle for DRAIN_IDLE_MS and the new
 * one has data: the syslog daemon's HUP window), copytruncate (the rest is read from the copy,
 * compressed or not), deletion and re-creation, a file that does not exist yet, and a last line
 * still being written. Resumes from a saved position through every rotation made meanwhile:
 * the rest of the file it had (found by inode, or by content), every newer rotated file, then
 * the file at the name.
 */
export class FileTail implements LineSource {
  private cur: OpenFile | null = null;
  /** Rotated files still to read, oldest first, before the one at the name (on resume). */
  private backlog: RotatedFile[] = [];
  /** When a missing file began to be waited for (kept across restarts). */
  private waitingSince = Date.now();
  private readonly abort = new AbortController();
  private wake: (() => void) | null = null;
  private poked = false;
  private deliver: Deliver = async () => undefined;
  private lastProblem = '';

  constructor(
    private readonly path: string,
    private readonly start: FileStart,
    private readonly problem: ProblemSink,
  ) {}

  async run(deliver: Deliver): Promise<void> {
    this.deliver = deliver;
    try {
      await this.openAtStart();
    } catch (err) {
      await this.cur?.handle.close();
      this.cur = null;
      const p = problemFrom(this.path, err);
      throw new SourceError(`cannot follow ${p.input}: ${p.message}`);
    }
    // Watched once the file could be opened: an unreadable one is one line, not two.
    const watcher = watch(this.path, { ignoreInitial: true, persistent: true });
    watcher.on('all', () => this.poke());
    watcher.on('error', (err) => this.report(`watching ${this.path}: ${(err as Error).message}`));
    try {
      while (!this.abort.signal.aborted) {
        let moved = false;
        try {
          moved = await this.check();
        } catch (err) {
          this.report(`reading ${this.path}: ${(err as Error).message}`);
        }
        await this.waitForPoke(moved ? RECHECK_MS : IDLE_CHECK_MS);
      }
    } finally {
      await watcher.close();
      await this.cur?.handle.close();
      this.cur = null;
    }
  }

  stop(): void {
    this.abort.abort();
    this.poke();
  }

  private poke(): void {
    this.poked = true;
    this.wake?.();
  }

  private async waitForPoke(ms: number): Promise<void> {
    if (!this.poked) {
      await Promise.race([pause(ms, this.abort.signal), new Promise<void>((resolve) => (this.wake = resolve))]);
      this.wake = null;
    }
    this.poked = false;
  }

  /** Says a problem once, not on every look while it lasts. */
  private report(message: string): void {
    if (message !== this.lastProblem) this.problem(message);
    this.lastProblem = message;
  }

  private async openAtStart(): Promise<void> {
    const st = await statOrNull(this.path);
    if ('resume' in this.start) {
      const pos = this.start.resume;
      if (st && st.dev === pos.dev && st.ino === pos.ino) {
        const file = await this.openFile(st);
        Object.assign(file, { offset: pos.offset, line: pos.line, tail: Buffer.from(pos.tail, 'base64') });
        // At offset 0 the noted first bytes tell a truncated (copytruncate) file from the same one.
        const same = pos.offset > 0 || !pos.head || (await startsWith({ path: this.path, gz: false }, Buffer.from(pos.head, 'base64')));
        if (same && st.size >= pos.offset && (await endsWith(file.handle, pos.offset, file.tail))) {
          this.cur = file;
          return this.announce(file);
        }
        await file.handle.close();
      }
      // Rotated (or truncated) while we were not running, maybe more than once.
      if (await this.resumeRotated(pos)) return;
      return st ? this.switchTo(st) : this.announce(null);
    }
    if (!st) return this.announce(null);
    const file = await this.openFile(st);
    if (!this.start.fromStart) await skipToEnd(file);
    this.cur = file;
    await this.announce(file);
  }

  /**
   * Finds the file the saved position was in among the rotated files, goes on reading it from
   * there, and queues every newer rotated file. False when it is not there (said so).
   */
  private async resumeRotated(pos: FilePosition): Promise<boolean> {
    if (pos.ino === 0 && pos.since !== undefined) this.waitingSince = pos.since;
    const found = await locateRotated(pos);
    if (!found) {
      if (pos.offset > 0 || pos.ino !== 0) this.missed(pos);
      return false;
    }
    const at = found.set[found.index]!;
    this.backlog = found.set.slice(found.index + 1);
    const start = { offset: pos.offset, line: pos.line, tail: Buffer.from(pos.tail, 'base64') };
    // A compressed one is read at once; the loop then goes on with the backlog.
    if (at.gz) {
      await this.readCompressed(at, start);
      return true;
    }
    const file = await this.openPath(at.path);
    Object.assign(file, start);
    this.cur = file;
    await this.announce(file);
    return true;
  }

  private missed(pos: FilePosition): void {
    this.report(`${this.path} was replaced (rotated or deleted) and its old content is not next to it: any lines written to it after byte ${pos.offset} were missed`);
  }

  /**
   * One look: new lines in the open file; then, when the name points to another file, whether
   * the open one is done with (idle, and the new one has data) so that reading moves on.
   */
  private async check(): Promise<boolean> {
    let moved = false;
    const cur = this.cur;
    const st = await statOrNull(this.path);
    if (cur) {
      const live = st !== null && st.dev === cur.dev && st.ino === cur.ino;
      const now = await cur.handle.stat();
      if (live && (now.size < cur.offset || !(await endsWith(cur.handle, cur.offset, cur.tail)))) {
        // Truncated in place (copytruncate): what we had not read yet is in the copy.
        await this.readCopiedRest(this.positionOf(cur));
        Object.assign(cur, { offset: 0, line: 0, tail: Buffer.alloc(0) });
        await this.announce(cur);
        moved = true;
      }
      if (await this.readNew(cur, false)) {
        cur.grewAt = performance.now();
        moved = true;
      }
      if (live) return moved;
      if (this.backlog.length === 0) {
        // Renamed or deleted: the writer may still append to it until it reopens the name.
        // No event tells us it grew (the name is watched), so look often for a while.
        const idle = performance.now() - cur.grewAt;
        if (!st || st.size === 0 || idle < DRAIN_IDLE_MS) return moved || idle < DRAIN_LOOK_MS;
      }
      await this.readNew(cur, true);
      await cur.handle.close();
      this.cur = null;
      moved = true;
    }
    while (!this.cur && this.backlog.length > 0) {
      const next = this.backlog.shift()!;
      const start = { offset: 0, line: 0, tail: Buffer.alloc(0) };
      if (next.gz) {
        await this.readCompressed(next, start);
        continue;
      }
      try {
        this.cur = await this.openPath(next.path);
      } catch (err) {
        this.report(`reading ${next.path}: ${(err as Error).message}`);
        continue;
      }
      await this.announce(this.cur);
      return true;
    }
    if (!this.cur && st) {
      await this.switchTo(st);
      moved = true;
    }
    return moved;
  }

  private async switchTo(st: Stats): Promise<void> {
    let file: OpenFile;
    try {
      file = await this.openFile(st);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    this.cur = file;
    await this.announce(file);
    await this.readNew(file, false);
  }

  private async openFile(st: Stats): Promise<OpenFile> {
    // A directory or a device has no lines to follow by offset (for /dev/kmsg there is --kmsg).
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!st.isFile()) throw new Error('is not a regular file (for /dev/kmsg use --kmsg, for a FIFO --kmsg-path)');
    if (await stealsKernelMessages(this.path)) throw new Error(PROC_KMSG_REFUSAL);
    return this.openPath(this.path, st);
  }

  private async openPath(path: string, st?: Stats): Promise<OpenFile> {
    const handle = await open(path, 'r');
    const real = await handle.stat().catch(() => st!);
    this.lastProblem = '';
    return { handle, dev: real.dev, ino: real.ino, offset: 0, line: 0, tail: Buffer.alloc(0), grewAt: performance.now() };
  }

  /** Reads what a truncated file held past `pos` from its copy (which may be compressed meanwhile). */
  private async readCopiedRest(pos: FilePosition): Promise<void> {
    for (let look = 0; look < COPY_LOOKS; look++) {
      const found = await locateRotated(pos);
      if (found) {
        const at = found.set[found.index]!;
        const start = { offset: pos.offset, line: pos.line, tail: Buffer.from(pos.tail, 'base64') };
        if (at.gz) return this.readCompressed(at, start);
        const file = await this.openPath(at.path);
        try {
          Object.assign(file, start);
          await this.readNew(file, true);
        } finally {
          await file.handle.close();
        }
        return;
      }
      if (pos.offset === 0) return;
      await pause(RECHECK_MS * 2, this.abort.signal);
    }
    this.missed(pos);
  }

  /** Delivers a gzip-compressed rotated file's content from `start` (it no longer grows). */
  private async readCompressed(at: RotatedFile, start: { offset: number; line: number; tail: Buffer }): Promise<void> {
    const file = { dev: at.dev, ino: at.ino, ...start };
    let carry: Buffer = Buffer.alloc(0);
    await this.announce(file);
    for await (const data of decompressedFrom(at.path, start.offset)) {
      const joined = carry.length > 0 ? Buffer.concat([carry, data]) : data;
      const nl = joined.lastIndexOf(10);
      if (nl < 0) {
        carry = Buffer.from(joined);
        continue;
      }
      const bytes = joined.subarray(0, nl + 1);
      carry = Buffer.from(joined.subarray(nl + 1));
      await this.advance(file, bytes, bytes);
    }
    if (carry.length > 0) await this.advance(file, carry, Buffer.concat([carry, NEWLINE]));
  }

  /**
   * Delivers the whole lines past the offset. A last line without its newline waits for the
   * rest, unless the file is done with (`final`), when it is delivered as it is.
   */
  private async readNew(file: OpenFile, final: boolean): Promise<boolean> {
    let moved = false;
    const buf = Buffer.allocUnsafe(READ_BYTES);
    while (!this.abort.signal.aborted) {
      const { bytesRead } = await file.handle.read(buf, 0, READ_BYTES, file.offset);
      if (bytesRead === 0) break;
      const nl = buf.lastIndexOf(10, bytesRead - 1);
      // A line longer than one read goes on in pieces: the scanner joins them (and cuts it).
      const take = nl >= 0 ? nl + 1 : bytesRead === READ_BYTES || final ? bytesRead : 0;
      if (take === 0) break;
      const bytes = Buffer.from(buf.subarray(0, take));
      await this.advance(file, bytes, final && nl < 0 && take < READ_BYTES ? Buffer.concat([bytes, NEWLINE]) : bytes);
      moved = true;
    }
    return moved;
  }

  /** Moves past `bytes` of the file and delivers `data` (the same bytes, or with a newline added). */
  private async advance(file: Positioned, bytes: Buffer, data: Buffer): Promise<void> {
    const startLine = file.line;
    file.offset += bytes.length;
    file.line += countLines(data);
    file.tail = lastBytes(file.tail, bytes);
    await this.deliver({ data, startLine, position: this.positionOf(file) });
  }

  private async announce(file: Positioned | null): Promise<void> {
    const position = file ? this.positionOf(file) : { kind: 'file' as const, path: this.path, dev: 0, ino: 0, offset: 0, line: 0, tail: '', since: this.waitingSince };
    await this.deliver({ data: Buffer.alloc(0), startLine: position.line, position });
  }

  private positionOf(file: Positioned): FilePosition {
    return { kind: 'file', path: this.path, dev: file.dev, ino: file.ino, offset: file.offset, line: file.line, tail: file.tail.toString('base64') };
  }
}

const NEWLINE = Buffer.from('\n');

function lastBytes(before: Buffer, added: Buffer): Buffer {
  if (added.length >= TAIL_BYTES) return Buffer.from(added.subarray(added.length - TAIL_BYTES));
  const joined = Buffer.concat([before, added]);
  return joined.length > TAIL_BYTES ? joined.subarray(joined.length - TAIL_BYTES) : joined;
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Positions a file after its last whole line, counting the lines before it. */
async function skipToEnd(file: OpenFile): Promise<void> {
  const buf = Buffer.allocUnsafe(READ_BYTES);
  for (let pos = 0; ; ) {
    const { bytesRead } = await file.handle.read(buf, 0, READ_BYTES, pos);
    if (bytesRead === 0) break;
    const nl = buf.lastIndexOf(10, bytesRead - 1);
    file.line += countLines(buf, 0, bytesRead);
    if (nl >= 0) file.offset = pos + nl + 1;
    pos += bytesRead;
  }
  const tail = Buffer.alloc(Math.min(file.offset, TAIL_BYTES));
  await file.handle.read(tail, 0, tail.length, file.offset - tail.length);
  file.tail = tail;
}
