/**
 * The Hamming pass of {@link FaceScanIndex}'s sign-code scan as a small WebAssembly kernel
 * (scalar `i64.popcnt`: one instruction per 64 bits, where JavaScript needs about twelve per 32),
 * assembled here from its instructions — no binary blob, no build step. Where WebAssembly is not
 * available the index keeps its JavaScript loop; both give the same distances.
 *
 * Memory (one `WebAssembly.Memory`, grown as the index grows): the codes of every row, then the
 * probe's code, the distances (u16 per row), the histogram (u32 per distance) and the output rows.
 */

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

// Opcodes used below.
const I32 = 0x7f;
const I64 = 0x7e;
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const IF = [0x04, 0x40];
const END = 0x0b;
const br = (depth: number) => [0x0c, depth];
const brIf = (depth: number) => [0x0d, depth];
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32c = (v: number) => [0x41, v]; // small non-negative constants only (< 64)
/** Signed LEB128 of a non-negative i32 constant. */
const i32Const = (v: number) => {
  const out = uleb(v);
  // A set sign bit (0x40) in the last byte would read negative: add a zero byte.
  if (((out[out.length - 1] as number) & 0x40) !== 0) {
    out[out.length - 1] = (out[out.length - 1] as number) | 0x80;
    out.push(0);
  }
  return [0x41, ...out];
};
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const I32_GE_U = 0x4f;
const I32_LE_U = 0x4d;
const I64_ADD = 0x7c;
const I64_XOR = 0x85;
const I64_POPCNT = 0x7b;
const I32_WRAP_I64 = 0xa7;
const i64Load = (offset: number) => [0x29, 3, ...uleb(offset)];
const i32Load = [0x28, 2, 0];
const i32Store = [0x36, 2, 0];
const i32Store16 = [0x3b, 1, 0];
const i32Load16U = [0x2f, 1, 0];

/**
 * `scan(codes, rows, query, dist, hist)` for codes of `words64` 64-bit words, unrolled: for each
 * row, the Hamming distance of its code to the query's into `dist[row]` (u16), and
 * `hist[distance] += 1`. Locals: 5 row, 6 scratch, 7 distance (i64), 8 row pointer, 9… the query's
 * words (i64), loaded once.
 */
function scanBody(words64: number): number[] {
  const body: number[] = [
    ...vec([
      [2, I32],
      [1, I64],
      [1, I32],
      [words64, I64],
    ]),
  ];
  for (let w = 0; w < words64; w++) body.push(...get(2), ...i64Load(8 * w), ...set(9 + w));
  body.push(...get(0), ...set(8), ...BLOCK, ...LOOP, ...get(5), ...get(1), I32_GE_U, ...brIf(1));
  // distance = Σ popcnt(code[w] ^ query[w])
  for (let w = 0; w < words64; w++) {
    body.push(...get(8), ...i64Load(8 * w), ...get(9 + w), I64_XOR, I64_POPCNT);
    if (w > 0) body.push(I64_ADD);
  }
  body.push(
    ...set(7),
    // dist[row] = distance
    ...get(3),
    ...get(5),
    ...i32c(1),
    I32_SHL,
    I32_ADD,
    ...get(7),
    I32_WRAP_I64,
    ...i32Store16,
    // hist[distance] += 1
    ...get(4),
    ...get(7),
    I32_WRAP_I64,
    ...i32c(2),
    I32_SHL,
    I32_ADD,
    ...set(6),
    ...get(6),
    ...get(6),
    ...i32Load,
    ...i32c(1),
    I32_ADD,
    ...i32Store,
    ...get(8),
    ...i32Const(8 * words64),
    I32_ADD,
    ...set(8),
    ...get(5),
    ...i32c(1),
    I32_ADD,
    ...set(5),
    ...br(0),
    END,
    END,
    END,
  );
  return body;
}

/**
 * `collect(dist, rows, cut, out) → count`: the rows whose distance is at most `cut`, in order,
 * into `out` (i32 each). Locals: 4 row, 5 count.
 */
const collectBody = [
  ...vec([[2, I32]]),
  ...BLOCK,
  ...LOOP,
  ...get(4),
  ...get(1),
  I32_GE_U,
  ...brIf(1),
  ...get(0),
  ...get(4),
  ...i32c(1),
  I32_SHL,
  I32_ADD,
  ...i32Load16U,
  ...get(2),
  I32_LE_U,
  ...IF,
  ...get(3),
  ...get(5),
  ...i32c(2),
  I32_SHL,
  I32_ADD,
  ...get(4),
  ...i32Store,
  ...get(5),
  ...i32c(1),
  I32_ADD,
  ...set(5),
  END,
  ...get(4),
  ...i32c(1),
  I32_ADD,
  ...set(4),
  ...br(0),
  END,
  END,
  ...get(5),
  END,
];

