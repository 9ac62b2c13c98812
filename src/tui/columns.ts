import { cell, span, type Line } from './styledText.js';

/** One column of a list pane; `value` gives the plain cell text of a row, `style` its colour. */
export interface Column<T> {
  title: string;
  width: number;
  align?: 'left' | 'right';
  /** Columns with a higher number are dropped first when the pane is too narrow. */
  drop: number;
  /** The one column that takes the room the others leave. */
  flex?: boolean;
  value: (row: T) => string;
  style?: (row: T) => string | null;
}

/**
 * The columns that fit in `width` (one space between columns), with the flexible column widened
 * to fill the rest. Dropping happens before widening, so an 80-column terminal keeps the columns
 * that matter most. The kept columns stay in their given order.
 */
export function fitColumns<T>(columns: readonly Column<T>[], width: number): Column<T>[] {
  let kept = [...columns];
  const need = (cs: Column<T>[]) => cs.reduce((n, c) => n + c.width, 0) + Math.max(0, cs.length - 1);
  while (kept.length > 1 && need(kept) > width) {
    const first = kept.reduce((a, c) => (c.drop > a.drop ? c : a));
    kept = kept.filter((c) => c !== first);
  }
  const spare = width - need(kept);
  return kept.map((c) => (c.flex && spare > 0 ? { ...c, width: c.width + spare } : c));
}

export function headerLine<T>(columns: readonly Column<T>[]): Line {
  return [span(columns.map((c) => cell(c.title, c.width, c.align)).join(' '), 'bold')];
}

export function rowLine<T>(columns: readonly Column<T>[], row: T): Line {
  return columns.map((c, i) => span(cell(c.value(row), c.width, c.align) + (i < columns.length - 1 ? ' ' : ''), c.style?.(row) ?? null));
}
