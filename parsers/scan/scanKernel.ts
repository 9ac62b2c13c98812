import { i32Type, op, v128Type, wasmModule, type Code } from './wasmCode.js';

/**
 * The prefilter's inner loops in WebAssembly, over a buffer in the module's own memory (read
 * into directly, no copy): the candidate search (the Wu-Manber search of `CandidateFilter`,
 * ~3x faster than the JavaScript one: one 16-bit load per probe and no bounds checks) and the
 * newline count (SIMD, 16 bytes per instruction, ~8x `indexOf` per line). `CandidateFilter`
 * stays the search for buffers handed to the chunk scanner; both are checked against the same
 * plain search in `test/candidateFilter.test.ts`.
 *
 * Memory: the shift table (64 KiB, one byte per 2-byte block, little-endian), the needle chain
 * heads per block (64 KiB), the needle table, then the data, then the hit list.
 */
const SHIFT = 0;
const HEAD = 65536;
const START = 131072; // 1 for each 2-byte block some needle starts with
const NEEDLES = 196608; // 8 bytes each: u32 address of the bytes, u16 length, u8 next needle of the block
const MIN_LEN = NEEDLES + 8 * 256;
const NEEDLE_BYTES = MIN_LEN + 4;
const DATA = 262144;
/** Below this many bytes one cursor searches: four would not pay off. */
const LANE_MIN_BYTES = 4096;

const { localGet: get, localSet: set, localTee: tee, i32 } = op;

// count(p, end): newlines in [p, end).
//   nl = splat 10; runs of <= 255 16-byte blocks, each byte lane counting its newlines, summed
//   after each run; then the last < 16 bytes one by one.
const COUNT = (() => {
  const [P, END, TOTAL, STOP, BLOCKS, ACC, NL] = [0, 1, 2, 3, 4, 5, 6];
  const body: Code = [
    ...i32(10), ...op.i8x16Splat, ...set(NL),
    ...op.block, ...op.loop,
    ...get(END), ...get(P), ...op.i32Sub, ...i32(16), ...op.i32LtS, ...op.brIf(1),
    ...get(P),
    ...i32(255), ...get(END), ...get(P), ...op.i32Sub, ...i32(4), ...op.i32ShrU, ...tee(BLOCKS), ...i32(255), ...get(BLOCKS), ...op.i32LtU, ...op.select,
    ...i32(4), ...op.i32Shl, ...op.i32Add, ...set(STOP),
    ...op.v128Zero, ...set(ACC),
    ...op.loop,
    ...get(ACC), ...get(P), ...op.v128Load, ...get(NL), ...op.i8x16Eq, ...op.i8x16Sub, ...set(ACC),
    ...get(P), ...i32(16), ...op.i32Add, ...tee(P), ...get(STOP), ...op.i32LtU, ...op.brIf(0),
    ...op.end,
    ...get(ACC), ...op.i16x8ExtaddPairwiseI8x16U, ...op.i32x4ExtaddPairwiseI16x8U, ...tee(ACC),
    ...op.i32x4ExtractLane(0), ...get(ACC), ...op.i32x4ExtractLane(1), ...op.i32Add,
    ...get(ACC), ...op.i32x4ExtractLane(2), ...op.i32Add, ...get(ACC), ...op.i32x4ExtractLane(3), ...op.i32Add,
    ...get(TOTAL), ...op.i32Add, ...set(TOTAL),
    ...op.br(0), ...op.end, ...op.end,
    ...op.block, ...op.loop,
    ...get(P), ...get(END), ...op.i32GeU, ...op.brIf(1),
    ...get(TOTAL), ...get(P), ...op.i32Load8U, ...i32(10), ...op.i32Eq, ...op.i32Add, ...set(TOTAL),
    ...get(P), ...i32(1), ...op.i32Add, ...set(P),
    ...op.br(0), ...op.end, ...op.end,
    ...get(TOTAL),
  ];
  return { name: 'count', params: 2, locals: [[3, i32Type], [2, v128Type]] as [number, number][], body };
})();

