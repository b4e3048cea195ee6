import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedData } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './decodeImage.js';
import { encodeBmp, fuzzDecode, gradient } from './testing/fixtures.js';

const data = sharedData('');

// Small real files of every format, so 2000 mutations run in seconds.
const SEEDS = [
  'face/deepface/img25.jpg',
  'face/deepface/img12.jpg',
  'qr/zxing-cpp/qrcode-2/#199b.jpg',
  'qr/zxing-cpp/qrcode-2/9.png',
  'qr/zxing-cpp/qrcode-2/qr-model-1.png',
  'qr/zxing-cpp/qrcode-2/21.webp',
  'qr/zxing-cpp/qrcode-2/low-res-v1-a.webp',
];

describe.skipIf(!data)('decodeImage fuzzing with mutated real files', () => {
  it('2000 mutated files: only typed errors or images, none slow', async () => {
    const seeds: Uint8Array[] = SEEDS.map((p) => new Uint8Array(readFileSync(join(data as string, p))));
    seeds.push(encodeBmp(gradient(37, 23, 3)), encodeBmp(gradient(16, 9, 1)), encodeBmp(gradient(9, 9, 4)));
    const { outcomes, slowestMs: slowest } = await fuzzDecode(
      (b) => decodeImage(b, { maxPixels: 4_000_000 }),
      seeds,
      2000,
      12345,
    );
    expect(outcomes.get('image/corrupt') ?? 0).toBeGreaterThan(200);
    expect(outcomes.get('decoded') ?? 0).toBeGreaterThan(100);
    for (const code of outcomes.keys()) {
      expect(['decoded', 'image/corrupt', 'image/unsupported-format', 'image/too-large']).toContain(code);
    }
    expect(slowest).toBeLessThan(5000);
  }, 170_000);
});
