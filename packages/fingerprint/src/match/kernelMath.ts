import { wasmAssembler } from '@smart-citizen/core';

const { Body, F64, I32, op, VOID } = wasmAssembler;
type Body = wasmAssembler.Body;

/**
 * `exp`, `atan`, `atan2` and the wrap of an angle into [−π, π) as WebAssembly function bodies for
 * the MCC kernel, so that its LSS-R relaxation gives the same bits as the JavaScript path
 * (`Math.exp`, `Math.atan2`). They are written from the freely distributable fdlibm 5.3
 * algorithms (Sun Microsystems, e_exp.c, s_atan.c, e_atan2.c: argument reduction, the same
 * polynomial coefficients and the same order of operations), which is what V8's and
 * SpiderMonkey's `Math.exp` / `Math.atan2` compute; the tests compare them with `Math` on
 * random arguments. Engines whose `Math` uses another libm may differ in the last bit, and the
 * kernel's scores with them.
 * @internal
 */

const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const INV_LN2 = Math.LOG2E;
const EXP_OVERFLOW = 709.782712893384;
const EXP_UNDERFLOW = -745.1332191019411;
/** fdlibm's minimax polynomial for exp on the reduced argument. */
const EXP_P = [
  0.16666666666666602, -0.0027777777777015593, 0.00006613756321437934, -0.0000016533902205465252, 4.1381367970572385e-8,
];
/** atan(0.5), atan(1), atan(1.5), atan(∞) split in high and low parts: the kernel's table at `tableAt`. */
export const ATAN_TABLE = Float64Array.of(
  0.4636476090008061,
  0.7853981633974483,
  0.982793723247329,
  Math.PI / 2,
  2.2698777452961687e-17,
  3.061616997868383e-17,
  1.3903311031230998e-17,
  6.123233995736766e-17,
);
const ATAN_T = [
  0.3333333333333293, -0.19999999999876483, 0.14285714272503466, -0.11111110405462356, 0.09090887133436507,
  -0.0769187620504483, 0.06661073137387531, -0.058335701337905735, 0.049768779946159324, -0.036531572744216916,
  0.016285820115365782,
];
const PI = Math.PI;
const PI_LO = 1.2246467991473532e-16;
const PI_2 = Math.PI / 2;

/** Push the high 32 bits of the f64 local `x`. */
function highWord(f: Body, x: string): void {
  f.get(x);
  f.emit(op.i64ReinterpretF64);
  f.i64(32);
  f.emit(op.i64ShrU, op.i32WrapI64);
}

/** Push c0 + t·(c1 + t·(c2 + …)) (Horner, innermost first, as fdlibm writes it). */
function horner(f: Body, t: string, cs: readonly number[]): void {
  for (let k = 0; k < cs.length - 1; k++) {
    f.f64(cs[k] as number);
    f.get(t);
  }
  f.f64(cs[cs.length - 1] as number);
  for (let k = 0; k < cs.length - 1; k++) f.emit(op.f64Mul, op.f64Add);
}

