import { describe, expect, it } from 'vitest';
import { isSmartCitizenError } from '@smart-citizen/core';
import { estimateAffine, estimateHomography, estimateSimilarity, jacobiEigen } from './estimateTransforms.js';
import {
  applyAffine,
  applyHomography,
  invert3x3,
  invertAffine,
  type Matrix2x3,
  type Matrix3x3,
  multiply3x3,
  type Point,
} from './geometry.js';
import type { RasterImage } from './RasterImage.js';
import { ARCFACE_112, checkerboard, gradient, px, rectCorners } from './testing/fixtures.js';
import { warpAffine, warpPerspective } from './warp.js';

let seed = 7;
function rand(): number {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647;
}

/** `n` random points in a `w`×`h` area. */
function randomPoints(n: number, w: number, h: number): Point[] {
  return Array.from({ length: n }, () => ({ x: rand() * w, y: rand() * h }));
}

/** The images of `points` under `map`, each moved by up to ±`noise`/2 in x and in y. */
function jittered(points: readonly Point[], map: (p: Point) => Point, noise: number): Point[] {
  return points.map((p) => {
    const q = map(p);
    return { x: q.x + (rand() - 0.5) * noise, y: q.y + (rand() - 0.5) * noise };
  });
}

function expectClose(p: Point, q: Point, tol: number): void {
  expect(Math.abs(p.x - q.x), `${p.x} vs ${q.x}`).toBeLessThan(tol);
  expect(Math.abs(p.y - q.y), `${p.y} vs ${q.y}`).toBeLessThan(tol);
}

/** `actual` equals `expected` element by element to `digits` decimals. */
function expectCloseTo(actual: ArrayLike<number>, expected: ArrayLike<number>, digits: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i] as number, digits);
}

function expectDegenerate(fn: () => unknown): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(isSmartCitizenError(err, 'geometry/degenerate'), String(err)).toBe(true);
}

describe('estimateAffine', () => {
  const M: Matrix2x3 = [1.2, -0.3, 15, 0.25, 0.9, -7];

  it('recovers a transform exactly from 3 pairs and in least squares from many noisy pairs', () => {
    const src3 = [
      { x: 10, y: 10 },
      { x: 300, y: 40 },
      { x: 120, y: 250 },
    ];
    expectCloseTo(
      estimateAffine(
        src3,
        src3.map((p) => applyAffine(M, p)),
      ),
      M,
      9,
    );
    const src = randomPoints(50, 1000, 800);
    const dst = jittered(src, (p) => applyAffine(M, p), 0.2);
    const fit = estimateAffine(src, dst);
    for (const p of src) expectClose(applyAffine(fit, p), applyAffine(M, p), 0.1);
  });

  it('refuses collinear points and bad arguments', () => {
    const line = [0, 1, 2, 3].map((i) => ({ x: i * 10, y: i * 5 }));
    expectDegenerate(() => estimateAffine(line, line));
    expect(() => estimateAffine(line.slice(0, 2), line.slice(0, 2))).toThrow(RangeError);
    expect(() => estimateAffine(line, line.slice(1))).toThrow(RangeError);
    expect(() => estimateAffine([{ x: Number.NaN, y: 0 }, ...line], [...line, line[0]!])).toThrow(RangeError);
    expect(() => estimateAffine('x' as unknown as Point[], [])).toThrow(TypeError);
  });
});

