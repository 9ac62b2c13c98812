import blessed from 'blessed';
import type { Rect } from './layout.js';
import { cell, lineWidth, span, toTagged, truncateLine, type Line } from './styledText.js';

export interface ListPaneEvents {
  /** A row was clicked (its position in the list). */
  pick: (pos: number) => void;
  /** The wheel turned: +1 down, -1 up. */
  wheel: (direction: 1 | -1) => void;
}

/**
 * A bordered pane that shows a window onto a list of any length: only the rows that fit are
 * built and handed to blessed, so a group of 100,000 kills costs as much as one of twenty.
 * With a cursor the window follows the selected row; without one (`selected` -1) it scrolls freely.
 */
export class ListPane {
  readonly box: blessed.Widgets.BoxElement;
  top = 0;
  private headerRows = 0;

  constructor(parent: blessed.Widgets.Screen, label: string, events: ListPaneEvents) {
    this.box = blessed.box({
      parent,
      label: ` ${label} `,
      border: { type: 'line' },
      tags: true,
      wrap: false,
      style: { border: {}, label: { bold: true } },
    });
    this.box.on('click', (data: { y: number }) => {
      const pos = data.y - (this.box.atop as number) - 1 - this.headerRows + this.top;
      if (pos >= this.top) events.pick(pos);
    });
    this.box.on('wheeldown', () => events.wheel(1));
    this.box.on('wheelup', () => events.wheel(-1));
  }

  place(r: Rect): void {
    Object.assign(this.box, { top: r.top, left: r.left, width: r.width, height: r.height });
  }

  /** The title in the top border, cut to fit (a longer one would spill into the pane). */
  setLabel(label: string, focused: boolean): void {
    this.box.setLabel(` ${cell(label, Math.max(1, this.innerWidth - 4)).trimEnd()} `);
    // Unfocused borders keep the terminal's colour: grey is black on 8-colour terminals.
    this.box.style.border.fg = focused ? 'cyan' : undefined;
  }

  /** Columns inside the border. */
  get innerWidth(): number {
    return Math.max(1, (this.box.width as number) - 2);
  }

  /** Rows inside the border, below the header row if any. */
  rowsFor(header: boolean): number {
    return Math.max(1, (this.box.height as number) - 2 - (header ? 1 : 0));
  }

  /**
   * Shows rows [top, top + height) of a list of `count`; `row(i)` builds only those. The selected
   * row is shown in reverse video (underlined when the pane does not have the focus).
   */
  show(count: number, selected: number, focused: boolean, header: Line | null, row: (i: number) => Line): void {
    this.headerRows = header ? 1 : 0;
    const height = this.rowsFor(header !== null);
    const width = this.innerWidth;
    if (selected >= 0) {
      if (selected < this.top) this.top = selected;
      if (selected >= this.top + height) this.top = selected - height + 1;
    }
    this.top = Math.max(0, Math.min(this.top, count - height));
    const out: string[] = header ? [toTagged(truncateLine(header, width))] : [];
    for (let i = this.top; i < Math.min(count, this.top + height); i++) {
      const line = truncateLine(row(i), width);
      if (i !== selected) out.push(toTagged(line));
      else {
        const padded = [...line, span(' '.repeat(Math.max(0, width - lineWidth(line))))];
        const style = focused ? 'inverse' : 'underline';
        out.push(`{${style}}${toTagged(padded)}{/${style}}`);
      }
    }
    this.box.setContent(out.join('\n'));
  }
}