// match(i, to): 1 when a needle starts where the window ending at i starts and ends by `to`:
//   the needles whose prefix ends in the block at i are chained from HEAD[block].
const MATCH = (() => {
  const [I, TO, START, J, PTR, LEN, K, ENTRY] = [0, 1, 2, 3, 4, 5, 6, 7];
  const body: Code = [
    ...get(I), ...i32(MIN_LEN), ...op.i32Load, ...op.i32Sub, ...i32(1), ...op.i32Add, ...set(START),
    ...get(I), ...i32(1), ...op.i32Sub, ...op.i32Load16U, ...i32(HEAD), ...op.i32Add, ...op.i32Load8U, ...set(J),
    ...op.block, ...op.loop,
    ...get(J), ...op.i32Eqz, ...op.brIf(1),
    ...get(J), ...i32(3), ...op.i32Shl, ...i32(NEEDLES), ...op.i32Add, ...tee(ENTRY), ...op.i32Load, ...set(PTR),
    ...get(ENTRY), ...i32(4), ...op.i32Add, ...op.i32Load16U, ...set(LEN),
    ...get(START), ...get(LEN), ...op.i32Add, ...get(TO), ...op.i32LeU,
    ...op.if,
    ...i32(0), ...set(K),
    ...op.block, ...op.loop,
    ...get(K), ...get(LEN), ...op.i32Eq, ...op.if, ...i32(1), ...op.return, ...op.end,
    ...get(START), ...get(K), ...op.i32Add, ...op.i32Load8U, ...get(PTR), ...get(K), ...op.i32Add, ...op.i32Load8U, ...op.i32Ne, ...op.brIf(1),
    ...get(K), ...i32(1), ...op.i32Add, ...set(K),
    ...op.br(0), ...op.end, ...op.end,
    ...op.end,
    ...get(ENTRY), ...i32(6), ...op.i32Add, ...op.i32Load8U, ...set(J),
    ...op.br(0), ...op.end, ...op.end,
    ...i32(0),
  ];
  return { name: 'match', params: 2, locals: [[6, i32Type]] as [number, number][], body };
})();

// lineEnd(x, to): the first newline at or after x, or `to`.
const LINE_END = (() => {
  const [X, TO] = [0, 1];
  const body: Code = [
    ...op.loop,
    ...get(X), ...get(TO), ...op.i32GeU, ...op.if, ...get(TO), ...op.return, ...op.end,
    ...get(X), ...op.i32Load8U, ...i32(10), ...op.i32Eq, ...op.if, ...get(X), ...op.return, ...op.end,
    ...get(X), ...i32(1), ...op.i32Add, ...set(X),
    ...op.br(0), ...op.end,
    ...get(TO),
  ];
  return { name: 'lineEnd', params: 2, locals: [] as [number, number][], body };
})();

const FN_MATCH = 1;
const FN_LINE_END = 2;
const FN_LANE = 3;

/**
 * One probe of a cursor (window end `i`, hit list `o`): jump by the block's shift; on a zero
 * shift check the needles, and after a hit write it and go on from the next line (the caller
 * wants candidate lines, one hit each is enough).
 */
function probe(I: number, O: number, M: number, TO: number, S: number): Code {
  return [
    ...get(I), ...i32(1), ...op.i32Sub, ...op.i32Load16U, ...i32(SHIFT), ...op.i32Add, ...op.i32Load8U, ...tee(S),
    ...op.if,
    ...get(I), ...get(S), ...op.i32Add, ...set(I),
    ...op.else,
    // Speed: most zero shifts are not a needle; its first two bytes say so without a call.
    ...get(I), ...get(M), ...op.i32Sub, ...i32(1), ...op.i32Add, ...op.i32Load16U, ...i32(START), ...op.i32Add, ...op.i32Load8U,
    ...op.ifI32, ...get(I), ...get(TO), ...op.call(FN_MATCH), ...op.else, ...i32(0), ...op.end,
    ...op.if,
    ...get(O), ...get(I), ...get(M), ...op.i32Sub, ...i32(1), ...op.i32Add, ...op.i32Store,
    ...get(O), ...i32(4), ...op.i32Add, ...set(O),
    ...get(I), ...get(M), ...op.i32Sub, ...i32(1), ...op.i32Add, ...get(TO), ...op.call(FN_LINE_END), ...get(M), ...op.i32Add, ...set(I),
    ...op.else,
    ...get(I), ...i32(1), ...op.i32Add, ...set(I),
    ...op.end,
    ...op.end,
  ];
}

