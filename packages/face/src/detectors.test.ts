import { describe, expect, it } from 'vitest';
import {
  decodeLandmarks68,
  decodeUltraface,
  decodeYunet,
  enlargedBox,
  landmarks68To5,
  yunetInputGeometry,
} from './detectors.js';

describe('yunet', () => {
  it('input geometry keeps the aspect ratio and pads to multiples of 32', () => {
    const g = yunetInputGeometry(1000, 750, 640);
    expect(g.resizedWidth).toBe(640);
    expect(g.resizedHeight).toBe(480);
    expect(g.paddedWidth % 32).toBe(0);
    expect(g.paddedHeight % 32).toBe(0);
    const odd = yunetInputGeometry(300, 1000, 640);
    expect(odd.resizedHeight).toBe(640);
    expect(odd.resizedWidth).toBe(192);
    expect(odd.paddedWidth).toBe(192);
  });

  it('decodes a face encoded into the anchor-free outputs', () => {
    // Encode one face at stride 16, cell (row 5, col 7) of a 256×192 padded input, scale 0.5.
    const geometry = { paddedWidth: 256, paddedHeight: 192, scale: 0.5 };
    const outputs: Record<string, Float32Array> = {};
    for (const s of [8, 16, 32]) {
      const n = (256 / s) * (192 / s);
      outputs[`cls_${s}`] = new Float32Array(n);
      outputs[`obj_${s}`] = new Float32Array(n);
      outputs[`bbox_${s}`] = new Float32Array(n * 4);
      outputs[`kps_${s}`] = new Float32Array(n * 10);
    }
    const cols = 256 / 16;
    const i = 5 * cols + 7;
    (outputs.cls_16 as Float32Array)[i] = 0.81;
    (outputs.obj_16 as Float32Array)[i] = 1;
    (outputs.bbox_16 as Float32Array).set([0.5, 0.25, Math.log(3), Math.log(4)], i * 4);
    (outputs.kps_16 as Float32Array).set([0.1, 0.2, 0.9, 0.2, 0.5, 0.5, 0.2, 0.8, 0.8, 0.8], i * 10);
    // A second, weaker, overlapping candidate in the next cell is suppressed.
    (outputs.cls_16 as Float32Array)[i + 1] = 0.7;
    (outputs.obj_16 as Float32Array)[i + 1] = 1;
    (outputs.bbox_16 as Float32Array).set([-0.4, 0.25, Math.log(3), Math.log(4)], (i + 1) * 4);
    const found = decodeYunet(outputs, geometry, { strides: [8, 16, 32], scoreThreshold: 0.6, nmsIou: 0.3 });
    expect(found).toHaveLength(1);
    const f = found[0];
    expect(f?.score).toBeCloseTo(0.9);
    // centre (7.5·16, 5.25·16) = (120, 84), size 48×64, then / 0.5.
    expect(f?.box.x).toBeCloseTo((120 - 24) / 0.5);
    expect(f?.box.y).toBeCloseTo((84 - 32) / 0.5);
    expect(f?.box.width).toBeCloseTo(96);
    expect(f?.box.height).toBeCloseTo(128);
    expect(f?.landmarks5?.[0]?.x).toBeCloseTo(((7 + 0.1) * 16) / 0.5);
    expect(f?.landmarks5?.[4]?.y).toBeCloseTo(((5 + 0.8) * 16) / 0.5);
  });
});

describe('ultraface', () => {
  it('scales normalised corner boxes, thresholds, suppresses and squares on height', () => {
    const scores = new Float32Array([0.1, 0.9, 0.5, 0.5, 0.2, 0.8, 0.05, 0.95]);
    const boxes = new Float32Array([0.1, 0.1, 0.3, 0.5, 0.6, 0.6, 0.7, 0.7, 0.11, 0.1, 0.31, 0.5, 0.6, 0.2, 0.5, 0.3]);
    const found = decodeUltraface(scores, boxes, 200, 100, { scoreThreshold: 0.7, nmsIou: 0.3, squareOnHeight: true });
    expect(found).toHaveLength(1);
    const b = found[0]?.box;
    expect(b?.height).toBeCloseTo(40);
    expect(b?.width).toBeCloseTo(40);
    expect((b?.x ?? 0) + (b?.width ?? 0) / 2).toBeCloseTo(40);
  });
});

