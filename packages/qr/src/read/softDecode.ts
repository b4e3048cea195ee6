/**
 * Soft-decision Reed–Solomon decoding of a QR module matrix read by this package: the modules
 * come with a reliability (how far each module's value was from the other bit's prediction),
 * so the least reliable codewords of each block can be declared erasures. A Reed–Solomon
 * block with `2t` check codewords corrects `e` errors and `f` erasures when `2e + f ≤ 2t`, twice
 * as many wrong codewords as errors alone when the wrong ones are among the erased. Each block
 * is tried with 0, 2, 4, … of its least reliable codewords erased (generalised minimum-distance
 * decoding, Forney 1966), and the corrected codewords are written back into the matrix, which
 * the engine then decodes in its pure mode (the bit stream's modes and text stay the engine's).
 *
 * The engine (zxing) cannot take erasures; no maintained npm package decodes the QR code's
 * Reed–Solomon code (GF(256), x⁸+x⁴+x³+x²+1, first root α⁰) with erasures, so the decoder is
 * here (Blahut's errors-and-erasures Berlekamp–Massey, Chien search, Forney).
 * @internal
 */

/** exp and log tables of GF(256) with the QR code's primitive polynomial 0x11d. */
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let v = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = v;
    LOG[v] = i;
    v <<= 1;
    if (v & 0x100) v ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255] as number;
}

function mul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : (EXP[(LOG[a] as number) + (LOG[b] as number)] as number);
}

function inv(a: number): number {
  return EXP[255 - (LOG[a] as number)] as number;
}

/** α^k for any integer k. */
function pow(k: number): number {
  return EXP[((k % 255) + 255) % 255] as number;
}

/** Value at x of a polynomial with coefficients lowest degree first. */
function evalLow(p: readonly number[], x: number): number {
  let y = 0;
  for (let i = p.length - 1; i >= 0; i--) y = mul(y, x) ^ (p[i] as number);
  return y;
}

/** Syndromes S_j = r(α^j), j < `checks`, of a block (codewords highest degree first). */
function syndromes(block: Uint8Array, checks: number): number[] {
  const s = new Array<number>(checks).fill(0);
  for (let j = 0; j < checks; j++) {
    const a = pow(j);
    let y = 0;
    for (const c of block) y = mul(y, a) ^ c;
    s[j] = y;
  }
  return s;
}

/** Outcome of {@link rsDecode}: the corrected block and how many errors (not erasures) it held. */
export interface RsDecoded {
  block: Uint8Array;
  errors: number;
}

/**
 * Decode one Reed–Solomon block of the QR code with erasures.
 *
 * @param received - The block's codewords, data then check codewords.
 * @param checks - Check codewords in the block (`2t`).
 * @param erasures - Indexes (into `received`) of codewords declared erased.
 * @returns The corrected block, or undefined when `2·errors + erasures > checks` or the
 *   result is not a codeword.
 */
