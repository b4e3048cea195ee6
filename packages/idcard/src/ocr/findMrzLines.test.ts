import { createRng } from '@smart-citizen/core';
import { type RasterImage, warpAffine } from '@smart-citizen/image';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardLayout } from '../layout/layouts.js';
import { generateCardSide, type GeneratorData, loadGeneratorData } from '../testing/index.js';
import { createLineRecognizer } from './createLineRecognizer.js';
import type { RecognizedLine } from './ctcDecode.js';
import { findMrzLines } from './findMrzLines.js';
import { mrzFromLines } from './readMrz.js';

// A card outline taken a few millimetres off leaves the rectified back skewed: the layout's fixed
// MRZ boxes then cut across two printed lines. findMrzLines must find the three lines anyway.

let data: GeneratorData;
beforeAll(async () => {
  data = await loadGeneratorData(undefined);
});

/** The card turned by `deg` about its centre (white outside), as a skewed rectification leaves it. */
function turned(img: RasterImage, deg: number): RasterImage {
  const a = (deg * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const cx = img.width / 2;
  const cy = img.height / 2;
  return warpAffine(img, [c, -s, cx - c * cx + s * cy, s, c, cy - s * cx - c * cy], {
    width: img.width,
    height: img.height,
    fill: 255,
  });
}

describe('findMrzLines', () => {
  const layout = cardLayout('cccd-2021', 'back');
  const boxes = layout.mrz as NonNullable<typeof layout.mrz>;

  it('finds the three MRZ lines of a back turned 4° and measures the skew; the real line recogniser reads a valid MRZ from them', async () => {
    const side = await generateCardSide('cccd-2021', 'back', data, createRng(7));
    const skewed = turned(side.card.image, 4);
    const found = findMrzLines(skewed, boxes);
    expect(found).toBeDefined();
    if (!found) return;
    expect(Math.abs(Math.abs(found.skewDeg) - 4)).toBeLessThan(0.6);
    const ocr = await createLineRecognizer({ engine: 'ctc' });
    try {
      const lines: RecognizedLine[] = [];
      for (const l of found.lines) {
        const r = await ocr.recognize(l, { field: 'mrz' });
        lines.push({ text: r.text, confidence: r.confidence, chars: r.chars ?? [] });
      }
      const read = mrzFromLines(lines);
      expect(read.mrz?.valid).toBe(true);
      expect(read.ocr.map((l) => l.text)).toEqual(side.identity.mrz);
    } finally {
      await ocr.close?.();
    }
  }, 60_000);

  it('measures a skew the other way (−6°) and still cuts three 5 mm lines', async () => {
    const side = await generateCardSide('cancuoc-2024', 'back', data, createRng(8));
    const l2024 = cardLayout('cancuoc-2024', 'back');
    const found = findMrzLines(turned(side.card.image, -6), l2024.mrz as NonNullable<typeof l2024.mrz>);
    expect(found).toBeDefined();
    expect(Math.abs(Math.abs(found?.skewDeg ?? 0) - 6)).toBeLessThan(0.6);
    expect(found?.lines.map((l) => l.height)).toEqual([60, 60, 60]);
  });

  it('gives nothing for a zone without three text lines (a blank back)', () => {
    const blank: RasterImage = { width: 1030, height: 648, channels: 1, data: new Uint8Array(1030 * 648).fill(230) };
    expect(findMrzLines(blank, boxes)).toBeUndefined();
    const small: RasterImage = { width: 100, height: 60, channels: 1, data: new Uint8Array(6000).fill(0) };
    expect(findMrzLines(small, boxes)).toBeUndefined();
  });
});
