/**
 * Makes log-derived text harmless on a terminal: control characters (C0, DEL, C1) and escape
 * sequences become visible `\xNN` escapes, so a comm like `\x1b]0;pwned\x07` cannot retitle the
 * window or clear the screen.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