describe('estimateSimilarity', () => {
  it('recovers rotation, scale and translation exactly', () => {
    const s = 0.37;
    const t = 0.4;
    const M: Matrix2x3 = [s * Math.cos(t), -s * Math.sin(t), 12, s * Math.sin(t), s * Math.cos(t), -30];
    const src = [
      { x: 400, y: 300 },
      { x: 520, y: 310 },
      { x: 460, y: 380 },
    ];
    // Three points, and two are enough.
    for (const pts of [src, src.slice(0, 2)]) {
      expectCloseTo(
        estimateSimilarity(
          pts,
          pts.map((p) => applyAffine(M, p)),
        ),
        M,
        9,
      );
    }
  });

  it('aligns 5 noisy face landmarks to the ArcFace template like a direct least-squares solve', () => {
    // Landmarks of a face at ~3× scale, rotated 12°, somewhere in a photo, with landmark noise.
    const inv: Matrix2x3 = [
      2.9 * Math.cos(0.21),
      -2.9 * Math.sin(0.21),
      640,
      2.9 * Math.sin(0.21),
      2.9 * Math.cos(0.21),
      410,
    ];
    const landmarks = jittered(ARCFACE_112, (p) => applyAffine(inv, p), 4);
    const M = estimateSimilarity(landmarks, ARCFACE_112);
    // Independent check: minimise Σ‖[a −b; b a]·p + t − q‖² through its 4×4 normal equations.
    const AtA = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
    const Atb = [0, 0, 0, 0];
    landmarks.forEach((p, i) => {
      const q = ARCFACE_112[i]!;
      for (const [row, rhs] of [
        [[p.x, -p.y, 1, 0], q.x],
        [[p.y, p.x, 0, 1], q.y],
      ] as const) {
        for (let r = 0; r < 4; r++) {
          for (let c = 0; c < 4; c++) AtA[r]![c]! += row[r]! * row[c]!;
          Atb[r]! += row[r]! * rhs;
        }
      }
    });
    // Gaussian elimination.
    for (let c = 0; c < 4; c++) {
      for (let r = c + 1; r < 4; r++) {
        const f = AtA[r]![c]! / AtA[c]![c]!;
        for (let k = c; k < 4; k++) AtA[r]![k]! -= f * AtA[c]![k]!;
        Atb[r]! -= f * Atb[c]!;
      }
    }
    const x = [0, 0, 0, 0];
    for (let r = 3; r >= 0; r--) {
      let s = Atb[r]!;
      for (let k = r + 1; k < 4; k++) s -= AtA[r]![k]! * x[k]!;
      x[r] = s / AtA[r]![r]!;
    }
    const [a, b, tx, ty] = x as [number, number, number, number];
    const expected: Matrix2x3 = [a, -b, tx, b, a, ty];
    expectCloseTo(M, expected, 6);
    // And each landmark lands within the noise of its template point.
    landmarks.forEach((p, i) => {
      expectClose(applyAffine(M, p), ARCFACE_112[i]!, 1.5);
    });
  });

  it('never reflects, and refuses coincident points', () => {
    const src = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 0, y: 10 },
    ];
    const mirrored = src.map((p) => ({ x: -p.x, y: p.y }));
    const M = estimateSimilarity(src, mirrored);
    expect(M[0] * M[4] - M[1] * M[3]).toBeGreaterThanOrEqual(0);
    expectDegenerate(() =>
      estimateSimilarity(
        [
          { x: 5, y: 5 },
          { x: 5, y: 5 },
        ],
        src.slice(0, 2),
      ),
    );
    expect(() => estimateSimilarity([{ x: 1, y: 1 }], [{ x: 1, y: 1 }])).toThrow(RangeError);
  });
});

