import { atan2Body, ATAN_TABLE, atanBody, expBody, wrapPiBody } from './kernelMath.js';
import { wasmAssembler } from '@smart-citizen/core';

const { Body, F64, funcType, I32, I64, name, op, section, uleb, VOID } = wasmAssembler;

/**
 * The MCC matcher's work after the cylinders are built, as a small WebAssembly module assembled
 * here from its instructions (no binary is shipped or downloaded: the bytes are generated when
 * the module is first needed, under 4 KB, so browsers compile it synchronously). Three
 * functions do what `mccCompare`'s JavaScript path does:
 * - `pairs`: for every pair of cylinders whose minutiae differ in direction by at most the
 *   maximum rotation, the popcounts over the cells valid in both (native 64-bit popcount), the
 *   similarity 1 − ‖a ⊕ b‖ / (‖a‖ + ‖b‖) in double precision (stored as float32) and the
 *   pair's sort key round((1 − s) × 65535) × 65536 + pair index;
 * - `select`: the keys sorted by quantised dissimilarity (ties in pair order) and the greedy
 *   one-to-one preselection;
 * - `relax`: LSS-R: the compatibilities of the preselected pairs (distance, direction and
 *   bearing sigmoids), the relaxation, and the mean of the most efficient pairs.
 * Every operation is an IEEE operation JavaScript does the same way, and `exp` / `atan2` follow
 * fdlibm as V8's `Math` does (`kernelMath.ts`), so scores are bit-identical to the JavaScript
 * path (checked by the tests and, on every FVC pair, by the bench). Only the default cylinder
 * layout (16 × 16 cells, 6 layers) is compiled; other layouts use the JavaScript path.
 * @internal
 */

/** Bit words and valid words per cylinder that the kernel is compiled for. */
export const KERNEL_WORDS = 48;
export const KERNEL_LAYER_WORDS = 8;

/**
 * Where the fields of a cylinder record lie, in 32-bit words: cell bits (`words`), valid cells
 * (`layerWords`), the number of layers set per cell as three bit planes (3 × `layerWords`), then
 * the meta words (cos, sin as float32, full, ones, valid-cell count, the minutia's x, y and
 * direction as float32) and the occupancy of the bit words (one bit per non-zero word).
 * @internal
 */
export interface CylinderLayout {
  words: number;
  layerWords: number;
  planesAt: number;
  metaAt: number;
  occupancyAt: number;
  occupancyWords: number;
  stride: number;
}

/** Offsets of the meta words within a record, from `metaAt`. @internal */
export const META = { cos: 0, sin: 1, full: 2, ones: 3, validCount: 4, x: 5, y: 6, angle: 7 } as const;

/** @internal */
export function cylinderLayout(words: number, layerWords: number): CylinderLayout {
  const planesAt = words + layerWords;
  const metaAt = planesAt + 3 * layerWords;
  const occupancyAt = metaAt + 8;
  const occupancyWords = (words + 31) >>> 5;
  // Even, so records stay 8-byte aligned for the kernel's 64-bit loads.
  const stride = (occupancyAt + occupancyWords + 1) & ~1;
  return { words, layerWords, planesAt, metaAt, occupancyAt, occupancyWords, stride };
}

/** The layout the kernel is compiled for. @internal */
export const KERNEL_LAYOUT = cylinderLayout(KERNEL_WORDS, KERNEL_LAYER_WORDS);

/** Relaxed compatibilities below this change no relaxed similarity visibly and are left at 0. @internal */
export const MIN_COMPATIBILITY = 1e-3;

const STRIDE_BYTES = KERNEL_LAYOUT.stride * 4;
const VALID_AT = KERNEL_WORDS * 4;
const PLANES_AT = KERNEL_LAYOUT.planesAt * 4;
const META_AT = KERNEL_LAYOUT.metaAt * 4;
const MAX_CYLINDERS = 256;

