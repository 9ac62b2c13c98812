import { statSync } from 'node:fs';
import { Counter, Gauge, type Registry } from 'prom-client';
import { countLines, type SourceChunk } from '../watch/lineSource.js';
import type { SourcePosition } from '../watch/watchState.js';

/**
 * The health of the followed source: is it being read, how much, how far behind. `source` is
 * the followed file's path, `kmsg` or `journal` (the one source of this watch: one series).
 */
export class SourceMetrics {
  private readonly lines: Counter<'source'>;
  private readonly bytes: Counter<'source'>;
  private readonly lastRead: Gauge<'source'>;
  private position: SourcePosition | null = null;
  private failed = false;

  constructor(
    registry: Registry,
    private readonly source: string,
  ) {
    const registers = [registry];
    const self = this;
    new Gauge({
      name: 'oomlens_source_up',
      help: '1 while the source is open and being read; 0 before it exists or after it failed',
      labelNames: ['source'],
      registers,
      collect() {
        this.set({ source }, self.isUp() ? 1 : 0);
      },
    });
    this.lines = new Counter({ name: 'oomlens_source_lines_read_total', help: 'Log lines read from the source', labelNames: ['source'], registers });
    this.bytes = new Counter({ name: 'oomlens_source_bytes_read_total', help: 'Bytes of whole lines read from the source', labelNames: ['source'], registers });
    this.lastRead = new Gauge({ name: 'oomlens_source_last_read_timestamp_seconds', help: 'When lines were last read from the source (Unix time)', labelNames: ['source'], registers });
    new Gauge({
      name: 'oomlens_source_lag_bytes',
      help: 'Bytes written to the followed file and not read yet (file sources only)',
      labelNames: ['source'],
      registers,
      collect() {
        const lag = self.lagBytes();
        if (lag !== null) this.set({ source }, lag);
      },
    });
    this.lines.inc({ source }, 0);
    this.bytes.inc({ source }, 0);
  }

  /** Each chunk the watch took in. */
  read(chunk: SourceChunk): void {
    this.position = chunk.position;
    if (chunk.data.length === 0) return;
    this.lines.inc({ source: this.source }, countLines(chunk.data));
    this.bytes.inc({ source: this.source }, chunk.data.length);
    this.lastRead.set({ source: this.source }, Date.now() / 1000);
  }

  /** The source cannot be read any more (the watch is ending with an error). */
  fail(): void {
    this.failed = true;
  }

  private isUp(): boolean {
    if (this.failed || this.position === null) return false;
    return this.position.kind !== 'file' || this.position.ino !== 0;
  }

  private lagBytes(): number | null {
    const p = this.position;
    if (p?.kind !== 'file' || p.ino === 0) return null;
    try {
      const st = statSync(p.path);
      // A new file under the name (rotated, not yet opened) is all unread.
      return st.ino === p.ino ? Math.max(0, st.size - p.offset) : st.size;
    } catch {
      return null;
    }
  }
}