/** `exp(x) → f64` (fdlibm e_exp.c). */
export function expBody(): number[] {
  const f = new Body('x');
  f.locals(I32, 'hx', 'xsb', 'k');
  f.locals(F64, 'hi', 'lo', 't', 'c', 'y', 'twopk');
  highWord(f, 'x');
  f.set('hx');
  f.withConst('hx', 31, op.i32ShrU);
  f.set('xsb');
  f.withConst('hx', 0x7fffffff, op.i32And);
  f.set('hx');
  // |x| ≥ 709.78: NaN, ±∞, overflow, underflow
  f.withConst('hx', 0x40862e42, op.i32GeU);
  f.ifElse(VOID, () => {
    f.get('x', 'x');
    f.emit(op.f64Ne);
    f.ifElse(VOID, () => {
      f.get('x', 'x');
      f.emit(op.f64Add, op.return);
    });
    f.withConst('hx', 0x7ff00000, op.i32GeU);
    f.ifElse(VOID, () => {
      f.get('xsb');
      f.ifElse(
        F64,
        () => f.f64(0),
        () => f.get('x'),
      );
      f.emit(op.return);
    });
    f.get('x');
    f.f64(EXP_OVERFLOW);
    f.emit(op.f64Gt);
    f.ifElse(VOID, () => {
      f.f64(Number.POSITIVE_INFINITY);
      f.emit(op.return);
    });
    f.get('x');
    f.f64(EXP_UNDERFLOW);
    f.emit(op.f64Lt);
    f.ifElse(VOID, () => {
      f.f64(0);
      f.emit(op.return);
    });
  });
  // Argument reduction: x = k·ln2 + (hi − lo)
  f.withConst('hx', 0x3fd62e42, op.i32GtU);
  f.ifElse(
    VOID,
    () => {
      f.withConst('hx', 0x3ff0a2b2, op.i32LtU);
      f.ifElse(
        VOID,
        () => {
          // V8 returns E itself for exp(1), where the reduction below would miss the last bit.
          f.get('x');
          f.f64(1);
          f.emit(op.f64Eq);
          f.ifElse(VOID, () => {
            f.f64(Math.E);
            f.emit(op.return);
          });
          f.get('x');
          f.get('xsb');
          f.ifElse(
            F64,
            () => f.f64(-LN2_HI),
            () => f.f64(LN2_HI),
          );
          f.emit(op.f64Sub);
          f.set('hi');
          f.get('xsb');
          f.ifElse(
            F64,
            () => f.f64(-LN2_LO),
            () => f.f64(LN2_LO),
          );
          f.set('lo');
          f.i32(1);
          f.withConst('xsb', 1, op.i32Shl);
          f.emit(op.i32Sub);
          f.set('k');
        },
        () => {
          f.f64(INV_LN2);
          f.get('x');
          f.emit(op.f64Mul);
          f.get('xsb');
          f.ifElse(
            F64,
            () => f.f64(-0.5),
            () => f.f64(0.5),
          );
          f.emit(op.f64Add, op.i32TruncF64S);
          f.set('k');
          f.get('k');
          f.emit(op.f64ConvertI32S);
          f.set('t');
          f.get('x', 't');
          f.f64(LN2_HI);
          f.emit(op.f64Mul, op.f64Sub);
          f.set('hi');
          f.get('t');
          f.f64(LN2_LO);
          f.emit(op.f64Mul);
          f.set('lo');
        },
      );
      f.get('hi', 'lo');
      f.emit(op.f64Sub);
      f.set('x');
    },
    () => {
      // |x| < 2⁻²⁸: 1 + x
      f.withConst('hx', 0x3e300000, op.i32LtU);
      f.ifElse(VOID, () => {
        f.f64(1);
        f.get('x');
        f.emit(op.f64Add, op.return);
      });
    },
  );
  f.get('x', 'x');
  f.emit(op.f64Mul);
  f.set('t');
  // 2^k (2^(k + 1000) when it would be subnormal)
  f.get('k');
  f.withConst('k', -1021, op.i32GeS);
  f.ifElse(
    I32,
    () => f.i32(0x3ff),
    () => f.i32(0x3ff + 1000),
  );
  f.emit(op.i32Add, op.i64ExtendI32U);
  f.i64(52);
  f.emit(op.i64Shl, op.f64ReinterpretI64);
  f.set('twopk');
  // c = x − t·(P1 + t·(P2 + …))
  f.get('x', 't');
  horner(f, 't', EXP_P);
  f.emit(op.f64Mul, op.f64Sub);
  f.set('c');
  f.get('k');
  f.emit(op.i32Eqz);
  f.ifElse(VOID, () => {
    // 1 − ((x·c)/(c − 2) − x)
    f.f64(1);
    f.get('x', 'c');
    f.emit(op.f64Mul);
    f.get('c');
    f.f64(2);
    f.emit(op.f64Sub, op.f64Div);
    f.get('x');
    f.emit(op.f64Sub, op.f64Sub, op.return);
  });
  // y = 1 − ((lo − (x·c)/(2 − c)) − hi)
  f.f64(1);
  f.get('lo', 'x', 'c');
  f.emit(op.f64Mul);
  f.f64(2);
  f.get('c');
  f.emit(op.f64Sub, op.f64Div, op.f64Sub);
  f.get('hi');
  f.emit(op.f64Sub, op.f64Sub);
  f.set('y');
  f.withConst('k', -1021, op.i32GeS);
  f.ifElse(
    F64,
    () => {
      f.withConst('k', 1024, op.i32Eq);
      f.ifElse(
        F64,
        () => {
          f.get('y');
          f.f64(2);
          f.emit(op.f64Mul);
          f.f64(2 ** 1023);
          f.emit(op.f64Mul);
        },
        () => {
          f.get('y', 'twopk');
          f.emit(op.f64Mul);
        },
      );
    },
    () => {
      f.get('y', 'twopk');
      f.emit(op.f64Mul);
      f.f64(2 ** -1000);
      f.emit(op.f64Mul);
    },
  );
  return f.encode();
}

