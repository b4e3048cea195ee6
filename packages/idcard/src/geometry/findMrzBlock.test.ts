import { createRng } from '@smart-citizen/core';
import { crop, decodeImage, type Point, type RasterImage } from '@smart-citizen/image';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCardSide, type GeneratorData, loadGeneratorData, photographCard } from '../testing/index.js';
import { outlinesFromMrz } from './chooseOutline.js';
import type { Quad } from './findCardQuad.js';
import { findMrzBlock } from './findMrzBlock.js';
import { rotate180 } from './rectify.js';

let data: GeneratorData;
beforeAll(async () => {
  data = await loadGeneratorData(undefined);
});

/** A level-0 photo of a generated side, decoded, with the card's true corners (its own order). */
async function photo(type: 'cccd-2021' | 'cancuoc-2024' | 'cmnd-12', side: 'front' | 'back', seed: number) {
  const { card } = await generateCardSide(type, side, data, createRng(seed));
  const p = await photographCard(card.image, 0, createRng(seed + 1));
  return { img: await decodeImage(p.jpeg), quad: p.quad, cardWidthPx: p.parameters.cardWidthPx };
}

/** The largest distance between corresponding corners, in card millimetres. */
function worstMm(a: readonly Point[], b: readonly Point[], cardWidthPx: number): number {
  return Math.max(...a.map((p, i) => Math.hypot(p.x - (b[i]?.x ?? 0), p.y - (b[i]?.y ?? 0)))) * (85.6 / cardWidthPx);
}

/** The image turned by a quarter turn clockwise, and where a point goes. */
function quarterTurn(img: RasterImage): { img: RasterImage; at: (p: Point) => Point } {
  const { width: w, height: h, channels: ch } = img;
  const out = new Uint8Array(img.data.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < ch; c++) out[(x * h + (h - 1 - y)) * ch + c] = img.data[(y * w + x) * ch + c] as number;
  return { img: { ...img, width: h, height: w, data: out }, at: (p) => ({ x: h - 1 - p.y, y: p.x }) };
}

describe('findMrzBlock', () => {
  it('finds the MRZ of a CCCD 2021 back and places the card from it, the likelier way up first', async () => {
    const p = await photo('cccd-2021', 'back', 7);
    const b = findMrzBlock(p.img);
    expect(b).toBeDefined();
    if (!b) return;
    expect(b.chars).toBeGreaterThanOrEqual(75);
    expect(b.pxPerMm).toBeGreaterThan(0.93 * (p.cardWidthPx / 85.6));
    expect(b.pxPerMm).toBeLessThan(1.07 * (p.cardWidthPx / 85.6));
    // a level-0 photo has no perspective: the MRZ alone places every corner within a few millimetres
    expect(worstMm(b.quads[0], p.quad, p.cardWidthPx)).toBeLessThan(4);
    expect(worstMm(b.quads[1], p.quad, p.cardWidthPx)).toBeGreaterThan(30);
  });

  it('finds it turned by 180° and by a quarter turn, and on a Căn cước 2024 back', async () => {
    const p = await photo('cancuoc-2024', 'back', 11);
    const upright = findMrzBlock(p.img);
    expect(upright && worstMm(upright.quads[0], p.quad, p.cardWidthPx)).toBeLessThan(4);
    const turned = rotate180(p.img);
    const b = findMrzBlock(turned);
    const at = (q: Point) => ({ x: p.img.width - 1 - q.x, y: p.img.height - 1 - q.y });
    expect(b && worstMm(b.quads[0], p.quad.map(at), p.cardWidthPx)).toBeLessThan(4);
    const q = quarterTurn(p.img);
    const b90 = findMrzBlock(q.img);
    expect(b90 && worstMm(b90.quads[0], p.quad.map(q.at), p.cardWidthPx)).toBeLessThan(4);
  });

  it('finds the MRZ of a back whose top the photo cuts off, and the outline from it holds the card', async () => {
    const p = await photo('cccd-2021', 'back', 7);
    // keep the photo from the card's middle down: its top edge is out of the picture
    const top = Math.round((p.quad[0].y + p.quad[3].y) / 2);
    const cut = crop(p.img, { x: 0, y: top, width: p.img.width, height: p.img.height - top });
    const truth = p.quad.map((q) => ({ x: q.x, y: q.y - top })) as Quad;
    const [first] = outlinesFromMrz(cut);
    expect(first).toBeDefined();
    if (!first) return;
    expect(first.cls).toMatchObject({ type: 'cccd-2021', side: 'back' });
    const q = first.cls.turned ? [first.quad[2], first.quad[3], first.quad[0], first.quad[1]] : first.quad;
    expect(worstMm(q, truth, p.cardWidthPx)).toBeLessThan(4);
  });

  it('finds nothing on a side without an MRZ, on a blank or noisy photo, and never throws on odd input', async () => {
    const front = await photo('cccd-2021', 'front', 3);
    expect(findMrzBlock(front.img)).toBeUndefined();
    const back = await photo('cmnd-12', 'back', 5);
    expect(findMrzBlock(back.img)).toBeUndefined();
    expect([...outlinesFromMrz(back.img)]).toEqual([]);
    const rng = createRng(1);
    const noise = new Uint8Array(640 * 480);
    for (let i = 0; i < noise.length; i++) noise[i] = rng.int(0, 255);
    expect(findMrzBlock({ width: 640, height: 480, channels: 1, data: noise })).toBeUndefined();
    expect(findMrzBlock({ width: 640, height: 480, channels: 3, data: new Uint8Array(640 * 480 * 3) })).toBeUndefined();
    expect(findMrzBlock({ width: 1, height: 1, channels: 1, data: new Uint8Array(1) })).toBeUndefined();
    expect(findMrzBlock({ width: 0, height: 0, channels: 1, data: new Uint8Array(0) })).toBeUndefined();
  });
});
