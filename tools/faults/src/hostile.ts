/**
 * Mutation fuzzing of the image entry points with hostile JPEG, PNG and WebP files: the
 * decoders (`decodeImage`), the QR reader (`readCardQr`) and the face pipeline
 * (`FaceVerifier.embed`). Every input must end in an image/result or a typed error; anything
 * else (a crash, an untyped error, a wrong buffer) fails at once. Shared by the fault suite
 * (bounded counts) and `pnpm bench hostile-files` (the million).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FaceVerifier } from '@smart-citizen/face';
import { decodeImage, type RasterImage, readImageInfo } from '@smart-citizen/image';
import { fuzzDecode } from '@smart-citizen/image/testing';
import { readCardQr } from '@smart-citizen/qr';
import sharp from 'sharp';

/** Seeds per format: real QR photos and a real face, re-encoded small so mutations run fast. */
export async function hostileSeeds(dataRoot: string): Promise<{ qr: Uint8Array[]; face: Uint8Array[] }> {
  const qrFiles = ['qr/zxing-cpp/qrcode-2/32.png', 'qr/zxing-cpp/qrcode-2/#199b.jpg', 'qr/zxing-cpp/qrcode-2/21.webp'];
  const encode = async (src: Buffer, size: number) => {
    const base = sharp(src).resize(size, size, { fit: 'inside' });
    return Promise.all([
      base.clone().jpeg({ quality: 80 }).toBuffer(),
      base.clone().png().toBuffer(),
      base.clone().webp({ quality: 80 }).toBuffer(),
    ]);
  };
  const qr: Uint8Array[] = [];
  for (const f of qrFiles)
    for (const b of await encode(readFileSync(join(dataRoot, f)), 96)) qr.push(new Uint8Array(b));
  const face: Uint8Array[] = [];
  for (const b of await encode(readFileSync(join(dataRoot, 'face/deepface/img25.jpg')), 128))
    face.push(new Uint8Array(b));
  return { qr, face };
}

/** Outcome of one target. */
export interface HostileRow {
  target: string;
  inputs: number;
  /** Inputs that produced an image or a result. */
  accepted: number;
  /** Typed errors by code. */
  errors: Record<string, number>;
  slowestMs: number;
  cpuMs: number;
}

/** Runs `counts` mutations per target. Seeds are fixed; the mutation stream is seeded. */
export async function fuzzHostileFiles(
  dataRoot: string,
  counts: { headers?: number; decoders: number; qr: number; face: number },
  progress: (m: string) => void = () => undefined,
): Promise<HostileRow[]> {
  const seeds = await hostileSeeds(dataRoot);
  const limits = { maxPixels: 4_000_000, maxBytes: 4 * 1024 * 1024 };
  const rows: HostileRow[] = [];
  const run = async (target: string, n: number, seedSet: Uint8Array[], fn: (b: Uint8Array) => Promise<RasterImage>) => {
    // In slices, so progress shows and the LCG state differs per slice.
    const errors: Record<string, number> = {};
    let accepted = 0;
    let slowestMs = 0;
    const cpu0 = process.cpuUsage();
    const slice = 20_000;
    for (let done = 0; done < n; done += slice) {
      const k = Math.min(slice, n - done);
      const out = await fuzzDecode(fn, seedSet, k, 0x5eed + done + target.length * 7919);
      for (const [code, c] of out.outcomes) {
        if (code === 'decoded') accepted += c;
        else errors[code] = (errors[code] ?? 0) + c;
      }
      slowestMs = Math.max(slowestMs, out.slowestMs);
      if (n > slice) progress(`${target}: ${done + k} / ${n}`);
    }
    const cpu = process.cpuUsage(cpu0);
    rows.push({ target, inputs: n, accepted, errors, slowestMs, cpuMs: (cpu.user + cpu.system) / 1000 });
  };
  const pixel: RasterImage = { width: 1, height: 1, channels: 1, data: new Uint8Array(1) };
  if (counts.headers) {
    // The header parser every decode starts with (format, size, channels): cheap, so many.
    await run('readImageInfo (JPEG, PNG, WebP headers)', counts.headers, [...seeds.qr, ...seeds.face], async (b) => {
      readImageInfo(b);
      return pixel;
    });
  }
  if (counts.decoders > 0)
    await run('decodeImage (JPEG, PNG, WebP)', counts.decoders, [...seeds.qr, ...seeds.face], (b) =>
      decodeImage(b, limits),
    );
  if (counts.qr > 0)
    await run('readCardQr', counts.qr, seeds.qr, async (b) => {
      const img = await decodeImage(b, limits);
      await readCardQr(img, { timeBudgetMs: 2000, accept: 'any' });
      return img;
    });
  if (counts.face === 0) return rows;
  const verifier = await FaceVerifier.create();
  try {
    await run('FaceVerifier.embed', counts.face, seeds.face, async (b) => {
      const img = await decodeImage(b, limits);
      await verifier.embed(img);
      return img;
    });
  } finally {
    await verifier.close();
  }
  return rows;
}
