import { createRng } from '@smart-citizen/core';
import { crop, decodeImage, encodePng } from '@smart-citizen/image';
import { beforeAll, describe, expect, it } from 'vitest';
import { IdCardReader } from './IdCardReader.js';
import { generateCardSide, type GeneratorData, loadGeneratorData, photographCard } from './testing/index.js';

let data: GeneratorData;
beforeAll(async () => {
  data = await loadGeneratorData(undefined);
});

async function photo(
  type: Parameters<typeof generateCardSide>[0],
  side: 'front' | 'back',
  level: number,
  seed: number,
  opts = {},
) {
  const rng = createRng(seed);
  const { card } = await generateCardSide(type, side, data, rng);
  return photographCard(card.image, level, rng, opts);
}

describe('IdCardReader geometry (generated photos)', () => {
  it('finds, rectifies and classifies a photographed card and cuts the portrait where the photo has it', async () => {
    await using reader = await IdCardReader.create();
    const p = await photo('cccd-2021', 'back', 2, 11);
    const r = await reader.read({ back: p.jpeg });
    const b = r.back;
    expect(b?.status).toBe('read');
    if (b?.status !== 'read') return;
    expect([b.documentType, b.side]).toEqual(['cccd-2021', 'back']);
    // Corners within 1 mm of the truth (card width 85.6 mm).
    const mmPerPx = 85.6 / p.parameters.cardWidthPx;
    for (const [i, q] of b.quad.entries()) {
      expect(Math.hypot(q.x - (p.quad[i]?.x ?? 0), q.y - (p.quad[i]?.y ?? 0)) * mmPerPx).toBeLessThan(1);
    }
    expect(b.fingerprints?.leftIndex.image.width).toBeGreaterThan(150);
    expect(b.issues.map((i) => i.code)).toContain('idcard/ocr-not-configured');
    expect(b.fields).toEqual({});
  });

  it("decodes the QR code without a line recogniser: its values are the side's fields", async () => {
    await using reader = await IdCardReader.create();
    const rng = createRng(31);
    const { card, identity } = await generateCardSide('cccd-2021', 'front', data, rng);
    const p = await photographCard(card.image, 1, rng);
    const r = await reader.readSide(p.jpeg);
    expect(r.status).toBe('read');
    if (r.status !== 'read') return;
    const codes = r.issues.map((i) => i.code);
    expect(codes).toContain('idcard/ocr-not-configured');
    expect(codes).not.toContain('idcard/qr-unreadable');
    expect(r.fields.idNumber?.value).toBe(identity.idNumber);
    expect(r.fields.fullName?.value).toBe(identity.fullName.toLocaleUpperCase('vi'));
    // a field the QR does not carry stays unread
    expect(r.fields.placeOfOrigin).toBeUndefined();
  });

  it("times the QR's budget on the clock it is given (qr.now)", async () => {
    // a clock that jumps a second at every look: the budget is spent after the first strategy
    // (the engine on the zone as is), which runs whatever the budget
    let looks = 0;
    await using reader = await IdCardReader.create({ qr: { now: () => 1000 * looks++ } });
    const rng = createRng(31);
    const { card, identity } = await generateCardSide('cccd-2021', 'front', data, rng);
    const r = await reader.readSide((await photographCard(card.image, 1, rng)).jpeg);
    expect(r.status).toBe('read');
    if (r.status !== 'read') return;
    expect(looks).toBeGreaterThan(0);
    expect(r.fields.idNumber?.value).toBe(identity.idNumber);
  });

  it('tells a CCCD 2016 front from the CMND 12 and Căn cước 2024 fronts that print the same grid', async () => {
    await using reader = await IdCardReader.create();
    // seeds 13 and 27 were read as CMND 12 while field labels weighed as much as titles in the ink model
    for (const [type, seed] of [
      ['cccd-2016', 13],
      ['cccd-2016', 27],
      ['cmnd-12', 13],
    ] as const) {
      const r = await reader.readSide((await photo(type, 'front', 2, seed)).jpeg);
      expect(r.status === 'read' ? [r.documentType, r.side] : r.status).toEqual([type, 'front']);
    }
  });

  it('turns an upside-down card and still cuts the portrait from the front', async () => {
    await using reader = await IdCardReader.create();
    const rng = createRng(21);
    const { card } = await generateCardSide('cmnd-9', 'front', data, rng);
    const p = await photographCard(card.image, 1, rng);
    const upside = await decodeImage(p.jpeg);
    const flipped = { ...upside, data: new Uint8Array(upside.data.length) };
    const n = upside.width * upside.height;
    for (let i = 0; i < n; i++)
      for (let c = 0; c < upside.channels; c++)
        flipped.data[(n - 1 - i) * upside.channels + c] = upside.data[i * upside.channels + c] as number;
    const r = await reader.readSide(flipped);
    expect(r.status).toBe('read');
    if (r.status !== 'read') return;
    expect([r.documentType, r.side]).toEqual(['cmnd-9', 'front']);
    expect(r.portrait?.image.height).toBeGreaterThan(r.portrait?.image.width ?? 0);
  });

  it('still says card cut off when the card really leaves the photo (no outline inside it is taken)', async () => {
    await using reader = await IdCardReader.create();
    for (const [type, side, seed] of [
      ['cmnd-9', 'front', 21],
      ['cccd-2021', 'back', 22],
    ] as const) {
      const whole = await photo(type, side, 0, seed);
      const img = await decodeImage(whole.jpeg);
      expect((await reader.readSide(img)).status).toBe('read');
      // a fifth of the card's width cut away at its right, then at its bottom
      const xs = whole.quad.map((p) => p.x);
      const ys = whole.quad.map((p) => p.y);
      const right = Math.round(Math.max(...xs) - 0.2 * (Math.max(...xs) - Math.min(...xs)));
      const bottom = Math.round(Math.max(...ys) - 0.2 * (Math.max(...ys) - Math.min(...ys)));
      const byRight = crop(img, { x: 0, y: 0, width: right, height: img.height });
      const byBottom = crop(img, { x: 0, y: 0, width: img.width, height: bottom });
      expect((await reader.readSide(byRight)).status).toBe('card-cut-off');
      expect((await reader.readSide(byBottom)).status).toBe('card-cut-off');
    }
  });

  it('says no card, card cut off, too small and bad image instead of guessing', async () => {
    await using reader = await IdCardReader.create();
    const blank = { width: 640, height: 480, channels: 3 as const, data: new Uint8Array(640 * 480 * 3).fill(128) };
    expect((await reader.readSide(blank)).status).toBe('no-card');
    expect((await reader.readSide(new Uint8Array([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]))).status).toBe('bad-image');
    expect(
      await reader.readSide(await encodePng({ width: 20, height: 20, channels: 3, data: new Uint8Array(1200) })),
    ).toMatchObject({ status: 'too-small' });
    const cut = await photo('cccd-2016', 'front', 0, 5, { cutOff: true });
    expect(['card-cut-off', 'no-card']).toContain((await reader.readSide(cut.jpeg)).status);
    const tiny = await photo('cccd-2016', 'front', 0, 6, { cardScale: 0.2 });
    expect(['too-small', 'no-card']).toContain((await reader.readSide(tiny.jpeg)).status);
    await expect(reader.read({})).rejects.toMatchObject({ code: 'idcard/no-input' });
    await reader.close();
    await expect(reader.readSide(blank)).rejects.toMatchObject({ code: 'idcard/closed' });
  });

  it('puts a given face photo on the card and cuts it back out of the photo', async () => {
    // a face-sized picture with a pattern the crop must reproduce: left half dark, right half light
    const w = 240;
    const h = 306;
    const given = { width: w, height: h, channels: 3 as const, data: new Uint8Array(w * h * 3) };
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) given.data.fill(x < w / 2 ? 40 : 220, (y * w + x) * 3, (y * w + x) * 3 + 3);
    const rng = createRng(33);
    const { card, portraitSource } = await generateCardSide('cccd-2021', 'front', data, rng, { portrait: given });
    expect(portraitSource).toBeUndefined();
    const p = await photographCard(card.image, 1, rng);
    await using reader = await IdCardReader.create();
    const r = await reader.readSide(p.jpeg);
    if (r.status !== 'read') throw new Error(r.status);
    const crop = r.portrait?.image;
    if (!crop) throw new Error('no portrait crop');
    const mean = (x0: number, x1: number) => {
      let s = 0;
      let n = 0;
      for (let y = Math.round(crop.height * 0.2); y < crop.height * 0.8; y++)
        for (let x = Math.round(crop.width * x0); x < crop.width * x1; x++) {
          s += crop.data[(y * crop.width + x) * crop.channels] as number;
          n++;
        }
      return s / n;
    };
    expect(mean(0.1, 0.4)).toBeLessThan(100);
    expect(mean(0.6, 0.9)).toBeGreaterThan(160);
  });
});