describe('landmarks', () => {
  it('maps [0,1] outputs into the crop and reduces 68 points to 5', () => {
    const out = new Float32Array(136);
    for (let i = 0; i < 68; i++) {
      out[2 * i] = i / 100;
      out[2 * i + 1] = 0.5;
    }
    const pts = decodeLandmarks68(out, { x: 10, y: 20, width: 100, height: 50 });
    expect(pts).toHaveLength(68);
    expect(pts[30]?.x).toBeCloseTo(40, 4);
    expect(pts[30]?.y).toBeCloseTo(45, 4);
    const five = landmarks68To5(pts);
    expect(five[0]?.x).toBeCloseTo(10 + (37 + 38 + 40 + 41) / 4);
    expect(five[1]?.x).toBeCloseTo(10 + (43 + 44 + 46 + 47) / 4);
    expect(five[2]).toEqual(pts[30]);
    expect(five[3]?.x).toBeCloseTo(10 + 54);
    expect(five[4]?.x).toBeCloseTo(10 + 59);
  });
});

describe('enlargedBox (Silent-Face crop rule)', () => {
  it('enlarges around the centre and stays inside the image', () => {
    const b = enlargedBox({ x: 40, y: 40, width: 20, height: 20 }, 2, 100, 100);
    expect(b).toEqual({ x: 30, y: 30, width: 40, height: 40 });
    const edge = enlargedBox({ x: 0, y: 0, width: 20, height: 20 }, 2.7, 100, 100);
    expect(edge.x).toBe(0);
    expect(edge.width).toBeCloseTo(54);
    const big = enlargedBox({ x: 10, y: 10, width: 80, height: 80 }, 4, 100, 100);
    expect(big.x + big.width).toBeLessThanOrEqual(99.0001);
    expect(big.width).toBeCloseTo(99);
    // Random boxes: the crop always lies inside the image and keeps the box's aspect ratio.
    let seed = 3;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let k = 0; k < 2000; k++) {
      const W = 50 + Math.floor(rnd() * 500);
      const H = 50 + Math.floor(rnd() * 500);
      const w = 5 + rnd() * (W - 10);
      const h = 5 + rnd() * (H - 10);
      const box = { x: rnd() * (W - w), y: rnd() * (H - h), width: w, height: h };
      const e = enlargedBox(box, 1 + rnd() * 4, W, H);
      expect(e.x).toBeGreaterThanOrEqual(0);
      expect(e.y).toBeGreaterThanOrEqual(0);
      expect(e.x + e.width).toBeLessThanOrEqual(W - 1 + 1e-6);
      expect(e.y + e.height).toBeLessThanOrEqual(H - 1 + 1e-6);
      expect(e.width / e.height).toBeCloseTo(w / h, 3);
    }
  });
});

describe('decoders on garbage outputs (fuzz)', () => {
  it('never throw and only return finite, positive boxes', () => {
    let seed = 99;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const junk = (n: number) =>
      Float32Array.from({ length: n }, () => {
        const r = rnd();
        if (r < 0.02) return Number.NaN;
        if (r < 0.04) return Number.POSITIVE_INFINITY;
        if (r < 0.06) return -1e30;
        return (rnd() - 0.3) * 20;
      });
    for (let k = 0; k < 200; k++) {
      const outputs: Record<string, Float32Array> = {};
      for (const s of [8, 16, 32]) {
        const n = (64 / s) * (64 / s) - (k % 3);
        outputs[`cls_${s}`] = junk(n);
        outputs[`obj_${s}`] = junk(n);
        outputs[`bbox_${s}`] = junk(n * 4);
        outputs[`kps_${s}`] = junk(n * 10);
      }
      const y = decodeYunet(
        outputs,
        { paddedWidth: 64, paddedHeight: 64, scale: 0.5 },
        { strides: [8, 16, 32], scoreThreshold: 0.5, nmsIou: 0.3 },
      );
      const u = decodeUltraface(junk(200), junk(400), 320, 240, {
        scoreThreshold: 0.5,
        nmsIou: 0.3,
        squareOnHeight: k % 2 === 0,
      });
      for (const d of [...y, ...u]) {
        expect(Number.isFinite(d.box.x + d.box.y + d.box.width + d.box.height)).toBe(true);
        expect(d.box.width).toBeGreaterThan(0);
        expect(d.score).toBeGreaterThanOrEqual(0.5);
      }
      const l = decodeLandmarks68(junk(k % 140), { x: 0, y: 0, width: 10, height: 10 });
      expect(l.length).toBe(Math.min(68, Math.floor((k % 140) / 2)));
    }
  });
});
