import { watch } from 'chokidar';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { problemFrom } from '../sources/inputProblem.js';
import { countLines, pause, SourceError, type Deliver, type LineSource, type ProblemSink } from './lineSource.js';
import { endsWith, findRotated } from './rotatedFile.js';
import type { FilePosition } from './watchState.js';

/** Bytes per read: a burst of thousands of lines goes through in a few reads. */
const READ_BYTES = 1 << 20;
/** Bytes kept from before the offset, to recognise the file (or its copy) again. */
const TAIL_BYTES = 1024;
/** chokidar drops a change event within 50 ms of the previous one: look again after this. */
const RECHECK_MS = 60;
/** A look now and then even without events (inotify limits, missed events). */
const IDLE_CHECK_MS = 1000;

interface OpenFile {
  handle: FileHandle;
  dev: number;
  ino: number;
  offset: number;
  line: number;
  tail: Buffer;
}

export type FileStart = { resume: FilePosition } | { fromStart: boolean };

/**
 * Follows a log file by name, like `tail -F`, delivering whole lines. Survives rotation by
 * rename (reads the old file to its end first), copytruncate (reads the rest from the copy),
 * deletion and re-creation, a file that does not exist yet, and a last line still being
 * written. Resumes from a saved position, also when the file was rotated in between.
 */
export class FileTail implements LineSource {
  private cur: OpenFile | null = null;
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
        if (st.size >= pos.offset && (await endsWith(file.handle, pos.offset, file.tail))) {
          this.cur = file;
          return this.announce(file);
        }
        await file.handle.close();
      }
      // Rotated (or truncated) while we were not running.
      await this.readRotatedRest(pos);
      return st ? this.switchTo(st) : this.announce(null);
    }
    if (!st) return this.announce(null);
    const file = await this.openFile(st);
    if (!this.start.fromStart) await skipToEnd(file);
    this.cur = file;
    await this.announce(file);
  }

  /** One look: new lines in the open file, then whether the name now points to another file. */
  private async check(): Promise<boolean> {
    let moved = false;
    const cur = this.cur;
    if (cur) {
      const st = await cur.handle.stat();
      if (st.size < cur.offset || !(await endsWith(cur.handle, cur.offset, cur.tail))) {
        // Truncated in place (copytruncate): what we had not read yet is in the copy.
        await this.readRotatedRest(this.positionOf(cur));
        Object.assign(cur, { offset: 0, line: 0, tail: Buffer.alloc(0) });
        await this.announce(cur);
        moved = true;
      }
      if (await this.readNew(cur, false)) moved = true;
    }
    const st = await statOrNull(this.path);
    if (st && (!cur || st.dev !== cur.dev || st.ino !== cur.ino)) {
      if (cur) {
        // Renamed or deleted and created anew: the old file's last lines first.
        await this.readNew(cur, true);
        await cur.handle.close();
        this.cur = null;
      }
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
    const handle = await open(this.path, 'r');
    const real = await handle.stat().catch(() => st);
    this.lastProblem = '';
    return { handle, dev: real.dev, ino: real.ino, offset: 0, line: 0, tail: Buffer.alloc(0) };
  }

  /** Reads what the followed file's old incarnation held past `pos`, wherever rotation put it. */
  private async readRotatedRest(pos: FilePosition): Promise<void> {
    if (pos.offset === 0) return;
    const path = await findRotated(pos);
    if (!path) {
      this.report(`${this.path} was replaced (rotated or deleted) and its old content is not next to it: any lines written to it after byte ${pos.offset} were missed`);
      return;
    }
    const handle = await open(path, 'r');
    try {
      const st = await handle.stat();
      const old: OpenFile = { handle, dev: st.dev, ino: st.ino, offset: pos.offset, line: pos.line, tail: Buffer.from(pos.tail, 'base64') };
      await this.readNew(old, true);
    } finally {
      await handle.close();
    }
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
  private async advance(file: OpenFile, bytes: Buffer, data: Buffer): Promise<void> {
    const startLine = file.line;
    file.offset += bytes.length;
    file.line += countLines(data);
    file.tail = lastBytes(file.tail, bytes);
    await this.deliver({ data, startLine, position: this.positionOf(file) });
  }

  private async announce(file: OpenFile | null): Promise<void> {
    const position = file ? this.positionOf(file) : { kind: 'file' as const, path: this.path, dev: 0, ino: 0, offset: 0, line: 0, tail: '' };
    await this.deliver({ data: Buffer.alloc(0), startLine: position.line, position });
  }

  private positionOf(file: OpenFile): FilePosition {
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