/** `atan(x) → f64` (fdlibm s_atan.c); its table of atan(0.5), … is at `tableAt`. */
export function atanBody(tableAt: number): number[] {
  const f = new Body('x');
  f.locals(I32, 'hx', 'ix', 'id');
  f.locals(F64, 'z', 'w', 's');
  highWord(f, 'x');
  f.set('hx');
  f.withConst('hx', 0x7fffffff, op.i32And);
  f.set('ix');
  f.get('x', 'x');
  f.emit(op.f64Ne);
  f.ifElse(VOID, () => {
    f.get('x', 'x');
    f.emit(op.f64Add, op.return);
  });
  // |x| ≥ 2⁶⁶: ±π/2
  f.withConst('ix', 0x44100000, op.i32GeU);
  f.ifElse(VOID, () => {
    f.f64((ATAN_TABLE[3] as number) + (ATAN_TABLE[7] as number));
    f.get('x');
    f.emit(op.f64Copysign, op.return);
  });
  f.withConst('ix', 0x3fdc0000, op.i32LtU);
  f.ifElse(
    VOID,
    () => {
      // |x| < 0.4375; below 2⁻²⁷ atan(x) rounds to x
      f.withConst('ix', 0x3e400000, op.i32LtU);
      f.ifElse(VOID, () => {
        f.get('x');
        f.emit(op.return);
      });
      f.i32(-1);
      f.set('id');
    },
    () => {
      f.get('x');
      f.emit(op.f64Abs);
      f.set('x');
      const reduce = (id: number, value: () => void) => {
        f.i32(id);
        f.set('id');
        value();
        f.set('x');
      };
      f.withConst('ix', 0x3ff30000, op.i32LtU);
      f.ifElse(
        VOID,
        () => {
          f.withConst('ix', 0x3fe60000, op.i32LtU);
          f.ifElse(
            VOID,
            // 7/16 ≤ |x| < 11/16: (2x − 1)/(2 + x)
            () =>
              reduce(0, () => {
                f.f64(2);
                f.get('x');
                f.emit(op.f64Mul);
                f.f64(1);
                f.emit(op.f64Sub);
                f.f64(2);
                f.get('x');
                f.emit(op.f64Add, op.f64Div);
              }),
            // 11/16 ≤ |x| < 19/16: (x − 1)/(x + 1)
            () =>
              reduce(1, () => {
                f.get('x');
                f.f64(1);
                f.emit(op.f64Sub);
                f.get('x');
                f.f64(1);
                f.emit(op.f64Add, op.f64Div);
              }),
          );
        },
        () => {
          f.withConst('ix', 0x40038000, op.i32LtU);
          f.ifElse(
            VOID,
            // 19/16 ≤ |x| < 39/16: (x − 1.5)/(1 + 1.5x)
            () =>
              reduce(2, () => {
                f.get('x');
                f.f64(1.5);
                f.emit(op.f64Sub);
                f.f64(1);
                f.f64(1.5);
                f.get('x');
                f.emit(op.f64Mul, op.f64Add, op.f64Div);
              }),
            // 39/16 ≤ |x| < 2⁶⁶: −1/x
            () =>
              reduce(3, () => {
                f.f64(-1);
                f.get('x');
                f.emit(op.f64Div);
              }),
          );
        },
      );
    },
  );
  f.get('x', 'x');
  f.emit(op.f64Mul);
  f.set('z');
  f.get('z', 'z');
  f.emit(op.f64Mul);
  f.set('w');
  // s = s1 + s2: z·(T0 + w·(T2 + …)) + w·(T1 + w·(T3 + …))
  f.get('z');
  horner(
    f,
    'w',
    ATAN_T.filter((_, k) => k % 2 === 0),
  );
  f.emit(op.f64Mul);
  f.get('w');
  horner(
    f,
    'w',
    ATAN_T.filter((_, k) => k % 2 === 1),
  );
  f.emit(op.f64Mul, op.f64Add);
  f.set('s');
  f.withConst('id', 0, op.i32LtS);
  f.ifElse(VOID, () => {
    // x − x·s
    f.get('x', 'x', 's');
    f.emit(op.f64Mul, op.f64Sub, op.return);
  });
  // atanhi[id] − ((x·s − atanlo[id]) − x), with the sign of the argument
  f.withConst('id', 3, op.i32Shl);
  f.mem(op.f64Load, 3, tableAt);
  f.get('x', 's');
  f.emit(op.f64Mul);
  f.withConst('id', 3, op.i32Shl);
  f.mem(op.f64Load, 3, tableAt + 32);
  f.emit(op.f64Sub);
  f.get('x');
  f.emit(op.f64Sub, op.f64Sub);
  f.set('z');
  f.get('z');
  f.emit(op.f64Neg);
  f.get('z');
  f.withConst('hx', 0, op.i32LtS);
  f.emit(op.select);
  return f.encode();
}

