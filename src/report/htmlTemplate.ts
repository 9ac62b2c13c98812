import { htmlEscape } from './htmlEscape.js';

/**
 * HTML built so that a forgotten escape cannot become markup: every value put into an `html`
 * template is escaped, unless it is markup this module made (another `html` template) or was
 * explicitly marked `trusted` (our own SVG builders, which escape their own text).
 */
export class Markup {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

type Value = Markup | string | number | null | undefined | false | readonly Value[];

function part(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Markup) return v.html;
  if (Array.isArray(v)) return v.map(part).join('');
  return htmlEscape(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += part(values[i]!) + strings[i + 1]!;
  return new Markup(out);
}

/** Markup from code that escapes its own text (the SVG charts); never for log text. */
export function trusted(markup: string): Markup {
  return new Markup(markup);
}
