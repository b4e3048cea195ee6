// Browser side of the kiosk-face-browser bench: the SDK's FaceVerifier (onnxruntime-web, one
// WASM thread, default profile) and face-api.js (@vladmandic/face-api: tfjs, its own
// SSD-MobileNet detector, 68 landmarks and 128-d ResNet descriptor, CPU backend) on the same
// RGB images, each after its own warm-up, one after the other in the same page. Each system is
// prepared (models loaded, images fetched, warm-up run), then timed, then closed, so the bench can
// read the renderer's CPU time around the timed run alone.
import { FaceVerifier } from '@smart-citizen/face';
import * as faceapi from '@vladmandic/face-api';

interface Img {
  width: number;
  height: number;
  url: string;
  /** A portrait cut from a photographed card: the SDK embeds it as an `id-card-portrait` reference. */
  card?: boolean;
}
interface Out {
  ms: number[];
  vectors: (number[] | null)[];
  createMs: number;
  backend?: string;
}

async function bytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`GET ${url}: ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/** What one system keeps between its warm-up and its timed run. */
interface Prepared {
  run(): Promise<Out>;
  close(): Promise<void>;
}
let prepared: Prepared | undefined;

async function prepareSdk(images: Img[], models: Record<string, string>, warmup: number): Promise<void> {
  const files: Record<string, Uint8Array> = {};
  for (const [name, url] of Object.entries(models)) files[name] = await bytes(url);
  const t0 = performance.now();
  const fv = await FaceVerifier.create({
    profile: 'default',
    backend: 'web',
    threads: 1,
    wasmPaths: new URL('/runtime/ort/', location.href).href,
    models: { files },
    liveness: false,
  });
  const createMs = performance.now() - t0;
  const rasters = await Promise.all(
    images.map(async (im) => ({ width: im.width, height: im.height, channels: 3 as const, data: await bytes(im.url) })),
  );
  const options = images.map((im) => (im.card ? { referenceType: 'id-card-portrait' as const } : undefined));
  for (const r of rasters.slice(0, warmup)) await fv.embed(r);
  prepared = {
    async run() {
      const out: Out = { ms: [], vectors: [], createMs };
      for (const [i, r] of rasters.entries()) {
        const s = performance.now();
        const e = await fv.embed(r, options[i]);
        out.ms.push(performance.now() - s);
        out.vectors.push(e.status === 'ok' ? Array.from(e.embedding) : null);
      }
      return out;
    },
    close: () => fv.close(),
  };
}

async function prepareFaceApi(images: Img[], modelUrl: string, warmup: number, backend: string): Promise<void> {
  const tf = faceapi.tf as unknown as {
    setBackend(b: string): Promise<boolean>;
    ready(): Promise<void>;
    getBackend(): string;
    tensor3d(d: Uint8Array, s: number[], t: string): unknown;
    dispose(t: unknown): void;
  };
  await tf.setBackend(backend);
  await tf.ready();
  const t0 = performance.now();
  await faceapi.nets.ssdMobilenetv1.loadFromUri(modelUrl);
  await faceapi.nets.faceLandmark68Net.loadFromUri(modelUrl);
  await faceapi.nets.faceRecognitionNet.loadFromUri(modelUrl);
  const createMs = performance.now() - t0;
  const tensors = await Promise.all(
    images.map(async (im) => tf.tensor3d(await bytes(im.url), [im.height, im.width, 3], 'int32')),
  );
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 });
  const describe = (t: unknown) =>
    faceapi
      .detectSingleFace(t as faceapi.TNetInput, options)
      .withFaceLandmarks()
      .withFaceDescriptor();
  for (const t of tensors.slice(0, warmup)) await describe(t);
  prepared = {
    async run() {
      const out: Out = { ms: [], vectors: [], createMs, backend: tf.getBackend() };
      for (const t of tensors) {
        const s = performance.now();
        const d = await describe(t);
        out.ms.push(performance.now() - s);
        out.vectors.push(d ? Array.from(d.descriptor) : null);
      }
      return out;
    },
    async close() {
      for (const t of tensors) tf.dispose(t);
    },
  };
}

/** The timed run of the prepared system (the bench reads the renderer's CPU time around it). */
function run(): Promise<Out> {
  if (!prepared) throw new Error('prepare first');
  return prepared.run();
}
async function close(): Promise<void> {
  await prepared?.close();
  prepared = undefined;
}

(globalThis as unknown as { faceBench: unknown }).faceBench = {
  prepareSdk,
  prepareFaceApi,
  run,
  close,
  info: () => ({ userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency }),
};
