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
