/**
 * Makes log-derived text harmless wherever a person reads it (terminal, TUI, Markdown): control
 * characters (C0, DEL, C1) become visible `\xNN` escapes, so a comm like `\x1b]0;pwned\x07`
 * cannot retitle the window or clear the screen; bidi controls, zero-width characters and
 * line/paragraph separators become visible `\uNNNN` escapes, so `/brk/\u202egnp.exe` cannot
 * show as `/brk/exe.png` and a table row cannot shift or break. Every renderer calls this one
 * function (HTML escapes its own markup on top).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Bidi embeddings, overrides, isolates and marks; zero-width characters; U+2028/U+2029. */
export const INVISIBLE_CLASS = '\\u061c\\u115f\\u1160\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\u3164\\ufeff\\uffa0';
// eslint-disable-next-line no-control-regex
const UNSAFE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${INVISIBLE_CLASS}]`, 'g');

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return CONTROL.test(c) ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** C1 controls and the invisible characters above, as JSON `\uNNNN` escapes (still the same JSON). */
const JSON_UNSAFE = new RegExp(`[\\u007f-\\u009f${INVISIBLE_CLASS}]`, 'g');

/**
 * `JSON.stringify` for output a person may look at (`--json` on a terminal, `| less`): it leaves
 * C1 controls and bidi overrides raw (C0 it escapes already). Escaped here, the JSON parses to the
 * same value; these characters only ever occur inside strings, where `\uNNNN` is valid.
 */
export function jsonSafe(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
