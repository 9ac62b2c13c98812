import type { Verdict } from '../analyze/analysis.js';

/** One colour per verdict, shared by the HTML page and its charts (readable on white, distinct in greyscale). */
export const VERDICT_COLOR: Record<Verdict, string> = {
  recurring: '#b42318',
  burst: '#c4560c',
  'host-pressure': '#6941c6',
  'one-off': '#175cd3',
};
