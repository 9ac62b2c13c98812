import { errnoText } from '../render/errnoText.js';
import { EXIT } from './exitCodes.js';

/**
 * stdout that respects backpressure and goes quiet when the reader goes away
 * (`oomlens scan big.log | head -1` must exit at once, without a stack trace).
 */
let closed = false;
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  closed = true;
  if (err.code === 'EPIPE') process.exit(EXIT.ok);
  // `> /dev/full`, a disk that filled up: one line, not a stack trace.
  process.stderr.write(`oomlens: cannot write the output: ${errnoText(err)}\n`);
  process.exit(EXIT.inputError);
});

export function stdoutClosed(): boolean {
  return closed;
}

export async function writeOut(text: string): Promise<void> {
  if (closed) return;
  if (!process.stdout.write(text)) {
    await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}

/**
 * Output gathered into writes of about 64 KiB: a dense log's scan finds thousands of records a
 * second, and one write each is a syscall each (stdout to a file is synchronous). What was
 * gathered goes out at the latest when the event loop next turns, so a reader still sees a kill
 * as soon as the chunk that held it is parsed.
 */
export class BatchedOut {
  private pending: string[] = [];
  private size = 0;
  private scheduled = false;

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= 64 * 1024) return this.flush();
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  async flush(): Promise<void> {
    this.scheduled = false;
    if (this.size === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.size = 0;
    await writeOut(text);
  }
}
