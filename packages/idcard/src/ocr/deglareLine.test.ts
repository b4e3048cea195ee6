import { type RasterImage, toGrey } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { lineFixtures, loadLine } from '../../test/fixtures/lines.js';
import { createLineRecognizer } from './createLineRecognizer.js';
import { deglareLine, washedShare } from './deglareLine.js';

const H = 40;
const W = 600;
const PAPER = 215;
const INK = 45;

/** A grey line of "glyphs" (two strokes 3 px wide every 20 px) in [from, to), on plain paper. */
function printedLine(from = 20, to = W - 20): RasterImage {
  const data = new Uint8Array(W * H).fill(PAPER);
  for (let x = from; x < to; x++) {
    const inGlyph = (x - from) % 20 < 3 || ((x - from) % 20 >= 9 && (x - from) % 20 < 12);
    if (!inGlyph) continue;
    for (let y = 10; y < 30; y++) data[y * W + x] = INK;
  }
  return { width: W, height: H, channels: 1, data };
}

/** `img` in grey with an additive highlight of `strength` grey levels around (cx, middle row), clipped at white. */
function withGlare(img: RasterImage, cx: number, strength: number, radius = 60): RasterImage {
  const grey = toGrey(img);
  const { width, height } = grey;
  const data = new Uint8Array(grey.data.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v =
        (grey.data[y * width + x] as number) +
        strength * Math.exp(-((x - cx) ** 2 + (y - height / 2) ** 2) / radius ** 2);
      data[y * width + x] = Math.min(255, Math.round(v));
    }
  return { ...grey, data };
}

/** Paper minus ink level within columns [x0, x1) of a grey image (90th and 3rd percentiles). */
function contrast(img: RasterImage, x0: number, x1: number): number {
  const v: number[] = [];
  for (let y = 0; y < img.height; y++) for (let x = x0; x < x1; x++) v.push(img.data[y * img.width + x] as number);
  v.sort((a, b) => a - b);
  return (v[Math.floor(0.9 * v.length)] as number) - (v[Math.floor(0.03 * v.length)] as number);
}

describe('deglareLine', () => {
  it('leaves a crop without glare alone', () => {
    const line = printedLine();
    expect(washedShare(line)).toBe(0);
    expect(deglareLine(line)).toBeUndefined();
  });

  it('gives the print under a highlight back its contrast where the ink is still there', () => {
    const glared = withGlare(printedLine(), 300, 170);
    expect(contrast(glared, 280, 320)).toBeLessThan(60);
    const out = deglareLine(glared);
    expect(out).toBeDefined();
    expect(out?.printLost).toBe(false);
    expect(contrast(out?.image as RasterImage, 280, 320)).toBeGreaterThan(
      Math.max(0.55 * (PAPER - INK), 1.6 * contrast(glared, 280, 320)),
    );
    // the columns the highlight did not reach are kept as they were
    expect(out?.image.data[20 * W + 21]).toBe(INK);
    expect(out?.image.data[5 * W + 550]).toBe(PAPER);
  });

  it('says the print is lost where the highlight clipped the ink too, and draws no specks there', () => {
    const out = deglareLine(withGlare(printedLine(), 300, 320, 70));
    expect(out?.printLost).toBe(true);
    // clipped columns become paper, not stretched noise
    expect(contrast(out?.image as RasterImage, 290, 310)).toBeLessThan(10);
  });

  it('does not call blank paper under a highlight lost print when no print is near it', () => {
    const out = deglareLine(withGlare(printedLine(20, 200), 480, 320, 70));
    expect(out).toBeDefined();
    expect(out?.printLost).toBe(false);
  });
});

describe('deglareLine with the shipped line model', () => {
  it('reads more held-out date and ID-number lines right under a highlight than the glared crops', async () => {
    const ocr = await createLineRecognizer();
    let plain = 0;
    let cleared = 0;
    try {
      for (const f of lineFixtures().filter((l) => l.group === 'date' || l.group === 'id')) {
        const line = await loadLine(f.file);
        const grey = withGlare(line, 0.4 * line.width, 150, 1.5 * line.height);
        const field = f.group === 'date' ? 'dateOfBirth' : 'idNumber';
        if ((await ocr.recognize(grey, { field })).text === f.text) plain++;
        const out = deglareLine(grey);
        const r = out ? await ocr.recognize(out.image, { field }) : await ocr.recognize(grey, { field });
        if (r.text === f.text) cleared++;
      }
    } finally {
      await ocr.close();
    }
    expect(cleared).toBeGreaterThan(plain);
  });
});