// lane(i, end, to, out, m): one cursor over window ends [i, end); returns the hit list's new end.
const LANE = (() => {
  const [I, END, TO, OUT, M, S] = [0, 1, 2, 3, 4, 5];
  const body: Code = [
    ...op.block, ...op.loop,
    ...get(I), ...get(END), ...op.i32GeU, ...op.brIf(1),
    ...probe(I, OUT, M, TO, S),
    ...op.br(0), ...op.end, ...op.end,
    ...get(OUT),
  ];
  return { name: 'lane', params: 5, locals: [[1, i32Type]] as [number, number][], body };
})();

// find(from, to, out): the hits of [from, to) written at `out`; returns how many. Four cursors
// over the four quarters advance in lockstep (each probe waits on the load before it: one
// cursor would leave the CPU idle), each writing its own part of the list, joined at the end.
const FIND = (() => {
  const [FROM, TO, OUT, M, Q, R] = [0, 1, 2, 3, 4, 5];
  const I = [6, 7, 8, 9];
  const E = [10, 11, 12];
  const O = [13, 14, 15, 16];
  const S = 17;
  const lane = (k: number, end: number): Code => [...get(I[k]!), ...get(end), ...get(TO), ...get(O[k]!), ...get(M), ...op.call(FN_LANE), ...set(O[k]!)];
  // Moves lane k's hits (written from out + k*R) to just after the hits before them.
  const join = (k: number): Code => {
    const base = [...get(OUT), ...get(R), ...i32(k), ...op.i32Mul, ...op.i32Add];
    return [
      ...get(O[0]!), ...base, ...get(O[k]!), ...base, ...op.i32Sub, ...op.memoryCopy,
      ...get(O[0]!), ...get(O[k]!), ...base, ...op.i32Sub, ...op.i32Add, ...set(O[0]!),
    ];
  };
  const body: Code = [
    ...i32(MIN_LEN), ...op.i32Load, ...set(M),
    ...get(TO), ...get(FROM), ...op.i32Sub, ...i32(LANE_MIN_BYTES), ...op.i32LtS,
    ...op.if,
    ...get(FROM), ...get(M), ...op.i32Add, ...i32(1), ...op.i32Sub, ...get(TO), ...get(TO), ...get(OUT), ...get(M), ...op.call(FN_LANE),
    ...get(OUT), ...op.i32Sub, ...i32(2), ...op.i32ShrU, ...op.return,
    ...op.end,
    ...get(TO), ...get(FROM), ...op.i32Sub, ...i32(2), ...op.i32ShrU, ...set(Q),
    // Each lane's list has room for a hit every 2 bytes of its quarter (a hit takes a line of >= minLen).
    ...get(Q), ...i32(2), ...op.i32ShrU, ...i32(2), ...op.i32Shl, ...i32(64), ...op.i32Add, ...set(R),
    ...get(FROM), ...get(M), ...op.i32Add, ...i32(1), ...op.i32Sub, ...set(I[0]!),
    ...get(I[0]!), ...get(Q), ...op.i32Add, ...tee(E[0]!), ...set(I[1]!),
    ...get(I[1]!), ...get(Q), ...op.i32Add, ...tee(E[1]!), ...set(I[2]!),
    ...get(I[2]!), ...get(Q), ...op.i32Add, ...tee(E[2]!), ...set(I[3]!),
    ...get(OUT), ...set(O[0]!),
    ...get(OUT), ...get(R), ...op.i32Add, ...tee(O[1]!), ...get(R), ...op.i32Add, ...tee(O[2]!), ...get(R), ...op.i32Add, ...set(O[3]!),
    ...op.block, ...op.loop,
    ...get(I[0]!), ...get(E[0]!), ...op.i32GeU, ...get(I[1]!), ...get(E[1]!), ...op.i32GeU, ...op.i32Or,
    ...get(I[2]!), ...get(E[2]!), ...op.i32GeU, ...op.i32Or, ...get(I[3]!), ...get(TO), ...op.i32GeU, ...op.i32Or, ...op.brIf(1),
    ...[0, 1, 2, 3].flatMap((k) => probe(I[k]!, O[k]!, M, TO, S)),
    ...op.br(0), ...op.end, ...op.end,
    ...lane(0, E[0]!), ...lane(1, E[1]!), ...lane(2, E[2]!), ...lane(3, TO),
    ...join(1), ...join(2), ...join(3),
    ...get(O[0]!), ...get(OUT), ...op.i32Sub, ...i32(2), ...op.i32ShrU,
  ];
  return { name: 'find', params: 3, locals: [[15, i32Type]] as [number, number][], body };
})();

