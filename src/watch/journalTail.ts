import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { terminalSafe } from '../render/terminalSafe.js';
import { countLines, SourceError, wholeLines, type Deliver, type LineSource } from './lineSource.js';
import type { JournalPosition } from './watchState.js';

const CURSOR = /"__CURSOR":"([^"\\]+)"/;
/** What we keep of journalctl's stderr, for the message when it fails. */
const STDERR_BYTES = 4096;

export type JournalStart = { resume: JournalPosition } | { fromStart: boolean };

/**
 * The systemd journal: runs `journalctl -f -o json` and reads its output. All of it, not only
 * the kernel's messages (`-k`): systemd-oomd, earlyoom and systemd's unit lines are kills too.
 * Starts at the end unless told otherwise, and resumes after the cursor of the last entry read.
 */
export class JournalTail implements LineSource {
  private child: ChildProcess | null = null;
  private stopped = false;

  constructor(private readonly start: JournalStart) {}

  async run(deliver: Deliver): Promise<void> {
    let cursor = 'resume' in this.start ? this.start.resume.cursor : null;
    let line = 'resume' in this.start ? this.start.resume.line : 0;
    const from = cursor !== null ? [`--after-cursor=${cursor}`] : 'fromStart' in this.start && this.start.fromStart ? ['--no-tail'] : ['--lines=0'];
    const child = spawn('journalctl', ['--follow', '--output=json', ...from], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      if (stderr.length < STDERR_BYTES) stderr += d.toString('utf8');
    });
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
    try {
      await once(child, 'spawn');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new SourceError(code === 'ENOENT' ? 'journalctl not found: --journal needs systemd’s journalctl on PATH' : `cannot run journalctl: ${(err as Error).message}`);
    }
    if (this.stopped) child.kill();
    await deliver({ data: Buffer.alloc(0), startLine: line, position: { kind: 'journal', cursor, line } });
    let carry: Buffer = Buffer.alloc(0);
    for await (const data of child.stdout!) {
      const whole = wholeLines(carry, data as Buffer);
      carry = whole.carry;
      if (whole.lines.length === 0) continue;
      cursor = lastCursor(whole.lines) ?? cursor;
      const startLine = line;
      line += countLines(whole.lines);
      await deliver({ data: whole.lines, startLine, position: { kind: 'journal', cursor, line } });
    }
    const [code, signal] = await exited;
    if (!this.stopped) {
      const why = terminalSafe(stderr.trim().split('\n')[0] ?? '');
      throw new SourceError(`journalctl stopped (${signal ?? `exit code ${code}`})${why ? `: ${why}` : ''}`);
    }
  }

  stop(): void {
    this.stopped = true;
    this.child?.kill();
  }
}

/** The cursor of the last entry in a run of JSON lines. */
function lastCursor(lines: Buffer): string | null {
  let end = lines.length - 1;
  while (end > 0) {
    const start = lines.lastIndexOf(10, end - 1) + 1;
    const m = CURSOR.exec(lines.toString('utf8', start, end));
    if (m) return m[1]!;
    end = start - 1;
  }
  return null;
}
