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

/** Bit words and valid words per cylinder that the kernel is compiled for. */
export const KERNEL_WORDS = 48;
export const KERNEL_LAYER_WORDS = 8;
/**
 * Record of one cylinder, in 32-bit words: cell bits (48), valid cells (8), the number of
 * layers set per cell as three bit planes (3 × 8), then cos, sin (float32), full, ones, valid
 * cell count and a pad word.
 */
export const KERNEL_PLANES_AT = KERNEL_WORDS + KERNEL_LAYER_WORDS;
export const KERNEL_META_AT = KERNEL_PLANES_AT + 3 * KERNEL_LAYER_WORDS;
export const KERNEL_STRIDE = KERNEL_META_AT + 6;
const STRIDE_BYTES = KERNEL_STRIDE * 4;
const VALID_AT = KERNEL_WORDS * 4;
const PLANES_AT = KERNEL_PLANES_AT * 4;
const META_AT = KERNEL_META_AT * 4;
const MAX_CYLINDERS = 256;

// Memory map (bytes).
const A_AT = 0;
const B_AT = A_AT + MAX_CYLINDERS * STRIDE_BYTES;
const ORDER_AT = B_AT + MAX_CYLINDERS * STRIDE_BYTES;
const TMP_AT = ORDER_AT + 4 * 65536;
const SIM_AT = TMP_AT + 4 * 65536;
const SEL_AT = SIM_AT + 4 * 65536;
const COUNT_AT = SEL_AT + 4 * MAX_CYLINDERS;
const USED_A_AT = COUNT_AT + 4 * 256;
const USED_B_AT = USED_A_AT + MAX_CYLINDERS;
const PAGES = Math.ceil((USED_B_AT + MAX_CYLINDERS) / 65536);

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
  i32Load8U: 0x2d,
  i32Store: 0x36,
  f32Store: 0x38,
  i32Store8: 0x3a,
  i32Const: 0x41,
  i64Const: 0x42,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32GeU: 0x4f,
  i64Eqz: 0x50,
  i64Ne: 0x52,
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
  i64Shl: 0x86,
  f64Nearest: 0x9e,
  f64Sqrt: 0x9f,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
  f64Max: 0xa5,
  i32TruncF64U: 0xab,
  i64ExtendI32U: 0xad,
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

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
}

/** Emits one function's body: named locals, structured loops. */
class Body {
  readonly code: number[] = [];
  readonly #locals = new Map<string, number>();
  readonly #types: number[] = [];

  constructor(readonly params: number) {}

  /** Declare locals of one type. */
  locals(type: number, ...names: string[]): void {
    for (const n of names) {
      this.#locals.set(n, this.params + this.#types.length);
      this.#types.push(type);
    }
  }

  emit(...bytes: number[]): void {
    for (const b of bytes) this.code.push(b);
  }

  #index(n: string | number): number {
    return typeof n === 'number' ? n : (this.#locals.get(n) as number);
  }