describe('estimateHomography, invert3x3, applyHomography', () => {
  const square = rectCorners(100, 100);
  const quad = [
    { x: 212.5, y: 103 },
    { x: 1030, y: 160.25 },
    { x: 990, y: 700 },
    { x: 180, y: 610 },
  ];

  it('maps the 4 corners of a square onto a quadrilateral and back', () => {
    const H = estimateHomography(square, quad);
    square.forEach((p, i) => {
      expectClose(applyHomography(H, p), quad[i]!, 1e-8);
    });
    const Hi = invert3x3(H);
    quad.forEach((p, i) => {
      expectClose(applyHomography(Hi, p), square[i]!, 1e-8);
    });
    expect(H[8]).toBe(1);
    const I = multiply3x3(H, Hi).map((v) => v / (multiply3x3(H, Hi)[8] as number));
    expectCloseTo(I, [1, 0, 0, 0, 1, 0, 0, 0, 1], 9);
  });

  it('fits many noisy pairs in least squares', () => {
    const Htrue = estimateHomography(square, quad);
    const src = randomPoints(40, 100, 100);
    const dst = jittered(src, (p) => applyHomography(Htrue, p), 0.5);
    const H = estimateHomography(src, dst);
    for (const p of src) expectClose(applyHomography(H, p), applyHomography(Htrue, p), 0.5);
  });

  it('refuses collinear, coincident and too few points with typed errors', () => {
    const threeOnALine = [
      { x: 0, y: 0 },
      { x: 50, y: 50 },
      { x: 100, y: 100 },
      { x: 0, y: 100 },
    ];
    expectDegenerate(() => estimateHomography(threeOnALine, quad));
    expectDegenerate(() => estimateHomography(square, threeOnALine));
    const allOnALine = [0, 1, 2, 3, 4, 5].map((i) => ({ x: i, y: 2 * i + 1 }));
    expectDegenerate(() => estimateHomography(allOnALine, allOnALine));
    const same = square.map(() => ({ x: 3, y: 3 }));
    expectDegenerate(() => estimateHomography(same, quad));
    expect(() => estimateHomography(square.slice(0, 3), quad.slice(0, 3))).toThrow(RangeError);
    expectDegenerate(() => invert3x3([1, 2, 3, 2, 4, 6, 0, 0, 1]));
    expectDegenerate(() => invertAffine([1, 2, 0, 2, 4, 0]));
    expect(() => invert3x3([1, 2, 3])).toThrow(RangeError);
  });

  it('inverts well-conditioned matrices of any scale', () => {
    const H: Matrix3x3 = [0.001, 0, 1000, 0, 0.001, -500, 0, 0, 1];
    const p = { x: 1234, y: 567 };
    expectClose(applyHomography(invert3x3(H), applyHomography(H, p)), p, 1e-6);
    const M: Matrix2x3 = [1e-4, 0, 3, 0, 1e-4, 4];
    expectClose(applyAffine(invertAffine(M), applyAffine(M, p)), p, 1e-6);
  });
});

