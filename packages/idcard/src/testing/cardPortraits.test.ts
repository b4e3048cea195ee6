import type { RasterImage } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { CANONICAL_HEIGHT, CANONICAL_WIDTH, mmBoxToPx } from '../layout/canonical.js';
import { cardLayout } from '../layout/layouts.js';
import { IdCardReader } from '../IdCardReader.js';
import {
  cutCardBox,
  FACE_BENCH_CARD_TYPES,
  faceBenchCard,
  headAndShouldersCrop,
  loadGeneratorData,
  photographedCardPortrait,
  photographedPortraitCard,
} from './index.js';

/** A grey ramp: the value at (x, y) says where a pixel came from. */
function ramp(width: number, height: number): RasterImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = (x + 2 * y) % 256;
  return { width, height, channels: 1, data };
}

describe('card portraits for face benchmarks', () => {
  it('headAndShouldersCrop keeps the portrait aspect, stays inside the image and centres the face', () => {
    const img = ramp(400, 600);
    const c = headAndShouldersCrop(img, { x: 150, y: 200, width: 100, height: 120 }, 0.75);
    expect(c.width).toBe(210);
    expect(c.height).toBe(280);
    // Near the image edge the crop slides inside rather than padding.
    const edge = headAndShouldersCrop(img, { x: 0, y: 0, width: 100, height: 120 }, 0.75);
    expect(edge.width).toBe(210);
    expect(edge.data[0]).toBe(img.data[0]);
  });

  it('cutCardBox on an unwarped canonical card returns the box itself', () => {
    const card = ramp(CANONICAL_WIDTH, CANONICAL_HEIGHT);
    const quad = [
      { x: 0, y: 0 },
      { x: CANONICAL_WIDTH, y: 0 },
      { x: CANONICAL_WIDTH, y: CANONICAL_HEIGHT },
      { x: 0, y: CANONICAL_HEIGHT },
    ];
    const box = { x: 40, y: 30, width: 50, height: 60 };
    const cut = cutCardBox(card, quad, box);
    expect([cut.width, cut.height]).toEqual([50, 60]);
    for (const [x, y] of [
      [5, 5],
      [20, 40],
      [45, 55],
    ] as const)
      expect(
        Math.abs((cut.data[y * cut.width + x] ?? 0) - (card.data[(y + box.y) * card.width + x + box.x] ?? 0)),
      ).toBeLessThanOrEqual(1);
  });

  it('photographedCardPortrait cuts a portrait of the layout box size from a photographed card', async () => {
    const data = await loadGeneratorData(undefined);
    const photo = ramp(300, 400);
    const out = await photographedCardPortrait({
      photo,
      faceBox: { x: 100, y: 100, width: 100, height: 130 },
      type: 'cccd-2021',
      level: 1,
      seed: 3,
      data,
    });
    const box = mmBoxToPx(cardLayout('cccd-2021', 'front').portrait ?? { x: 0, y: 0, w: 0, h: 0 }, 1);
    expect([out.width, out.height]).toEqual([box.width, box.height]);
    await expect(
      photographedCardPortrait({
        photo,
        faceBox: { x: 0, y: 0, width: 10, height: 10 },
        type: 'cmnd-9',
        level: 1,
        seed: 1,
        data,
      }),
    ).resolves.toBeDefined();
  }, 120_000);

  it('photographedPortraitCard prints the whole front: a CCCD 2021 front with its QR reads as CCCD 2021 and its portrait is cut', async () => {
    const data = await loadGeneratorData(undefined);
    const { shot, box } = await photographedPortraitCard({
      photo: ramp(300, 400),
      faceBox: { x: 100, y: 100, width: 100, height: 130 },
      type: 'cccd-2021',
      level: 0,
      seed: 5,
      data,
    });
    expect(box).toEqual(cardLayout('cccd-2021', 'front').portrait);
    expect(shot.quad).toHaveLength(4);
    const reader = await IdCardReader.create({ recognizer: 'builtin' });
    try {
      const r = await reader.readSide(shot.jpeg);
      expect(r.status).toBe('read');
      if (r.status !== 'read') return;
      // Without its QR this front is drawn like a CCCD 2016 front, and was read as one.
      expect([r.documentType, r.side]).toEqual(['cccd-2021', 'front']);
      expect(r.portrait?.image.width).toBeGreaterThan(0);
      // The QR is there and read (without it the side says idcard/qr-unreadable).
      expect(r.issues.map((i) => i.code)).not.toContain('idcard/qr-unreadable');
    } finally {
      await reader.close();
    }
  }, 120_000);

  it('faceBenchCard gives each photo its type in turn, a seed per level and index, and one cache file', async () => {
    const data = await loadGeneratorData(undefined);
    const base = { photo: ramp(10, 10), faceBox: { x: 0, y: 0, width: 5, height: 5 }, data, cacheRoot: '/r' };
    const a = faceBenchCard({ ...base, index: 5, file: 'img 5.jpg', level: 2 });
    expect(a.type).toBe(FACE_BENCH_CARD_TYPES[1]);
    expect(a.seed).toBe(16_000 + 2 * 1009 + 5 * 31);
    expect(a.cacheFile).toBe('/r/node_modules/.cache/smart-citizen/face-card-v2/2-img_5.jpg-cancuoc-2024.json');
    const b = faceBenchCard({ ...base, index: 8, file: 'img8.jpg', level: 3 });
    expect([b.type, b.level]).toEqual(['cccd-2021', 3]);
    expect(b.seed).not.toBe(a.seed);
  });
});
