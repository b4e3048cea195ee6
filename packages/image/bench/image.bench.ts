import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { defineBench, percentile, type BenchTable } from '@smart-citizen/bench';
import {
  decodeImage,
  detectImageFormat,
  estimateHomography,
  estimateSimilarity,
  initImageDecoders,
  type RasterImage,
  readImageInfo,
  resize,
  toGrey,
  warpAffine,
  warpPerspective,
} from '@smart-citizen/image';
import { sharedData } from '@smart-citizen/test-kit';
import { ARCFACE_112, rectCorners } from '../src/testing/fixtures.js';
import { decode as fastPngDecode } from 'fast-png';
import { decode as jpegJsDecode } from 'jpeg-js';
import sharp from 'sharp';

type Format = 'jpeg' | 'png' | 'webp';

function imagesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(jpe?g|png|webp)$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
}

function median(xs: number[]): number {
  return percentile(xs, 50);
}

async function timeEach(files: Uint8Array[], fn: (b: Uint8Array) => unknown): Promise<number[]> {
  const out: number[] = [];
  for (const b of files) {
    const t = performance.now();
    await fn(b);
    out.push(performance.now() - t);
  }
  return out;
}

async function repeat(n: number, fn: () => unknown): Promise<number[]> {
  await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs((a[i] as number) - (b[i] as number));
  return s / a.length;
}

async function sharpRaw(b: Uint8Array): Promise<void> {
  await sharp(b).raw().toBuffer();
}

