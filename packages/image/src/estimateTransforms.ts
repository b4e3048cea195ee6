import { assertPointPairs, degenerate, invert3x3, type Matrix2x3, type Matrix3x3, type Point } from './geometry.js';

/** Similarity that moves the centroid to the origin and the mean distance to √2 (Hartley). */
function normaliser(points: readonly Point[]): { t: Matrix3x3; pts: Point[]; spread: number } {
  let mx = 0;
  let my = 0;
  for (const p of points) {
    mx += p.x;
    my += p.y;
  }
  mx /= points.length;
  my /= points.length;
  let d = 0;
  for (const p of points) d += Math.hypot(p.x - mx, p.y - my);
  d /= points.length;
  if (!(d > 0)) throw degenerate('all points coincide');
  const s = Math.SQRT2 / d;
  return {
    t: [s, 0, -s * mx, 0, s, -s * my, 0, 0, 1],
    pts: points.map((p) => ({ x: (p.x - mx) * s, y: (p.y - my) * s })),
    spread: d,
  };
}

/** Twice the signed area of a triangle. */
function cross(a: Point, b: Point, c: Point): number {
  return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

/** Largest |cross| over all triples (normalised points, so the threshold is scale-free). */
function maxTriangle(pts: readonly Point[]): number {
  let best = 0;
  const n = Math.min(pts.length, 64); // enough to tell "all on one line" for any real input
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      for (let k = j + 1; k < n; k++) best = Math.max(best, Math.abs(cross(pts[i]!, pts[j]!, pts[k]!)));
  return best;
}

/** Solve a small dense system A x = b (Gaussian elimination, partial pivoting); null when singular. */
function solve(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(M[r]![col]!) > Math.abs(M[piv]![col]!)) piv = r;
    if (Math.abs(M[piv]![col]!) < 1e-12) return null;
    [M[col], M[piv]] = [M[piv]!, M[col]!];
    const pr = M[col]!;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = M[r]!;
      const f = row[col]! / pr[col]!;
      if (f !== 0) for (let c = col; c <= n; c++) row[c] = row[c]! - f * pr[c]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]!);
}

/**
 * Least-squares affine transform mapping `src` onto `dst` (6 degrees of freedom).
 *
 * @param src - Source points (at least 3, not all on one line).
 * @param dst - Destination points, same length.
 * @returns The transform `[a, b, c, d, e, f]` minimising Σ‖M·src − dst‖².
 * @throws RangeError for fewer than 3 pairs, different lengths or non-finite coordinates.
 * @throws SmartCitizenError `geometry/degenerate` when the source points are collinear.
 */
export function estimateAffine(src: readonly Point[], dst: readonly Point[]): Matrix2x3 {
  assertPointPairs(src, dst, 3);
  const ns = normaliser(src);
  const nd = normaliser(dst);
  if (maxTriangle(ns.pts) < 1e-6) throw degenerate('source points are collinear');
  // Normal equations in normalised coordinates: [x y 1] · [a b c]^T = x'.
  const AtA = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const bx = [0, 0, 0];
  const by = [0, 0, 0];
  ns.pts.forEach((p, i) => {
    const q = nd.pts[i]!;
    const v = [p.x, p.y, 1];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) AtA[r]![c]! += v[r]! * v[c]!;
      bx[r]! += v[r]! * q.x;
      by[r]! += v[r]! * q.y;
    }
  });
  const rx = solve(AtA, bx);
  const ry = solve(AtA, by);
  if (!rx || !ry) throw degenerate('source points are collinear');
  // Undo the normalisations: M = Td⁻¹ · N · Ts.
  const N: Matrix3x3 = [rx[0]!, rx[1]!, rx[2]!, ry[0]!, ry[1]!, ry[2]!, 0, 0, 1];
  const M = mul(invert3x3(nd.t), mul(N, ns.t));
  return [M[0], M[1], M[2], M[3], M[4], M[5]];
}

function mul(a: Matrix3x3, b: Matrix3x3): Matrix3x3 {
  const out = [0, 0, 0, 0, 0, 0, 0, 0, 0] as Matrix3x3;
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      out[r * 3 + c] = a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!;
  return out;
}

/**
 * Least-squares similarity (rotation, uniform scale, translation; no reflection) mapping `src`
 * onto `dst`: Umeyama's method, which in 2-D has the closed form used here. It gives the same
 * matrix as scikit-image's `SimilarityTransform.estimate`, the usual way to align 5 face
 * landmarks to the ArcFace 112×112 template.
 *
 * @param src - Source points (at least 2, not all equal).
 * @param dst - Destination points, same length.
 * @returns The transform `[s·cosθ, −s·sinθ, tx, s·sinθ, s·cosθ, ty]`.
 * @throws RangeError for fewer than 2 pairs, different lengths or non-finite coordinates.
 * @throws SmartCitizenError `geometry/degenerate` when all source points coincide.
 */
