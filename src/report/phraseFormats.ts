import { renderPhrase, type Phrase, type PhraseFormat } from '../analyze/phrase.js';
import { terminalSafe } from '../render/terminalSafe.js';
import { htmlEscape } from './htmlEscape.js';
import { markdownCode, markdownEscape } from './markdownEscape.js';

/** How each output format writes a phrase: log text escaped once, commands as code. */
export const TERMINAL: PhraseFormat = { words: terminalSafe, log: terminalSafe, code: (c) => `\`${terminalSafe(c)}\`` };
export const MARKDOWN: PhraseFormat = { words: markdownEscape, log: markdownEscape, code: markdownCode };
export const HTML: PhraseFormat = { words: htmlEscape, log: htmlEscape, code: (c) => `<code>${htmlEscape(c)}</code>` };

export function terminalPhrase(p: Phrase): string {
  return renderPhrase(p, TERMINAL);
}
export function markdownPhrase(p: Phrase): string {
  return renderPhrase(p, MARKDOWN);
}
