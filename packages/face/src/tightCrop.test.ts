import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage, type RasterImage, resize } from '@smart-citizen/image';
import { sharedData } from '@smart-citizen/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceVerifier } from './FaceVerifier.js';
import { faceExtentFromLandmarks } from './quality.js';

const deepface = sharedData('face/deepface');
const modelsDir = sharedData('models');

/** A square cut of `img` around (cx, cy), `side` px wide, clamped to the image. */
function squareCrop(img: RasterImage, cx: number, cy: number, side: number): RasterImage {
  const x0 = Math.max(0, Math.round(cx - side / 2));
  const y0 = Math.max(0, Math.round(cy - side / 2));
  const w = Math.min(img.width - x0, Math.round(side));
  const h = Math.min(img.height - y0, Math.round(side));
  const c = img.channels;
  const data = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) {
    const from = ((y0 + y) * img.width + x0) * c;
    data.set(img.data.subarray(from, from + w * c), y * w * c);
  }
  return { width: w, height: h, channels: c, data };
}

// Frontal, evenly lit faces of four identities (see the face README's per-identity table).
const PHOTOS = ['img1.jpg', 'img2.jpg', 'img20.jpg', 'img30.jpg', 'img11.jpg', 'img17.jpg'];

describe.skipIf(!deepface || !modelsDir)('quality gate on tightly cropped faces (deepface)', () => {
  let yunet: FaceVerifier;
  let fallback: FaceVerifier;
  const crops: { name: string; image: RasterImage }[] = [];

  beforeAll(async () => {
    yunet = await FaceVerifier.create({ profile: 'default', models: { dir: modelsDir as string } });
    fallback = await FaceVerifier.create({ profile: 'faceplugin' });
    for (const f of PHOTOS) {
      const img = await decodeImage(new Uint8Array(readFileSync(join(deepface as string, f))), { maxDimension: 1280 });
      const face = (await yunet.detect(img)).faces[0];
      const extent = face && faceExtentFromLandmarks(face.landmarks5);
      if (!face || !extent) throw new Error(`no face in ${f}`);
      // From a loose crop down to the face itself (the landmarks' face extent: brows to chin,
      // cheek to cheek), each shrunk to 150 px: a face filling a small image.
      const cx = extent.x + extent.width / 2;
      const cy = extent.y + extent.height / 2;
      const side = Math.max(extent.width, extent.height);
      for (const k of [1.6, 1.2, 1.05, 1]) {
        const cut = squareCrop(img, cx, cy, side * k);
        crops.push({ name: `${f}@${k}`, image: resize(cut, { width: 150, height: 150 }) });
      }
    }
  }, 120_000);

  afterAll(async () => {
    await yunet?.close();
    await fallback?.close();
  });

  for (const profile of ['default', 'faceplugin'] as const) {
    it(`${profile}: no quality error on a well-exposed frontal face however tight the crop`, async () => {
      const fv = profile === 'faceplugin' ? fallback : yunet;
      const failures: string[] = [];
      for (const c of crops) {
        const r = await fv.embed(c.image);
        if (r.status !== 'ok') {
          failures.push(`${c.name}: no face`);
          continue;
        }
        const errors = r.issues.filter((i) => i.severity === 'error').map((i) => i.code);
        if (errors.length)
          failures.push(`${c.name}: ${errors.join(',')} (brightness ${Math.round(r.quality.brightness)})`);
        // Exposure is measured on the face, so it does not drift as the crop tightens.
        expect(r.quality.clipped).toBeLessThan(0.05);
      }
      expect(failures).toEqual([]);
    }, 120_000);
  }

  it('the measured brightness of a face does not depend on how tight the crop is', async () => {
    for (let i = 0; i < crops.length; i += 4) {
      const values: number[] = [];
      for (const c of crops.slice(i, i + 4)) {
        const r = await yunet.embed(c.image);
        if (r.status === 'ok') values.push(r.quality.brightness);
      }
      expect(values.length).toBe(4);
      expect(Math.max(...values) - Math.min(...values)).toBeLessThan(12);
    }
  }, 120_000);
});
