import { parentPort } from 'node:worker_threads';
import { SegmentJobRunner, type SegmentJob } from './segmentPrefilter.js';

// The thread entry of `PrefilterPool`. It loads only the candidate search, not the parser.
const runner = new SegmentJobRunner();
parentPort!.on('message', (job: SegmentJob) => parentPort!.postMessage(runner.run(job)));
