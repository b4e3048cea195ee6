import { estimateSimilarity, type RasterImage } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { ARCFACE_TEMPLATE_112 } from './profiles.js';
import { assessQuality, defaultQualityLimits, facePixelMask, laplacianVariance, outsideShare } from './quality.js';

function pattern(size: number, blurRadius: number, level = 128, amplitude = 60): RasterImage {
  let seed = 11;
  const rnd = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const base = Array.from({ length: size * size }, () => level + (rnd() - 0.5) * 2 * amplitude);
  const out = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let s = 0;
      let n = 0;
      for (let dy = -blurRadius; dy <= blurRadius; dy++) {
        for (let dx = -blurRadius; dx <= blurRadius; dx++) {
          const xx = Math.min(size - 1, Math.max(0, x + dx));
          const yy = Math.min(size - 1, Math.max(0, y + dy));
          s += base[yy * size + xx] ?? 0;
          n++;
        }
      }
      const v = Math.max(0, Math.min(255, Math.round(s / n)));
      out.set([v, v, v], (y * size + x) * 3);
    }
  }
  return { width: size, height: size, channels: 3, data: out };
}

const frontal = ARCFACE_TEMPLATE_112.map(([x, y]) => ({ x: x * 3 + 100, y: y * 3 + 100 }));
const openEyes = (() => {
  const p = Array.from({ length: 68 }, () => ({ x: 0, y: 0 }));
  const eye = (cx: number, cy: number, start: number) => {
    [
      [-15, 0],
      [-5, -5],
      [5, -5],
      [15, 0],
      [5, 5],
      [-5, 5],
    ].forEach(([dx, dy], i) => {
      p[start + i] = { x: cx + (dx ?? 0), y: cy + (dy ?? 0) };
    });
  };
  eye(215, 255, 36);
  eye(320, 255, 42);
  return p;
})();

describe('laplacianVariance', () => {
  it('drops as the image gets blurrier', () => {
    const v = [0, 1, 2, 4].map((r) => {
      const img = pattern(64, r);
      const grey = Array.from({ length: 64 * 64 }, (_, i) => img.data[i * 3] ?? 0);
      return laplacianVariance(grey, 64, 64);
    });
    for (let i = 1; i < v.length; i++) expect(v[i]).toBeLessThan(v[i - 1] ?? 0);
    expect(laplacianVariance(new Array(100).fill(9), 10, 10)).toBe(0);
  });
});