export function estimateSimilarity(src: readonly Point[], dst: readonly Point[]): Matrix2x3 {
  assertPointPairs(src, dst, 2);
  const n = src.length;
  let msx = 0;
  let msy = 0;
  let mdx = 0;
  let mdy = 0;
  for (let i = 0; i < n; i++) {
    msx += src[i]!.x;
    msy += src[i]!.y;
    mdx += dst[i]!.x;
    mdy += dst[i]!.y;
  }
  msx /= n;
  msy /= n;
  mdx /= n;
  mdy /= n;
  let a = 0;
  let b = 0;
  let varS = 0;
  for (let i = 0; i < n; i++) {
    const sx = src[i]!.x - msx;
    const sy = src[i]!.y - msy;
    const dx = dst[i]!.x - mdx;
    const dy = dst[i]!.y - mdy;
    a += sx * dx + sy * dy;
    b += sx * dy - sy * dx;
    varS += sx * sx + sy * sy;
  }
  let spread = 0;
  for (let i = 0; i < n; i++) spread = Math.max(spread, Math.abs(src[i]!.x - msx), Math.abs(src[i]!.y - msy));
  if (!(varS > 1e-20 * Math.max(1, msx * msx + msy * msy)) || spread === 0) {
    throw degenerate('all source points coincide');
  }
  const sc = a / varS; // s·cosθ
  const ss = b / varS; // s·sinθ
  return [sc, -ss, mdx - (sc * msx - ss * msy), ss, sc, mdy - (ss * msx + sc * msy)];
}

function det3(m: Matrix3x3): number {
  const [a, b, c, d, e, f, g, h, i] = m;
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations.
 * @param S - A symmetric n×n matrix (rows); not modified.
 * @returns `values[j]` and its eigenvector as column j of `vectors` (`vectors[k][j]`), unordered.
 */
export function jacobiEigen(S: number[][]): { values: number[]; vectors: number[][] } {
  const n = S.length;
  const A = S.map((r) => [...r]);
  const V = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p]![q]! * A[p]![q]!;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q]![q]! - A[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k]![p]!;
          const akq = A[k]![q]!;
          A[k]![p] = c * akp - s * akq;
          A[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p]![k]!;
          const aqk = A[q]![k]!;
          A[p]![k] = c * apk - s * aqk;
          A[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k]![p]!;
          const vkq = V[k]![q]!;
          V[k]![p] = c * vkp - s * vkq;
          V[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: A.map((r, i) => r[i]!), vectors: V };
}

/**
 * Homography mapping `src` onto `dst` by the normalised direct linear transform (Hartley &
 * Zisserman, algorithm 4.2): exact for 4 pairs, algebraic least squares for more.
 *
 * @param src - Source points (at least 4; for exactly 4, no three on one line).
 * @param dst - Destination points, same length and the same condition.
 * @returns The homography, row-major, scaled so that `h8 = 1` (when it is not ~0).
 * @throws RangeError for fewer than 4 pairs, different lengths or non-finite coordinates.
 * @throws SmartCitizenError `geometry/degenerate` for collinear or coincident points, or when no
 *   unique non-singular homography fits.
 * @example
 * ```ts
 * const H = estimateHomography(cardCorners, [{ x: 0, y: 0 }, { x: 856, y: 0 }, { x: 856, y: 540 }, { x: 0, y: 540 }]);
 * ```
 */
export function estimateHomography(src: readonly Point[], dst: readonly Point[]): Matrix3x3 {
  assertPointPairs(src, dst, 4);
  const ns = normaliser(src);
  const nd = normaliser(dst);
  for (const [pts, name] of [
    [ns.pts, 'source'],
    [nd.pts, 'destination'],
  ] as const) {
    if (maxTriangle(pts) < 1e-6) throw degenerate(`${name} points are collinear`);
    if (pts.length === 4) {
      const [a, b, c, d] = pts as [Point, Point, Point, Point];
      for (const [p, q, r] of [
        [a, b, c],
        [a, b, d],
        [a, c, d],
        [b, c, d],
      ] as const) {
        if (Math.abs(cross(p, q, r)) < 1e-6) throw degenerate(`three ${name} points are collinear`);
      }
    }
  }
  // AᵀA of the 2n×9 DLT system, accumulated row by row.
  const AtA = Array.from({ length: 9 }, () => new Array<number>(9).fill(0));
  const addRow = (row: number[]) => {
    for (let r = 0; r < 9; r++) {
      const v = row[r]!;
      if (v === 0) continue;
      const target = AtA[r]!;
      for (let c = 0; c < 9; c++) target[c] = target[c]! + v * row[c]!;
    }
  };
  ns.pts.forEach((p, i) => {
    const q = nd.pts[i]!;
    addRow([0, 0, 0, -p.x, -p.y, -1, q.y * p.x, q.y * p.y, q.y]);
    addRow([p.x, p.y, 1, 0, 0, 0, -q.x * p.x, -q.x * p.y, -q.x]);
  });
  const { values, vectors } = jacobiEigen(AtA);
  const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const smallest = order[0]!;
  const second = order[1]!;
  const largest = order[8]!;
  if (!(second[0] > 1e-10 * largest[0])) throw degenerate('no unique homography fits these points');
  const h = vectors.map((row) => row[smallest[1]]!) as Matrix3x3;
  // A fit that collapses the plane is no usable homography (judged on the unit-norm, normalised
  // solution, where a healthy determinant is far from zero).
  if (!(Math.abs(det3(h)) > 1e-9)) throw degenerate('the fitted homography is singular');
  // H = Td⁻¹ · Ĥ · Ts
  const H = mul(invert3x3(nd.t), mul(h, ns.t));
  const scale = Math.abs(H[8]) > 1e-12 ? H[8] : Math.hypot(...H);
  return H.map((v) => v / scale) as Matrix3x3;
}
