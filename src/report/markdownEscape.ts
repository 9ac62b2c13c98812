import { terminalSafe } from '../render/terminalSafe.js';

/**
 * Makes log-derived text inert in Markdown (GitHub, GitLab, Jira-style renderers): inline
 * Markdown punctuation is backslash-escaped, angle brackets and ampersands become entities so that no
 * HTML passes through, and line breaks and control characters cannot break a table row.
 */
export function markdownEscape(text: string): string {
  return terminalSafe(text)
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // Only at the start of a line do these open a heading, list or quote.
    .replace(/^([#+-]|\d+\.)/, '\\$1');
}

/**
 * Text as a Markdown code span: the fence is one backtick longer than the longest run of
 * backticks inside (CommonMark), padded with spaces when the text starts or ends with one, and
 * line breaks become spaces so the span cannot end a list item. Escaping inside a code span would
 * show the backslashes, so nothing else is changed.
 */
export function markdownCode(text: string): string {
  const flat = terminalSafe(text.replace(/[\r\n]+/g, ' '));
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
