/**
 * stdout that respects backpressure and goes quiet when the reader goes away
 * (`oomlens scan big.log | head -1` must exit at once, without a stack trace).
 */
let closed = false;
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') {
    closed = true;
    process.exit(0);
  }
  throw err;
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
