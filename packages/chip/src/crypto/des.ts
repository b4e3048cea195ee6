/**
 * DES and two-/three-key triple DES (FIPS 46-3) in plain TypeScript.
 *
 * Why our own: the BAC retail MAC (ISO/IEC 9797-1 MAC algorithm 3) needs single DES, which
 * OpenSSL 3 moved to its legacy provider, and WebCrypto has no DES at all. Node's
 * `des-ede3-ecb` with K‖K‖K computes single DES, and the tests check this module against it;
 * but the browser path needs DES without Node, so the package uses this one everywhere.
 * Tables are the standard's; the round function combines each S-box with P once at load.
 * @internal
 */

const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24,
  16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31,
  23, 15, 7,
];
const FP = [
  40, 8, 48, 16, 56, 24, 64, 32, 39, 7, 47, 15, 55, 23, 63, 31, 38, 6, 46, 14, 54, 22, 62, 30, 37, 5, 45, 13, 53, 21,
  61, 29, 36, 4, 44, 12, 52, 20, 60, 28, 35, 3, 43, 11, 51, 19, 59, 27, 34, 2, 42, 10, 50, 18, 58, 26, 33, 1, 41, 9, 49,
  17, 57, 25,
];
const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
];
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36, 63, 55,
  47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47, 55, 30,
  40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
const S = [
  '14 4 13 1 2 15 11 8 3 10 6 12 5 9 0 7 0 15 7 4 14 2 13 1 10 6 12 11 9 5 3 8 4 1 14 8 13 6 2 11 15 12 9 7 3 10 5 0 15 12 8 2 4 9 1 7 5 11 3 14 10 0 6 13',
  '15 1 8 14 6 11 3 4 9 7 2 13 12 0 5 10 3 13 4 7 15 2 8 14 12 0 1 10 6 9 11 5 0 14 7 11 10 4 13 1 5 8 12 6 9 3 2 15 13 8 10 1 3 15 4 2 11 6 7 12 0 5 14 9',
  '10 0 9 14 6 3 15 5 1 13 12 7 11 4 2 8 13 7 0 9 3 4 6 10 2 8 5 14 12 11 15 1 13 6 4 9 8 15 3 0 11 1 2 12 5 10 14 7 1 10 13 0 6 9 8 7 4 15 14 3 11 5 2 12',
  '7 13 14 3 0 6 9 10 1 2 8 5 11 12 4 15 13 8 11 5 6 15 0 3 4 7 2 12 1 10 14 9 10 6 9 0 12 11 7 13 15 1 3 14 5 2 8 4 3 15 0 6 10 1 13 8 9 4 5 11 12 7 2 14',
  '2 12 4 1 7 10 11 6 8 5 3 15 13 0 14 9 14 11 2 12 4 7 13 1 5 0 15 10 3 9 8 6 4 2 1 11 10 13 7 8 15 9 12 5 6 3 0 14 11 8 12 7 1 14 2 13 6 15 0 9 10 4 5 3',
  '12 1 10 15 9 2 6 8 0 13 3 4 14 7 5 11 10 15 4 2 7 12 9 5 6 1 13 14 0 11 3 8 9 14 15 5 2 8 12 3 7 0 4 10 1 13 11 6 4 3 2 12 9 5 15 10 11 14 1 7 6 0 8 13',
  '4 11 2 14 15 0 8 13 3 12 9 7 5 10 6 1 13 0 11 7 4 9 1 10 14 3 5 12 2 15 8 6 1 4 11 13 12 3 7 14 10 15 6 8 0 5 9 2 6 11 13 8 1 4 10 7 9 5 0 15 14 2 3 12',
  '13 2 8 4 6 15 11 1 10 9 3 14 5 0 12 7 1 15 13 8 10 3 7 4 12 5 6 11 0 14 9 2 7 11 4 1 9 12 14 2 0 6 10 13 15 3 5 8 2 1 14 7 4 10 8 13 15 12 9 0 3 5 6 11',
].map((row) => row.split(' ').map(Number));