// Memory map (bytes; every table 8-byte aligned).
const A_AT = 0;
const B_AT = A_AT + MAX_CYLINDERS * STRIDE_BYTES;
const ORDER_AT = B_AT + MAX_CYLINDERS * STRIDE_BYTES;
const TMP_AT = ORDER_AT + 4 * 65536;
const SIM_AT = TMP_AT + 4 * 65536;
const SEL_AT = SIM_AT + 4 * 65536;
const COUNT_AT = SEL_AT + 4 * MAX_CYLINDERS;
const USED_A_AT = COUNT_AT + 4 * 256;
const USED_B_AT = USED_A_AT + MAX_CYLINDERS;
/** The cylinders of B comparable with the current one of A. */
const LIST_AT = USED_B_AT + MAX_CYLINDERS;
/** √n for the integers 0 … SQRT_SIZE − 1 (popcount sums) as f64: IEEE sqrt is exact, so is the table. */
const SQRT_SIZE = 2 * 6 * 256 + 1;
const SQRT_AT = LIST_AT + MAX_CYLINDERS;
/** Relaxation: (x, y, θ) of both minutiae of each preselected pair, λ, next λ, initial λ, ratio, rank. */
const MIN_AT = SQRT_AT + 8 * SQRT_SIZE + 8;
const LAM_AT = MIN_AT + 48 * MAX_CYLINDERS;
const NEXT_AT = LAM_AT + 8 * MAX_CYLINDERS;
const EFF_AT = NEXT_AT + 8 * MAX_CYLINDERS;
const RATIO_AT = EFF_AT + 8 * MAX_CYLINDERS;
const RANK_AT = RATIO_AT + 8 * MAX_CYLINDERS;
/** Non-zero compatibilities of pair s: partners `RIDX[s·256 + q]` (ascending), values `RVAL[…]`, count `RCNT[s]`. */
const RCNT_AT = RANK_AT + 4 * MAX_CYLINDERS;
const RIDX_AT = RCNT_AT + 4 * MAX_CYLINDERS;
const RVAL_AT = RIDX_AT + MAX_CYLINDERS * MAX_CYLINDERS;
const ATAN_AT = RVAL_AT + 8 * MAX_CYLINDERS * MAX_CYLINDERS;
const PAGES = Math.ceil((ATAN_AT + 8 * ATAN_TABLE.length) / 65536);

/**
 * Function indices. Two modules share one memory, each under the 4 KB that Chromium compiles
 * synchronously on the main thread: the pair stage (`pairs`, `select`) and the relaxation with
 * its mathematics (`relax`, `exp`, `atan`, `atan2`, `wrapPi`).
 */
const FN = { pairs: 0, select: 1, relax: 0, exp: 1, atan: 2, atan2: 3, wrapPi: 4 } as const;

/**
 * `pairs(na, nb, cosMax, minCells) → nz` over the cylinders at A_AT and B_AT: similarities
 * (float32 at SIM_AT + 4·(i << 8 | j)) and the keys (q << 16 | i << 8 | j, q the quantised
 * dissimilarity) of the pairs with a positive one, at ORDER_AT in pair order.
 */