describe('warpAffine and warpPerspective', () => {
  it('identity and integer translations copy pixels exactly, in every channel count', () => {
    for (const ch of [1, 3, 4] as const) {
      const g = gradient(20, 15, ch);
      const same = warpAffine(g, [1, 0, 0, 0, 1, 0], { width: 20, height: 15 });
      expect(Buffer.from(same.data).equals(Buffer.from(g.data))).toBe(true);
      const samePersp = warpPerspective(g, [1, 0, 0, 0, 1, 0, 0, 0, 1], { width: 20, height: 15 });
      expect(Buffer.from(samePersp.data).equals(Buffer.from(g.data))).toBe(true);
      const shifted = warpAffine(g, [1, 0, 3, 0, 1, 2], { width: 20, height: 15, fill: 9 });
      for (let c = 0; c < ch; c++) {
        expect(px(shifted, 5, 4, c)).toBe(px(g, 2, 2, c));
        expect(px(shifted, 1, 1, c)).toBe(9);
      }
    }
  });

  it('a warp with an estimated similarity puts marked points where they were sent', () => {
    const W = 200;
    const H = 160;
    const img: RasterImage = { width: W, height: H, channels: 1, data: new Uint8Array(W * H) };
    const src = [
      { x: 50, y: 40 },
      { x: 150, y: 52 },
      { x: 90, y: 120 },
    ];
    for (const p of src) {
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) img.data[(p.y + dy) * W + p.x + dx] = 255;
    }
    const dst = [
      { x: 30, y: 30 },
      { x: 80, y: 30 },
      { x: 55, y: 70 },
    ];
    const M = estimateSimilarity(src, dst);
    const out = warpAffine(img, M, { width: 112, height: 112 });
    for (const p of src) {
      const q = applyAffine(M, p);
      expect(px(out, Math.round(q.x), Math.round(q.y))).toBeGreaterThan(200);
    }
    // Far from the marks it stays dark.
    expect(px(out, 100, 100)).toBe(0);
  });

  it('rectifies a perspective-distorted checkerboard back to the original', () => {
    const board = checkerboard(160, 120, 20, 3);
    const corners = rectCorners(159, 119);
    const skewed = [
      { x: 30, y: 20 },
      { x: 250, y: 45 },
      { x: 230, y: 200 },
      { x: 15, y: 170 },
    ];
    const H = estimateHomography(corners, skewed);
    const photo = warpPerspective(board, H, { width: 280, height: 220, fill: [0, 128, 255] });
    expect([px(photo, 2, 215, 0), px(photo, 2, 215, 1), px(photo, 2, 215, 2)]).toEqual([0, 128, 255]);
    const back = warpPerspective(photo, estimateHomography(skewed, corners), { width: 160, height: 120 });
    let wrong = 0;
    let total = 0;
    for (let y = 3; y < 117; y++) {
      for (let x = 3; x < 157; x++) {
        // Skip pixels next to a cell edge, where interpolation legitimately blends.
        if (x % 20 < 2 || x % 20 > 17 || y % 20 < 2 || y % 20 > 17) continue;
        total++;
        if (Math.abs(px(back, x, y) - px(board, x, y)) > 40) wrong++;
      }
    }
    expect(total).toBeGreaterThan(5000);
    expect(wrong / total).toBeLessThan(0.005);
  });

  it('nearest interpolation keeps only source values; bad options are RangeErrors', () => {
    const board = checkerboard(40, 40, 5, 1);
    const out = warpAffine(board, [0.7, -0.7, 20, 0.7, 0.7, 0], { width: 60, height: 60, interpolation: 'nearest' });
    expect(out.data.every((v) => v === 0 || v === 255)).toBe(true);
    expect(() => warpAffine(board, [1, 0, 0, 0, 1, 0], { width: 0, height: 5 })).toThrow(RangeError);
    expect(() => warpAffine(board, [1, 0, 0, 0, 1, 0], { width: 5, height: 5, fill: [1, 2] })).toThrow(RangeError);
    expect(() => warpAffine(board, [1, 0, 0], { width: 5, height: 5 })).toThrow(RangeError);
    expect(() =>
      warpAffine(board, [1, 0, 0, 0, 1, 0], { width: 5, height: 5, interpolation: 'cubic' as 'nearest' }),
    ).toThrow(RangeError);
    expectDegenerate(() => warpPerspective(board, [0, 0, 0, 0, 0, 0, 0, 0, 0], { width: 5, height: 5 }));
  });
});

describe('jacobiEigen', () => {
  it('decomposes a symmetric matrix: S·v = λ·v for every pair, orthonormal vectors, input untouched', () => {
    const S = [
      [4, 1, 2],
      [1, 3, 0],
      [2, 0, 5],
    ];
    const copy = S.map((r) => [...r]);
    const { values, vectors } = jacobiEigen(S);
    expect(S).toEqual(copy);
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(12, 10); // trace
    for (let j = 0; j < 3; j++) {
      const v = vectors.map((r) => r[j] as number);
      const lambda = values[j] as number;
      for (let i = 0; i < 3; i++) {
        const sv = (S[i] as number[]).reduce((acc, x, k) => acc + x * (v[k] as number), 0);
        expect(sv).toBeCloseTo(lambda * (v[i] as number), 10);
      }
      for (let k = 0; k < 3; k++) {
        const dot = vectors.reduce((acc, r) => acc + (r[j] as number) * (r[k] as number), 0);
        expect(dot).toBeCloseTo(j === k ? 1 : 0, 10);
      }
    }
  });
});
