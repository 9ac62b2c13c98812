/**
 * Makes log-derived text inert in Markdown (GitHub, GitLab, Jira-style renderers): inline
 * Markdown punctuation is backslash-escaped, angle brackets and ampersands become entities so that no
 * HTML passes through, and line breaks and control characters cannot break a table row.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function markdownEscape(text: string): string {
  return text
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // Only at the start of a line do these open a heading, list or quote.
    .replace(/^([#+-]|\d+\.)/, '\\$1');
}
