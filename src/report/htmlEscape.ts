/**
 * Makes log-derived text inert in HTML text and in quoted attribute values. Process names and
 * cgroup paths are attacker-controlled (a process can name itself `<script>`), so every such
 * string passes through here before it reaches the page.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// eslint-disable-next-line no-control-regex
const UNSAFE = /[&<>"']|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

export function htmlEscape(text: string): string {
  return text.replace(UNSAFE, (c) => ENTITIES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
