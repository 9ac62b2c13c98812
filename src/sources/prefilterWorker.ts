import { closeSync, openSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { SegmentPrefilter, type SegmentResult } from './segmentPrefilter.js';

/** A job for a prefilter thread: one segment of one file. */
export interface SegmentJob {
  id: number;
  path: string;
  size: number;
  from: number;
  to: number;
}

export type SegmentReply = { id: number; result: SegmentResult } | { id: number; error: string; code: string | null };

// The thread entry of `PrefilterPool`. It loads only the candidate search, not the parser.
const prefilter = new SegmentPrefilter();
let open: { path: string; fd: number } | null = null;

parentPort?.on('message', (job: SegmentJob) => {
  let reply: SegmentReply;
  try {
    if (open?.path !== job.path) {
      if (open) closeSync(open.fd);
      open = null; // stays null if the next open fails
      open = { path: job.path, fd: openSync(job.path, 'r') };
    }
    reply = { id: job.id, result: prefilter.run(open.fd, job.size, job.from, job.to) };
  } catch (err) {
    reply = { id: job.id, error: (err as Error).message, code: (err as NodeJS.ErrnoException).code ?? null };
  }
  parentPort!.postMessage(reply);
});
