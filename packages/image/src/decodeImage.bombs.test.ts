import { crc32, deflateSync } from 'node:zlib';
import { isSmartCitizenError } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BYTES, decodeImage } from './decodeImage.js';

// Decompression bombs and oversized files: each must end in a typed error, quickly, without
// allocating what the file claims. Memory is measured as the growth of the process's RSS.

const u32be = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const u32le = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
const u24le = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255];

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const body = new Uint8Array([...Buffer.from(type, 'ascii'), ...data]);
  return new Uint8Array([...u32be(data.length), ...body, ...u32be(crc32(body) >>> 0)]);
}

function png(width: number, height: number, idat: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array([...u32be(width), ...u32be(height), 8, 0, 0, 0, 0]);
  return new Uint8Array([
    ...[137, 80, 78, 71, 13, 10, 26, 10],
    ...pngChunk('IHDR', ihdr),
    ...pngChunk('IDAT', idat),
    ...pngChunk('IEND', new Uint8Array()),
  ]);
}

/** Baseline JPEG headers (SOF0, 3 components) claiming w × h, then a scan of junk. */
function jpeg(width: number, height: number): Uint8Array {
  const sof = [
    0xff,
    0xc0,
    0,
    17,
    8,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    3,
    1,
    0x22,
    0,
    2,
    0x11,
    0,
    3,
    0x11,
    0,
  ];
  const sos = [0xff, 0xda, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0];
  return new Uint8Array([0xff, 0xd8, ...sof, ...sos, ...new Array(64).fill(0x55), 0xff, 0xd9]);
}

/** A WebP VP8X container claiming a w × h canvas. */
function webp(width: number, height: number): Uint8Array {
  const vp8x = [...Buffer.from('VP8X'), ...u32le(10), 0, 0, 0, 0, ...u24le(width - 1), ...u24le(height - 1)];
  const vp8 = [...Buffer.from('VP8 '), ...u32le(10), 0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 1, 0, 1, 0];
  const body = [...Buffer.from('WEBP'), ...vp8x, ...vp8];
  return new Uint8Array([...Buffer.from('RIFF'), ...u32le(body.length), ...body]);
}

/** A BMP claiming w × h at 24 bits with no pixel data. */
function bmp(width: number, height: number): Uint8Array {
  const header = [...Buffer.from('BM'), ...u32le(54), 0, 0, 0, 0, ...u32le(54)];
  const info = [
    ...u32le(40),
    ...u32le(width),
    ...u32le(height),
    1,
    0,
    24,
    0,
    ...u32le(0),
    ...u32le(0),
    ...u32le(2835),
    ...u32le(2835),
    ...u32le(0),
    ...u32le(0),
  ];
  return new Uint8Array([...header, ...info]);
}

async function outcome(bytes: Uint8Array): Promise<{ code: string; ms: number; rssMB: number }> {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  let code = 'decoded';
  try {
    await decodeImage(bytes);
  } catch (err) {
    code = isSmartCitizenError(err) ? err.code : `untyped: ${String(err)}`;
  }
  return { code, ms: performance.now() - t0, rssMB: (process.memoryUsage().rss - rss0) / 2 ** 20 };
}

describe('decodeImage against decompression bombs', () => {
  it.each([
    ['PNG', png(100_000, 100_000, deflateSync(new Uint8Array(1024)))],
    ['JPEG (65,535 × 65,535, the format maximum)', jpeg(65_535, 65_535)],
    ['WebP (VP8X canvas)', webp(100_000, 100_000)],
    ['BMP', bmp(100_000, 100_000)],
  ])('%s header claiming 100,000 × 100,000 px → image/too-large before any allocation', async (_name, bytes) => {
    const r = await outcome(bytes);
    expect(r.code).toBe('image/too-large');
    expect(r.rssMB).toBeLessThan(64);
    expect(r.ms).toBeLessThan(5000);
  });

  it('a 50 MB file → image/too-large (maxBytes, 32 MiB by default) without parsing it', async () => {
    const big = new Uint8Array(50 * 1024 * 1024);
    big.set(jpeg(640, 480));
    expect(big.length).toBeGreaterThan(DEFAULT_MAX_BYTES);
    const r = await outcome(big);
    expect(r.code).toBe('image/too-large');
    expect(r.ms).toBeLessThan(5000);
    // A caller who allows it gets the file parsed (and refused for what it is: junk after the header).
    await expect(decodeImage(big, { maxBytes: 64 * 1024 * 1024 })).rejects.toMatchObject({ code: 'image/corrupt' });
  });

  it('a 300 KB PNG claiming 100 × 100 px whose data inflates to 300 MB → image/corrupt, inflation stopped early', async () => {
    const bomb = png(100, 100, deflateSync(new Uint8Array(300 * 1024 * 1024), { level: 9 }));
    expect(bomb.length).toBeLessThan(400_000);
    const r = await outcome(bomb);
    expect(r.code).toBe('image/corrupt');
    expect(r.rssMB).toBeLessThan(64);
    expect(r.ms).toBeLessThan(10_000);
    // The same header with honest data still decodes.
    const honest = png(100, 100, deflateSync(new Uint8Array(100 * 101).fill(0)));
    expect((await decodeImage(honest)).width).toBe(100);
  });
});
