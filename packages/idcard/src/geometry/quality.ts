import type { RasterImage } from '@smart-citizen/image';
import type { CardFieldName } from '../cardTypes.js';
import type { CardLayout } from '../layout/CardLayout.js';
import { mmBoxToPx } from '../layout/canonical.js';

/**
 * Sharpness of a rectified card: the mean of the strongest 2% of horizontal + vertical grey
 * differences over the card, divided by the card's contrast (so lighting does not move it).
 * Printed text on a sharp card gives about 0.35–0.6; a card blurred to unreadable text gives < 0.12.
 */
export function cardSharpness(card: RasterImage): number {
  const { width: W, height: H, channels: ch, data } = card;
  const grey = (x: number, y: number) => {
    const i = (y * W + x) * ch;
    return ch >= 3
      ? 0.299 * (data[i] as number) + 0.587 * (data[i + 1] as number) + 0.114 * (data[i + 2] as number)
      : (data[i] as number);
  };
  const hist = new Uint32Array(256);
  const ghist = new Uint32Array(1024);
  let n = 0;
  for (let y = 8; y < H - 8; y += 2) {
    for (let x = 8; x < W - 8; x += 2) {
      const g = grey(x, y);
      hist[Math.min(255, Math.round(g))] = (hist[Math.min(255, Math.round(g))] as number) + 1;
      const d = Math.abs(grey(x + 1, y) - grey(x - 1, y)) + Math.abs(grey(x, y + 1) - grey(x, y - 1));
      ghist[Math.min(1023, Math.round(d * 2))] = (ghist[Math.min(1023, Math.round(d * 2))] as number) + 1;
      n++;
    }
  }
  const pct = (h: Uint32Array, q: number) => {
    let acc = 0;
    for (let i = 0; i < h.length; i++) {
      acc += h[i] as number;
      if (acc >= q * n) return i;
    }
    return h.length - 1;
  };
  const contrast = Math.max(20, pct(hist, 0.95) - pct(hist, 0.05));
  return pct(ghist, 0.98) / 2 / contrast;
}

/** Value fields whose line boxes are washed out by glare (share of near-white pixels above `limit`). */
export function fieldsUnderGlare(card: RasterImage, layout: CardLayout, limit = 0.12): CardFieldName[] {
  const { width: W, channels: ch, data } = card;
  const out: CardFieldName[] = [];
  for (const f of layout.fields) {
    let white = 0;
    let n = 0;
    for (const line of f.lines) {
      const b = mmBoxToPx(line);
      for (let y = b.y; y < b.y + b.height; y += 2) {
        for (let x = b.x; x < b.x + b.width; x += 2) {
          const i = (y * W + x) * ch;
          n++;
          if ((data[i] as number) >= 250 && (data[i + 1] as number) >= 250 && (data[i + 2] as number) >= 250) white++;
        }
      }
    }
    if (n > 0 && white / n > limit) out.push(f.field);
  }
  return out;
}
