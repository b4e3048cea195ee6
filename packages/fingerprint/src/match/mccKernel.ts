/**
 * The cylinder-pair stage of the MCC matcher as a small WebAssembly function, assembled here
 * from its instructions (no binary is shipped or downloaded: the bytes below are generated when
 * the module is first needed, about 1 KB, so browsers compile it synchronously). It does what
 * the JavaScript loop of `mccCompare` does, with a native 64-bit popcount: for every pair of
 * cylinders whose minutiae differ in direction by at most the maximum rotation, the popcounts
 * over the cells valid in both, the similarity 1 − ‖a ⊕ b‖ / (‖a‖ + ‖b‖) in double precision
 * (stored as float32, as the JavaScript path stores it), and the pair's sort key
 * round((1 − s) × 65535) × 65536 + pair index. Every operation is an
 * IEEE operation JavaScript does the same way, so scores are bit-identical to the JavaScript
 * path (checked by the tests). Only the default cylinder layout (16 × 16 cells, 6 layers) is
 * compiled; other parameters use the JavaScript path.
 * @internal
 */

/** 32-bit words of one cylinder's record: cell bits (48), valid cells (8), cos, sin, full, ones. */
export const KERNEL_STRIDE = 60;
/** Bit words and valid words per cylinder that the kernel is compiled for. */
export const KERNEL_WORDS = 48;
export const KERNEL_LAYER_WORDS = 8;
const STRIDE_BYTES = KERNEL_STRIDE * 4;
const VALID_AT = KERNEL_WORDS * 4;
const META_AT = VALID_AT + KERNEL_LAYER_WORDS * 4;
const MAX_CYLINDERS = 256;

// Memory map (bytes).
const A_AT = 0;
const B_AT = A_AT + MAX_CYLINDERS * STRIDE_BYTES;
const ORDER_AT = B_AT + MAX_CYLINDERS * STRIDE_BYTES;
const SIM_AT = ORDER_AT + 4 * 65536;
const PAGES = Math.ceil((SIM_AT + 4 * 65536) / 65536);

// Opcodes (WebAssembly 1.0 core).
const I32 = 0x7f;
const I64 = 0x7e;
const F64 = 0x7c;
const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  i32Load: 0x28,
  i64Load: 0x29,
  f32Load: 0x2a,
  i32Store: 0x36,
  f32Store: 0x38,
  i32Const: 0x41,
  i64Const: 0x42,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32GeU: 0x4f,
  i64Eqz: 0x50,
  f64Eq: 0x61,
  f64Lt: 0x63,
  f64Le: 0x65,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  i64Popcnt: 0x7b,
  i64Add: 0x7c,
  i64And: 0x83,
  i64Or: 0x84,
  i64Xor: 0x85,
  f64Nearest: 0x9e,
  f64Sqrt: 0x9f,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
  f64Max: 0xa5,
  i32TruncF64U: 0xab,
  f32DemoteF64: 0xb6,
  f64ConvertI64S: 0xb9,
  f64PromoteF32: 0xbb,
} as const;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function f64Bytes(v: number): number[] {
  return [...new Uint8Array(new Float64Array([v]).buffer)];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
}

/**
 * Function `pairs(na, nb, cosMax, minCells) → nz` over cylinders at A_AT and B_AT; writes
 * similarities (float32 at SIM_AT + 4k) and the keys of the pairs with a positive one (ORDER_AT).
 */