export const bench = defineBench({
  name: 'image',
  pkg: 'image',
  description:
    'image decoding per format (SDK decoders vs jpeg-js vs sharp/libvips) on the real photos and QR scans; resize and warps',
  async run(ctx) {
    const faces = sharedData('face/deepface');
    const qr = sharedData('qr');
    if (!faces || !qr) return { tables: [], notes: ['SKIPPED: ../shared/data/face/deepface or qr is missing'] };
    await initImageDecoders(); // WASM compile once, outside the timings
    sharp.concurrency(1); // one thread, like the SDK's decoders
    let paths = [...imagesIn(faces), ...imagesIn(qr)];
    if (ctx.quick) paths = paths.filter((_, i) => i % 8 === 0);
    const byFormat = new Map<Format, { bytes: Uint8Array[]; megapixels: number }>();
    for (const p of paths) {
      const bytes = new Uint8Array(readFileSync(p));
      const format = detectImageFormat(bytes);
      if (format !== 'jpeg' && format !== 'png' && format !== 'webp') continue;
      const info = readImageInfo(bytes);
      const entry = byFormat.get(format) ?? { bytes: [], megapixels: 0 };
      entry.bytes.push(bytes);
      entry.megapixels += (info.width * info.height) / 1e6;
      byFormat.set(format, entry);
    }

    const decoders: Record<Format, [string, (b: Uint8Array) => unknown][]> = {
      jpeg: [
        ['SDK decodeImage (mozjpeg WASM, @jsquash/jpeg)', (b) => decodeImage(b)],
        ['jpeg-js 0.4 (pure JS)', (b) => jpegJsDecode(b, { useTArray: true, formatAsRGBA: false })],
        ['sharp 0.34 raw (libjpeg-turbo native, 1 thread)', sharpRaw],
      ],
      png: [
        ['SDK decodeImage (fast-png, pure JS)', (b) => decodeImage(b)],
        ['fast-png 8 alone', (b) => fastPngDecode(b)],
        ['sharp 0.34 raw (libspng native, 1 thread)', sharpRaw],
      ],
      webp: [
        ['SDK decodeImage (libwebp WASM, @jsquash/webp)', (b) => decodeImage(b)],
        ['sharp 0.34 raw (libwebp native, 1 thread)', sharpRaw],
      ],
    };
    const decodeRows: BenchTable['rows'] = [];
    for (const [format, { bytes, megapixels }] of byFormat) {
      for (const [name, fn] of decoders[format]) {
        ctx.progress(`decode ${format}: ${name} on ${bytes.length} images`);
        await fn(bytes[0] as Uint8Array); // warm-up (JIT, WASM instance)
        const ms = await timeEach(bytes, fn);
        const total = ms.reduce((a, b) => a + b, 0);
        decodeRows.push({
          format,
          decoder: name,
          images: bytes.length,
          megapixels: Math.round(megapixels * 10) / 10,
          medianMs: median(ms),
          p90Ms: percentile(ms, 90),
          imagesPerS: (bytes.length / total) * 1000,
          megapixelsPerS: (megapixels / total) * 1000,
        });
      }
    }

    // Resize and warps on a real photo brought to 1280×960.
    const photo = await decodeImage(new Uint8Array(readFileSync(join(faces, 'img2.jpg'))));
    const src = resize(photo, { width: 1280, height: 960, method: 'area' });
    const srcBytes = Buffer.from(src.data);
    const raw = { raw: { width: 1280, height: 960, channels: 3 as const } };
    const n = ctx.quick ? 5 : 25;
    const ops: [string, () => unknown][] = [
      ['SDK resize area 1280×960 → 640×480 (RGB)', () => resize(src, { width: 640, height: 480, method: 'area' })],
      [
        'SDK resize bilinear 1280×960 → 640×480 (RGB)',
        () => resize(src, { width: 640, height: 480, method: 'bilinear' }),
      ],
      [
        'sharp resize linear 1280×960 → 640×480 (RGB, 1 thread)',
        () => sharp(srcBytes, raw).resize(640, 480, { kernel: 'linear' }).raw().toBuffer(),
      ],
      [
        'sharp resize lanczos3 1280×960 → 640×480 (RGB, 1 thread)',
        () => sharp(srcBytes, raw).resize(640, 480).raw().toBuffer(),
      ],
      ['SDK toGrey 1280×960', () => toGrey(src)],
    ];
    const quad = [
      { x: 100, y: 80 },
      { x: 1190, y: 40 },
      { x: 1230, y: 900 },
      { x: 60, y: 930 },
    ];
    const rect = rectCorners(1279, 959);
    const H = estimateHomography(quad, rect);
    const grey = toGrey(src);
    ops.push(
      [
        'SDK warpPerspective 1280×960 → 1280×960 (RGB, bilinear)',
        () => warpPerspective(src, H, { width: 1280, height: 960 }),
      ],
      [
        'SDK warpPerspective 1280×960 → 1280×960 (grey, bilinear)',
        () => warpPerspective(grey, H, { width: 1280, height: 960 }),
      ],
      ['SDK estimateHomography (4 points)', () => estimateHomography(quad, rect)],
    );
    const landmarks = [
      { x: 520, y: 400 },
      { x: 640, y: 398 },
      { x: 580, y: 470 },
      { x: 530, y: 540 },
      { x: 630, y: 538 },
    ];
    ops.push([
      'SDK face alignment: estimateSimilarity (5 points) + warpAffine 112×112',
      () => warpAffine(src, estimateSimilarity(landmarks, ARCFACE_112), { width: 112, height: 112 }),
    ]);
    const opRows: BenchTable['rows'] = [];
    for (const [name, fn] of ops) {
      ctx.progress(name);
      const ms = await repeat(n, fn);
      opRows.push({ operation: name, runs: n, medianMs: median(ms), p90Ms: percentile(ms, 90) });
    }

    // How close the SDK's output is to sharp's on the same input.
    const ours = resize(src, { width: 640, height: 480, method: 'area' });
    const theirsLinear = new Uint8Array(
      await sharp(srcBytes, raw).resize(640, 480, { kernel: 'linear' }).raw().toBuffer(),
    );
    const oursBilinear = resize(src, { width: 640, height: 480, method: 'bilinear' });
    const agreeRows: BenchTable['rows'] = [
      { comparison: 'SDK area vs sharp linear (2:1 shrink)', meanAbsDiff: meanAbsDiff(ours.data, theirsLinear) },
      {
        comparison: 'SDK bilinear vs sharp linear (2:1 shrink)',
        meanAbsDiff: meanAbsDiff(oursBilinear.data, theirsLinear),
      },
    ];
    const agreeDecode: { format: string; images: number; meanAbsDiffVsSharp: number }[] = [];
    for (const [format, { bytes }] of byFormat) {
      let sum = 0;
      for (const b of bytes) {
        const img: RasterImage = await decodeImage(b, { applyExifOrientation: false });
        let s = sharp(b).keepIccProfile();
        s = img.channels === 1 ? s.greyscale() : img.channels === 3 ? s.removeAlpha() : s.ensureAlpha();
        sum += meanAbsDiff(img.data, new Uint8Array(await s.raw().toBuffer()));
      }
      agreeDecode.push({ format, images: bytes.length, meanAbsDiffVsSharp: sum / bytes.length });
    }

    return {
      tables: [
        { title: 'Decode to raw pixels, per image (real photos + QR scans)', rows: decodeRows },
        { title: 'Resize, grey, warps (real photo at 1280×960)', rows: opRows },
        { title: 'Resize agreement with sharp (mean absolute difference, 0–255 levels)', rows: agreeRows },
        { title: 'Decode agreement with sharp (mean absolute difference per image, 0–255 levels)', rows: agreeDecode },
      ],
      notes: [
        'sharp runs with concurrency(1) so it is compared single-threaded, like the SDK; its default uses all cores.',
        'SDK decodeImage times include format detection, the header limit check, EXIF orientation and channel conversion.',
        'Decode agreement is measured without colour management (sharp keepIccProfile), which the SDK does not do.',
        `Load average at the end: ${loadavg()
          .map((v) => v.toFixed(1))
          .join(' ')} (shared machine: absolute times vary run to run, the ratios hold).`,
      ],
    };
  },
});
