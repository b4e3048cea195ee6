import { SmartCitizenError } from '@smart-citizen/core';

/** A 2-D point in pixel coordinates (integer coordinates are pixel centres, as in OpenCV). */
export interface Point {
  x: number;
  y: number;
}

/**
 * A 2-D affine transform as a row-major 2×3 tuple `[a, b, c, d, e, f]`:
 * `x' = a·x + b·y + c`, `y' = d·x + e·y + f` (OpenCV's `M` flattened). Plain arrays so they
 * serialise to JSON; functions that take one also accept any array-like of 6 numbers
 * (e.g. a Float64Array).
 */
export type Matrix2x3 = [number, number, number, number, number, number];

/**
 * A 3×3 matrix (a homography) as a row-major tuple `[h0 … h8]`:
 * `x' = (h0·x + h1·y + h2) / w`, `y' = (h3·x + h4·y + h5) / w`, `w = h6·x + h7·y + h8`.
 * Functions that take one also accept any array-like of 9 numbers.
 */
export type Matrix3x3 = [number, number, number, number, number, number, number, number, number];

/** Error codes of the geometry functions. */
export type GeometryErrorCode = 'geometry/degenerate';

/** @internal */
export function degenerate(message: string, details?: Record<string, unknown>): SmartCitizenError<GeometryErrorCode> {
  return new SmartCitizenError('geometry/degenerate', message, details ? { pkg: 'image', details } : { pkg: 'image' });
}

/** @internal Validate an array-like of `n` finite numbers. */
export function assertMatrix(m: unknown, n: 6 | 9, name: string): asserts m is ArrayLike<number> {
  const arr = m as ArrayLike<number> | null;
  if (typeof arr !== 'object' || arr === null || typeof arr.length !== 'number') {
    throw new TypeError(`${name} must be an array of ${n} numbers`);
  }
  if (arr.length !== n) throw new RangeError(`${name} must have ${n} entries, got ${arr.length}`);
  for (let i = 0; i < n; i++) {
    if (typeof arr[i] !== 'number' || !Number.isFinite(arr[i]))
      throw new RangeError(`${name}[${i}] must be a finite number`);
  }
}

/** @internal Validate point lists: same length, at least `min`, finite coordinates. */
export function assertPointPairs(src: unknown, dst: unknown, min: number): asserts src is Point[] {
  if (!Array.isArray(src) || !Array.isArray(dst)) throw new TypeError('src and dst must be arrays of points');
  if (src.length !== dst.length)
    throw new RangeError(`src and dst must have the same length (${src.length} ≠ ${dst.length})`);
  if (src.length < min) throw new RangeError(`at least ${min} point pairs are needed, got ${src.length}`);
  for (const list of [src, dst]) {
    for (const p of list as unknown[]) {
      const q = p as Point | null;
      if (typeof q !== 'object' || q === null || !Number.isFinite(q.x) || !Number.isFinite(q.y)) {
        throw new RangeError('every point must have finite x and y');
      }
    }
  }
}

/**
 * Map a point through an affine transform.
 *
 * @param m - The transform.
 * @param p - The point.
 * @returns The transformed point.
 */
export function applyAffine(m: Readonly<Matrix2x3> | ArrayLike<number>, p: Point): Point {
  assertMatrix(m, 6, 'm');
  return {
    x: (m[0] as number) * p.x + (m[1] as number) * p.y + (m[2] as number),
    y: (m[3] as number) * p.x + (m[4] as number) * p.y + (m[5] as number),
  };
}

/**
 * Invert an affine transform.
 *
 * @param m - The transform.
 * @returns The inverse transform.
 * @throws SmartCitizenError `geometry/degenerate` when `m` is singular.
 */
export function invertAffine(m: Readonly<Matrix2x3> | ArrayLike<number>): Matrix2x3 {
  assertMatrix(m, 6, 'm');
  const [a, b, c, d, e, f] = Array.from(m) as Matrix2x3;
  const det = a * e - b * d;
  // Relative to Hadamard's bound (product of the row norms), so any scale of input works.
  if (!(Math.abs(det) > 1e-12 * Math.hypot(a, b) * Math.hypot(d, e)))
    throw degenerate('the affine transform is singular');
  const ia = e / det;
  const ib = -b / det;
  const id = -d / det;
  const ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

/**
 * Invert a 3×3 matrix (e.g. a homography, to map destination points back).
 *
 * @param m - Row-major 3×3 matrix.
 * @returns The inverse, row-major.
 * @throws SmartCitizenError `geometry/degenerate` when `m` is singular.
 */
export function invert3x3(m: Readonly<Matrix3x3> | ArrayLike<number>): Matrix3x3 {
  assertMatrix(m, 9, 'm');
  const [a, b, c, d, e, f, g, h, i] = Array.from(m) as Matrix3x3;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  // Relative to Hadamard's bound (product of the row norms), so any scale of input works.
  const bound = Math.hypot(a, b, c) * Math.hypot(d, e, f) * Math.hypot(g, h, i);
  if (!(Math.abs(det) > 1e-13 * bound)) throw degenerate('the matrix is singular');
  return [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}

/**
 * Map a point through a homography (with the perspective division).
 *
 * @param h - Row-major 3×3 homography.
 * @param p - The point.
 * @returns The transformed point; its coordinates are ±Infinity or NaN when `p` lies on the
 *   homography's line at infinity.
 */
export function applyHomography(h: Readonly<Matrix3x3> | ArrayLike<number>, p: Point): Point {
  assertMatrix(h, 9, 'h');
  const w = (h[6] as number) * p.x + (h[7] as number) * p.y + (h[8] as number);
  return {
    x: ((h[0] as number) * p.x + (h[1] as number) * p.y + (h[2] as number)) / w,
    y: ((h[3] as number) * p.x + (h[4] as number) * p.y + (h[5] as number)) / w,
  };
}

/**
 * Multiply two 3×3 matrices: the result applies `b` first, then `a`.
 *
 * @param a - Left matrix.
 * @param b - Right matrix.
 * @returns `a · b`, row-major.
 */
export function multiply3x3(
  a: Readonly<Matrix3x3> | ArrayLike<number>,
  b: Readonly<Matrix3x3> | ArrayLike<number>,
): Matrix3x3 {
  assertMatrix(a, 9, 'a');
  assertMatrix(b, 9, 'b');
  const out = new Array<number>(9).fill(0) as Matrix3x3;
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += (a[r * 3 + k] as number) * (b[k * 3 + c] as number);
      out[r * 3 + c] = s;
    }
  }
  return out;
}
