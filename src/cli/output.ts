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
