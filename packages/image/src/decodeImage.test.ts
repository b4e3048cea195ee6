import ExifReader from 'exifreader';
import { encode as encodePngFast } from 'fast-png';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isSmartCitizenError } from '@smart-citizen/core';
import { decodeImage } from './decodeImage.js';
import { detectImageFormat } from './detectImageFormat.js';
import { applyOrientation } from './orientation.js';
import type { RasterImage } from './RasterImage.js';
import { readExifOrientation } from './readExifOrientation.js';
import { readImageInfo } from './readImageInfo.js';
import { encodeBmp, encodeJpeg, gradient, px, withJpegOrientation } from './testing/fixtures.js';

function png(img: RasterImage, depth: 8 | 16 = 8): Uint8Array {
  const data = depth === 16 ? Uint16Array.from(img.data, (v) => v * 257) : img.data;
  return encodePngFast({ width: img.width, height: img.height, channels: img.channels, depth, data });
}

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isSmartCitizenError(err), String(err)).toBe(true);
  expect((err as { code: string }).code).toBe(code);
}

function maxDiff(a: RasterImage, b: RasterImage): number {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs((a.data[i] as number) - (b.data[i] as number)));
  return m;
}

describe('detectImageFormat', () => {
  it('recognises each format from its magic bytes', () => {
    const g = gradient(4, 3, 3);
    expect(detectImageFormat(encodeJpeg(g))).toBe('jpeg');
    expect(detectImageFormat(png(g))).toBe('png');
    expect(detectImageFormat(encodeBmp(g))).toBe('bmp');
    expect(detectImageFormat(new TextEncoder().encode('GIF89a\x01\x00\x01\x00'))).toBe('gif');
    const webp = new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20]);
    expect(detectImageFormat(webp)).toBe('webp');
    expect(detectImageFormat(new Uint8Array([1, 2, 3]))).toBe('unknown');
    expect(detectImageFormat(new Uint8Array(0))).toBe('unknown');
    // 'BM' followed by text is not a bitmap.
    expect(detectImageFormat(new TextEncoder().encode('BM this is a text file'))).toBe('unknown');
  });

  it('rejects non-bytes with a TypeError', () => {
    expect(() => detectImageFormat('abc' as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('decodeImage on generated files', () => {
  it('decodes PNG losslessly keeping 1, 3 or 4 channels and reduces 16-bit to 8-bit', async () => {
    for (const ch of [1, 3, 4] as const) {
      const g = gradient(17, 9, ch);
      expect(maxDiff(await decodeImage(png(g)), g)).toBe(0);
      expect(maxDiff(await decodeImage(png(g, 16)), g)).toBe(0);
    }
  });

  it('turns grey+alpha PNG into RGBA', async () => {
    const data = new Uint8Array([10, 200, 20, 100, 30, 0, 40, 255]);
    const img = await decodeImage(encodePngFast({ width: 2, height: 2, channels: 2, depth: 8, data }));
    expect(img.channels).toBe(4);
    expect(Array.from(img.data.subarray(0, 8))).toEqual([10, 10, 10, 200, 20, 20, 20, 100]);
  });

  it('expands palettes (with tRNS alpha), sub-byte grey and tRNS colour keys', async () => {
    // A 3×2 image of palette indices, decoded with an RGB palette and with one that has alpha.
    const paletted = (palette: number[][]) =>
      decodeImage(
        encodePngFast({
          width: 3,
          height: 2,
          channels: 1,
          depth: 8,
          data: new Uint8Array([0, 1, 2, 1, 0, 2]),
          palette,
        }),
      );
    const rgbPal = await paletted([
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
    ]);
    expect(rgbPal.channels).toBe(3);
    expect(Array.from(rgbPal.data.subarray(0, 9))).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255]);
    const alphaPal = await paletted([
      [9, 9, 9, 0],
      [1, 2, 3, 128],
      [4, 5, 6, 255],
    ]);
    expect(alphaPal.channels).toBe(4);
    expect(Array.from(alphaPal.data.subarray(0, 8))).toEqual([9, 9, 9, 0, 1, 2, 3, 128]);
    // 1-bit grey: one byte holds 8 pixels, 0 → 0 and 1 → 255.
    const bits = await decodeImage(
      encodePngFast({ width: 8, height: 1, channels: 1, depth: 1, data: new Uint8Array([0b10110001]) }),
    );
    expect(Array.from(bits.data)).toEqual([255, 0, 255, 255, 0, 0, 0, 255]);
    // A tRNS chunk on a grey image makes the key value transparent (CRC left zero: not checked).
    const grey = png({ width: 3, height: 1, channels: 1, data: new Uint8Array([10, 20, 30]) });
    const trns = new Uint8Array([0, 0, 0, 2, 0x74, 0x52, 0x4e, 0x53, 0, 20, 0, 0, 0, 0]);
    const keyed = new Uint8Array(grey.length + trns.length);
    keyed.set(grey.subarray(0, 33));
    keyed.set(trns, 33);
    keyed.set(grey.subarray(33), 33 + trns.length);
    const img = await decodeImage(keyed);
    expect(img.channels).toBe(4);
    expect(Array.from(img.data)).toEqual([10, 10, 10, 255, 20, 20, 20, 0, 30, 30, 30, 255]);
  });

  it('decodes JPEG close to the source', async () => {
    const g = gradient(32, 24, 3);
    const img = await decodeImage(encodeJpeg(g, 100));
    expect(img.channels).toBe(3);
    expect(maxDiff(img, g)).toBeLessThan(40);
    expect(readImageInfo(encodeJpeg(g)).channels).toBe(3);
  });

  it('keeps one channel for a 1-component JPEG and refuses CMYK as unsupported', async () => {
    const g = gradient(64, 48, 3);
    const raw = { raw: { width: 64, height: 48, channels: 3 as const } };
    const grey = new Uint8Array(await sharp(Buffer.from(g.data), raw).toColourspace('b-w').jpeg().toBuffer());
    const img = await decodeImage(grey);
    expect([img.width, img.height, img.channels]).toEqual([64, 48, 1]);
    const cmyk = new Uint8Array(await sharp(Buffer.from(g.data), raw).toColourspace('cmyk').jpeg().toBuffer());
    await expectCode(decodeImage(cmyk), 'image/unsupported-format');
  });

  it('decodes BMP: 24-bit bottom-up and top-down, 8-bit grey palette, 32-bit with alpha mask', async () => {
    const rgb = gradient(13, 7, 3);
    expect(maxDiff(await decodeImage(encodeBmp(rgb)), rgb)).toBe(0);
    expect(maxDiff(await decodeImage(encodeBmp(rgb, { topDown: true })), rgb)).toBe(0);
    const grey = gradient(13, 7, 1);
    expect(maxDiff(await decodeImage(encodeBmp(grey)), grey)).toBe(0);
    const rgba = gradient(5, 6, 4);
    expect(maxDiff(await decodeImage(encodeBmp(rgba)), rgba)).toBe(0);
  });

  it('decodes hand-made BMPs: 4-bit palette, RLE8, 16-bit 5-6-5 bit fields', async () => {
    /** File + info header (40 bytes) + extra bytes (palette or masks) + pixel rows. */
    const bmp = (
      width: number,
      height: number,
      bpp: number,
      compression: number,
      extra: number[],
      pixels: number[],
    ) => {
      const offset = 54 + extra.length;
      const out = new Uint8Array(offset + pixels.length);
      const dv = new DataView(out.buffer);
      out.set([0x42, 0x4d]);
      dv.setUint32(2, out.length, true);
      dv.setUint32(10, offset, true);
      dv.setUint32(14, 40, true);
      dv.setInt32(18, width, true);
      dv.setInt32(22, height, true);
      dv.setUint16(26, 1, true);
      dv.setUint16(28, bpp, true);
      dv.setUint32(30, compression, true);
      if (bpp <= 8) dv.setUint32(46, extra.length / 4, true);
      out.set(extra, 54);
      out.set(pixels, offset);
      return out;
    };
    // Palette entries are B, G, R, 0: red, green, blue, grey 9.
    const pal = [0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 0, 9, 9, 9, 0];
    // 4-bit, 3×2, bottom-up rows padded to 4 bytes: bottom row 0 1 2, top row 3 2 1.
    const four = await decodeImage(bmp(3, 2, 4, 0, pal, [0x01, 0x20, 0, 0, 0x32, 0x10, 0, 0]));
    expect(four.channels).toBe(3);
    expect(Array.from(four.data)).toEqual([9, 9, 9, 0, 0, 255, 0, 255, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
    // RLE8, 4×2: bottom row four 1s, top row two 2s then two 3s.
    const rle = await decodeImage(bmp(4, 2, 8, 1, pal, [4, 1, 0, 0, 2, 2, 2, 3, 0, 1]));
    expect(Array.from(rle.data.subarray(0, 12))).toEqual([0, 0, 255, 0, 0, 255, 9, 9, 9, 9, 9, 9]);
    expect(Array.from(rle.data.subarray(12, 15))).toEqual([0, 255, 0]);
    // 16-bit BITFIELDS 5-6-5, 1×1 pure green (0x07e0), row padded to 4 bytes.
    const masks = [0x00, 0xf8, 0, 0, 0xe0, 0x07, 0, 0, 0x1f, 0, 0, 0];
    const g16 = await decodeImage(bmp(1, 1, 16, 3, masks, [0xe0, 0x07, 0, 0]));
    expect([g16.channels, ...g16.data]).toEqual([3, 0, 255, 0]);
  });

  it('applies all 8 EXIF orientations (JPEG APP1, both byte orders) and can skip them', async () => {
    const g = gradient(40, 24, 3);
    const base = await decodeImage(encodeJpeg(g, 100));
    for (let o = 1; o <= 8; o++) {
      for (const bigEndian of [false, true]) {
        const bytes = withJpegOrientation(encodeJpeg(g, 100), o, bigEndian);
        expect(readExifOrientation(bytes)).toBe(o);
        // An independent EXIF parser agrees, so the fixture is real EXIF and our reader reads it right.
        expect(ExifReader.load(bytes.buffer as ArrayBuffer).Orientation?.value).toBe(o);
        const img = await decodeImage(bytes);
        const expected = applyOrientation(base, o as 1);
        expect(maxDiff(img, expected)).toBe(0);
        if (o >= 5) expect([img.width, img.height]).toEqual([24, 40]);
        const raw = await decodeImage(bytes, { applyExifOrientation: false });
        expect(maxDiff(raw, base)).toBe(0);
      }
    }
    // Orientation 6: the stored left column becomes the top row, read right to left.
    const img6 = await decodeImage(withJpegOrientation(encodeJpeg(g, 100), 6));
    expect(px(img6, 23, 0)).toBe(px(base, 0, 0));
    expect(px(img6, 0, 0)).toBe(px(base, 0, 23));
  });

  it('downscales on decode when maxDimension is set, keeping the aspect ratio', async () => {
    const img = await decodeImage(png(gradient(400, 100, 3)), { maxDimension: 100 });
    expect([img.width, img.height, img.channels]).toEqual([100, 25, 3]);
    const small = await decodeImage(png(gradient(40, 10, 1)), { maxDimension: 100 });
    expect([small.width, small.height]).toEqual([40, 10]);
  });
});

describe('decodeImage refuses bad input with typed errors', () => {
  it('refuses a 20000×20000 PNG or JPEG header as too large before decoding', async () => {
    const header = png(gradient(2, 2, 3));
    const bomb = header.slice();
    new DataView(bomb.buffer).setUint32(16, 20000);
    new DataView(bomb.buffer).setUint32(20, 20000);
    await expectCode(decodeImage(bomb), 'image/too-large');

    const jpeg = encodeJpeg(gradient(8, 8, 3));
    const sof = jpeg.findIndex((v, i) => v === 0xff && jpeg[i + 1] === 0xc0);
    const jbomb = jpeg.slice();
    new DataView(jbomb.buffer).setUint16(sof + 5, 20000);
    new DataView(jbomb.buffer).setUint16(sof + 7, 20000);
    await expectCode(decodeImage(jbomb), 'image/too-large');
    await expectCode(decodeImage(png(gradient(100, 100, 1)), { maxPixels: 9999 }), 'image/too-large');

    // WebP VP8X canvas of 16384×16384 and a BMP claiming 20000×20000, a few bytes each.
    const vp8x = new Uint8Array(30);
    vp8x.set([0x52, 0x49, 0x46, 0x46, 22, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x58, 10, 0, 0, 0]);
    vp8x.set([0xff, 0x3f, 0, 0xff, 0x3f, 0], 24);
    await expectCode(decodeImage(vp8x), 'image/too-large');
    const bmpBomb = encodeBmp(gradient(2, 2, 3)).slice(0, 54);
    new DataView(bmpBomb.buffer).setInt32(18, 20000, true);
    new DataView(bmpBomb.buffer).setInt32(22, 20000, true);
    await expectCode(decodeImage(bmpBomb), 'image/too-large');
  });

  it('refuses truncated files as corrupt', async () => {
    for (const bytes of [png(gradient(30, 30, 3)), encodeJpeg(gradient(30, 30, 3)), encodeBmp(gradient(30, 30, 3))]) {
      for (const cut of [0.3, 0.7, 0.95]) {
        await expectCode(decodeImage(bytes.subarray(0, Math.floor(bytes.length * cut))), 'image/corrupt');
      }
    }
  });

  it('refuses unknown formats, GIF and random bytes with typed errors', async () => {
    await expectCode(decodeImage(new TextEncoder().encode('hello world, not an image')), 'image/unsupported-format');
    await expectCode(
      decodeImage(new TextEncoder().encode('GIF89a\x10\x00\x10\x00\x00\x00\x00')),
      'image/unsupported-format',
    );
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed & 0xff;
    };
    for (let k = 0; k < 50; k++) {
      const bytes = Uint8Array.from({ length: 64 + k * 13 }, rand);
      await expect(decodeImage(bytes)).rejects.toSatisfy((e: unknown) => isSmartCitizenError(e));
    }
  });

  it('validates its arguments', async () => {
    await expect(decodeImage('x' as unknown as Uint8Array)).rejects.toThrow(TypeError);
    await expect(decodeImage(png(gradient(2, 2, 1)), { maxPixels: 0 })).rejects.toThrow(RangeError);
    await expect(decodeImage(png(gradient(2, 2, 1)), { maxDimension: 1.5 })).rejects.toThrow(RangeError);
  });
});
