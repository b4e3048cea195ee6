import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { defaultProfile, profileModelFiles } from '@smart-citizen/face';
import { repoRoot, sharedData } from '@smart-citizen/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greyBmp } from './fixtures.js';
import { createKioskPrecheck } from './kioskPrecheck.js';
import type { KioskPrecheck } from './kioskPrecheck.js';

// The browser path: model files handed over as bytes, onnxruntime-web (WASM) as the backend.
const require = createRequire(resolve(repoRoot, 'packages/face/package.json'));
const modelDir = join(dirname(require.resolve('@smart-citizen/face-models/package.json')), 'models');
// The default profile's files without the liveness nets (the pre-check does not run them).
const liveFiles = new Set(defaultProfile.liveness.models.map((m) => m.model.file));
const faceModels = Object.fromEntries(
  profileModelFiles(defaultProfile)
    .filter((m) => !liveFiles.has(m.file))
    .map((m) => [m.file, new Uint8Array(readFileSync(join(modelDir, m.file)))]),
);
const cardPhoto = new Uint8Array(readFileSync(resolve(repoRoot, 'examples/data/cccd-qr-photo.jpg')));
const deepface = sharedData('face/deepface');

describe('kiosk pre-check (onnxruntime-web, models as bytes)', () => {
  let kiosk: KioskPrecheck;
  beforeAll(async () => {
    kiosk = await createKioskPrecheck({ zxing: {}, faceModels, backend: 'web' });
  });
  afterAll(async () => {
    await kiosk?.close();
  });

  it('accepts the card photo and asks for a retake of a photo without a code', async () => {
    expect(await kiosk.checkCard(cardPhoto)).toMatchObject({ usable: true });
    const none = await kiosk.checkCard(greyBmp());
    expect(none.usable).toBe(false);
    expect(none.issues.map((i) => i.code)).toContain('qr/not-found');
  });

  it.skipIf(!deepface)('accepts a good face photo and refuses a photo with no face', async () => {
    const face = await kiosk.checkFace(new Uint8Array(readFileSync(join(deepface as string, 'img2.jpg'))));
    expect(face).toMatchObject({ usable: true });
    const noFace = await kiosk.checkFace(greyBmp(160, 160));
    expect(noFace.usable).toBe(false);
  });
});