describe('assessQuality', () => {
  const base = {
    box: { x: 150, y: 150, width: 300, height: 300 },
    landmarks5: frontal,
    landmarks68: openEyes,
    imageWidth: 640,
    imageHeight: 640,
  };

  it('passes a sharp, frontal, well exposed face', () => {
    const q = assessQuality({ ...base, aligned: pattern(112, 0) }, defaultQualityLimits.photo);
    expect(q.issues.map((i) => i.code)).toEqual([]);
    expect(q.passed).toBe(true);
    expect(Math.abs(q.yaw)).toBeLessThan(3);
  });

  it('names each problem: blur, darkness, glare, size, pose, closed eyes, cut-off', () => {
    const codes = (
      over: Partial<typeof base> & { aligned?: RasterImage },
      type: 'photo' | 'id-card-portrait' = 'photo',
    ) =>
      assessQuality({ ...base, aligned: pattern(112, 0), ...over }, defaultQualityLimits[type]).issues.map(
        (i) => i.code,
      );
    expect(codes({ aligned: pattern(112, 4) })).toContain('face/blurry');
    expect(codes({ aligned: pattern(112, 0, 20, 10) })).toContain('face/too-dark');
    expect(codes({ aligned: pattern(112, 0, 240, 10) })).toContain('face/too-bright');
    const tiny = frontal.map((p) => ({ x: p.x / 8, y: p.y / 8 }));
    expect(codes({ landmarks5: tiny })).toContain('face/too-small');
    const turned = frontal.map((p, i) => (i === 2 ? { x: p.x + 80, y: p.y } : p));
    expect(codes({ landmarks5: turned })).toContain('face/pose-yaw');
    const bowed = frontal.map((p, i) => (i === 2 ? { x: p.x, y: p.y + 45 } : p));
    expect(codes({ landmarks5: bowed })).toContain('face/pose-pitch');
    const closed = openEyes.map((p, i) => (i >= 36 && i < 48 ? { x: p.x, y: 255 } : p));
    expect(codes({ landmarks68: closed })).toContain('face/eyes-not-visible');
    const atEdge = frontal.map((p) => ({ x: p.x + 470, y: p.y }));
    expect(codes({ landmarks5: atEdge })).toContain('face/cut-off');
    // Without points the box decides.
    expect(codes({ landmarks5: [], box: { x: 450, y: 150, width: 300, height: 300 } })).toContain('face/cut-off');
  });

  it("a detector's square box with a margin past the frame is not a cut face when the points are inside", () => {
    const q = assessQuality(
      { ...base, aligned: pattern(112, 0), box: { x: -40, y: -40, width: 720, height: 720 } },
      defaultQualityLimits.photo,
    );
    expect(q.outside).toBe(0);
    expect(q.passed).toBe(true);
  });

  describe('exposure on face pixels only (tight crops)', () => {
    const template = ARCFACE_TEMPLATE_112.map(([x, y]) => ({ x, y }));
    // The face fills a 150-px image: the points of a frontal face 150 px wide, its left cheek at
    // the frame's edge, so alignment pads the left third of the crop with black.
    const tight = ARCFACE_TEMPLATE_112.map(([x, y]) => ({ x: (x - 38) * 1.3 + 8, y: y * 1.3 }));
    const toAligned = estimateSimilarity(tight, template);
    const geometry = { template: ARCFACE_TEMPLATE_112, toAligned };
    const mask = facePixelMask(112, 112, geometry, 150, 150);
    // The crop as alignment makes it: face texture at normal brightness inside, padding 0 outside.
    const aligned = pattern(112, 0, 130, 50);
    const inside = (u: number, v: number) => {
      const det = toAligned[0] * toAligned[4] - toAligned[1] * toAligned[3];
      const x = (toAligned[4] * (u - toAligned[2]) - toAligned[1] * (v - toAligned[5])) / det;
      return x >= 0;
    };
    let padded = 0;
    for (let v = 0; v < 112; v++)
      for (let u = 0; u < 112; u++)
        if (!inside(u, v)) {
          aligned.data.fill(0, (v * 112 + u) * 3, (v * 112 + u) * 3 + 3);
          padded++;
        }
    const input = {
      box: { x: 0, y: 0, width: 150, height: 150 },
      landmarks5: tight,
      landmarks68: openEyes.map((p) => ({ x: ((p.x - 100) / 3 - 38) * 1.3 + 8, y: ((p.y - 100) / 3) * 1.3 })),
      aligned,
      imageWidth: 150,
      imageHeight: 150,
    };

    it('the padding is a large part of the crop, and the mask leaves it out', () => {
      expect(padded / (112 * 112)).toBeGreaterThan(0.2);
      let maskedPadding = 0;
      let faceCount = 0;
      for (let v = 0; v < 112; v++)
        for (let u = 0; u < 112; u++) {
          if (!mask[v * 112 + u]) continue;
          faceCount++;
          if (!inside(u, v)) maskedPadding++;
        }
      expect(maskedPadding).toBe(0);
      expect(faceCount).toBeGreaterThan(0.1 * 112 * 112);
    });

    it('counted over the whole crop the padding reads as too dark; over face pixels it does not', () => {
      const limits = { ...defaultQualityLimits.photo, minInterOcular: 0 };
      const whole = assessQuality(input, limits);
      expect(whole.issues.map((i) => i.code)).toContain('face/too-dark');
      const face = assessQuality({ ...input, geometry }, limits);
      expect(face.issues.map((i) => i.code)).not.toContain('face/too-dark');
      expect(face.clipped).toBe(0);
      expect(face.brightness).toBeGreaterThan(115);
      expect(face.brightness).toBeLessThan(145);
      expect(face.faceArea).toBeGreaterThan(0.1);
    });

    it('a dark face is still too dark, a bright one too bright, on face pixels', () => {
      const limits = { ...defaultQualityLimits.photo, minInterOcular: 0 };
      const dark = assessQuality({ ...input, aligned: pattern(112, 0, 25, 10), geometry }, limits);
      expect(dark.issues.map((i) => i.code)).toContain('face/too-dark');
      const bright = assessQuality({ ...input, aligned: pattern(112, 0, 235, 10), geometry }, limits);
      expect(bright.issues.map((i) => i.code)).toContain('face/too-bright');
    });

    it('a degenerate transform masks nothing (no crash): brightness 0, clipped 1', () => {
      const m = facePixelMask(112, 112, { template: ARCFACE_TEMPLATE_112, toAligned: [0, 0, 0, 0, 0, 0] }, 150, 150);
      expect(m.reduce((a, b) => a + b, 0)).toBe(0);
      const q = assessQuality(
        { ...input, geometry: { template: ARCFACE_TEMPLATE_112, toAligned: [0, 0, 0, 0, 0, 0] } },
        defaultQualityLimits.photo,
      );
      expect(q.brightness).toBe(0);
      expect(q.clipped).toBe(1);
    });
  });

  it('an ID-card portrait passes with a smaller, softer face than a photo', () => {
    const small = frontal.map((p) => ({ x: p.x / 5, y: p.y / 5 }));
    const soft = pattern(112, 2);
    const photo = assessQuality({ ...base, landmarks5: small, aligned: soft }, defaultQualityLimits.photo);
    const card = assessQuality({ ...base, landmarks5: small, aligned: soft }, defaultQualityLimits['id-card-portrait']);
    expect(photo.passed).toBe(false);
    expect(card.issues.map((i) => i.code)).toEqual([]);
  });

  it('outsideShare', () => {
    expect(outsideShare({ x: 0, y: 0, width: 10, height: 10 }, 100, 100)).toBe(0);
    expect(outsideShare({ x: -5, y: 0, width: 10, height: 10 }, 100, 100)).toBeCloseTo(0.5);
    expect(outsideShare({ x: 0, y: 0, width: 0, height: 10 }, 100, 100)).toBe(1);
  });
});
