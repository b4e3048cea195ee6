/**
 * Run the face pipeline in headless Chromium with onnxruntime-web: bundle test/browser/entry.ts
 * with esbuild, serve it, the onnxruntime-web WASM files, the models and raw RGB images from
 * an HTTP server on 127.0.0.1, and drive the page with playwright-core.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RasterImage } from '@smart-citizen/core';
import { chromiumArgs } from '@smart-citizen/test-kit';
import { type FaceModelProfile, builtinProfiles, profileModelFiles } from '../../src/profiles.js';
import { facepluginModelDir } from '../../src/runtime.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRequire = createRequire(join(here, '../../../../package.json'));

export interface ChromiumFaceResult {
  createMs: number;
  userAgent: string;
  /** Whether the page was cross-origin isolated (multi-threaded WASM needs it). */
  crossOriginIsolated: boolean;
  /** `ort.env.wasm.numThreads` the page ran with. */
  threads: number;
  results: { ok: boolean; timings: Record<string, number>; embedding: number[] | null }[];
}

/** The one esbuild call used here (esbuild comes with tsup; it is not a direct dependency). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

async function bundle(): Promise<string> {
  const esbuild = createRequire(repoRequire.resolve('tsup'))('esbuild') as Esbuild;
  const r = await esbuild.build({
    entryPoints: [join(here, 'entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    conditions: ['@smart-citizen/source'],
    external: ['onnxruntime-node', 'node:*'],
    logLevel: 'silent',
  });
  const out = r.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output');
  return out.text;
}

export interface ChromiumRunOptions {
  /** Images analysed once before timing. @default 2 */
  warmup?: number;
  /** onnxruntime-web WASM threads (the page is served cross-origin isolated so more than 1 works). @default 1 */
  threads?: number;
}

/**
 * @param chromium - Path of the Chromium executable.
 * @param profileId - Profile to run.
 * @param modelsDir - Folder of the integrator models.
 * @param images - RGB images (3 channels).
 */
export async function runInChromium(
  chromium: string,
  profileId: 'default' | 'yunet-minifasnet',
  modelsDir: string,
  images: RasterImage[],
  options: ChromiumRunOptions = {},
): Promise<ChromiumFaceResult> {
  const { warmup = 2, threads = 1 } = options;
  const js = await bundle();
  const ortDir = dirname(createRequire(join(here, '../../package.json')).resolve('onnxruntime-web'));
  const profile: FaceModelProfile = builtinProfiles[profileId];
  const pkgDir = await facepluginModelDir();
  const modelPaths = new Map(
    profileModelFiles(profile).map((m) => [m.file, join(m.origin === 'integrator' ? modelsDir : pkgDir, m.file)]),
  );
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (type: string, body: Uint8Array | string) => {
      // COOP + COEP make the page cross-origin isolated: SharedArrayBuffer, so WASM threads.
      res.writeHead(200, {
        'content-type': type,
        'cache-control': 'no-store',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      res.end(body);
    };
    try {
      if (url.pathname === '/')
        return send('text/html', '<!doctype html><script type="module" src="/bundle.js"></script>');
      if (url.pathname === '/bundle.js') return send('text/javascript', js);
      if (url.pathname.startsWith('/ort/')) {
        const name = url.pathname.slice(5);
        if (!/^[\w.-]+$/.test(name)) throw new Error('bad name');
        const type = name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
        return send(type, readFileSync(join(ortDir, name)));
      }
      if (url.pathname.startsWith('/models/')) {
        const p = modelPaths.get(url.pathname.slice(8));
        if (!p) throw new Error('unknown model');
        return send('application/octet-stream', readFileSync(p));
      }
      if (url.pathname.startsWith('/img/')) {
        const im = images[Number(url.pathname.slice(5))];
        if (!im) throw new Error('unknown image');
        return send('application/octet-stream', im.data);
      }
    } catch {
      // fall through to 404
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const { chromium: pw } = await import('playwright-core');
  const browser = await pw.launch({ executablePath: chromium, args: [...chromiumArgs] });
  try {
    const page = await browser.newPage();
    const base = `http://127.0.0.1:${port}`;
    await page.goto(`${base}/`);
    await page.waitForFunction(() => 'faceHarness' in globalThis, undefined, { timeout: 60_000 });
    const modelFiles = Object.fromEntries([...modelPaths.keys()].map((f) => [f, `${base}/models/${f}`]));
    const imageList = images.map((im, i) => ({ width: im.width, height: im.height, url: `${base}/img/${i}` }));
    return (await page.evaluate(
      (o) =>
        (
          globalThis as unknown as {
            faceHarness: { run: (x: typeof o) => Promise<unknown> };
          }
        ).faceHarness.run(o),
      { profile: profileId, modelFiles, images: imageList, warmup, threads },
    )) as ChromiumFaceResult;
  } finally {
    await browser.close();
    server.close();
  }
}
