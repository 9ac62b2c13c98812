/**
 * Where the panes go for a terminal size. Wide terminals get three columns (groups, kills,
 * detail); narrower ones put groups and kills side by side on top and the detail below, which
 * still leaves a usable screen at 80×24.
 */
export interface Rect {
  top: number;
  left: number;
  width: number;
  height: number;
}

export interface Layout {
  header: Rect;
  groups: Rect;
  kills: Rect;
  detail: Rect;
  footer: Rect;
}

export const HEADER_ROWS = 2;
const WIDE_COLUMNS = 160;

export function layoutFor(cols: number, rows: number): Layout {
  const bodyTop = HEADER_ROWS;
  const body = Math.max(3, rows - HEADER_ROWS - 1);
  const header = { top: 0, left: 0, width: cols, height: HEADER_ROWS };
  const footer = { top: rows - 1, left: 0, width: cols, height: 1 };
  if (cols >= WIDE_COLUMNS) {
    const g = Math.floor(cols * 0.27);
    const k = Math.floor(cols * 0.33);
    return {
      header,
      footer,
      groups: { top: bodyTop, left: 0, width: g, height: body },
      kills: { top: bodyTop, left: g, width: k, height: body },
      detail: { top: bodyTop, left: g + k, width: cols - g - k, height: body },
    };
  }
  const upper = Math.max(5, Math.floor(body * 0.42));
  const g = Math.floor(cols * (cols < 100 ? 0.4 : 0.45));
  return {
    header,
    footer,
    groups: { top: bodyTop, left: 0, width: g, height: upper },
    kills: { top: bodyTop, left: g, width: cols - g, height: upper },
    detail: { top: bodyTop + upper, left: 0, width: cols, height: Math.max(3, body - upper) },
  };
}
