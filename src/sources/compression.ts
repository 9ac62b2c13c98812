/** What the first bytes of an input say about how it is stored. */
export type Compression =
  | { kind: 'none' }
  /** `mtimeMs`: the original file's mtime from the gzip header (null when not recorded). */
  | { kind: 'gzip'; mtimeMs: number | null }
  | { kind: 'xz' }
  | { kind: 'zstd' }
  | { kind: 'unsupported'; format: string; undo: string };

/** Compressions read natively (decoders in `decompress.ts`), by magic bytes. */
const READ: { magic: number[]; kind: 'xz' | 'zstd' }[] = [
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], kind: 'xz' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], kind: 'zstd' },
];

/** Compressions we recognise but do not read (rare for logs): magic bytes, name, command. */
const UNSUPPORTED: { magic: number[]; format: string; undo: string }[] = [
  { magic: [0x42, 0x5a, 0x68], format: 'bzip2', undo: 'bunzip2 -k' },
  { magic: [0x04, 0x22, 0x4d, 0x18], format: 'lz4', undo: 'unlz4' },
  { magic: [0x4c, 0x5a, 0x49, 0x50], format: 'lzip', undo: 'lzip -dk' },
  { magic: [0x1f, 0x9d], format: 'compress (.Z)', undo: 'gzip -dk' },
  { magic: [0x5d, 0x00, 0x00], format: 'lzma', undo: 'unlzma -k' },
  { magic: [0x50, 0x4b, 0x03, 0x04], format: 'zip', undo: 'unzip' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], format: '7z', undo: '7z x' },
];

/** Bytes `sniffCompression` needs to see. */
export const SNIFF_BYTES = 10;

const startsWith = (head: Uint8Array, magic: number[]) => head.length >= magic.length && magic.every((b, i) => head[i] === b);

/** Recognises an input's format from its first bytes (not its name: rotated files are misnamed often enough). */
export function sniffCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const seconds = head.length >= 8 ? (head[4]! | (head[5]! << 8) | (head[6]! << 16) | (head[7]! << 24)) >>> 0 : 0;
    return { kind: 'gzip', mtimeMs: seconds === 0 ? null : seconds * 1000 };
  }
  for (const r of READ) if (startsWith(head, r.magic)) return { kind: r.kind };
  for (const u of UNSUPPORTED) if (startsWith(head, u.magic)) return { kind: 'unsupported', format: u.format, undo: u.undo };
  return { kind: 'none' };
}

/** The one line for an input stored in a format we do not read. */
export function unsupportedMessage(c: { format: string; undo: string }): string {
  return `${c.format}-compressed input is not supported; decompress it first (${c.undo} FILE)`;
}
