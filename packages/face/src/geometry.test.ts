import { describe, expect, it } from 'vitest';
import { cosineSimilarity, normalizeVector } from '@smart-citizen/core';
import { iou, nonMaxSuppression, softmax } from './geometry.js';

describe('geometry', () => {
  it('iou of identical, disjoint and half-overlapping boxes', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    expect(iou(a, a)).toBeCloseTo(1);
    expect(iou(a, { x: 20, y: 20, width: 5, height: 5 })).toBe(0);
    expect(iou(a, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(50 / 150);
    expect(iou(a, { x: 0, y: 0, width: 0, height: 0 })).toBe(0);
  });

  it('nms keeps the best of each overlapping cluster', () => {
    const items = [
      { box: { x: 0, y: 0, width: 10, height: 10 }, score: 0.8 },
      { box: { x: 1, y: 1, width: 10, height: 10 }, score: 0.9 },
      { box: { x: 50, y: 50, width: 10, height: 10 }, score: 0.7 },
    ];
    const kept = nonMaxSuppression(items, 0.3);
    expect(kept.map((k) => k.score)).toEqual([0.9, 0.7]);
    expect(nonMaxSuppression(items, 0.3, 1)).toHaveLength(1);
  });

  it('softmax sums to one and is stable for large logits', () => {
    const p = softmax([1000, 1001, 999]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    expect(p[1]).toBeGreaterThan(p[0] ?? 1);
    expect(softmax([0, 0])).toEqual([0.5, 0.5]);
  });

  it('normalizeVector and cosine on random vectors', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    for (let k = 0; k < 200; k++) {
      const v = Array.from({ length: 64 }, rnd);
      const n = normalizeVector(v);
      expect(Math.hypot(...n)).toBeCloseTo(1, 5);
      expect(
        cosineSimilarity(
          v,
          v.map((x) => x * 3),
        ),
      ).toBeCloseTo(1, 5);
      expect(
        cosineSimilarity(
          v,
          v.map((x) => -x),
        ),
      ).toBeCloseTo(-1, 5);
      const c = cosineSimilarity(v, Array.from({ length: 64 }, rnd));
      expect(Math.abs(c)).toBeLessThanOrEqual(1);
    }
    expect(Array.from(normalizeVector([0, 0]))).toEqual([0, 0]);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
  });
});
