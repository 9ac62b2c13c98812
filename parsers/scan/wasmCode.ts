/**
 * Just enough of the WebAssembly binary format to write the scan kernel (`scanKernel.ts`) as
 * code here instead of shipping an opaque .wasm file: the instructions it uses, and the module
 * with one imported memory and (i32...) -> i32 functions.
 */

export type Code = number[];

export const i32Type = 0x7f;
export const v128Type = 0x7b;

export const op = {
  localGet: (i: number): Code => [0x20, i],
  localSet: (i: number): Code => [0x21, i],
  localTee: (i: number): Code => [0x22, i],
  i32: (v: number): Code => [0x41, ...sleb(v)],
  call: (f: number): Code => [0x10, f],
  br: (depth: number): Code => [0x0c, depth],
  brIf: (depth: number): Code => [0x0d, depth],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  /** An `if` whose arms leave an i32. */
  ifI32: [0x04, 0x7f],
  else: [0x05],
  end: [0x0b],
  return: [0x0f],
  select: [0x1b],
  i32Eqz: [0x45],
  i32Eq: [0x46],
  i32Ne: [0x47],
  i32LtS: [0x48],
  i32LtU: [0x49],
  i32GeU: [0x4f],
  i32LeU: [0x4d],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32Or: [0x72],
  i32Shl: [0x74],
  i32ShrU: [0x76],
  /** Loads and stores take (align log2, offset 0). */
  i32Load: [0x28, 0x02, 0x00],
  i32Load8U: [0x2d, 0x00, 0x00],
  i32Load16U: [0x2f, 0x00, 0x00],
  i32Store: [0x36, 0x02, 0x00],
  memoryCopy: [0xfc, 0x0a, 0x00, 0x00],
  v128Load: [0xfd, 0x00, 0x00, 0x00],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  i8x16Splat: [0xfd, 0x0f],
  i8x16Eq: [0xfd, 0x23],
  i8x16Sub: [0xfd, 0x71],
  i16x8ExtaddPairwiseI8x16U: [0xfd, 0x7d],
  i32x4ExtaddPairwiseI16x8U: [0xfd, 0x7f],
  i32x4ExtractLane: (lane: number): Code => [0xfd, 0x1b, lane],
};

export interface WasmFunction {
  name: string;
  params: number;
  /** Extra locals, as [count, type] runs. */
  locals: [number, number][];
  body: Code;
}

/** A module importing `env.memory` and exporting `functions`, each (i32 x params) -> i32. */
export function wasmModule(functions: WasmFunction[]): WebAssembly.Module {
  const types = functions.map((f) => [0x60, ...uleb(f.params), ...new Array<number>(f.params).fill(i32Type), 1, i32Type]);
  const bodies = functions.map((f) => {
    const code = [...uleb(f.locals.length), ...f.locals.flatMap(([n, t]) => [...uleb(n), t]), ...f.body, ...op.end];
    return [...uleb(code.length), ...code];
  });
  return new WebAssembly.Module(
    new Uint8Array([
      ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      ...section(1, vec(types)),
      ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]])),
      ...section(3, vec(functions.map((_, i) => uleb(i)))),
      ...section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
      ...section(10, vec(bodies)),
    ]),
  );
}

function section(id: number, bytes: Code): Code {
  return [id, ...uleb(bytes.length), ...bytes];
}

function vec(items: Code[]): Code {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): Code {
  return [...uleb(s.length), ...Buffer.from(s, 'latin1')];
}

function uleb(v: number): Code {
  const out: Code = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

function sleb(v: number): Code {
  const out: Code = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}
