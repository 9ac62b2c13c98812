import type { Explanation } from '../analyze/explanation.js';
import { terminalSafe } from '../render/terminalSafe.js';

/** `oomlens explain` for a terminal: the title, then each section as an indented list. */
export function explainTerminal(ex: Explanation, notes: string[] = []): string {
  const out = [terminalSafe(ex.title)];
  for (const n of notes) out.push(terminalSafe(n));
  for (const s of ex.sections) {
    out.push('', `${s.heading}:`);
    for (const line of s.lines) out.push(`  ${terminalSafe(line)}`);
  }
  return `${out.join('\n')}\n`;
}