function pairsBody(): number[] {
  const f = new Body('na', 'nb', 'cosMax', 'minCells');
  f.locals(I32, 'i', 'j', 'pa', 'pb', 'k', 'nz', 'partA', 'partB', 'n', 'q');
  f.locals(I64, 'acc', 'nab', 'nA', 'nB');
  f.locals(F64, 'ca', 'sa', 'den', 'v', 'x', 'r');
  const load64 = (base: string, at: number) => {
    f.get(base);
    f.mem(op.i64Load, 3, at);
  };
  const loadAt = (load: number, base: string, at: number) => {
    f.get(base);
    f.mem(load, 2, at);
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
  /** Push √n of the i64 local `n` (an integer popcount sum) from the table. */
  const sqrtOf = (n: string) => {
    f.get(n);
    f.emit(op.i32WrapI64);
    f.i32(3);
    f.emit(op.i32Shl);
    f.mem(op.f64Load, 3, SQRT_AT);
  };
  f.i32(0);
  f.set('nz');
  f.for(
    'i',
    () => f.get('na'),
    () => {
      record('pa', 'i', A_AT);
      // cos and sin of cylinder i as f64
      loadAt(op.f32Load, 'pa', META_AT + 4 * META.cos);
      f.emit(op.f64PromoteF32);
      f.set('ca');
      loadAt(op.f32Load, 'pa', META_AT + 4 * META.sin);
      f.emit(op.f64PromoteF32);
      f.set('sa');
      // The j whose direction is comparable (ca·cb + sa·sb ≥ cosMax), listed in order without a
      // branch: the test is a coin toss for the branch predictor.
      f.i32(0);
      f.set('n');
      f.for(
        'j',
        () => f.get('nb'),
        () => {
          record('pb', 'j', B_AT);
          f.get('n', 'j');
          f.mem(op.i32Store8, 0, LIST_AT);
          f.get('n', 'ca');
          loadAt(op.f32Load, 'pb', META_AT + 4 * META.cos);
          f.emit(op.f64PromoteF32, op.f64Mul);
          f.get('sa');
          loadAt(op.f32Load, 'pb', META_AT + 4 * META.sin);
          f.emit(op.f64PromoteF32, op.f64Mul, op.f64Add);
          f.get('cosMax');
          f.emit(op.f64Ge, op.i32Add);
          f.set('n');
        },
      );
      f.for(
        'q',
        () => f.get('n'),
        () => {
          f.get('q');
          f.mem(op.i32Load8U, 0, LIST_AT);
          f.set('j');
          record('pb', 'j', B_AT);
          // The cells valid in both (too few: next pair), and whether each side's valid cells
          // lie within the other's (then its masked popcount is its own total). Counted even for
          // two full cylinders: cheaper than a branch the predictor cannot learn.
          f.i64(0);
          for (let w = 0; w < KERNEL_LAYER_WORDS / 2; w++) {
            load64('pa', VALID_AT + 8 * w);
            load64('pb', VALID_AT + 8 * w);
            f.emit(op.i64And, op.i64Popcnt, op.i64Add);
          }
          f.set('acc');
          f.get('acc');
          f.emit(op.f64ConvertI64S);
          f.get('minCells');
          f.emit(op.f64Lt, op.brIf, 0);
          for (const [part, side] of [
            ['partA', 'pa'],
            ['partB', 'pb'],
          ] as const) {
            f.get('acc');
            loadAt(op.i32Load, side, META_AT + 4 * META.validCount);
            f.emit(op.i64ExtendI32U, op.i64Ne);
            f.set(part);
          }
          // x ∧ y over the 24 64-bit words
          f.i64(0);
          for (let w = 0; w < KERNEL_WORDS / 2; w++) {
            load64('pa', 8 * w);
            load64('pb', 8 * w);
            f.emit(op.i64And, op.i64Popcnt, op.i64Add);
          }
          f.set('nab');
          // ‖a‖ over the cells valid in b: Σ layers-set count over b's valid cells, from the
          // three bit planes of the count (its own total when it lies within b's valid cells).
          for (const [part, own, other, into] of [
            ['partA', 'pa', 'pb', 'nA'],
            ['partB', 'pb', 'pa', 'nB'],
          ] as const) {
            f.get(part);
            f.emit(op.if, I64);
            f.i64(0);
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
            loadAt(op.i32Load, own, META_AT + 4 * META.ones);
            f.emit(op.i64ExtendI32U, op.end);
            f.set(into);
          }
          // den = √na + √nb; v = 1 − √(na + nb − 2·nab) / den. The popcounts are integers, and
          // na + nb − 2·nab ≥ 0 (nab ≤ na, nb), so the table gives JavaScript's Math.sqrt of
          // Math.max(0, na + nb − 2·nab) exactly.
          sqrtOf('nA');
          sqrtOf('nB');
          f.emit(op.f64Add);
          f.set('den');
          f.get('den');
          f.f64(0);
          f.emit(op.f64Eq, op.brIf, 0);
          f.f64(1);
          f.get('nA', 'nB');
          f.emit(op.i64Add);
          f.get('nab');
          f.emit(op.i64Const, 1, op.i64Shl, op.i64Sub);
          f.set('nab');
          sqrtOf('nab');
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
          f.emit(op.f32DemoteF64);
          f.mem(op.f32Store, 2, SIM_AT);
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
          f.get('x', 'r');
          f.emit(op.f64Sub);
          f.f64(0.5);
          f.emit(op.f64Eq);
          f.ifElse(VOID, () => {
            f.get('r');
            f.f64(1);
            f.emit(op.f64Add);
            f.set('r');
          });
          // order[nz++] = r << 16 | k
          f.word('nz');
          f.get('r');
          f.emit(op.i32TruncF64U);
          f.i32(16);
          f.emit(op.i32Shl);
          f.get('k');
          f.emit(op.i32Or);
          f.mem(op.i32Store, 2, ORDER_AT);
          f.add('nz');
        },
      );
    },
  );
  f.get('nz');
  return f.encode();
}

function selectBody(): number[] {
  const f = new Body('na', 'nb', 'nz', 'nR');
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
      () => f.get('nz'),
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
      () => f.get('nz'),
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
    ['na', USED_A_AT],
    ['nb', USED_B_AT],
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
    () => f.get('nz'),
    () => {
      f.get('r');
      f.get('nR');
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

/**
 * `relax(r, nP, mu1, tau1, mu1Rel, cut1, mu2, tau2, cut2, mu3, tau3, w, iterations) → score`:
 * LSS-R over the r preselected pairs at SEL_AT, in the order and with the operations of
 * `mccCompare`'s JavaScript path (see there for what each step means).
 */
function relaxBody(): number[] {
  const f = new Body(
    'r',
    'nP',
    'mu1',
    'tau1',
    'mu1Rel',
    'cut1',
    'mu2',
    'tau2',
    'cut2',
    'mu3',
    'tau3',
    'w',
    'iterations',
  );
  f.locals(I32, 's', 't', 'key', 'pa', 'pb', 'at', 'q', 'c', 'row', 'it', 'p', 'take');
  f.locals(F64, 'xas', 'yas', 'tas', 'xbs', 'ybs', 'tbs', 'dax', 'day', 'dbx', 'dby', 'la', 'd', 'd1', 'z1', 'z2', 'v');
  f.locals(F64, 'sum', 'norm', 'rt');
  /** Push the address of f64 slot `field` of pair `s` in the minutiae table. */
  const minAt = (s: string) => {
    f.get(s);
    f.i32(48);
    f.emit(op.i32Mul);
  };
  const f64At = (s: string, base: number) => {
    f.withConst(s, 3, op.i32Shl);
    f.mem(op.f64Load, 3, base);
  };
  const sigmoid = (d: string, mu: string, tau: string) => {
    // 1 / (1 + exp(−τ·(d − μ)))
    f.f64(1);
    f.f64(1);
    f.get(tau);
    f.emit(op.f64Neg);
    f.get(d, mu);
    f.emit(op.f64Sub, op.f64Mul, op.call, FN.exp, op.f64Add, op.f64Div);
  };
  const wrapPi = () => f.emit(op.call, FN.wrapPi);
  // The pairs' minutiae and similarities.
  f.for(
    's',
    () => f.get('r'),
    () => {
      f.word('s');
      f.mem(op.i32Load, 2, SEL_AT);
      f.set('key');
      for (const [into, shift, base] of [
        ['pa', 8, A_AT],
        ['pb', 0, B_AT],
      ] as const) {
        f.withConst('key', shift, op.i32ShrU);
        f.i32(0xff);
        f.emit(op.i32And);
        f.i32(STRIDE_BYTES);
        f.emit(op.i32Mul);
        f.i32(base);
        f.emit(op.i32Add);
        f.set(into);
      }
      minAt('s');
      f.set('at');
      ['pa', 'pb'].forEach((side, k) => {
        [META.x, META.y, META.angle].forEach((field, m) => {
          f.get('at', side);
          f.mem(op.f32Load, 2, META_AT + 4 * field);
          f.emit(op.f64PromoteF32);
          f.mem(op.f64Store, 3, MIN_AT + 24 * k + 8 * m);
        });
      });
      f.withConst('key', 0xffff, op.i32And);
      f.i32(2);
      f.emit(op.i32Shl);
      f.mem(op.f32Load, 2, SIM_AT);
      f.emit(op.f64PromoteF32);
      f.set('v');
      for (const base of [LAM_AT, EFF_AT]) {
        f.withConst('s', 3, op.i32Shl);
        f.get('v');
        f.mem(op.f64Store, 3, base);
      }
      f.word('s');
      f.i32(0);
      f.mem(op.i32Store, 2, RCNT_AT);
    },
  );
  // Compatibility of every two pairs.
  /** Append partner `t` with value v to the list of pair `s`. */
  const append = (s: string, t: string) => {
    f.word(s);
    f.mem(op.i32Load, 2, RCNT_AT);
    f.set('c');
    f.withConst(s, 8, op.i32Shl);
    f.get('c');
    f.emit(op.i32Add);
    f.set('q');
    f.get('q', t);
    f.mem(op.i32Store8, 0, RIDX_AT);
    f.withConst('q', 3, op.i32Shl);
    f.get('v');
    f.mem(op.f64Store, 3, RVAL_AT);
    f.word(s);
    f.withConst('c', 1, op.i32Add);
    f.mem(op.i32Store, 2, RCNT_AT);
  };
  f.for(
    's',
    () => f.get('r'),
    () => {
      minAt('s');
      f.set('at');
      ['xas', 'yas', 'tas', 'xbs', 'ybs', 'tbs'].forEach((into, m) => {
        f.get('at');
        f.mem(op.f64Load, 3, MIN_AT + 8 * m);
        f.set(into);
      });
      f.for(
        't',
        () => f.get('r'),
        () => {
          minAt('t');
          f.set('at');
          for (const [into, m, of] of [
            ['dax', 0, 'xas'],
            ['day', 1, 'yas'],
            ['dbx', 3, 'xbs'],
            ['dby', 4, 'ybs'],
          ] as const) {
            f.get('at');
            f.mem(op.f64Load, 3, MIN_AT + 8 * m);
            f.get(of);
            f.emit(op.f64Sub);
            f.set(into);
          }
          // la = √(dax² + day²); d1 = |la − √(dbx² + dby²)| − μ1rel·la
          f.get('dax', 'dax');
          f.emit(op.f64Mul);
          f.get('day', 'day');
          f.emit(op.f64Mul, op.f64Add, op.f64Sqrt);
          f.set('la');
          f.get('la', 'dbx', 'dbx');
          f.emit(op.f64Mul);
          f.get('dby', 'dby');
          f.emit(op.f64Mul, op.f64Add, op.f64Sqrt, op.f64Sub, op.f64Abs);
          f.get('mu1Rel', 'la');
          f.emit(op.f64Mul, op.f64Sub);
          f.set('d1');
          f.get('d1', 'cut1');
          f.emit(op.f64Gt, op.brIf, 0);
          // Both cuts before either sigmoid: exp is the costly part, and the cuts are pure tests.
          // d2 = |wrapPi(wrapPi(θa_t − θa_s) − wrapPi(θb_t − θb_s))|
          for (const [m, of] of [
            [2, 'tas'],
            [5, 'tbs'],
          ] as const) {
            f.get('at');
            f.mem(op.f64Load, 3, MIN_AT + 8 * m);
            f.get(of);
            f.emit(op.f64Sub);
            wrapPi();
          }
          f.emit(op.f64Sub);
          wrapPi();
          f.emit(op.f64Abs);
          f.set('d');
          f.get('d', 'cut2');
          f.emit(op.f64Gt, op.brIf, 0);
          sigmoid('d1', 'mu1', 'tau1');
          f.set('z1');
          f.get('z1');
          f.f64(MIN_COMPATIBILITY);
          f.emit(op.f64Lt, op.brIf, 0);
          sigmoid('d', 'mu2', 'tau2');
          f.set('z2');
          f.get('z1', 'z2');
          f.emit(op.f64Mul);
          f.f64(MIN_COMPATIBILITY);
          f.emit(op.f64Lt, op.brIf, 0);
          // d3 = |wrapPi(wrapPi(θa_s − atan2(day, dax)) − wrapPi(θb_s − atan2(dby, dbx)))|
          for (const [th, dy, dx] of [
            ['tas', 'day', 'dax'],
            ['tbs', 'dby', 'dbx'],
          ] as const) {
            f.get(th, dy, dx);
            f.emit(op.call, FN.atan2, op.f64Sub);
            wrapPi();
          }
          f.emit(op.f64Sub);
          wrapPi();
          f.emit(op.f64Abs);
          f.set('d');
          f.get('z1', 'z2');
          f.emit(op.f64Mul);
          sigmoid('d', 'mu3', 'tau3');
          f.emit(op.f64Mul);
          f.set('v');
          f.get('v');
          f.f64(0);
          f.emit(op.f64Eq, op.brIf, 0);
          append('s', 't');
          append('t', 's');
        },
        () => f.withConst('s', 1, op.i32Add),
      );
    },
  );
  // Relaxation over the non-zero compatibilities, in ascending order of partner.
  f.get('r');
  f.i32(1);
  f.emit(op.i32Sub);
  f.i32(1);
  f.withConst('r', 1, op.i32GtS);
  f.emit(op.select, op.f64ConvertI32S);
  f.set('norm');
  f.for(
    'it',
    () => f.get('iterations'),
    () => {
      f.for(
        's',
        () => f.get('r'),
        () => {
          f.f64(0);
          f.set('sum');
          f.withConst('s', 8, op.i32Shl);
          f.set('row');
          f.word('s');
          f.mem(op.i32Load, 2, RCNT_AT);
          f.set('c');
          f.for(
            'q',
            () => f.get('c'),
            () => {
              f.get('sum');
              f.get('row', 'q');
              f.emit(op.i32Add);
              f.i32(3);
              f.emit(op.i32Shl);
              f.mem(op.f64Load, 3, RVAL_AT);
              f.get('row', 'q');
              f.emit(op.i32Add);
              f.mem(op.i32Load8U, 0, RIDX_AT);
              f.i32(3);
              f.emit(op.i32Shl);
              f.mem(op.f64Load, 3, LAM_AT);
              f.emit(op.f64Mul, op.f64Add);
              f.set('sum');
            },
          );
          // next[s] = w·λ[s] + ((1 − w)·sum) / norm
          f.withConst('s', 3, op.i32Shl);
          f.get('w');
          f64At('s', LAM_AT);
          f.emit(op.f64Mul);
          f.f64(1);
          f.get('w');
          f.emit(op.f64Sub);
          f.get('sum');
          f.emit(op.f64Mul);
          f.get('norm');
          f.emit(op.f64Div, op.f64Add);
          f.mem(op.f64Store, 3, NEXT_AT);
        },
      );
      f.for(
        's',
        () => f.get('r'),
        () => {
          f.withConst('s', 3, op.i32Shl);
          f64At('s', NEXT_AT);
          f.mem(op.f64Store, 3, LAM_AT);
        },
      );
    },
  );
  // Efficiency: stable insertion sort of the pairs by λ / λ₀, descending.
  f.for(
    's',
    () => f.get('r'),
    () => {
      f64At('s', LAM_AT);
      f64At('s', EFF_AT);
      f.emit(op.f64Div);
      f.set('rt');
      f.withConst('s', 3, op.i32Shl);
      f.get('rt');
      f.mem(op.f64Store, 3, RATIO_AT);
      f.withConst('s', 1, op.i32Sub);
      f.set('p');
      f.emit(op.block, VOID, op.loop, VOID);
      f.withConst('p', 0, op.i32LtS);
      f.emit(op.brIf, 1);
      f.word('p');
      f.mem(op.i32Load, 2, RANK_AT);
      f.i32(3);
      f.emit(op.i32Shl);
      f.mem(op.f64Load, 3, RATIO_AT);
      f.get('rt');
      f.emit(op.f64Lt, op.i32Eqz, op.brIf, 1);
      // rank[p + 1] = rank[p]; p--
      f.word('p');
      f.word('p');
      f.mem(op.i32Load, 2, RANK_AT);
      f.mem(op.i32Store, 2, RANK_AT + 4);
      f.add('p', -1);
      f.emit(op.br, 0, op.end, op.end);
      // rank[p + 1] = s (p may be −1: the address is computed, not an offset from it)
      f.withConst('p', 1, op.i32Add);
      f.i32(2);
      f.emit(op.i32Shl);
      f.get('s');
      f.mem(op.i32Store, 2, RANK_AT);
    },
  );
  // Mean λ of the min(nP, r) most efficient pairs.
  f.get('nP', 'r', 'nP', 'r');
  f.emit(op.i32LtS, op.select);
  f.set('take');
  f.f64(0);
  f.set('sum');
  f.for(
    'q',
    () => f.get('take'),
    () => {
      f.get('sum');
      f.word('q');
      f.mem(op.i32Load, 2, RANK_AT);
      f.i32(3);
      f.emit(op.i32Shl);
      f.mem(op.f64Load, 3, LAM_AT);
      f.emit(op.f64Add);
      f.set('sum');
    },
  );
  f.withConst('take', 0, op.i32GtS);
  f.ifElse(
    F64,
    () => {
      f.get('sum', 'take');
      f.emit(op.f64ConvertI32S, op.f64Div);
    },
    () => f.f64(0),
  );
  return f.encode();
}

const HEADER = wasmAssembler.MODULE_HEADER;

function exportSection(exports: [string, number, number][]): number[] {
  return section(7, [exports.length, ...exports.flatMap(([n, kind, index]) => [...name(n), kind, ...uleb(index)])]);
}

/** The pair stage's module: it defines the memory. @internal */
export function mccKernelBytes(): Uint8Array<ArrayBuffer> {
  return Uint8Array.from([
    ...HEADER,
    ...section(1, [2, ...funcType([I32, I32, F64, F64], [I32]), ...funcType([I32, I32, I32, I32], [I32])]),
    ...section(3, [2, 0, 1]),
    ...section(5, [1, 0x00, ...uleb(PAGES)]),
    ...exportSection([
      ['memory', 0x02, 0],
      ['pairs', 0x00, FN.pairs],
      ['select', 0x00, FN.select],
    ]),
    ...section(10, [2, ...pairsBody(), ...selectBody()]),
  ]);
}

/** The relaxation's module: it imports the pair stage's memory as `k.memory`. @internal */
export function mccRelaxBytes(): Uint8Array<ArrayBuffer> {
  const types = [
    funcType([I32, I32, ...Array<number>(10).fill(F64), I32], [F64]),
    funcType([F64], [F64]),
    funcType([F64, F64], [F64]),
  ];
  // Function index → type index, in FN order.
  const typeOf = [0, 1, 1, 2, 1];
  const bodies = [relaxBody(), expBody(), atanBody(ATAN_AT), atan2Body(FN.atan), wrapPiBody()];
  return Uint8Array.from([
    ...HEADER,
    ...section(1, [types.length, ...types.flat()]),
    ...section(2, [1, ...name('k'), ...name('memory'), 0x02, 0x00, ...uleb(PAGES)]),
    ...section(3, [typeOf.length, ...typeOf]),
    ...exportSection([
      ['relax', 0x00, FN.relax],
      ['exp', 0x00, FN.exp],
      ['atan2', 0x00, FN.atan2],
    ]),
    ...section(10, [bodies.length, ...bodies.flat()]),
  ]);
}

let compiled: [WebAssembly.Module, WebAssembly.Module] | null | undefined;

/** The compiled modules, or null where WebAssembly is unavailable or refused (e.g. by a CSP). */
function kernelModules(): [WebAssembly.Module, WebAssembly.Module] | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled =
      typeof WebAssembly === 'object'
        ? [new WebAssembly.Module(mccKernelBytes()), new WebAssembly.Module(mccRelaxBytes())]
        : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

type RelaxFn = (
  r: number,
  nP: number,
  mu1: number,
  tau1: number,
  mu1Rel: number,
  cut1: number,
  mu2: number,
  tau2: number,
  cut2: number,
  mu3: number,
  tau3: number,
  w: number,
  iterations: number,
) => number;

/** One instance of the kernel with views of its memory; the last cylinders copied in are remembered. @internal */
export class MccKernel {
  /** Keys of the preselected pairs. */
  readonly selected: Uint32Array;
  /** Similarities of the cylinder pairs, by `i << 8 | j`. */
  readonly sim: Float32Array;
  /** The kernel's `exp` and `atan2` (fdlibm), exposed for the tests. */
  readonly exp: (x: number) => number;
  readonly atan2: (y: number, x: number) => number;
  readonly relax: RelaxFn;
  readonly #heap: Int32Array;
  readonly #pairs: (na: number, nb: number, cosMax: number, minCells: number) => number;
  readonly #select: (na: number, nb: number, nz: number, nR: number) => number;
  #lastA: Int32Array | undefined;
  #lastB: Int32Array | undefined;

  private constructor(pairStage: WebAssembly.Instance, relaxation: WebAssembly.Instance) {
    const x = pairStage.exports;
    const memory = x.memory as WebAssembly.Memory;
    this.#pairs = x.pairs as (na: number, nb: number, cosMax: number, minCells: number) => number;
    this.#select = x.select as (na: number, nb: number, nz: number, nR: number) => number;
    const y = relaxation.exports;
    this.relax = y.relax as RelaxFn;
    this.exp = y.exp as (x: number) => number;
    this.atan2 = y.atan2 as (y: number, x: number) => number;
    this.#heap = new Int32Array(memory.buffer);
    this.selected = new Uint32Array(memory.buffer, SEL_AT, MAX_CYLINDERS);
    this.sim = new Float32Array(memory.buffer, SIM_AT, 65536);
    const roots = new Float64Array(memory.buffer, SQRT_AT, SQRT_SIZE);
    for (let n = 0; n < SQRT_SIZE; n++) roots[n] = Math.sqrt(n);
    new Float64Array(memory.buffer, ATAN_AT, ATAN_TABLE.length).set(ATAN_TABLE);
  }

  /** A new instance, or undefined where WebAssembly cannot run. */
  static create(): MccKernel | undefined {
    const m = kernelModules();
    if (!m) return undefined;
    try {
      const pairStage = new WebAssembly.Instance(m[0], {});
      return new MccKernel(
        pairStage,
        new WebAssembly.Instance(m[1], { k: { memory: pairStage.exports.memory as WebAssembly.Memory } }),
      );
    } catch {
      return undefined;
    }
  }

  /**
   * Cylinder pairs of two templates' records (`count × KERNEL_LAYOUT.stride` words each);
   * returns the number of comparable pairs with a positive similarity (in `sim`, by `i << 8 | j`).
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
