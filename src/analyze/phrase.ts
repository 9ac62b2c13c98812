/**
 * Words with their provenance, so that each output format escapes log text once and in its own
 * way: our own words (`w`), text that came from a log (`log`: process names, cgroup paths, any
 * string value), and commands or file names to be shown as code (`code`). Build them with the
 * `words` tag: every interpolated string counts as log text unless it is a Part or a Phrase.
 */
export type Part = { w: string } | { log: string } | { code: string };
export type Phrase = Part[];

export function code(text: string): Part {
  return { code: text };
}

/** Text we generated ourselves (a formatted size or time): still escaped, but not as a quotation. */
export function ours(text: string): Part {
  return { w: text };
}

type Slot = string | number | Part | Phrase;

export function words(strings: TemplateStringsArray, ...values: Slot[]): Phrase {
  const out: Phrase = [];
  strings.forEach((s, i) => {
    if (s !== '') out.push({ w: s });
    if (i < values.length) out.push(...slot(values[i]!));
  });
  return out;
}

function slot(v: Slot): Phrase {
  if (typeof v === 'number') return [{ w: String(v) }];
  if (typeof v === 'string') return [{ log: v }];
  if (Array.isArray(v)) return v;
  return [v];
}

/** Items joined as people list them: `a, b and c` (at most `max`, then `and N more`). */
export function listOf(items: Slot[], max = 4): Phrase {
  const shown = items.slice(0, max);
  const out: Phrase = [];
  shown.forEach((item, i) => {
    if (i > 0) out.push({ w: i === shown.length - 1 && items.length <= max ? ' and ' : ', ' });
    out.push(...slot(item));
  });
  if (items.length > max) out.push({ w: ` and ${items.length - max} more` });
  return out;
}

/** Our own sentence with `backtick` spans, split into words and code. */
export function fromText(text: string): Phrase {
  return text.split(/(`[^`]+`)/).flatMap((piece): Phrase => (piece === '' ? [] : piece.startsWith('`') && piece.endsWith('`') && piece.length > 1 ? [{ code: piece.slice(1, -1) }] : [{ w: piece }]));
}

/** The phrase as plain text (JSON, the TUI): no escaping, no markup. */
export function plainText(p: Phrase): string {
  return p.map((part) => ('w' in part ? part.w : 'log' in part ? part.log : part.code)).join('');
}

/** Renders a phrase for one format: how it escapes our words, log text and code. */
export interface PhraseFormat {
  words: (text: string) => string;
  log: (text: string) => string;
  code: (text: string) => string;
}

export function renderPhrase(p: Phrase, f: PhraseFormat): string {
  return p.map((part) => ('w' in part ? f.words(part.w) : 'log' in part ? f.log(part.log) : f.code(part.code))).join('');
}
