import { pointOf, type MemoryPoint } from '../../analyze/memoryPoint.js';
import { errnoText } from '../../render/errnoText.js';
import { terminalSafe } from '../../render/terminalSafe.js';
import { readSamplesFile } from '../../sample/samplesFile.js';

/**
 * `report --samples FILE`: the samples `watch --samples FILE` wrote (FILE.1, then FILE), as
 * points for the analysis. Problems are one line each on stderr; a file that cannot be read at
 * all is an input error, lines that are not samples only a warning.
 */
export async function readSamplePoints(path: string): Promise<{ points: MemoryPoint[]; failed: boolean }> {
  const points: MemoryPoint[] = [];
  try {
    const r = await readSamplesFile(path, (s) => points.push(pointOf(s)));
    if (r.badLines > 0) process.stderr.write(`oomlens: --samples: ${r.badLines} line(s) are not memory samples, skipped (first: ${terminalSafe(r.firstBad ?? '')})\n`);
    return { points, failed: false };
  } catch (err) {
    process.stderr.write(`oomlens: --samples ${terminalSafe(path)}: cannot read: ${errnoText(err)}\n`);
    return { points, failed: true };
  }
}
