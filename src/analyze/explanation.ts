import { z } from 'zod';

/**
 * One kill explained in plain language (`oomlens explain`, and the kill details of the HTML
 * report): sections in the order an SRE asks, each a few sentences built only from what the log
 * printed.
 */
export const ExplanationSection = z.object({
  heading: z.string(),
  lines: z.array(z.string()),
});
export type ExplanationSection = z.infer<typeof ExplanationSection>;

export const Explanation = z.object({
  killNumber: z.number().int().describe('1-based position among the kills of the input (`explain --event N`)'),
  title: z.string(),
  sections: z.array(ExplanationSection),
});
export type Explanation = z.infer<typeof Explanation>;