export function rsDecode(
  received: Uint8Array,
  checks: number,
  erasures: readonly number[] = [],
): RsDecoded | undefined {
  const n = received.length;
  const f = erasures.length;
  if (f > checks) return undefined;
  const s = syndromes(received, checks);
  if (s.every((v) => v === 0)) return { block: Uint8Array.from(received), errors: 0 };
  // Erasure locator Γ(x) = Π (1 + X_i x), X_i = α^(n-1-i).
  let gamma: number[] = [1];
  for (const i of erasures) {
    const x = pow(n - 1 - i);
    const next = new Array<number>(gamma.length + 1).fill(0);
    for (let k = 0; k < gamma.length; k++) {
      next[k] = (next[k] as number) ^ (gamma[k] as number);
      next[k + 1] = (next[k + 1] as number) ^ mul(gamma[k] as number, x);
    }
    gamma = next;
  }
  // Berlekamp–Massey started from the erasure locator (Blahut): the errata locator Λ.
  let lambda = gamma.slice();
  let b = gamma.slice();
  let l = f;
  for (let r = f + 1; r <= checks; r++) {
    const k = r - 1;
    let delta = 0;
    for (let i = 0; i < lambda.length && i <= k; i++) delta ^= mul(lambda[i] as number, s[k - i] as number);
    const xb = [0, ...b];
    if (delta === 0) {
      b = xb;
      continue;
    }
    const t = new Array<number>(Math.max(lambda.length, xb.length)).fill(0);
    for (let i = 0; i < t.length; i++) t[i] = (lambda[i] ?? 0) ^ mul(delta, xb[i] ?? 0);
    if (2 * l <= r + f - 1) {
      l = r + f - l;
      const di = inv(delta);
      b = lambda.map((c) => mul(c, di));
    } else {
      b = xb;
    }
    lambda = t;
  }
  while (lambda.length > 1 && lambda[lambda.length - 1] === 0) lambda.pop();
  const degree = lambda.length - 1;
  if (degree !== l || 2 * (l - f) + f > checks) return undefined;
  // Chien search over the block's positions.
  const positions: number[] = [];
  for (let i = 0; i < n; i++) if (evalLow(lambda, pow(-(n - 1 - i))) === 0) positions.push(i);
  if (positions.length !== degree) return undefined;
  // Ω(x) = S(x) Λ(x) mod x^checks; Forney (first root α⁰): e = X · Ω(X⁻¹) / Λ'(X⁻¹).
  const omega = new Array<number>(checks).fill(0);
  for (let i = 0; i < checks; i++) {
    let v = 0;
    for (let j = 0; j <= i && j < lambda.length; j++) v ^= mul(lambda[j] as number, s[i - j] as number);
    omega[i] = v;
  }
  const derivative = lambda.map((c, i) => (i % 2 === 1 ? c : 0)).slice(1);
  const out = Uint8Array.from(received);
  for (const i of positions) {
    const x = pow(n - 1 - i);
    const xi = inv(x);
    const den = evalLow(derivative, xi);
    if (den === 0) return undefined;
    out[i] = (out[i] as number) ^ mul(x, mul(evalLow(omega, xi), inv(den)));
  }
  if (syndromes(out, checks).some((v) => v !== 0)) return undefined;
  const erased = new Set(erasures);
  return { block: out, errors: positions.filter((i) => !erased.has(i)).length };
}

/** A table row per level (L, M, Q, H) given as space-separated numbers for versions 1–40. */
function byLevel(rows: Record<'L' | 'M' | 'Q' | 'H', string>): Record<'L' | 'M' | 'Q' | 'H', readonly number[]> {
  return {
    L: rows.L.split(' ').map(Number),
    M: rows.M.split(' ').map(Number),
    Q: rows.Q.split(' ').map(Number),
    H: rows.H.split(' ').map(Number),
  };
}

/** Error-correction codewords per block, by level (L, M, Q, H) then version 1–40 (ISO/IEC 18004 table 9). */
const EC_PER_BLOCK = byLevel({
  L: '7 10 15 20 26 18 20 24 30 18 20 24 26 30 22 24 28 30 28 28 28 28 30 30 26 28 30 30 30 30 30 30 30 30 30 30 30 30 30 30',
  M: '10 16 26 18 24 16 18 22 22 26 30 22 22 24 24 28 28 26 26 26 26 28 28 28 28 28 28 28 28 28 28 28 28 28 28 28 28 28 28 28',
  Q: '13 22 18 26 18 24 18 22 20 24 28 26 24 20 30 24 28 28 26 30 28 30 30 30 30 28 30 30 30 30 30 30 30 30 30 30 30 30 30 30',
  H: '17 28 22 16 22 28 26 26 24 28 24 28 22 24 24 30 28 28 26 28 30 24 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30',
});

/** Reed–Solomon blocks, by level then version 1–40 (ISO/IEC 18004 table 9). */
const BLOCKS = byLevel({
  L: '1 1 1 1 1 2 2 2 2 4 4 4 4 4 6 6 6 6 7 8 8 9 9 10 12 12 12 13 14 15 16 17 18 19 19 20 21 22 24 25',
  M: '1 1 1 2 2 4 4 4 5 5 5 8 9 9 10 10 11 13 14 16 17 17 18 20 21 23 25 26 28 29 31 33 35 37 38 40 43 45 47 49',
  Q: '1 1 2 2 4 4 6 6 8 8 8 10 12 16 12 17 16 18 21 20 23 23 25 27 29 34 34 35 38 40 43 45 48 51 53 56 59 62 65 68',
  H: '1 1 2 4 4 4 5 6 8 8 11 11 16 16 18 16 19 21 25 25 25 34 30 32 35 37 40 42 45 48 51 54 57 60 63 66 70 74 77 81',
});

