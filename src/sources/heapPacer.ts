/** Bytes of input between two forced collections. */
const PACE_BYTES = 256 << 20;

/**
 * Keeps a long scan's memory flat. V8 collects old garbage lazily, so the heap (and the RSS) of
 * a scan climbs with the length of its input although little stays alive (~10 MB). When `gc` is
 * exposed (bin/oomlens.js passes --expose-gc, and a small young generation), a full collection
 * every 256 MiB of input, a few ms each, keeps the peak where it was after the first GiB.
 */
export class HeapPacer {
  private since = 0;

  advance(bytes: number): void {
    this.since += bytes;
    if (this.since < PACE_BYTES) return;
    this.since = 0;
    (globalThis as { gc?: () => void }).gc?.();
  }
}