function pairsBody(): number[] {
  // Parameters 0–3, then locals.
  const [na, nb, cosMax, minCells] = [0, 1, 2, 3];
  let next = 4;
  const i32s = ['i', 'j', 'pa', 'pb', 'fullA', 'onesA', 'k', 'nz', 'key'] as const;
  const i64s = ['acc', 'dA', 'dB', 'nab', 'nA', 'nB'] as const;
  const f64s = ['ca', 'sa', 'den', 'v', 'x', 'r'] as const;
  const L: Record<string, number> = {};
  for (const n of [...i32s, ...i64s, ...f64s]) L[n] = next++;
  const l = (n: string) => L[n] as number;
  const c: number[] = [];
  const emit = (...b: number[]) => {
    for (const x of b) c.push(x);
  };
  const get = (n: string | number) => emit(op.get, ...uleb(typeof n === 'number' ? n : l(n)));
  const set = (n: string) => emit(op.set, ...uleb(l(n)));
  const i32c = (v: number) => emit(op.i32Const, ...sleb(v));
  const load64 = (base: string, at: number) => {
    get(base);
    emit(op.i64Load, 3, ...uleb(at));
  };
  /** Σ popcount(x[w] & y[f(w)]) over the 24 64-bit bit words of x, into local `into`. */
  const popAnd = (into: string, x: string, y: string, yAt: (w: number) => number) => {
    emit(op.i64Const, 0);
    for (let w = 0; w < KERNEL_WORDS / 2; w++) {
      load64(x, 8 * w);
      load64(y, yAt(w));
      emit(op.i64And, op.i64Popcnt, op.i64Add);
    }
    set(into);
  };
  const validAt = (w: number) => VALID_AT + 8 * (w % (KERNEL_LAYER_WORDS / 2));

  i32c(0);
  set('nz');
  i32c(0);
  set('i');
  emit(op.block, 0x40, op.loop, 0x40); // $doneI, $I
  get('i');
  get(na);
  emit(op.i32GeU, op.brIf, 1);
  get('i');
  i32c(STRIDE_BYTES);
  emit(op.i32Mul);
  i32c(A_AT);
  emit(op.i32Add);
  set('pa');
  get('pa');
  emit(op.f32Load, 2, ...uleb(META_AT), op.f64PromoteF32);
  set('ca');
  get('pa');
  emit(op.f32Load, 2, ...uleb(META_AT + 4), op.f64PromoteF32);
  set('sa');
  get('pa');
  emit(op.i32Load, 2, ...uleb(META_AT + 8));
  set('fullA');
  get('pa');
  emit(op.i32Load, 2, ...uleb(META_AT + 12));
  set('onesA');
  i32c(0);
  set('j');
  emit(op.block, 0x40, op.loop, 0x40); // $doneJ, $J
  get('j');
  get(nb);
  emit(op.i32GeU, op.brIf, 1);
  get('j');
  i32c(STRIDE_BYTES);
  emit(op.i32Mul);
  i32c(B_AT);
  emit(op.i32Add);
  set('pb');
  emit(op.block, 0x40); // $next: br 0 skips the pair
  // Directions: ca·cb + sa·sb < cosMax → skip.
  get('ca');
  get('pb');
  emit(op.f32Load, 2, ...uleb(META_AT), op.f64PromoteF32, op.f64Mul);
  get('sa');
  get('pb');
  emit(op.f32Load, 2, ...uleb(META_AT + 4), op.f64PromoteF32, op.f64Mul, op.f64Add);
  get(cosMax);
  emit(op.f64Lt, op.brIf, 0);
  emit(op.i64Const, 0);
  set('dA');
  emit(op.i64Const, 0);
  set('dB');
  // Unless both are full: cells valid in both, and whether one valid set contains the other.
  get('fullA');
  get('pb');
  emit(op.i32Load, 2, ...uleb(META_AT + 8), op.i32And, op.i32Eqz, op.if, 0x40);
  emit(op.i64Const, 0);
  set('acc');
  for (let w = 0; w < KERNEL_LAYER_WORDS / 2; w++) {
    // m = x & y; dA |= m ^ x; dB |= m ^ y; acc += popcnt(m)
    load64('pa', VALID_AT + 8 * w);
    load64('pb', VALID_AT + 8 * w);
    emit(op.i64And);
    emit(op.set, ...uleb(l('nab'))); // nab as scratch for m
    get('dA');
    get('nab');
    load64('pa', VALID_AT + 8 * w);
    emit(op.i64Xor, op.i64Or);
    set('dA');
    get('dB');
    get('nab');
    load64('pb', VALID_AT + 8 * w);
    emit(op.i64Xor, op.i64Or);
    set('dB');
    get('acc');
    get('nab');
    emit(op.i64Popcnt, op.i64Add);
    set('acc');
  }
  get('acc');
  emit(op.f64ConvertI64S);
  get(minCells);
  emit(op.f64Lt, op.brIf, 1); // out of the if, to $next
  emit(op.end);
  popAnd('nab', 'pa', 'pb', (w) => 8 * w);
  // ‖a‖ over the cells valid in b: its own total when a's valid cells lie within b's.
  get('dA');
  emit(op.i64Eqz, op.if, I64);
  get('onesA');
  emit(0xad); // i64.extend_i32_u
  emit(op.else);
  popAnd('nA', 'pa', 'pb', validAt);
  get('nA');
  emit(op.end);
  set('nA');
  get('dB');
  emit(op.i64Eqz, op.if, I64);
  get('pb');
  emit(op.i32Load, 2, ...uleb(META_AT + 12), 0xad);
  emit(op.else);
  popAnd('nB', 'pb', 'pa', validAt);
  get('nB');
  emit(op.end);
  set('nB');
  // den = √na + √nb; v = 1 − √max(0, na + nb − 2·nab) / den
  get('nA');
  emit(op.f64ConvertI64S, op.f64Sqrt);
  get('nB');
  emit(op.f64ConvertI64S, op.f64Sqrt, op.f64Add);
  set('den');
  get('den');
  emit(op.f64Const, ...f64Bytes(0), op.f64Eq, op.brIf, 0);
  emit(op.f64Const, ...f64Bytes(1));
  emit(op.f64Const, ...f64Bytes(0));
  get('nA');
  emit(op.f64ConvertI64S);
  get('nB');
  emit(op.f64ConvertI64S, op.f64Add);
  emit(op.f64Const, ...f64Bytes(2));
  get('nab');
  emit(op.f64ConvertI64S, op.f64Mul, op.f64Sub, op.f64Max, op.f64Sqrt);
  get('den');
  emit(op.f64Div, op.f64Sub);
  set('v');
  get('v');
  emit(op.f64Const, ...f64Bytes(0), op.f64Le, op.brIf, 0);
  // k = i·nb + j; sim[k] = float32(v)
  get('i');
  get(nb);
  emit(op.i32Mul);
  get('j');
  emit(op.i32Add);
  set('k');
  get('k');
  i32c(2);
  emit(op.i32Shl);
  get('v');
  emit(op.f32DemoteF64, op.f32Store, 2, ...uleb(SIM_AT));
  // x = (1 − v)·65535; r = Math.round(x) (ties up: nearest rounds ties to even)
  emit(op.f64Const, ...f64Bytes(1));
  get('v');
  emit(op.f64Sub, op.f64Const, ...f64Bytes(65535), op.f64Mul);
  set('x');
  get('x');
  emit(op.f64Nearest);
  set('r');
  get('x');
  get('r');
  emit(op.f64Sub, op.f64Const, ...f64Bytes(0.5), op.f64Eq, op.if, 0x40);
  get('r');
  emit(op.f64Const, ...f64Bytes(1), op.f64Add);
  set('r');
  emit(op.end);
  get('r');
  emit(op.i32TruncF64U);
  i32c(16);
  emit(op.i32Shl);
  get('k');
  emit(op.i32Or);
  set('key');
  get('nz');
  i32c(2);
  emit(op.i32Shl);
  get('key');
  emit(op.i32Store, 2, ...uleb(ORDER_AT));
  get('nz');
  i32c(1);
  emit(op.i32Add);
  set('nz');
  emit(op.end); // $next
  get('j');
  i32c(1);
  emit(op.i32Add);
  set('j');
  emit(op.br, 0, op.end, op.end); // $J, $doneJ
  get('i');
  i32c(1);
  emit(op.i32Add);
  set('i');
  emit(op.br, 0, op.end, op.end); // $I, $doneI
  get('nz');
  const locals = [...uleb(3), ...uleb(i32s.length), I32, ...uleb(i64s.length), I64, ...uleb(f64s.length), F64];
  const body = [...locals, ...c, op.end];
  return [...uleb(body.length), ...body];
}