/** `atan2(y, x) → f64` for finite arguments (fdlibm e_atan2.c); `atan` is function `atanIndex`. */
export function atan2Body(atanIndex: number): number[] {
  const f = new Body('y', 'x');
  f.locals(I32, 'hx', 'lx', 'ix', 'hy', 'ly', 'iy', 'm', 'k');
  f.locals(F64, 'z');
  f.get('x', 'x');
  f.emit(op.f64Ne);
  f.get('y', 'y');
  f.emit(op.f64Ne, op.i32Or);
  f.ifElse(VOID, () => {
    f.get('x', 'y');
    f.emit(op.f64Add, op.return);
  });
  for (const [v, h, l, i] of [
    ['x', 'hx', 'lx', 'ix'],
    ['y', 'hy', 'ly', 'iy'],
  ] as const) {
    highWord(f, v);
    f.set(h);
    f.get(v);
    f.emit(op.i64ReinterpretF64, op.i32WrapI64);
    f.set(l);
    f.withConst(h, 0x7fffffff, op.i32And);
    f.set(i);
  }
  // x = 1: atan(y)
  f.withConst('hx', 0x3ff00000, op.i32Sub);
  f.get('lx');
  f.emit(op.i32Or, op.i32Eqz);
  f.ifElse(VOID, () => {
    f.get('y');
    f.emit(op.call, atanIndex, op.return);
  });
  // m = 2·sign(x) + sign(y)
  f.withConst('hy', 31, op.i32ShrU);
  f.withConst('hx', 30, op.i32ShrU);
  f.i32(2);
  f.emit(op.i32And, op.i32Or);
  f.set('m');
  // y = 0: ±0 for x > 0, ±π for x < 0
  f.get('iy', 'ly');
  f.emit(op.i32Or, op.i32Eqz);
  f.ifElse(VOID, () => {
    f.withConst('m', 2, op.i32LtU);
    f.ifElse(VOID, () => {
      f.get('y');
      f.emit(op.return);
    });
    f.f64(PI);
    f.f64(-PI);
    f.withConst('m', 2, op.i32Eq);
    f.emit(op.select, op.return);
  });
  // x = 0: ±π/2
  f.get('ix', 'lx');
  f.emit(op.i32Or, op.i32Eqz);
  f.ifElse(VOID, () => {
    f.f64(-PI_2);
    f.f64(PI_2);
    f.withConst('hy', 0, op.i32LtS);
    f.emit(op.select, op.return);
  });
  f.get('iy', 'ix');
  f.emit(op.i32Sub);
  f.i32(20);
  f.emit(op.i32ShrS);
  f.set('k');
  f.withConst('k', 60, op.i32GtS);
  f.ifElse(
    VOID,
    () => {
      // |y/x| > 2⁶⁰
      f.f64(PI_2 + 0.5 * PI_LO);
      f.set('z');
      f.withConst('m', 1, op.i32And);
      f.set('m');
    },
    () => {
      f.withConst('hx', 0, op.i32LtS);
      f.withConst('k', -60, op.i32LtS);
      f.emit(op.i32And);
      f.ifElse(
        F64,
        () => f.f64(0),
        () => {
          f.get('y', 'x');
          f.emit(op.f64Div, op.f64Abs, op.call, atanIndex);
        },
      );
      f.set('z');
    },
  );
  f.get('m');
  f.emit(op.i32Eqz);
  f.ifElse(VOID, () => {
    f.get('z');
    f.emit(op.return);
  });
  f.withConst('m', 1, op.i32Eq);
  f.ifElse(VOID, () => {
    f.get('z');
    f.emit(op.f64Neg, op.return);
  });
  f.withConst('m', 2, op.i32Eq);
  f.ifElse(
    F64,
    () => {
      // π − (z − π_lo)
      f.f64(PI);
      f.get('z');
      f.f64(PI_LO);
      f.emit(op.f64Sub, op.f64Sub);
    },
    () => {
      // (z − π_lo) − π
      f.get('z');
      f.f64(PI_LO);
      f.emit(op.f64Sub);
      f.f64(PI);
      f.emit(op.f64Sub);
    },
  );
  return f.encode();
}

