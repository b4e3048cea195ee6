/**
 * Run the face pipeline in headless Chromium with onnxruntime-web: bundle test/browser/entry.ts
 * with esbuild, serve it, the onnxruntime-web WASM files, the models and raw RGB images from
 * an HTTP server on 127.0.0.1, and drive the page with playwright-core.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RasterImage } from '@smart-citizen/image';
import { chromiumArgs } from '@smart-citizen/test-kit';
import {
  type BuiltinProfileId,
  type FaceModelProfile,
  builtinProfiles,
  profileModelFiles,
} from '../../src/profiles.js';
import { modelsPackageDir } from '../../src/runtime.js';
import { bundleForBrowser, type Served, servePage } from './servePage.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface ChromiumFaceResult {
  createMs: number;
  /** Time of `FaceVerifier.warmUp(warmUpRuns)` after create (0 when not asked). */
  warmUpMs: number;
  userAgent: string;
  /** Whether the page was cross-origin isolated (multi-threaded WASM needs it). */
  crossOriginIsolated: boolean;
  /** `ort.env.wasm.numThreads` the page ran with. */
  threads: number;
  results: { ok: boolean; timings: Record<string, number>; embedding: number[] | null }[];
}

export interface ChromiumRunOptions {
  /** Images analysed once before timing. @default 2 */
  warmup?: number;
  /** onnxruntime-web WASM threads (the page is served cross-origin isolated so more than 1 works). @default 1 */
  threads?: number;
  /** Passes of `FaceVerifier.warmUp` right after create, before the images. @default 0 */
  warmUpRuns?: number;
}

/**
 * @param chromium - Path of the Chromium executable.
 * @param profileId - Profile to run.
 * @param modelsDir - Folder of the integrator models.
 * @param images - RGB images (3 channels).
 */
export async function runInChromium(
  chromium: string,
  profileId: BuiltinProfileId,
  modelsDir: string,
  images: RasterImage[],
  options: ChromiumRunOptions = {},
): Promise<ChromiumFaceResult> {
  const { warmup = 2, threads = 1, warmUpRuns = 0 } = options;
  const profile: FaceModelProfile = builtinProfiles[profileId];
  const pkgDir = await modelsPackageDir();
  const modelPaths = new Map(
    profileModelFiles(profile).map((m) => [m.file, join(m.origin === 'integrator' ? modelsDir : pkgDir, m.file)]),
  );
  const octets = (body: Uint8Array): Served => ({ type: 'application/octet-stream', body });
  const server = await servePage(await bundleForBrowser(join(here, 'entry.ts')), (path) => {
    const model = path.startsWith('/models/') ? modelPaths.get(path.slice(8)) : undefined;
    if (model) return octets(readFileSync(model));
    const image = path.startsWith('/img/') ? images[Number(path.slice(5))] : undefined;
    return image ? octets(image.data) : undefined;
  });
  try {
    const { chromium: pw } = await import('playwright-core');
    const browser = await pw.launch({ executablePath: chromium, args: [...chromiumArgs] });
    try {
      const page = await browser.newPage();
      const base = server.base;
      await page.goto(`${base}/`);
      await page.waitForFunction(() => 'faceHarness' in globalThis, undefined, { timeout: 60_000 });
      const modelFiles = Object.fromEntries([...modelPaths.keys()].map((f) => [f, `${base}/models/${f}`]));
      const imageList = images.map((im, i) => ({ width: im.width, height: im.height, url: `${base}/img/${i}` }));
      return (await page.evaluate(
        (o) =>
          (globalThis as unknown as { faceHarness: { run: (x: typeof o) => Promise<unknown> } }).faceHarness.run(o),
        { profile: profileId, modelFiles, images: imageList, warmup, threads, warmUpRuns },
      )) as ChromiumFaceResult;
    } finally {
      await browser.close();
    }
  } finally {
    server.close();
  }
}