/** Bit k (1-based, MSB first) of a 32-bit word as a mask. */
const bit32 = (k: number) => (1 << (32 - k)) >>> 0;

/** SP[i][x]: S-box i on 6-bit input x, its 4 output bits placed at 4i+1..4i+4, then P. */
const SP: Uint32Array[] = S.map((box, i) => {
  const t = new Uint32Array(64);
  for (let x = 0; x < 64; x++) {
    const row = ((x >> 4) & 2) | (x & 1);
    const col = (x >> 1) & 15;
    const s = (box[row * 16 + col] as number) << (28 - 4 * i);
    let out = 0;
    for (let j = 1; j <= 32; j++) if (s & bit32(P[j - 1] as number)) out |= bit32(j);
    t[x] = out >>> 0;
  }
  return t;
});

/** Byte-wise lookup for a 64→64 bit permutation: [byte][value] → (hi, lo). */
function permTable(perm: number[]): Uint32Array {
  const t = new Uint32Array(8 * 256 * 2);
  for (let j = 1; j <= 64; j++) {
    const k = (perm[j - 1] as number) - 1;
    const byte = k >> 3;
    const mask = 0x80 >> (k & 7);
    for (let v = 0; v < 256; v++) {
      if (!(v & mask)) continue;
      const idx = (byte * 256 + v) * 2;
      if (j <= 32) t[idx] = ((t[idx] as number) | bit32(j)) >>> 0;
      else t[idx + 1] = ((t[idx + 1] as number) | bit32(j - 32)) >>> 0;
    }
  }
  return t;
}
const IP_T = permTable(IP);
const FP_T = permTable(FP);

function permute(t: Uint32Array, bytes: ArrayLike<number>): [number, number] {
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 8; b++) {
    const idx = (b * 256 + (bytes[b] as number)) * 2;
    hi |= t[idx] as number;
    lo |= t[idx + 1] as number;
  }
  return [hi >>> 0, lo >>> 0];
}

/** The 16 round keys, each as eight 6-bit chunks. */
export type DesKeySchedule = Uint8Array;

/** Key schedule of an 8-byte DES key (parity bits are ignored). */
export function desKeySchedule(key: Uint8Array): DesKeySchedule {
  if (key.length !== 8) throw new RangeError('a DES key is 8 bytes');
  const bits = (k: number) => ((key[(k - 1) >> 3] as number) >> (7 - ((k - 1) & 7))) & 1;
  let c = PC1.slice(0, 28).map(bits);
  let d = PC1.slice(28).map(bits);
  const out = new Uint8Array(16 * 8);
  for (let r = 0; r < 16; r++) {
    const s = SHIFTS[r] as number;
    c = c.slice(s).concat(c.slice(0, s));
    d = d.slice(s).concat(d.slice(0, s));
    const cd = c.concat(d);
    for (let i = 0; i < 8; i++) {
      let v = 0;
      for (let j = 0; j < 6; j++) v = (v << 1) | (cd[(PC2[i * 6 + j] as number) - 1] as number);
      out[r * 8 + i] = v;
    }
  }
  return out;
}

function rounds(hi: number, lo: number, ks: DesKeySchedule, decrypt: boolean): [number, number] {
  let l = hi;
  let r = lo;
  for (let n = 0; n < 16; n++) {
    const k = (decrypt ? 15 - n : n) * 8;
    let f = 0;
    for (let i = 0; i < 8; i++) {
      const s = (27 - 4 * i + 32) % 32;
      const chunk = ((r >>> s) | (r << (32 - s))) & 0x3f;
      f |= (SP[i] as Uint32Array)[chunk ^ (ks[k + i] as number)] as number;
    }
    const t = r;
    r = (l ^ f) >>> 0;
    l = t;
  }
  return [r, l];
}