function moduleBytes(words64: number): Uint8Array<ArrayBuffer> {
  const scanType = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0];
  const scan = scanBody(words64);
  const collectType = [0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([scanType, collectType])),
    ...section(2, vec([[...name('env'), ...name('mem'), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0], [1]])),
    ...section(
      7,
      vec([
        [...name('scan'), 0x00, 0],
        [...name('collect'), 0x00, 1],
      ]),
    ),
    ...section(
      10,
      vec([
        [...uleb(scan.length), ...scan],
        [...uleb(collectBody.length), ...collectBody],
      ]),
    ),
  ]);
}

interface KernelExports {
  scan(codes: number, rows: number, query: number, dist: number, hist: number): void;
  collect(dist: number, rows: number, cut: number, out: number): number;
}

const PAGE = 65_536;
const compiled = new Map<number, WebAssembly.Module | null>();

/** The module for codes of `words64` 64-bit words, or null where WebAssembly is missing or refuses it. */
function kernelModule(words64: number): WebAssembly.Module | null {
  let m = compiled.get(words64);
  if (m === undefined) {
    try {
      m = typeof WebAssembly === 'object' ? new WebAssembly.Module(moduleBytes(words64)) : null;
    } catch {
      m = null;
    }
    compiled.set(words64, m);
  }
  return m;
}

/**
 * A copy of an index's sign codes in WebAssembly memory and the Hamming pass over them. Rows are
 * copied in as they are synced; `invalidateFrom` marks rows that changed (replaced or moved).
 */
export class HammingKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly fn: KernelExports;
  private readonly words: number;
  /** Rows whose codes in wasm memory are current. */
  private synced = 0;

  private constructor(module: WebAssembly.Module, words: number) {
    this.words = words;
    this.memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(module, { env: { mem: this.memory } });
    this.fn = instance.exports as unknown as KernelExports;
  }

  /**
   * A kernel for codes of `words` 32-bit words, or undefined when WebAssembly is unavailable or
   * the codes are not a whole number of 64-bit words.
   */
  static create(words: number): HammingKernel | undefined {
    const m = words > 0 && words % 2 === 0 ? kernelModule(words / 2) : null;
    return m ? new HammingKernel(m, words) : undefined;
  }

  /** Rows from `row` on changed: copy them again before the next pass. */
  invalidateFrom(row: number): void {
    if (row < this.synced) this.synced = row;
  }

  /** Forget every row. */
  clear(): void {
    this.synced = 0;
  }

  /**
   * Hamming distances of the first `rows` codes to `query`; the rows at the `keep` smallest
   * distances (ties at the cut included), in row order.
   * @param codes - the index's codes (`words` per row), of which the first `rows` are live
   */
  nearest(codes: Uint32Array, rows: number, query: Uint32Array, keep: number): Int32Array {
    const W = this.words;
    const codeBytes = rows * W * 4;
    const queryAt = codeBytes;
    const distAt = queryAt + W * 4;
    const histAt = distAt + ((rows * 2 + 7) & ~7);
    const histLen = W * 32 + 1;
    const outAt = histAt + histLen * 4;
    const need = outAt + rows * 4;
    if (need > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((need * 1.25 - this.memory.buffer.byteLength) / PAGE));
      // Growing moves the query/dist/hist regions past the codes, never the codes themselves.
    }
    const u32 = new Uint32Array(this.memory.buffer);
    if (this.synced < rows) {
      u32.set(codes.subarray(this.synced * W, rows * W), this.synced * W);
      this.synced = rows;
    }
    u32.set(query.subarray(0, W), queryAt >>> 2);
    const hist = new Uint32Array(this.memory.buffer, histAt, histLen);
    hist.fill(0);
    this.fn.scan(0, rows, queryAt, distAt, histAt);
    let cut = 0;
    for (let seen = 0; cut < histLen; cut++) {
      seen += hist[cut] as number;
      if (seen >= keep) break;
    }
    const count = this.fn.collect(distAt, rows, Math.min(cut, histLen - 1), outAt);
    return new Int32Array(this.memory.buffer, outAt, count).slice();
  }
}