/**
 * `wrapPi(a) → f64`: a in [−π, π), as `mcc.ts`'s `wrapPi`. For |a| ≥ 2π that takes
 * `a % 2π`; here |a| − 2π with a's sign, the same value for |a| < 4π (exact by Sterbenz's
 * lemma), which covers every argument the kernel passes (differences of angles in [0, 2π]).
 */
export function wrapPiBody(): number[] {
  const TWO_PI = 2 * Math.PI;
  const f = new Body('a');
  f.get('a');
  f.f64(-Math.PI);
  f.emit(op.f64Ge);
  f.get('a');
  f.f64(Math.PI);
  f.emit(op.f64Lt, op.i32And);
  f.ifElse(VOID, () => {
    f.get('a');
    f.emit(op.return);
  });
  f.get('a');
  f.emit(op.f64Abs);
  f.f64(TWO_PI);
  f.emit(op.f64Ge);
  f.ifElse(VOID, () => {
    f.get('a');
    f.emit(op.f64Abs);
    f.f64(TWO_PI);
    f.emit(op.f64Sub);
    f.get('a');
    f.emit(op.f64Copysign);
    f.set('a');
  });
  f.get('a');
  f.f64(-Math.PI);
  f.emit(op.f64Lt);
  f.ifElse(
    F64,
    () => {
      f.get('a');
      f.f64(TWO_PI);
      f.emit(op.f64Add);
    },
    () => {
      // select(a − 2π, a, a ≥ π)
      f.get('a');
      f.f64(TWO_PI);
      f.emit(op.f64Sub);
      f.get('a');
      f.get('a');
      f.f64(Math.PI);
      f.emit(op.f64Ge);
      f.emit(op.select);
    },
  );
  return f.encode();
}
