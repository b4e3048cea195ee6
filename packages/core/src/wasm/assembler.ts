/**
 * Just enough of a WebAssembly 1.0 assembler for the project's small kernels (the face index's
 * Hamming scan here in core, the fingerprint package's MCC matcher): opcodes, LEB128, sections,
 * a module header and a function-body emitter with named locals and structured loops. Kernels
 * are assembled from these when first needed, so no binary is shipped.
 * @internal
 */

/** Value types. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;
/** Block type of a block that leaves nothing on the stack. */
export const VOID = 0x40;

/** Opcodes (WebAssembly 1.0 core). */
export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  call: 0x10,
  select: 0x1b,
  get: 0x20,
  set: 0x21,
  i32Load: 0x28,
  i64Load: 0x29,
  f32Load: 0x2a,
  f64Load: 0x2b,
  i32Load8U: 0x2d,
  i32Store: 0x36,
  f32Store: 0x38,
  f64Store: 0x39,
  i32Store8: 0x3a,
  i32Const: 0x41,
  i64Const: 0x42,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GtS: 0x4a,
  i32GtU: 0x4b,
  i32GeS: 0x4e,
  i32GeU: 0x4f,
  i64Eqz: 0x50,
  i64Ne: 0x52,
  f64Eq: 0x61,
  f64Ne: 0x62,
  f64Lt: 0x63,
  f64Gt: 0x64,
  f64Le: 0x65,
  f64Ge: 0x66,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  i32ShrU: 0x76,
  i64Popcnt: 0x7b,
  i64Add: 0x7c,
  i64Sub: 0x7d,
  i64And: 0x83,
  i64Shl: 0x86,
  i64ShrU: 0x88,
  f64Abs: 0x99,
  f64Neg: 0x9a,
  f64Nearest: 0x9e,
  f64Sqrt: 0x9f,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
  f64Copysign: 0xa6,
  i32WrapI64: 0xa7,
  i32TruncF64S: 0xaa,
  i32TruncF64U: 0xab,
  i64ExtendI32U: 0xad,
  f32DemoteF64: 0xb6,
  f64ConvertI32S: 0xb7,
  f64ConvertI64S: 0xb9,
  f64PromoteF32: 0xbb,
  i64ReinterpretF64: 0xbd,
  f64ReinterpretI64: 0xbf,
} as const;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
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

/** The module header: magic `\0asm` and version 1. */
export const MODULE_HEADER: readonly number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A vector: its length, then the items. */
export function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

export function name(s: string): number[] {
  return [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
}

/** A function type: `[0x60, params…, results…]`. */
export function funcType(params: number[], results: number[]): number[] {
  return [0x60, ...uleb(params.length), ...params, ...uleb(results.length), ...results];
}

/** Emits one function's body: named locals, structured loops. */
export class Body {
  readonly code: number[] = [];
  readonly #locals = new Map<string, number>();
  readonly #types: number[] = [];

  /** @param params - the parameters' names (locals 0 … n − 1). */
  constructor(...params: string[]) {
    params.forEach((p, k) => {
      this.#locals.set(p, k);
    });
    this.params = params.length;
  }

  readonly params: number;

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

  #index(n: string): number {
    const k = this.#locals.get(n);
    if (k === undefined) throw new Error(`wasm assembler: no local ${n}`);
    return k;
  }

  get(...names: string[]): void {
    for (const n of names) this.emit(op.get, ...uleb(this.#index(n)));
  }

  set(n: string): void {
    this.emit(op.set, ...uleb(this.#index(n)));
  }

  i32(v: number): void {
    this.emit(op.i32Const, ...sleb(v));
  }

  i64(v: number): void {
    this.emit(op.i64Const, ...sleb(v));
  }

  f64(v: number): void {
    this.emit(op.f64Const, ...new Uint8Array(new Float64Array([v]).buffer));
  }

  /** A load or store with its alignment (log2 bytes) and constant offset. */
  mem(opcode: number, align: number, offset: number): void {
    this.emit(opcode, align, ...uleb(offset));
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

  /** `if (cond) { then } else { otherwise }`, the condition already pushed; `type` of the value left. */
  ifElse(type: number, then: () => void, otherwise?: () => void): void {
    this.emit(op.if, type);
    then();
    if (otherwise) {
      this.emit(op.else);
      otherwise();
    }
    this.emit(op.end);
  }

  /**
   * `for (counter = start; counter < limit; counter++) body()`; `limit` pushes the bound and
   * `start` the first value (0 when absent). Inside the body, `br 1` leaves the loop and `br 0`
   * starts the next iteration without the increment.
   */
  for(counter: string, limit: () => void, body: () => void, start?: () => void): void {
    if (start) start();
    else this.i32(0);
    this.set(counter);
    this.emit(op.block, VOID, op.loop, VOID);
    this.get(counter);
    limit();
    this.emit(op.i32GeU, op.brIf, 1);
    this.emit(op.block, VOID); // `br 0` here continues with the increment
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
