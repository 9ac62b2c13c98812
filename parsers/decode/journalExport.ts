/**
 * The journal export format (`journalctl -o export`, systemd-journal-remote's input): entries
 * separated by an empty line, each field `NAME=value\n`, or for a value holding a newline or
 * binary data `NAME\n` + 64-bit little-endian length + the bytes + `\n`. Incremental and pure:
 * push any chunks, each whole entry comes out as an object (values UTF-8 decoded, lossy).
 * Never throws; a malformed field ends its entry.
 */
export type JournalEntry = Record<string, string>;

/** A binary field longer than this is not a log message: the entry is dropped, not buffered. */
const MAX_FIELD_BYTES = 16 << 20;

export class JournalExportDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private entry: JournalEntry = {};
  private fields = 0;

  constructor(private readonly emit: (entry: JournalEntry) => void) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    let pos = 0;
    for (;;) {
      const nl = this.buf.indexOf(10, pos);
      if (nl < 0) break;
      if (nl === pos) {
        // An empty line ends the entry.
        this.flush();
        pos = nl + 1;
        continue;
      }
      const eq = this.buf.indexOf(61 /* = */, pos);
      if (eq >= 0 && eq < nl) {
        this.add(this.buf.toString('latin1', pos, eq), this.buf.toString('utf8', eq + 1, nl));
        pos = nl + 1;
        continue;
      }
      // NAME\n <u64 length> <data> \n
      if (this.buf.length < nl + 1 + 8) break;
      const size = this.buf.readBigUInt64LE(nl + 1);
      if (size > BigInt(MAX_FIELD_BYTES)) {
        // Not something to keep: skip to the next blank line.
        this.entry = {};
        this.fields = 0;
        const end = this.buf.indexOf('\n\n', nl + 9);
        if (end < 0) {
          this.buf = Buffer.alloc(0);
          return;
        }
        pos = end + 2;
        continue;
      }
      const n = Number(size);
      const dataStart = nl + 1 + 8;
      if (this.buf.length < dataStart + n + 1) break;
      this.add(this.buf.toString('latin1', pos, nl), this.buf.toString('utf8', dataStart, dataStart + n));
      pos = dataStart + n + 1;
    }
    this.buf = pos === 0 ? this.buf : Buffer.from(this.buf.subarray(pos));
  }

  end(): void {
    this.flush();
    this.buf = Buffer.alloc(0);
  }

  private add(name: string, value: string): void {
    this.entry[name] = value;
    this.fields += 1;
  }

  private flush(): void {
    if (this.fields > 0) this.emit(this.entry);
    this.entry = {};
    this.fields = 0;
  }
}

/** Export text starts with an entry's first field; journalctl writes __CURSOR first. */
export function looksLikeJournalExport(head: string): boolean {
  return /^__(?:CURSOR|REALTIME_TIMESTAMP|SEQNUM|MONOTONIC_TIMESTAMP)=[^\n]*\n(?:[A-Z_][A-Z0-9_]*(?:=|\n))/.test(head);
}