/** The module's bytes. @internal */
export function mccKernelBytes(): Uint8Array<ArrayBuffer> {
  const type = [0x60, 4, I32, I32, F64, F64, 1, I32];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, ...type]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, ...uleb(PAGES)]),
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('pairs'), 0x00, 0]),
    ...section(10, [1, ...pairsBody()]),
  ]);
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly is unavailable or refused (e.g. by a CSP). */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(mccKernelBytes()) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** One instance of the kernel with views of its memory; the last cylinders copied in are remembered. @internal */
export class MccKernel {
  readonly sim: Float32Array;
  readonly order: Uint32Array;
  readonly #heap: Int32Array;
  readonly #pairs: (na: number, nb: number, cosMax: number, minCells: number) => number;
  #lastA: Int32Array | undefined;
  #lastB: Int32Array | undefined;

  private constructor(instance: WebAssembly.Instance) {
    const memory = instance.exports.memory as WebAssembly.Memory;
    this.#pairs = instance.exports.pairs as (na: number, nb: number, cosMax: number, minCells: number) => number;
    this.#heap = new Int32Array(memory.buffer);
    this.sim = new Float32Array(memory.buffer, SIM_AT, 65536);
    this.order = new Uint32Array(memory.buffer, ORDER_AT, 65536);
  }

  /** A new instance, or undefined where WebAssembly cannot run. */
  static create(): MccKernel | undefined {
    const m = kernelModule();
    if (!m) return undefined;
    try {
      return new MccKernel(new WebAssembly.Instance(m, {}));
    } catch {
      return undefined;
    }
  }

  /**
   * Cylinder pairs of two templates' records (`count × KERNEL_STRIDE` words each); returns the
   * number of keys written to `order` (similarities in `sim`, by pair index).
   */
  pairs(a: Int32Array, na: number, b: Int32Array, nb: number, cosMax: number, minCells: number): number {
    if (a !== this.#lastA) {
      this.#heap.set(a, A_AT >> 2);
      this.#lastA = a;
    }
    if (b !== this.#lastB) {
      this.#heap.set(b, B_AT >> 2);
      this.#lastB = b;
    }
    return this.#pairs(na, nb, cosMax, minCells);
  }
}
