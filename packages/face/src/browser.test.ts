import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage, type RasterImage, resize } from '@smart-citizen/image';
import { chromiumPath, sharedData } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { runInChromium } from '../test/browser/runInChromium.js';
import { FaceVerifier } from './FaceVerifier.js';
import { cosineSimilarity } from '@smart-citizen/core';

const deepface = sharedData('face/deepface');
const models = sharedData('models');
const chromium = chromiumPath();

describe.skipIf(!deepface || !models || !chromium)('browser build in headless Chromium (onnxruntime-web)', () => {
  it('gives the same embeddings as Node and tells the same person from another', async () => {
    const images: RasterImage[] = [];
    for (const f of ['img1.jpg', 'img2.jpg', 'img3.jpg']) {
      const im = await decodeImage(new Uint8Array(readFileSync(join(deepface as string, f))), { maxDimension: 1280 });
      const s = 320 / Math.max(im.width, im.height);
      const small = resize(im, { width: Math.round(im.width * s), height: Math.round(im.height * s) });
      images.push(small.channels === 3 ? small : { ...small, channels: 3, data: small.data });
    }
    const web = await runInChromium(chromium as string, 'yunet-minifasnet', models as string, images, { warmup: 0 });
    expect(web.userAgent).toContain('Chrome');
    const emb = web.results.map((r) => Float32Array.from(r.embedding ?? []));
    expect(web.results.every((r) => r.ok)).toBe(true);
    const [a, b, c] = emb as [Float32Array, Float32Array, Float32Array];
    const fv = await FaceVerifier.create({
      profile: 'yunet-minifasnet',
      models: { dir: models as string },
      liveness: false,
    });
    try {
      for (const [i, im] of images.entries()) {
        const n = await fv.embed(im);
        expect(n.status).toBe('ok');
        if (n.status === 'ok') expect(cosineSimilarity(n.embedding, emb[i] as Float32Array)).toBeGreaterThan(0.99);
      }
      expect(cosineSimilarity(a, b)).toBeGreaterThan(fv.thresholds.photo);
      expect(cosineSimilarity(a, c)).toBeLessThan(fv.thresholds.photo);
    } finally {
      await fv.close();
    }
  }, 180_000);

  it('runs onnxruntime-web on two WASM threads when the page is cross-origin isolated', async () => {
    const im = await decodeImage(new Uint8Array(readFileSync(join(deepface as string, 'img1.jpg'))), {
      maxDimension: 320,
    });
    const rgb: RasterImage = im.channels === 3 ? im : { ...im, channels: 3 };
    const one = await runInChromium(chromium as string, 'yunet-minifasnet', models as string, [rgb], { warmup: 0 });
    const two = await runInChromium(chromium as string, 'yunet-minifasnet', models as string, [rgb], {
      warmup: 0,
      threads: 2,
    });
    expect(two.crossOriginIsolated).toBe(true);
    expect(two.threads).toBe(2);
    const [a, b] = [one, two].map((r) => Float32Array.from(r.results[0]?.embedding ?? []));
    expect(a?.length).toBe(512);
    expect(cosineSimilarity(a as Float32Array, b as Float32Array)).toBeGreaterThan(0.999);
  }, 180_000);
});
