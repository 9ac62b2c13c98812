import { ChunkScanner, DecodeContext, TimelineAssembler, type DecodeOptions } from '../../parsers/index.js';
import type { KillRecord } from '../schema/killRecord.js';
import type { SourceChunk } from './lineSource.js';
import type { SourcePosition, WatchState } from './watchState.js';

/** Past this, the report in progress is not kept for a restart (it would still be parsed). */
const MAX_REPLAY_BYTES = 8 << 20;

export interface ParserSetup {
  /** Name recorded in `source.file`. */
  file: string | null;
  keepRaw: boolean;
  decode: DecodeOptions;
}

/**
 * The log parser for a followed source, made resumable: it keeps the input from the first
 * line of the oldest report still in progress (`TimelineAssembler.oldestNeededLine`), so a saved state
 * can rebuild that report after a restart, and remembers which records were reported, so the
 * rebuilt input writes none of them twice. Line numbers follow the source's file; when a new
 * file starts (rotation) numbering restarts with it as soon as no report spans the change.
 */
export class ResumableParser {
  private assembler!: TimelineAssembler;
  private scanner!: ChunkScanner;
  private out: KillRecord[] = [];
  /** Input since line `line` (lines before it), or null when it outgrew MAX_REPLAY_BYTES. */
  private replay: { line: number; chunks: Buffer[]; bytes: number } | null = null;
  /** Record key -> line count when it was reported. */
  private readonly reported = new Map<string, number>();
  private longLinesBefore = 0;

  constructor(
    private readonly setup: ParserSetup,
    saved: WatchState | null,
  ) {
    for (const r of saved?.reported ?? []) this.reported.set(r.key, r.line);
    this.restart(saved?.replay?.line ?? saved?.position.line ?? 0);
    if (saved?.replay) this.feed(Buffer.from(saved.replay.text, 'utf8'));
  }

  /** Records completed so far and not reported before (from a saved replay, at first). */
  take(): KillRecord[] {
    return this.out.splice(0).filter((r) => !this.reported.has(recordKey(r)));
  }

  ingest(chunk: SourceChunk): KillRecord[] {
    if (this.scanner.lines !== chunk.startLine && this.assembler.oldestNeededLine() === null) {
      // A new file and nothing in progress: number its lines from its own start.
      this.reported.clear();
      this.restart(chunk.startLine);
    }
    if (chunk.data.length > 0) this.feed(chunk.data);
    return this.take();
  }

  /** Writes reports that have their kill and kills waiting for a late reaper line (idle). */
  settle(): KillRecord[] {
    this.assembler.settle();
    this.trackReplay(null);
    return this.take();
  }

  /** Lines cut at the parser's length limit since the last call. */
  takeLongLines(): number {
    const n = this.scanner.longLines - this.longLinesBefore;
    this.longLinesBefore = this.scanner.longLines;
    return n;
  }

  /** Lines read so far (the line a record is reported at). */
  get lines(): number {
    return this.scanner.lines;
  }

  markReported(record: KillRecord): void {
    this.reported.set(recordKey(record), this.scanner.lines);
    if (this.reported.size > 64) this.forgetUnrepeatable();
  }

  snapshot(position: SourcePosition): WatchState {
    this.forgetUnrepeatable();
    const replay = this.replay;
    return {
      version: 1,
      position,
      replay: replay && { line: replay.line, text: Buffer.concat(replay.chunks).toString('utf8') },
      reported: [...this.reported].map(([key, line]) => ({ key, line })),
    };
  }

  /** A record reported at or before the replay's first line cannot come out of it again. */
  private forgetUnrepeatable(): void {
    for (const [key, line] of this.reported) if (!this.replay || line <= this.replay.line) this.reported.delete(key);
  }

  private restart(linesBefore: number): void {
    this.assembler = new TimelineAssembler({ file: this.setup.file, keepRaw: this.setup.keepRaw, emit: (r) => this.out.push(r) });
    this.scanner = new ChunkScanner(this.assembler, new DecodeContext(this.setup.decode));
    this.scanner.skipLines(linesBefore);
    this.longLinesBefore = 0;
    this.replay = { line: linesBefore, chunks: [], bytes: 0 };
  }

  private feed(data: Buffer): void {
    this.scanner.push(data);
    this.trackReplay(data);
  }

  /** Keeps the input from the oldest report still needed; drops the rest. */
  private trackReplay(data: Buffer | null): void {
    const oldest = this.assembler.oldestNeededLine();
    if (oldest === null) {
      this.replay = { line: this.scanner.lines, chunks: [], bytes: 0 };
      return;
    }
    const replay = this.replay;
    if (!replay) return;
    if (data) {
      replay.chunks.push(data);
      replay.bytes += data.length;
    }
    const drop = oldest - 1 - replay.line;
    if (drop > 0) {
      const all = Buffer.concat(replay.chunks);
      let cut = 0;
      for (let i = 0; i < drop; i++) cut = all.indexOf(10, cut) + 1;
      replay.chunks = [Buffer.from(all.subarray(cut))];
      replay.bytes = all.length - cut;
      replay.line += drop;
    }
    if (replay.bytes > MAX_REPLAY_BYTES) this.replay = null;
  }
}

/** What identifies a record across runs: where and when its kill (or report) was logged. */
export function recordKey(r: KillRecord): string {
  if (r.type === 'userspace-kill') return JSON.stringify([r.type, r.killer, r.host, r.victim.pid, r.victim.comm ?? r.victim.unit ?? r.victim.cgroup, r.time]);
  return JSON.stringify([r.type, r.reason, r.host, r.victim?.pid ?? null, r.victim?.comm ?? null, r.uptime ?? r.time]);
}