  get(n: string | number): void {
    this.emit(op.get, ...uleb(this.#index(n)));
  }

  set(n: string | number): void {
    this.emit(op.set, ...uleb(this.#index(n)));
  }

  i32(v: number): void {
    this.emit(op.i32Const, ...sleb(v));
  }

  f64(v: number): void {
    this.emit(op.f64Const, ...new Uint8Array(new Float64Array([v]).buffer));
  }

  /** Push `local op c` for an i32 local and constant (shifts, masks). */
  withConst(n: string, c: number, opcode: number): void {
    this.get(n);
    this.i32(c);
    this.emit(opcode);
  }

  /** Push the byte offset of 32-bit word `local`. */
  word(n: string): void {
    this.withConst(n, 2, op.i32Shl);
  }

  /** `local += step` (i32). */
  add(n: string, step = 1): void {
    this.withConst(n, step, op.i32Add);
    this.set(n);
  }

  /**
   * `for (counter = 0; counter < limit; counter++) body()`; `limit` pushes the bound. Inside the
   * body, `br 1` leaves the loop and `br 0` starts the next iteration without the increment.
   */
  for(counter: string, limit: () => void, body: () => void): void {
    this.i32(0);
    this.set(counter);
    this.emit(op.block, 0x40, op.loop, 0x40);
    this.get(counter);
    limit();
    this.emit(op.i32GeU, op.brIf, 1);
    this.emit(op.block, 0x40); // `br 0` here continues with the increment
    body();
    this.emit(op.end);
    this.add(counter);
    this.emit(op.br, 0, op.end, op.end);
  }

  /** The encoded body with its local declarations. */
  encode(): number[] {
    const groups: number[] = [];
    let runs = 0;
    for (let k = 0; k < this.#types.length; ) {
      let e = k;
      while (e < this.#types.length && this.#types[e] === this.#types[k]) e++;
      groups.push(...uleb(e - k), this.#types[k] as number);
      runs++;
      k = e;
    }
    const body = [...uleb(runs), ...groups, ...this.code, op.end];
    return [...uleb(body.length), ...body];
  }
}

/**
 * `pairs(na, nb, cosMax, minCells) → nz` over the cylinders at A_AT and B_AT: similarities
 * (float32 at SIM_AT + 4·(i << 8 | j)) and the keys (q << 16 | i << 8 | j, q the quantised
 * dissimilarity) of the pairs with a positive one, at ORDER_AT in pair order.
 */
function pairsBody(): number[] {
  const f = new Body(4);
  const [na, nb, cosMax, minCells] = [0, 1, 2, 3];
  f.locals(I32, 'i', 'j', 'pa', 'pb', 'fullA', 'onesA', 'k', 'nz', 'partA', 'partB');
  f.locals(I64, 'acc', 'nab', 'nA', 'nB');
  f.locals(F64, 'ca', 'sa', 'den', 'v', 'x', 'r');
  const load64 = (base: string, at: number) => {
    f.get(base);
    f.emit(op.i64Load, 3, ...uleb(at));
  };
  const loadAt = (load: number, base: string, at: number) => {
    f.get(base);
    f.emit(load, 2, ...uleb(at));
  };
  /** Σ popcount(x[w] & y[f(w)]) over the 24 64-bit bit words of x, into local `into`. */
  const popAnd = (into: string, x: string, y: string, yAt: (w: number) => number) => {
    f.emit(op.i64Const, 0);
    for (let w = 0; w < KERNEL_WORDS / 2; w++) {
      load64(x, 8 * w);
      load64(y, yAt(w));
      f.emit(op.i64And, op.i64Popcnt, op.i64Add);
    }
    f.set(into);
  };
  /** Record address of cylinder `counter` in the table at `base`. */
  const record = (into: string, counter: string, base: number) => {
    f.get(counter);
    f.i32(STRIDE_BYTES);
    f.emit(op.i32Mul);
    f.i32(base);
    f.emit(op.i32Add);
    f.set(into);
  };
  f.i32(0);
  f.set('nz');
  f.for(
    'i',
    () => f.get(na),
    () => {
      record('pa', 'i', A_AT);
      // cos and sin as f64, full and ones of cylinder i
      ['ca', 'sa', 'fullA', 'onesA'].forEach((into, field) => {
        loadAt(field < 2 ? op.f32Load : op.i32Load, 'pa', META_AT + 4 * field);
        if (field < 2) f.emit(op.f64PromoteF32);
        f.set(into);
      });
      f.for(
        'j',
        () => f.get(nb),
        () => {
          record('pb', 'j', B_AT);
          // Directions: ca·cb + sa·sb < cosMax → next pair (br 0).
          f.get('ca');
          loadAt(op.f32Load, 'pb', META_AT);
          f.emit(op.f64PromoteF32, op.f64Mul);
          f.get('sa');
          loadAt(op.f32Load, 'pb', META_AT + 4);
          f.emit(op.f64PromoteF32, op.f64Mul, op.f64Add);
          f.get(cosMax);
          f.emit(op.f64Lt, op.brIf, 0);
          f.i32(0);
          f.set('partA');
          f.i32(0);
          f.set('partB');
          // Unless both are full: the cells valid in both, and whether each side's valid cells
          // lie within the other's (then its masked popcount is its own total).
          f.get('fullA');
          loadAt(op.i32Load, 'pb', META_AT + 8);
          f.emit(op.i32And, op.i32Eqz, op.if, 0x40);
          f.emit(op.i64Const, 0);
          for (let w = 0; w < KERNEL_LAYER_WORDS / 2; w++) {
            load64('pa', VALID_AT + 8 * w);
            load64('pb', VALID_AT + 8 * w);
            f.emit(op.i64And, op.i64Popcnt, op.i64Add);
          }
          f.set('acc');
          f.get('acc');
          f.emit(op.f64ConvertI64S);
          f.get(minCells);
          f.emit(op.f64Lt, op.brIf, 1); // out of the if: next pair
          for (const [part, side] of [
            ['partA', 'pa'],
            ['partB', 'pb'],
          ] as const) {
            f.get('acc');
            loadAt(op.i32Load, side, META_AT + 16);
            f.emit(op.i64ExtendI32U, op.i64Ne);
            f.set(part);
          }
          f.emit(op.end);
          popAnd('nab', 'pa', 'pb', (w) => 8 * w);
          // ‖a‖ over the cells valid in b: Σ layers-set count over b's valid cells, from the
          // three bit planes of the count (its own total when it lies within b's valid cells).
          for (const [part, own, other, into] of [
            ['partA', 'pa', 'pb', 'nA'],
            ['partB', 'pb', 'pa', 'nB'],
          ] as const) {
            f.get(part);
            f.emit(op.if, I64);
            f.emit(op.i64Const, 0);
            for (let plane = 0; plane < 3; plane++) {
              for (let w = 0; w < KERNEL_LAYER_WORDS / 2; w++) {
                load64(own, PLANES_AT + 4 * KERNEL_LAYER_WORDS * plane + 8 * w);
                load64(other, VALID_AT + 8 * w);
                f.emit(op.i64And, op.i64Popcnt);
                if (plane > 0) f.emit(op.i64Const, plane, op.i64Shl);
                f.emit(op.i64Add);
              }
            }
            f.emit(op.else);
            loadAt(op.i32Load, own, META_AT + 12);
            f.emit(op.i64ExtendI32U, op.end);
            f.set(into);
          }
          // den = √na + √nb; v = 1 − √max(0, na + nb − 2·nab) / den
          f.get('nA');
          f.emit(op.f64ConvertI64S, op.f64Sqrt);
          f.get('nB');
          f.emit(op.f64ConvertI64S, op.f64Sqrt, op.f64Add);
          f.set('den');
          f.get('den');
          f.f64(0);
          f.emit(op.f64Eq, op.brIf, 0);
          f.f64(1);
          f.f64(0);
          f.get('nA');
          f.emit(op.f64ConvertI64S);
          f.get('nB');
          f.emit(op.f64ConvertI64S, op.f64Add);
          f.f64(2);
          f.get('nab');
          f.emit(op.f64ConvertI64S, op.f64Mul, op.f64Sub, op.f64Max, op.f64Sqrt);
          f.get('den');
          f.emit(op.f64Div, op.f64Sub);
          f.set('v');
          f.get('v');
          f.f64(0);
          f.emit(op.f64Le, op.brIf, 0);
          // k = i << 8 | j; sim[k] = float32(v)
          f.withConst('i', 8, op.i32Shl);
          f.get('j');
          f.emit(op.i32Or);
          f.set('k');
          f.word('k');
          f.get('v');
          f.emit(op.f32DemoteF64, op.f32Store, 2, ...uleb(SIM_AT));
          // x = (1 − v)·65535; r = Math.round(x) (nearest rounds ties to even, Math.round up)
          f.f64(1);
          f.get('v');
          f.emit(op.f64Sub);
          f.f64(65535);
          f.emit(op.f64Mul);
          f.set('x');
          f.get('x');
          f.emit(op.f64Nearest);
          f.set('r');
          f.get('x');
          f.get('r');
          f.emit(op.f64Sub);
          f.f64(0.5);
          f.emit(op.f64Eq, op.if, 0x40);
          f.get('r');
          f.f64(1);
          f.emit(op.f64Add);
          f.set('r');
          f.emit(op.end);
          // order[nz++] = r << 16 | k
          f.word('nz');
          f.get('r');
          f.emit(op.i32TruncF64U);
          f.i32(16);
          f.emit(op.i32Shl);
          f.get('k');
          f.emit(op.i32Or, op.i32Store, 2, ...uleb(ORDER_AT));
          f.add('nz');
        },
      );
    },
  );
  f.get('nz');
  return f.encode();
}

/**
 * `select(na, nb, nz, nR) → r`: the keys at ORDER_AT sorted by quantised dissimilarity, ties in
 * pair order (two stable counting-sort passes over its two bytes, through TMP_AT), then the
 * greedy preselection of LSS: in that order, a pair whose minutiae are both still free is
 * taken, until nR are; the taken keys go to SEL_AT.
 */
function selectBody(): number[] {
  const f = new Body(4);
  const [na, nb, nz, nR] = [0, 1, 2, 3];
  f.locals(I32, 'q', 'h', 'key', 'sum', 'c', 'r', 'i', 'j');
  const pass = (from: number, to: number, shift: number) => {
    f.for(
      'h',
      () => f.i32(256),
      () => {
        f.word('h');
        f.i32(0);
        f.emit(op.i32Store, 2, ...uleb(COUNT_AT));
      },
    );
    /** count[h] = c + 1 */
    const bump = () => {
      f.get('h');
      f.withConst('c', 1, op.i32Add);
      f.emit(op.i32Store, 2, ...uleb(COUNT_AT));
    };
    // h: address of the count of key q's digit; c: the count
    const countSlot = () => {
      f.word('q');
      f.emit(op.i32Load, 2, ...uleb(from));
      f.i32(shift);
      f.emit(op.i32ShrU);
      f.i32(0xff);
      f.emit(op.i32And);
      f.i32(2);
      f.emit(op.i32Shl);
      f.set('h');
      f.get('h');
      f.emit(op.i32Load, 2, ...uleb(COUNT_AT));
      f.set('c');
    };
    f.for(
      'q',
      () => f.get(nz),
      () => {
        countSlot();
        bump();
      },
    );
    // Exclusive prefix sums.
    f.i32(0);
    f.set('sum');
    f.for(
      'h',
      () => f.i32(256),
      () => {
        f.word('h');
        f.emit(op.i32Load, 2, ...uleb(COUNT_AT));
        f.set('c');
        f.word('h');
        f.get('sum');
        f.emit(op.i32Store, 2, ...uleb(COUNT_AT));
        f.get('sum');
        f.get('c');
        f.emit(op.i32Add);
        f.set('sum');
      },
    );
    f.for(
      'q',
      () => f.get(nz),
      () => {
        countSlot();
        // to[count[h]++] = from[q]
        f.word('c');
        f.word('q');
        f.emit(op.i32Load, 2, ...uleb(from), op.i32Store, 2, ...uleb(to));
        bump();
      },
    );
  };
  pass(ORDER_AT, TMP_AT, 16);
  pass(TMP_AT, ORDER_AT, 24);
  // Free every minutia of both sides.
  for (const [n, at] of [
    [na, USED_A_AT],
    [nb, USED_B_AT],
  ] as const) {
    f.for(
      'i',
      () => f.get(n),
      () => {
        f.get('i');
        f.i32(0);
        f.emit(op.i32Store8, 0, ...uleb(at));
      },
    );
  }
  f.i32(0);
  f.set('r');
  f.for(
    'q',
    () => f.get(nz),
    () => {
      f.get('r');
      f.get(nR);
      f.emit(op.i32GeU, op.brIf, 2); // all taken: leave the loop
      f.word('q');
      f.emit(op.i32Load, 2, ...uleb(ORDER_AT));
      f.set('key');
      f.withConst('key', 8, op.i32ShrU);
      f.i32(0xff);
      f.emit(op.i32And);
      f.set('i');
      f.withConst('key', 0xff, op.i32And);
      f.set('j');
      f.get('i');
      f.emit(op.i32Load8U, 0, ...uleb(USED_A_AT));
      f.get('j');
      f.emit(op.i32Load8U, 0, ...uleb(USED_B_AT), op.i32Or, op.brIf, 0);
      f.get('i');
      f.i32(1);
      f.emit(op.i32Store8, 0, ...uleb(USED_A_AT));
      f.get('j');
      f.i32(1);
      f.emit(op.i32Store8, 0, ...uleb(USED_B_AT));
      f.word('r');
      f.get('key');
      f.emit(op.i32Store, 2, ...uleb(SEL_AT));
      f.add('r');
    },
  );
  f.get('r');
  return f.encode();
}

/** The module's bytes. @internal */
export function mccKernelBytes(): Uint8Array<ArrayBuffer> {
  const pairsType = [0x60, 4, I32, I32, F64, F64, 1, I32];
  const selectType = [0x60, 4, I32, I32, I32, I32, 1, I32];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [2, ...pairsType, ...selectType]),
    ...section(3, [2, 0, 1]),
    ...section(5, [1, 0x00, ...uleb(PAGES)]),
    ...section(7, [3, ...name('memory'), 0x02, 0, ...name('pairs'), 0x00, 0, ...name('select'), 0x00, 1]),
    ...section(10, [2, ...pairsBody(), ...selectBody()]),
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
  /** Keys of the preselected pairs. */
  readonly selected: Uint32Array;
  readonly #heap: Int32Array;
  readonly #pairs: (na: number, nb: number, cosMax: number, minCells: number) => number;
  readonly #select: (na: number, nb: number, nz: number, nR: number) => number;
  #lastA: Int32Array | undefined;
  #lastB: Int32Array | undefined;

  private constructor(instance: WebAssembly.Instance) {
    const memory = instance.exports.memory as WebAssembly.Memory;
    this.#pairs = instance.exports.pairs as (na: number, nb: number, cosMax: number, minCells: number) => number;
    this.#select = instance.exports.select as (na: number, nb: number, nz: number, nR: number) => number;
    this.#heap = new Int32Array(memory.buffer);
    this.selected = new Uint32Array(memory.buffer, SEL_AT, MAX_CYLINDERS);
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
   * number of keys written to `order` (similarities in `sim`, by `i << 8 | j`).
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

  /** Sort the `nz` keys and preselect up to `nR` pairs into `selected`; returns how many. */
  select(na: number, nb: number, nz: number, nR: number): number {
    return this.#select(na, nb, nz, nR);
  }
}
