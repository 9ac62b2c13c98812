import blessed from 'blessed';
import { terminalSafe } from '../render/terminalSafe.js';

/**
 * The only way text reaches the TUI's screen: a line is a list of spans, each span's text is made
 * terminal-safe when the span is made (so widths are measured on what will be shown), and blessed's
 * tag markup in it is escaped when the line is turned into a tagged string. A comm such as
 * `\x1b]0;pwned\x07` or a cgroup named `{bold}` is shown as text, never interpreted.
 */
export interface Span {
  readonly text: string;
  /** A blessed style tag name (`bold`, `yellow-fg`, `inverse`), or none. */
  readonly style: string | null;
}
export type Line = readonly Span[];

export function span(text: string, style: string | null = null): Span {
  return { text: terminalSafe(text), style };
}

export function lineWidth(line: Line): number {
  let n = 0;
  for (const s of line) n += s.text.length;
  return n;
}

/** The blessed tagged string for a line: styles become tags, the text is escaped. */
export function toTagged(line: Line): string {
  let out = '';
  for (const s of line) {
    const text = blessed.escape(s.text);
    out += s.style ? `{${s.style}}${text}{/${s.style}}` : text;
  }
  return out;
}

/** Cuts a line to `width` columns, marking the cut with an ellipsis. */
export function truncateLine(line: Line, width: number): Line {
  if (lineWidth(line) <= width) return line;
  const out: Span[] = [];
  let left = Math.max(0, width - 1);
  for (const s of line) {
    if (left <= 0) break;
    out.push(s.text.length <= left ? s : { text: s.text.slice(0, left), style: s.style });
    left -= s.text.length;
  }
  if (width > 0) out.push({ text: '…', style: null });
  return out;
}

/** How far back from the edge a wrapped row looks for a space to break at. */
const WORD_BREAK_REACH = 24;

/**
 * Breaks a line into rows of at most `width` columns; continuation rows are indented by
 * `indent` so that wrapped values stay readable under their label.
 */
export function wrapLine(line: Line, width: number, indent = 2): Line[] {
  if (width <= indent + 1 || lineWidth(line) <= width) return [truncateLine(line, width)];
  const rows: Span[][] = [];
  let row: Span[] = [];
  let room = width;
  for (const s of line) {
    let text = s.text;
    while (text.length > 0) {
      if (room === 0) {
        rows.push(row);
        row = [{ text: ' '.repeat(indent), style: null }];
        room = width - indent;
      }
      let piece = text.slice(0, room);
      // Break after a space when there is one near the edge, so words stay whole.
      const space = piece.length < text.length ? piece.lastIndexOf(' ') : -1;
      const atSpace = space > 0 && space >= room - WORD_BREAK_REACH;
      if (atSpace) piece = piece.slice(0, space + 1);
      row.push({ text: piece, style: s.style });
      room = atSpace ? 0 : room - piece.length;
      text = text.slice(piece.length);
    }
  }
  rows.push(row);
  return rows;
}

/** Left-aligns (or right-aligns) plain cell text in exactly `width` columns. */
export function cell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const safe = terminalSafe(text);
  if (safe.length > width) return width <= 0 ? '' : `${safe.slice(0, width - 1)}…`;
  return align === 'left' ? safe.padEnd(width) : safe.padStart(width);
}
