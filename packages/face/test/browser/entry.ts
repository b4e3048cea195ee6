// Browser harness: bundled with esbuild and loaded in headless Chromium by runInChromium.ts.
import type { RasterImage } from '@smart-citizen/image';
import { FaceVerifier } from '../../src/FaceVerifier.js';
import type { BuiltinProfileId } from '../../src/profiles.js';

interface HarnessImage {
  width: number;
  height: number;
  url: string;
}

async function bytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`GET ${url}: ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/** Create a verifier from served models, run every image once (after a warm-up) and return timings and embeddings. */
async function run(options: {
  profile: BuiltinProfileId;
  modelFiles: Record<string, string>;
  images: HarnessImage[];
  warmup: number;
  threads: number;
  warmUpRuns: number;
}) {
  const files: Record<string, Uint8Array> = {};
  for (const [name, url] of Object.entries(options.modelFiles)) files[name] = await bytes(url);
  const t0 = performance.now();
  const fv = await FaceVerifier.create({
    profile: options.profile,
    backend: 'web',
    threads: options.threads,
    wasmPaths: new URL('/ort/', location.href).href,
    models: { files },
  });
  const createMs = performance.now() - t0;
  const warmUpMs = options.warmUpRuns > 0 ? await fv.warmUp(options.warmUpRuns) : 0;
  const rasters: RasterImage[] = [];
  for (const im of options.images) {
    rasters.push({ width: im.width, height: im.height, channels: 3, data: await bytes(im.url) });
  }
  for (const r of rasters.slice(0, options.warmup)) await fv.analyze(r, { liveness: true });
  const out = [];
  for (const r of rasters) {
    const a = await fv.analyze(r);
    let liveness = Number.NaN;
    if (a.embed.status === 'ok') {
      const l0 = performance.now();
      await fv.livenessScores(r, a.embed.face);
      liveness = performance.now() - l0;
    }
    out.push({
      ok: a.embed.status === 'ok',
      timings: { ...a.timings, liveness },
      embedding: a.embed.status === 'ok' ? Array.from(a.embed.embedding) : null,
    });
  }
  await fv.close();
  return {
    createMs,
    warmUpMs,
    results: out,
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    threads: options.threads,
  };
}

(globalThis as unknown as { faceHarness: { run: typeof run } }).faceHarness = { run };
