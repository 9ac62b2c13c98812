import { closeSync, openSync, readSync, statfsSync } from 'node:fs';

/**
 * Synchronous reads of small kernel files into one shared buffer: a cgroupfs or procfs file is
 * generated on read and fits in a few KiB, and an async read costs several times the read
 * itself (500 cgroups x 8 files every 5 s is the budget the bench measures).
 *
 * On cgroupfs and procfs a file read again from offset 0 is generated afresh, so `KernelFiles`
 * keeps them open between rounds (open and close are most of the cost): one pread per file and
 * round. A removed cgroup's open file reads ENODEV, an exited process's ESRCH: then it is closed.
 */
const buffer = Buffer.allocUnsafe(64 * 1024);

/** Errors that mean the thing is gone (a container stopped, a process exited): no problem to report. */
const GONE = new Set(['ENOENT', 'ENODEV', 'ESRCH', 'ENOTDIR']);

/** Filesystems whose files regenerate on every read: cgroup v1, cgroup2, proc. */
const KERNEL_FS = new Set([0x27e0eb, 0x63677270, 0x9fa0]);

/** Whether files under `dir` are kernel-generated (so an open one can simply be read again). */
export function isKernelFs(dir: string): boolean {
  try {
    return KERNEL_FS.has(Number(statfsSync(dir).type));
  } catch {
    return false;
  }
}

/** The file's text (at most 64 KiB); null when it, or its cgroup or process, no longer exists. */
export function readSmall(path: string, encoding: BufferEncoding = 'latin1'): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if (GONE.has((err as NodeJS.ErrnoException).code ?? '')) return null;
    throw err;
  }
  try {
    return readAt0(fd, encoding);
  } catch (err) {
    if (GONE.has((err as NodeJS.ErrnoException).code ?? '')) return null;
    throw err;
  } finally {
    closeSync(fd);
  }
}

function readAt0(fd: number, encoding: BufferEncoding): string {
  let length = 0;
  for (;;) {
    const n = readSync(fd, buffer, length, buffer.length - length, length);
    length += n;
    if (n === 0 || length >= buffer.length) break;
  }
  return buffer.toString(encoding, 0, length);
}

/** Files held open at most: well under any open-file limit Node runs with (it raises the soft limit to the hard one). */
export const MAX_OPEN_FILES = 8192;

/** Kernel files kept open between sampling rounds (least recently read closed first). */
export class KernelFiles {
  private readonly open = new Map<string, number>();

  read(path: string, encoding: BufferEncoding = 'latin1'): string | null {
    const fd = this.open.get(path);
    if (fd !== undefined) {
      this.open.delete(path);
      try {
        const text = readAt0(fd, encoding);
        this.open.set(path, fd);
        return text;
      } catch {
        closeSync(fd);
        // A cgroup removed and made again under the same name: the fresh open below finds it.
      }
    }
    let fresh: number;
    try {
      fresh = openSync(path, 'r');
    } catch (err) {
      if (GONE.has((err as NodeJS.ErrnoException).code ?? '')) return null;
      throw err;
    }
    try {
      const text = readAt0(fresh, encoding);
      this.open.set(path, fresh);
      if (this.open.size > MAX_OPEN_FILES) this.closeOldest();
      return text;
    } catch (err) {
      closeSync(fresh);
      if (GONE.has((err as NodeJS.ErrnoException).code ?? '')) return null;
      throw err;
    }
  }

  close(): void {
    for (const fd of this.open.values()) closeSync(fd);
    this.open.clear();
  }

  private closeOldest(): void {
    const [path, fd] = this.open.entries().next().value as [string, number];
    this.open.delete(path);
    closeSync(fd);
  }
}

/** How a sampler reads: through open kernel files, or a plain open-read-close (fake trees, tests). */
export type FileReader = (path: string, encoding?: BufferEncoding) => string | null;
