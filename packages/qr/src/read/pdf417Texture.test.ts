import { createRng } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import { createZxingWasmEngine } from '../engine/createZxingWasmEngine.js';
import { createBarcodeWriter } from '../testing/qrWriter.js';
import { renderCardImage } from '../testing/renderCardImage.js';
import { findTextureRegions, pdf417UprightAttempts, uprightCrop } from './pdf417Texture.js';

const never = () => false;

describe('findTextureRegions / pdf417UprightAttempts', () => {
  it('turns a small, tilted PDF417 upright so the engine decodes it, whatever the card turn', async () => {
    const writer = await createBarcodeWriter();
    const text = '001099012345|Nguyễn Văn An|01011999|Nam';
    const code = await writer.write(text, 'PDF417');
    const engine = await createZxingWasmEngine();
    const d = {
      pxPerModule: 2.6,
      perspective: 0.05,
      rotationDeg: 25,
      blurSigma: 0.5,
      noiseSigma: 3,
      unevenLight: 0.2,
      contrast: 0.8,
      jpegQuality: 0,
    };
    const angles: number[] = [];
    for (const quarterTurns of [0, 1] as const) {
      const img = renderCardImage(code, d, createRng(21), {
        width: 960,
        height: 720,
        layout: 'pdf417-back',
        quarterTurns,
        keepCodeInView: true,
      });
      const [region] = findTextureRegions(img);
      expect(region).toBeDefined();
      angles.push((Math.atan2(region!.uy, region!.ux) * 180) / Math.PI);
      let read: { text: string; centre: { x: number; y: number } } | undefined;
      for (const a of pdf417UprightAttempts(img, never)) {
        const s = engine.decode(a.image, { formats: ['PDF417'] })[0];
        if (s?.corners) {
          const c = s.corners.map(a.back);
          read = {
            text: s.text,
            centre: { x: c.reduce((t, p) => t + p.x, 0) / 4, y: c.reduce((t, p) => t + p.y, 0) / 4 },
          };
          break;
        }
      }
      expect(read?.text).toBe(text);
      // The decoded corners map back onto the textured region in the frame.
      expect(Math.hypot(read!.centre.x - region!.cx, read!.centre.y - region!.cy)).toBeLessThan(
        Math.max(region!.halfU, region!.halfV),
      );
    }
    // The row direction turns with the card: a quarter turn moves it by 90° (mod 180°).
    const turn = (((angles[1]! - angles[0]!) % 180) + 180) % 180;
    expect(Math.abs(turn - 90)).toBeLessThan(8);
    engine.close();
  }, 60_000);

  it('finds no region on a flat frame and yields nothing once expired', () => {
    const flat = { width: 320, height: 240, channels: 1 as const, data: new Uint8Array(320 * 240).fill(128) };
    expect(findTextureRegions(flat)).toEqual([]);
    const rng = createRng(3);
    const noise = { width: 320, height: 240, channels: 1 as const, data: new Uint8Array(320 * 240) };
    for (let i = 0; i < noise.data.length; i++) noise.data[i] = 120 + rng.int(0, 40);
    expect([...pdf417UprightAttempts(noise, () => true)]).toEqual([]);
    const tiny = { width: 8, height: 8, channels: 1 as const, data: new Uint8Array(64) };
    expect(findTextureRegions(tiny)).toEqual([]);
  });

  it('maps crop pixels back to the frame through the region axes', () => {
    const img = { width: 100, height: 100, channels: 1 as const, data: new Uint8Array(100 * 100).fill(200) };
    const r = { cx: 50, cy: 50, ux: 0, uy: 1, halfU: 20, halfV: 10, energy: 1 };
    const c = uprightCrop(img, r, 2, 0)!;
    // Rows along u = (0, 1): the crop's x runs down the frame, its y runs to the frame's left.
    const centre = c.toFrame(c.image.width / 2, c.image.height / 2);
    expect(centre.x).toBeCloseTo(50);
    expect(centre.y).toBeCloseTo(50);
    const right = c.toFrame(c.image.width / 2 + 20, c.image.height / 2);
    expect(right.x).toBeCloseTo(50);
    expect(right.y).toBeCloseTo(60);
  });
});
