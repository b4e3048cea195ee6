/**
 * A live fingerprint image made to look like the ink print on the back of a Vietnamese ID card
 * as the idcard reader cuts it (12 px/mm, a 17 × 21 mm box): printed at a slightly wrong size
 * and angle, ink spread and a harsh tone curve on a low-contrast card, a guilloche background
 * pattern behind it, a 4-level ordered-dither screen, then camera blur and noise. Used by the
 * card-print bench and test; the parameters are drawn from the seeded RNG.
 */
import { createRng } from '@smart-citizen/core';
import { type RasterImage, toGrey } from '@smart-citizen/image';
import { boxFilter } from '../src/extract/boxFilter.js';

const BAYER4 = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

/**
 * @param dpi - resolution of the live image; @param seed - RNG seed of this card;
 * @param pxPerMm - resolution of the crop (the idcard reader's is 12).
 */
export function degradeToCardPrint(image: RasterImage, dpi: number, seed: number, pxPerMm = 12): RasterImage {
  const rng = createRng(seed);
  const g = toGrey(image);
  const src = new Float32Array(g.data.length);
  for (let i = 0; i < src.length; i++) src[i] = g.data[i] as number;
  const printScale = 1 + (rng.next() - 0.5) * 0.16; // ±8 % off life size
  const rot = ((rng.next() - 0.5) * 16 * Math.PI) / 180; // ±8°
  const step = dpi / (pxPerMm * 25.4) / printScale; // input pixels per output pixel
  // Anti-aliasing and ink spread at the input resolution.
  const blurred = boxFilter(boxFilter(src, g.width, g.height, Math.max(1, Math.round(step / 2))), g.width, g.height, 1);
  const outW = Math.min(Math.round(17 * pxPerMm), Math.round(g.width / step));
  const outH = Math.min(Math.round(21 * pxPerMm), Math.round(g.height / step));
  const cx = g.width / 2;
  const cy = g.height / 2;
  const cos = Math.cos(rot);
  const sin = Math.sin(rot);
  const ga = rng.next() * Math.PI;
  const gb = rng.next() * Math.PI;
  const ink = 40 + rng.next() * 30; // darkest ink on the card
  const card = 190 + rng.next() * 30; // card background
  const out = new Float32Array(outW * outH);
  for (let v = 0; v < outH; v++) {
    for (let u = 0; u < outW; u++) {
      const du = (u - outW / 2) * step;
      const dv = (v - outH / 2) * step;
      const x = cos * du - sin * dv + cx;
      const y = sin * du + cos * dv + cy;
      let s = 255;
      if (x >= 0 && y >= 0 && x < g.width - 1 && y < g.height - 1) {
        const x0 = x | 0;
        const y0 = y | 0;
        const fx = x - x0;
        const fy = y - y0;
        const i = y0 * g.width + x0;
        s =
          (blurred[i] as number) * (1 - fx) * (1 - fy) +
          (blurred[i + 1] as number) * fx * (1 - fy) +
          (blurred[i + g.width] as number) * (1 - fx) * fy +
          (blurred[i + g.width + 1] as number) * fx * fy;
      }
      // Harsh ink tone curve: ridges saturate, light valleys vanish into the card.
      const t = 1 / (1 + Math.exp(-(s - 150) / 18));
      let p = ink + (card - ink) * t;
      // Guilloche security pattern printed behind the print.
      p -=
        10 * (1 + Math.sin((2 * Math.PI * (u * Math.cos(ga) + v * Math.sin(ga))) / 7)) +
        7 * (1 + Math.sin((2 * Math.PI * (u * Math.cos(gb) - v * Math.sin(gb))) / 11));
      // 4-level ordered dither (the printer's screen).
      const level = p / 85 + ((BAYER4[(v & 3) * 4 + (u & 3)] as number) + 0.5) / 16 - 0.5;
      out[v * outW + u] = Math.max(0, Math.min(3, Math.round(level))) * 85;
    }
  }
  // Camera: blur of the photo and the rectification, then sensor noise.
  const cam = boxFilter(out, outW, outH, 1);
  const data = new Uint8Array(outW * outH);
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.max(0, Math.min(255, Math.round((cam[i] as number) + rng.gauss() * 6)));
  }
  return { width: outW, height: outH, channels: 1, data };
}
