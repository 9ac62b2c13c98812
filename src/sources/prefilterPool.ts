import { Worker } from 'node:worker_threads';
import type { SegmentJob, SegmentReply } from './prefilterWorker.js';
import type { SegmentResult } from './segmentPrefilter.js';

/** Bytes per prefilter job: small enough to spread over the threads early, big enough to amortise a message. */
export const SEGMENT_BYTES = 16 << 20;

/** A prefilter thread failed on a segment; `code` is the errno code when it was an I/O error. */
export class PrefilterError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

class Slot {
  readonly result: Promise<SegmentResult>;
  resolve!: (r: SegmentResult) => void;
  reject!: (e: Error) => void;
  dispatched = false;
  released = false;
  constructor(readonly job: SegmentJob) {
    this.result = new Promise<SegmentResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // A result nobody waits for any more (its file was given up) must not be an unhandled rejection.
    this.result.catch(() => undefined);
  }
}

/** The segments of one file, queued in a `PrefilterPool`. */
export class PooledFile {
  constructor(
    private readonly pool: PrefilterPool,
    private readonly slots: Slot[],
  ) {}

  /** The segment results in file order. Stopping early gives the rest up. */
  async *segments(): AsyncGenerator<SegmentResult> {
    try {
      for (const slot of this.slots) {
        const result = await slot.result;
        this.pool.release(slot);
        yield result;
      }
    } finally {
      this.discard();
    }
  }

  /** Gives up the segments not consumed yet (they are skipped if not started). */
  discard(): void {
    for (const slot of this.slots) this.pool.release(slot);
  }
}

/**
 * Worker threads that prefilter big plain files (`SegmentPrefilter`) ahead of the main thread,
 * which assembles the reports in file order from the candidate lines they find. Jobs run in
 * queue order, at most `lookahead` ahead of what was consumed, so memory stays bounded.
 */
export class PrefilterPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Slot>();
  private readonly queue: Slot[] = [];
  private next = 0;
  private inFlight = 0;
  private nextId = 0;
  private readonly lookahead: number;

  constructor(threads: number) {
    this.lookahead = threads * 4;
    for (let i = 0; i < threads; i++) this.spawn();
  }

  /** Queues a file of `size` bytes in segments of `segmentBytes`. */
  file(path: string, size: number, segmentBytes = SEGMENT_BYTES): PooledFile {
    const slots: Slot[] = [];
    for (let from = 0; from < size; from += segmentBytes) {
      slots.push(new Slot({ id: this.nextId++, path, size, from, to: Math.min(size, from + segmentBytes) }));
    }
    this.queue.push(...slots);
    this.pump();
    return new PooledFile(this, slots);
  }

  release(slot: Slot): void {
    if (slot.released) return;
    slot.released = true;
    if (slot.dispatched) this.inFlight -= 1;
    this.pump();
  }

  async close(): Promise<void> {
    const workers = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    this.busy.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private spawn(): void {
    const worker = new Worker(new URL('./prefilterWorker.js', import.meta.url));
    worker.on('message', (reply: SegmentReply) => {
      const slot = this.busy.get(worker);
      if (!slot || slot.job.id !== reply.id) return;
      this.busy.delete(worker);
      this.idle.push(worker);
      if ('result' in reply) slot.resolve(reply.result);
      else slot.reject(new PrefilterError(reply.error, reply.code));
      this.pump();
    });
    worker.on('error', (err) => this.lose(worker, err));
    worker.on('exit', () => this.lose(worker, new Error('a prefilter thread stopped')));
    this.idle.push(worker);
  }

  /** A thread died: its job fails; with no thread left, every waiting job fails. */
  private lose(worker: Worker, err: Error): void {
    const slot = this.busy.get(worker);
    this.busy.delete(worker);
    const i = this.idle.indexOf(worker);
    if (i >= 0) this.idle.splice(i, 1);
    slot?.reject(new PrefilterError(err.message, null));
    if (this.idle.length + this.busy.size === 0) {
      for (; this.next < this.queue.length; this.next++) this.queue[this.next]!.reject(new PrefilterError(err.message, null));
    }
  }

  private pump(): void {
    while (this.idle.length > 0 && this.next < this.queue.length && this.inFlight < this.lookahead) {
      const slot = this.queue[this.next++]!;
      if (slot.released) continue;
      slot.dispatched = true;
      this.inFlight += 1;
      const worker = this.idle.pop()!;
      this.busy.set(worker, slot);
      worker.postMessage(slot.job);
    }
  }
}