/** Encrypt or decrypt one 8-byte block in place at `offset`. */
export function desBlock(ks: DesKeySchedule, buf: Uint8Array, offset: number, decrypt: boolean): void {
  const [hi, lo] = permute(IP_T, buf.subarray(offset, offset + 8));
  const [a, b] = rounds(hi, lo, ks, decrypt);
  const pre = Uint8Array.of(
    a >>> 24,
    (a >>> 16) & 255,
    (a >>> 8) & 255,
    a & 255,
    b >>> 24,
    (b >>> 16) & 255,
    (b >>> 8) & 255,
    b & 255,
  );
  const [x, y] = permute(FP_T, pre);
  buf[offset] = x >>> 24;
  buf[offset + 1] = (x >>> 16) & 255;
  buf[offset + 2] = (x >>> 8) & 255;
  buf[offset + 3] = x & 255;
  buf[offset + 4] = y >>> 24;
  buf[offset + 5] = (y >>> 16) & 255;
  buf[offset + 6] = (y >>> 8) & 255;
  buf[offset + 7] = y & 255;
}

/** Triple DES (EDE) with a 16-byte (two-key) or 24-byte (three-key) key. */
export class TripleDes {
  private readonly k1: DesKeySchedule;
  private readonly k2: DesKeySchedule;
  private readonly k3: DesKeySchedule;
  constructor(key: Uint8Array) {
    if (key.length !== 16 && key.length !== 24) throw new RangeError('a 3DES key is 16 or 24 bytes');
    this.k1 = desKeySchedule(key.subarray(0, 8));
    this.k2 = desKeySchedule(key.subarray(8, 16));
    this.k3 = key.length === 24 ? desKeySchedule(key.subarray(16, 24)) : this.k1;
  }
  /** Single DES with the first key (for the retail MAC). */
  single(buf: Uint8Array, offset: number, decrypt: boolean, which: 1 | 2 = 1): void {
    desBlock(which === 1 ? this.k1 : this.k2, buf, offset, decrypt);
  }
  block(buf: Uint8Array, offset: number, decrypt: boolean): void {
    if (decrypt) {
      desBlock(this.k3, buf, offset, true);
      desBlock(this.k2, buf, offset, false);
      desBlock(this.k1, buf, offset, true);
    } else {
      desBlock(this.k1, buf, offset, false);
      desBlock(this.k2, buf, offset, true);
      desBlock(this.k3, buf, offset, false);
    }
  }
  /** CBC over whole blocks (no padding), IV zero unless given. */
  cbc(data: Uint8Array, decrypt: boolean, iv: Uint8Array = new Uint8Array(8)): Uint8Array {
    if (data.length % 8 !== 0) throw new RangeError('3DES-CBC data must be a multiple of 8 bytes');
    const out = data.slice();
    let prev = iv.slice();
    for (let o = 0; o < out.length; o += 8) {
      if (decrypt) {
        const c = out.slice(o, o + 8);
        this.block(out, o, true);
        for (let i = 0; i < 8; i++) out[o + i] = (out[o + i] as number) ^ (prev[i] as number);
        prev = c;
      } else {
        for (let i = 0; i < 8; i++) out[o + i] = (out[o + i] as number) ^ (prev[i] as number);
        this.block(out, o, false);
        prev = out.slice(o, o + 8);
      }
    }
    return out;
  }
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC") with DES: single-DES CBC under K1 over every
 * block, then decrypt with K2 and encrypt with K1 on the last. `data` must already be padded.
 */
export function retailMac(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length === 0 || data.length % 8 !== 0) throw new RangeError('retail MAC input must be padded to 8 bytes');
  const tdes = new TripleDes(key.subarray(0, 16));
  const h = new Uint8Array(8);
  for (let o = 0; o < data.length; o += 8) {
    for (let i = 0; i < 8; i++) h[i] = (h[i] as number) ^ (data[o + i] as number);
    tdes.single(h, 0, false, 1);
  }
  tdes.single(h, 0, true, 2);
  tdes.single(h, 0, false, 1);
  return h;
}
