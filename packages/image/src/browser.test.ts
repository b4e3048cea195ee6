import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumArgs, chromiumPath, sharedData } from '@smart-citizen/test-kit';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { toGrey } from './convert.js';
import { decodeImage } from './decodeImage.js';
import { estimateHomography } from './estimateTransforms.js';
import { encodePng } from './encodePng.js';
import type { RasterImage } from './RasterImage.js';
import { resize } from './resize.js';
import { encodeBmp, encodeJpeg, gradient, rectCorners, withJpegOrientation } from './testing/fixtures.js';
import { encodeJpeg2000 } from './testing.js';
import { warpPerspective } from './warp.js';

const executablePath = chromiumPath();
const faces = sharedData('face/deepface');
const require = createRequire(import.meta.url);

/** FNV-1a over the pixels, plus the shape: equal digests mean identical images. */
function digest(img: RasterImage): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < img.data.length; i++) h = Math.imul(h ^ (img.data[i] as number), 0x01000193) >>> 0;
  return `${img.width}x${img.height}x${img.channels}:${h.toString(16)}`;
}

const QUAD = [
  { x: 10, y: 8 },
  { x: 90, y: 4 },
  { x: 95, y: 70 },
  { x: 6, y: 75 },
];
const RECT = rectCorners(79, 59);

describe.skipIf(!executablePath)('image primitives in Chromium give the same pixels as in Node', () => {
  it('decodes JPEG/PNG/WebP/BMP/JPEG 2000 and warps identically in the browser bundle', async () => {
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
      bundle: true,
      format: 'iife',
      globalName: 'SmartCitizenImage',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
      conditions: ['@smart-citizen/source'],
      // Node-only branches stay as lazy imports that the browser never reaches.
      external: ['node:*'],
    });
    const code = bundle.outputFiles[0]?.text ?? '';
    expect(code).not.toMatch(/from\s*["']node:/);
    // OpenJPEG is the integrator's own bundle: its Emscripten glue names fs and path in its Node branch.
    const openjpeg = await build({
      entryPoints: [require.resolve('@cornerstonejs/codec-openjpeg/decodewasmjs')],
      bundle: true,
      format: 'iife',
      globalName: 'OpenJpegDecoder',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
      external: ['fs', 'path'],
    });

    const g = gradient(100, 80, 3);
    const files: Record<string, Uint8Array> = {
      jpeg: withJpegOrientation(encodeJpeg(g), 6),
      png: encodePng(gradient(100, 80, 4)),
      bmp: encodeBmp(gradient(33, 17, 1)),
      webp: new Uint8Array(
        await sharp(Buffer.from(g.data), { raw: { width: 100, height: 80, channels: 3 } })
          .webp()
          .toBuffer(),
      ),
      jp2: await encodeJpeg2000(g, {}),
      j2kGrey: await encodeJpeg2000(gradient(33, 17, 1), { lossless: true, jp2: false }),
    };
    if (faces) files.realWebp = new Uint8Array(readFileSync(join(faces, 'img47.webp')));
    if (faces) files.realJpeg = new Uint8Array(readFileSync(join(faces, 'img43.jpg')));

    const expected: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(files)) {
      const img = await decodeImage(bytes);
      expected[name] = digest(img);
      if (name === 'jpeg') {
        const H = estimateHomography(QUAD, RECT);
        expected.warp = digest(warpPerspective(img, H, { width: 80, height: 60 }));
        expected.greySmall = digest(toGrey(resize(img, { width: 40, height: 50, method: 'area' })));
      }
    }

    const wasm = {
      jpeg: readFileSync(require.resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm')).toString('base64'),
      webp: readFileSync(require.resolve('@jsquash/webp/codec/dec/webp_dec.wasm')).toString('base64'),
      jpeg2000: readFileSync(require.resolve('@cornerstonejs/codec-openjpeg/decodewasm')).toString('base64'),
    };
    const payload = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));

    const browser = await chromium.launch({ executablePath: executablePath as string, args: [...chromiumArgs] });
    try {
      const page = await browser.newPage();
      await page.setContent('<!doctype html><title>image</title>');
      await page.addScriptTag({ content: code });
      await page.addScriptTag({ content: openjpeg.outputFiles[0]?.text ?? '' });
      const got = await page.evaluate(
        async ({ payload, wasm, QUAD, RECT }) => {
          const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
          // biome-ignore lint/suspicious/noExplicitAny: the IIFE global of the bundle
          const SC = (globalThis as any).SmartCitizenImage;
          await SC.initImageDecoders({
            jpeg: fromB64(wasm.jpeg),
            webp: fromB64(wasm.webp),
            // biome-ignore lint/suspicious/noExplicitAny: the IIFE global of the OpenJPEG bundle
            jpeg2000: { factory: (globalThis as any).OpenJpegDecoder.default, wasm: fromB64(wasm.jpeg2000) },
          });
          const digest = (img: RasterImage) => {
            let h = 0x811c9dc5;
            for (let i = 0; i < img.data.length; i++) h = Math.imul(h ^ (img.data[i] as number), 0x01000193) >>> 0;
            return `${img.width}x${img.height}x${img.channels}:${h.toString(16)}`;
          };
          const out: Record<string, string> = {};
          for (const [name, b64] of Object.entries(payload)) {
            const img = await SC.decodeImage(fromB64(b64 as string));
            out[name] = digest(img);
            if (name === 'jpeg') {
              const H = SC.estimateHomography(QUAD, RECT);
              out.warp = digest(SC.warpPerspective(img, H, { width: 80, height: 60 }));
              out.greySmall = digest(SC.toGrey(SC.resize(img, { width: 40, height: 50, method: 'area' })));
            }
          }
          return out;
        },
        { payload, wasm, QUAD, RECT },
      );
      expect(got).toEqual(expected);
      // The EXIF orientation was applied in the browser too (100×80 stored, 80×100 upright).
      expect(got.jpeg?.startsWith('80x100x3')).toBe(true);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
