import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { SegmentJobRunner, type SegmentJob, type SegmentReply, type SegmentResult } from './segmentPrefilter.js';

/** Bytes per prefilter job: small enough to spread over the threads early, big enough to amortise a message. */
export const SEGMENT_BYTES = 16 << 20;
/** Jobs posted to a thread before it answers, so that it never waits for the main thread. */
const QUEUED_PER_THREAD = 2;

/** A prefilter job failed; `code` is the errno code when it was an I/O error. */
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
  settled = false;
  started = false;
  released = false;
  private resolveResult!: (r: SegmentResult) => void;
  private rejectResult!: (e: Error) => void;

  constructor(readonly job: SegmentJob) {
    this.result = new Promise<SegmentResult>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    // A result nobody waits for any more (its file was given up) must not be an unhandled rejection.
    this.result.catch(() => undefined);
  }

  settle(reply: SegmentReply | Error): void {
    if (this.settled) return;
    this.settled = true;
    if (reply instanceof Error) this.rejectResult(reply);
    else if ('result' in reply) this.resolveResult(reply.result);
    else this.rejectResult(new PrefilterError(reply.error, reply.code));
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
        await this.pool.settle(slot);
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
 * Prefilters big plain files (`SegmentPrefilter`) on worker threads and, while it waits for
 * them, on the main thread, which assembles the reports in file order from the candidate lines
 * found. With two CPUs that is one worker, not two: a thread costs ~14 MB of RSS. Jobs start in
 * queue order, at most `lookahead` ahead of what was consumed, so memory stays bounded.
 */
export class PrefilterPool {
  private readonly workers: Worker[] = [];
  /** The threads that run, and the jobs posted to each. */
  private readonly queued = new Map<Worker, Slot[]>();
  private readonly queue: Slot[] = [];
  private readonly local = new SegmentJobRunner();
  private next = 0;
  private inFlight = 0;
  private nextId = 0;
  private readonly lookahead: number;

  /** `workers`: threads besides the main one (at least 1). */
  constructor(workers: number) {
    this.lookahead = (workers + 1) * 4;
    for (let i = 0; i < workers; i++) this.spawn();
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

  /**
   * Waits until `slot` has its result, running jobs on this thread meanwhile: the slot itself
   * when no thread took it yet, else the next job nobody took. (Only `release` makes new work
   * takeable, so with none left waiting for the slot is all there is to do.)
   */
  async settle(slot: Slot): Promise<void> {
    while (!slot.settled) {
      const job = slot.started ? this.take() : slot;
      if (!job) {
        await slot.result.catch(() => undefined);
        return;
      }
      job.started = true;
      this.inFlight += 1;
      job.settle(this.local.run(job.job));
      // Let the threads' answers in (and post them more work) before the next job here.
      await nextTurn();
    }
  }

  release(slot: Slot): void {
    if (slot.released) return;
    slot.released = true;
    if (slot.started) this.inFlight -= 1;
    this.pump();
  }

  async close(): Promise<void> {
    this.local.close();
    this.queued.clear();
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }

  private spawn(): void {
    const worker = new Worker(new URL('./prefilterWorker.js', import.meta.url));
    this.workers.push(worker);
    // Jobs go to a thread once it runs: while it starts (~50 ms) the main thread takes the first
    // segments itself, the ones it needs first.
    worker.once('online', () => {
      this.queued.set(worker, []);
      this.pump();
    });
    worker.on('message', (reply: SegmentReply) => {
      const slots = this.queued.get(worker);
      if (slots?.[0]?.job.id !== reply.id) return;
      slots.shift()!.settle(reply);
      this.pump();
    });
    worker.on('error', (err) => this.lose(worker, err));
    worker.on('exit', () => this.lose(worker, new Error('a prefilter thread stopped')));
  }

  /** A thread died: its jobs fail (the main thread goes on with the rest). */
  private lose(worker: Worker, err: Error): void {
    for (const slot of this.queued.get(worker) ?? []) slot.settle(new PrefilterError(err.message, null));
    this.queued.delete(worker);
  }

  /** The next job no thread took yet, within the lookahead; null when there is none. */
  private take(): Slot | null {
    while (this.next < this.queue.length && this.inFlight < this.lookahead) {
      const slot = this.queue[this.next++]!;
      if (!slot.released && !slot.started) return slot;
    }
    return null;
  }

  private pump(): void {
    for (const [worker, slots] of this.queued) {
      while (slots.length < QUEUED_PER_THREAD) {
        const slot = this.take();
        if (!slot) return;
        slot.started = true;
        this.inFlight += 1;
        slots.push(slot);
        worker.postMessage(slot.job);
      }
    }
  }
}
