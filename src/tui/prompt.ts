import { span, type Line } from './styledText.js';

interface KeyPress {
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
}

type Mode =
  | { kind: 'text'; label: string; value: string; submit: (value: string) => void }
  | { kind: 'choice'; label: string; choices: Record<string, () => void> };

/**
 * The footer's input line, for `/` search, `f` filter and `e` export: a one-line editor, or a
 * one-key choice. While it is open it takes every key; Escape closes it without an answer.
 */
export class Prompt {
  private mode: Mode | null = null;

  get open(): boolean {
    return this.mode !== null;
  }

  ask(label: string, initial: string, submit: (value: string) => void): void {
    this.mode = { kind: 'text', label, value: initial, submit };
  }

  choose(label: string, choices: Record<string, () => void>): void {
    this.mode = { kind: 'choice', label, choices };
  }

  /** Handles a key while open; returns false when closed (the key is not the prompt's). */
  handle(ch: string | undefined, key: KeyPress): boolean {
    const mode = this.mode;
    if (!mode) return false;
    if (key.name === 'escape' || (key.ctrl && key.name === 'c')) {
      this.mode = null;
      return true;
    }
    if (mode.kind === 'choice') {
      const pick = ch !== undefined ? mode.choices[ch] : undefined;
      if (pick) {
        this.mode = null;
        pick();
      }
      return true;
    }
    if (key.name === 'enter') {
      this.mode = null;
      mode.submit(mode.value);
    } else if (key.name === 'backspace') mode.value = mode.value.slice(0, -1);
    else if (key.ctrl && key.name === 'u') mode.value = '';
    else if (ch !== undefined && !key.ctrl && !key.meta && ch.length === 1 && ch >= ' ' && ch !== '\x7f') mode.value += ch;
    return true;
  }

  line(): Line {
    const mode = this.mode;
    if (!mode) return [];
    if (mode.kind === 'choice') return [span(mode.label, 'bold'), span(' '), span('(Esc cancels)')];
    return [span(mode.label, 'bold'), span(' '), span(mode.value), span(' ', 'inverse')];
  }
}