const MODULE = wasmModule([COUNT, MATCH, LINE_END, LANE, FIND]);

/**
 * A buffer of `size` bytes in WebAssembly memory, with the candidate search for `needles` and
 * the newline count over it. Read into `bytes` directly.
 */
export class ScanKernel {
  readonly bytes: Buffer;
  private readonly memory: WebAssembly.Memory;
  private readonly outAddress: number;
  private readonly countIn: (from: number, to: number) => number;
  private readonly findIn: (from: number, to: number, out: number) => number;

  constructor(needles: readonly string[], size: number) {
    this.outAddress = DATA + size + 64;
    // The hit list needs at most a quarter of the data in each of four lanes, plus slack.
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((this.outAddress + size + 1024) / 65536) });
    const instance = new WebAssembly.Instance(MODULE, { env: { memory: this.memory } });
    this.countIn = instance.exports.count as (from: number, to: number) => number;
    this.findIn = instance.exports.find as (from: number, to: number, out: number) => number;
    this.bytes = Buffer.from(this.memory.buffer, DATA, size);
    this.loadNeedles(needles);
  }

  /** Newlines in bytes[from, to). */
  countNewlines(from: number, to: number): number {
    return from < to ? this.countIn(DATA + from, DATA + to) : 0;
  }

  /**
   * Appends to `out`, ascending, offsets of needle occurrences that lie wholly in [from, to):
   * at least the first of every line that has one (more when a line spans the search's
   * quarters). The caller wants the lines, not every occurrence.
   */
  findCandidates(from: number, to: number, out: number[]): void {
    const n = this.findIn(DATA + from, DATA + to, this.outAddress);
    const hits = new Uint32Array(this.memory.buffer, this.outAddress, n);
    for (let k = 0; k < n; k++) out.push(hits[k]! - DATA);
  }

  private loadNeedles(needles: readonly string[]): void {
    const mem = new DataView(this.memory.buffer);
    const pats = needles.map((n) => Buffer.from(n, 'latin1'));
    const m = Math.min(...pats.map((p) => p.length));
    if (pats.length > 255) throw new Error('at most 255 needles');
    new Uint8Array(this.memory.buffer, SHIFT, 65536).fill(m - 1);
    mem.setUint32(MIN_LEN, m, true);
    let at = NEEDLE_BYTES;
    pats.forEach((p, index) => {
      const j = index + 1;
      for (let q = 2; q <= m; q++) {
        const block = p[q - 2]! | (p[q - 1]! << 8);
        mem.setUint8(SHIFT + block, Math.min(mem.getUint8(SHIFT + block), m - q));
      }
      mem.setUint8(START + (p[0]! | (p[1]! << 8)), 1);
      const last = p[m - 2]! | (p[m - 1]! << 8);
      mem.setUint32(NEEDLES + 8 * j, at, true);
      mem.setUint16(NEEDLES + 8 * j + 4, p.length, true);
      mem.setUint8(NEEDLES + 8 * j + 6, mem.getUint8(HEAD + last));
      mem.setUint8(HEAD + last, j);
      new Uint8Array(this.memory.buffer, at, p.length).set(p);
      at += p.length;
    });
    if (at > DATA) throw new Error('needles too long');
  }
}