/** The error-correction level of the two format bits (01 L, 00 M, 11 Q, 10 H). */
const LEVEL_OF_BITS = ['M', 'L', 'H', 'Q'] as const;

/** Layout of one version's Reed–Solomon blocks. */
export interface BlockLayout {
  /** Codewords in the symbol. */
  total: number;
  checks: number;
  /** Data codewords of each block (short blocks first). */
  data: number[];
}

/** Modules that carry no codeword bits (finders, separators, timing, alignment, format, version), 1 = function. */
const functionCache = new Map<number, Uint8Array>();

/** {@link functionCache}'s mask for a version, row-major `size × size`. */
export function functionModules(version: number): Uint8Array {
  const hit = functionCache.get(version);
  if (hit) return hit;
  const size = 17 + 4 * version;
  const m = new Uint8Array(size * size);
  const region = (x0: number, y0: number, w: number, h: number) => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) m[y * size + x] = 1;
  };
  // Finders with separators and the format areas beside them.
  region(0, 0, 9, 9);
  region(size - 8, 0, 8, 9);
  region(0, size - 8, 9, 8);
  region(6, 9, 1, size - 17);
  region(9, 6, size - 17, 1);
  const centres = alignmentCentres(version);
  for (const ay of centres) {
    for (const ax of centres) {
      if ((ax === 6 && ay === 6) || (ax === 6 && ay === size - 7) || (ax === size - 7 && ay === 6)) continue;
      region(ax - 2, ay - 2, 5, 5);
    }
  }
  if (version >= 7) {
    region(size - 11, 0, 3, 6);
    region(0, size - 11, 6, 3);
  }
  functionCache.set(version, m);
  return m;
}

/** Centres of the alignment patterns along one axis (ISO/IEC 18004 table E.1). */
export function alignmentCentres(version: number): number[] {
  if (version < 2) return [];
  const n = Math.floor(version / 7) + 2;
  const size = 17 + 4 * version;
  const step = version === 32 ? 26 : Math.ceil((version * 4 + 4) / (n * 2 - 2)) * 2;
  const out = [6];
  for (let pos = size - 7; out.length < n; pos -= step) out.splice(1, 0, pos);
  return out;
}

/** The Reed–Solomon block layout of a version and level. */
export function blockLayout(version: number, level: 'L' | 'M' | 'Q' | 'H'): BlockLayout {
  const fn = functionModules(version);
  let free = 0;
  for (const v of fn) if (!v) free++;
  const total = Math.floor(free / 8);
  const blocks = BLOCKS[level][version - 1] as number;
  const checks = EC_PER_BLOCK[level][version - 1] as number;
  const short = Math.floor(total / blocks);
  const longCount = total % blocks;
  const data: number[] = [];
  for (let i = 0; i < blocks; i++) data.push(short - checks + (i >= blocks - longCount ? 1 : 0));
  return { total, checks, data };
}

