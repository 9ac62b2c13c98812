import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScreenOptions {
  cols?: number;
  rows?: number;
  cwd?: string;
}

const POLL_MS = 40;

/**
 * A real terminal for end-to-end tests: a detached tmux session on its own server (socket), so
 * tests can run side by side. Keys go in with `send-keys`, the screen comes out as text with
 * `capture-pane` (blessed's box lines show as `lqk`/`xx`/`mqj`, tmux's VT100 line drawing).
 */
export class TmuxScreen {
  private readonly dir: string;
  private readonly socket: string;
  private get statusFile(): string {
    return join(this.dir, 'status');
  }

  private constructor(command: string[], options: ScreenOptions) {
    this.dir = mkdtempSync(join(tmpdir(), 'oomlens-tmux-'));
    this.socket = join(this.dir, 'socket');
    const conf = join(this.dir, 'tmux.conf');
    writeFileSync(conf, 'set -g remain-on-exit on\nset -g status off\n');
    const cols = String(options.cols ?? 120);
    const rows = String(options.rows ?? 40);
    // The shell writes the exit status where exitStatus() finds it (tmux's pane_dead_status is not always set).
    const line = `${command.map(shellQuote).join(' ')}; echo $? > ${shellQuote(this.statusFile)}`;
    this.tmux('-f', conf, 'new-session', '-d', '-x', cols, '-y', rows, '-c', options.cwd ?? process.cwd(), line);
  }

  static start(command: string[], options: ScreenOptions = {}): TmuxScreen {
    return new TmuxScreen(command, options);
  }

  /** The screen as text, one line per row, trailing blanks trimmed. */
  capture(): string {
    return this.tmux('capture-pane', '-p');
  }

  /** The screen with its SGR attributes (`\x1b[7m` is reverse video, the selected row). */
  captureStyled(): string {
    return this.tmux('capture-pane', '-p', '-e');
  }

  /** Polls the screen until `condition` holds; fails with the last screen after `timeoutMs`. */
  async waitFor(condition: string | RegExp | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
    const test =
      typeof condition === 'string' ? (s: string) => s.includes(condition) : condition instanceof RegExp ? (s: string) => condition.test(s) : condition;
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    for (;;) {
      screen = this.capture();
      if (test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`screen never showed ${String(condition)}; last screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** Keys by tmux name: `Tab`, `Enter`, `Escape`, `Down`, `C-c`, or single characters. */
  keys(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }

  /** Text typed as it is. */
  type(text: string): void {
    this.tmux('send-keys', '-l', text);
  }

  /** A left click at a 0-based screen cell (SGR mouse report, as a terminal sends it). */
  click(col: number, row: number): void {
    const at = `${col + 1};${row + 1}`;
    // Press and release in separate writes: blessed reads one mouse report per read.
    this.tmux('send-keys', '-l', `\x1b[<0;${at}M`);
    this.tmux('send-keys', '-l', `\x1b[<0;${at}m`);
  }

  /** What the program set as the terminal title (an OSC 0 sequence would change it). */
  title(): string {
    return this.tmux('display-message', '-p', '#{pane_title}').trim();
  }

  /** The exit status once the program has ended, else null. */
  exitStatus(): number | null {
    return existsSync(this.statusFile) ? Number(readFileSync(this.statusFile, 'utf8')) : null;
  }

  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = this.exitStatus();
      if (status !== null) return status;
      if (Date.now() > deadline) throw new Error(`program did not exit; last screen:\n${this.capture()}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  resize(cols: number, rows: number): void {
    this.tmux('resize-window', '-x', String(cols), '-y', String(rows));
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8', env: { ...process.env, TMUX: '' } });
  }
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
