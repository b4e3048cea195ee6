import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedData } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { isSmartCitizenError } from '@smart-citizen/core';
import { decodeImage } from './decodeImage.js';
import { encodeBmp, gradient } from './testing/fixtures.js';

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
    let state = 12345;
    const rnd = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 8) % n;
    };
    const outcomes = new Map<string, number>();
    let slowest = 0;
    for (let k = 0; k < 2000; k++) {
      const seed = seeds[k % seeds.length] as Uint8Array;
      let bytes = seed.slice();
      const kind = rnd(4);
      if (kind === 0 || kind === 3) {
        // Byte flips, mostly in the headers where the parsers make decisions.
        const flips = 1 + rnd(8);
        for (let i = 0; i < flips; i++) bytes[rnd(rnd(2) ? Math.min(bytes.length, 256) : bytes.length)] = rnd(256);
      }
      if (kind === 1 || kind === 3) bytes = bytes.subarray(0, rnd(bytes.length));
      if (kind === 2) {
        // Splice a run of random bytes in.
        const at = rnd(bytes.length);
        const junk = Uint8Array.from({ length: 1 + rnd(64) }, () => rnd(256));
        const out = new Uint8Array(bytes.length + junk.length);
        out.set(bytes.subarray(0, at));
        out.set(junk, at);
        out.set(bytes.subarray(at), at + junk.length);
        bytes = out;
      }
      const t0 = performance.now();
      let outcome: string;
      try {
        const img = await decodeImage(bytes, { maxPixels: 4_000_000 });
        expect(img.data.length).toBe(img.width * img.height * img.channels);
        outcome = 'decoded';
      } catch (err) {
        if (!isSmartCitizenError(err)) throw new Error(`untyped error on mutation ${k}: ${String(err)}`);
        outcome = err.code;
      }
      slowest = Math.max(slowest, performance.now() - t0);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect(outcomes.get('image/corrupt') ?? 0).toBeGreaterThan(200);
    expect(outcomes.get('decoded') ?? 0).toBeGreaterThan(100);
    for (const code of outcomes.keys()) {
      expect(['decoded', 'image/corrupt', 'image/unsupported-format', 'image/too-large']).toContain(code);
    }
    expect(slowest).toBeLessThan(5000);
  }, 170_000);
});