/** Whether the data mask flips the module at column x, row y. */
function masked(mask: number, x: number, y: number): boolean {
  switch (mask) {
    case 0:
      return (y + x) % 2 === 0;
    case 1:
      return y % 2 === 0;
    case 2:
      return x % 3 === 0;
    case 3:
      return (y + x) % 3 === 0;
    case 4:
      return (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0;
    case 5:
      return ((y * x) % 2) + ((y * x) % 3) === 0;
    case 6:
      return (((y * x) % 2) + ((y * x) % 3)) % 2 === 0;
    default:
      return (((y + x) % 2) + ((y * x) % 3)) % 2 === 0;
  }
}

/** Module indexes (row-major) of the codeword bits, in reading order (ISO/IEC 18004 7.7.3). */
const orderCache = new Map<number, Int32Array>();

function codewordOrder(version: number): Int32Array {
  const hit = orderCache.get(version);
  if (hit) return hit;
  const size = 17 + 4 * version;
  const fn = functionModules(version);
  const out: number[] = [];
  let up = true;
  for (let x = size - 1; x > 0; x -= 2) {
    if (x === 6) x--;
    for (let c = 0; c < size; c++) {
      const y = up ? size - 1 - c : c;
      for (let col = 0; col < 2; col++) if (!fn[y * size + x - col]) out.push(y * size + x - col);
    }
    up = !up;
  }
  const order = Int32Array.from(out);
  orderCache.set(version, order);
  return order;
}

/** Module indexes of the two 15-bit format copies (most significant bit first). */
function formatPositions(size: number): [number[], number[]] {
  const at = (x: number, y: number) => y * size + x;
  const a: number[] = [];
  for (let x = 0; x < 6; x++) a.push(at(x, 8));
  a.push(at(7, 8), at(8, 8), at(8, 7));
  for (let y = 5; y >= 0; y--) a.push(at(8, y));
  const b: number[] = [];
  for (let y = size - 1; y >= size - 7; y--) b.push(at(8, y));
  for (let x = size - 8; x < size; x++) b.push(at(x, 8));
  return [a, b];
}

/** The 32 masked format words, indexed by their 5 data bits (level bits, mask). */
const FORMAT_WORDS: number[] = [];
for (let d = 0; d < 32; d++) {
  let rem = d << 10;
  for (let i = 14; i >= 10; i--) if ((rem >>> i) & 1) rem ^= 0x537 << (i - 10);
  FORMAT_WORDS.push(((d << 10) | rem) ^ 0x5412);
}

/** Options of {@link softDecodeBlocks}. */
export interface SoftCorrectOptions {
  /**
   * Check codewords a block must keep unused after its errors and erasures (`2t − 2e − f`)
   * when it has erasures: what guards against a miscorrection passing as a codeword.
   * @default 4
   */
  slack?: number;
  /** Format readings tried, least costly first. @default 2 */
  formats?: number;
  /**
   * How a codeword's doubt adds up from its bits: the sum of exp(−k · reliability) over its 8
   * bits (a large k: as doubtful as its least reliable bit).
   * @default 4
   */
  sharpness?: number;
}

/** Outcome of {@link softDecodeBlocks}. */
export interface SoftDecoded {
  /** The corrected matrix when every block decoded. */
  corrected?: Uint8Array;
  /**
   * When some blocks did not decode: per module, the bit that the decoded blocks' codewords
   * and the format word fix (0 or 1), −1 elsewhere — for a new reading with those modules
   * pinned. Undefined when no block decoded.
   */
  known?: Int8Array;
  /** Blocks decoded under the best format reading. */
  blocks: number;
}

/**
 * Correct a module matrix with soft-decision Reed–Solomon decoding: format information read
 * from both copies, weighted by reliability; codewords unmasked and de-interleaved into their
 * blocks; each block decoded with 0, 2, 4, … of its least reliable codewords erased (a
 * codeword is as reliable as its least reliable bit); the corrected codewords and a clean
 * format word written back (`corrected`). When some block does not decode, the modules the
 * decoded blocks fix (`known`: a reading with them pinned models the blur around them better —
 * block feedback).
 *
 * @param bits - Module matrix, row-major, 1 = dark.
 * @param reliability - Per module, how sure its bit is (larger = surer).
 * @param size - Modules per side.
 * @returns The {@link SoftDecoded} outcome.
 */
export function softDecodeBlocks(
  bits: Uint8Array,
  reliability: Float32Array,
  size: number,
  options: SoftCorrectOptions = {},
): SoftDecoded {
  const version = (size - 17) / 4;
  if (!Number.isInteger(version) || version < 1 || version > 40) return { blocks: 0 };
  const slack = options.slack ?? 4;
  const sharpness = options.sharpness ?? 4;
  const [fa, fb] = formatPositions(size);
  const costs = FORMAT_WORDS.map((word, d) => {
    let cost = 0;
    for (const pos of [fa, fb]) {
      for (let i = 0; i < 15; i++) {
        const want = (word >>> (14 - i)) & 1;
        const p = pos[i] as number;
        if ((bits[p] ?? 0) !== want) cost += reliability[p] ?? 0;
      }
    }
    return { d, cost };
  }).sort((p, q) => p.cost - q.cost);
  const order = codewordOrder(version);
  let partial: SoftDecoded = { blocks: 0 };
  for (const { d } of costs.slice(0, options.formats ?? 2)) {
    const level = LEVEL_OF_BITS[d >>> 3] as 'L' | 'M' | 'Q' | 'H';
    const mask = d & 7;
    const layout = blockLayout(version, level);
    // Raw codewords and their reliabilities in reading order.
    const raw = new Uint8Array(layout.total);
    const doubt = new Float32Array(layout.total);
    for (let k = 0; k < layout.total * 8; k++) {
      const p = order[k] as number;
      const x = p % size;
      const y = (p - x) / size;
      const bit = (bits[p] ?? 0) ^ (masked(mask, x, y) ? 1 : 0);
      const c = k >>> 3;
      raw[c] = (raw[c] as number) | (bit << (7 - (k & 7)));
      doubt[c] = (doubt[c] as number) + Math.exp(-sharpness * (reliability[p] ?? 0));
    }
    // De-interleave: data codewords column by column (long blocks have one more), then checks.
    const nb = layout.data.length;
    const index: number[][] = layout.data.map(() => []);
    const shortData = layout.data[0] as number;
    let r = 0;
    for (let i = 0; i < shortData; i++) for (let j = 0; j < nb; j++) (index[j] as number[]).push(r++);
    for (let j = 0; j < nb; j++) if ((layout.data[j] as number) > shortData) (index[j] as number[]).push(r++);
    for (let i = 0; i < layout.checks; i++) for (let j = 0; j < nb; j++) (index[j] as number[]).push(r++);
    const fixed = Uint8Array.from(raw);
    // Codewords of the blocks that decoded (every block is tried, for block feedback).
    const sure = new Uint8Array(layout.total);
    let decodedBlocks = 0;
    for (const idx of index) {
      const block = Uint8Array.from(idx, (i) => raw[i] as number);
      const byRel = idx
        .map((_, i) => i)
        .sort((p, q) => (doubt[idx[q] as number] as number) - (doubt[idx[p] as number] as number));
      let decoded: RsDecoded | undefined;
      for (let f = 0; f <= layout.checks - slack && !decoded; f += 2) {
        const d = rsDecode(block, layout.checks, byRel.slice(0, f));
        if (d && (f === 0 || layout.checks - 2 * d.errors - f >= slack)) decoded = d;
      }
      if (!decoded) continue;
      decodedBlocks++;
      idx.forEach((rawIndex, i) => {
        fixed[rawIndex] = decoded.block[i] as number;
        sure[rawIndex] = 1;
      });
    }
    if (decodedBlocks === 0 || decodedBlocks <= partial.blocks) continue;
    const word = FORMAT_WORDS[d] as number;
    const out = Uint8Array.from(bits);
    const known = new Int8Array(size * size).fill(-1);
    for (let k = 0; k < layout.total * 8; k++) {
      const p = order[k] as number;
      const x = p % size;
      const y = (p - x) / size;
      const bit = (((fixed[k >>> 3] as number) >>> (7 - (k & 7))) & 1) ^ (masked(mask, x, y) ? 1 : 0);
      out[p] = bit;
      if (sure[k >>> 3]) known[p] = bit;
    }
    for (const pos of [fa, fb]) {
      for (let i = 0; i < 15; i++) {
        const bit = (word >>> (14 - i)) & 1;
        out[pos[i] as number] = bit;
        known[pos[i] as number] = bit;
      }
    }
    out[(size - 8) * size + 8] = 1;
    if (decodedBlocks === nb) return { corrected: out, blocks: nb };
    partial = { known, blocks: decodedBlocks };
  }
  return partial;
}
