// Module worker: the face models (onnxruntime-web, one WASM thread) and the active liveness
// challenge run here, so the page stays responsive. Frames arrive as ImageBitmaps (transferred);
// the page gets guidance, challenge progress and, once the challenge is passed, the best
// frontal frame and the turned frame as JPEGs to send to the server (which runs the challenge
// again on them and decides; nothing computed here is evidence).
import { createActiveChallenge, defaultProfile, estimatePose, FaceVerifier } from '@smart-citizen/face';
import type { ActiveChallenge, ChallengeKind } from '@smart-citizen/face';
import type { RasterImage } from '@smart-citizen/image';

export type FaceWorkerRequest =
  /** `modelsUrl`: where the server hosts the default profile's files (`/runtime/models/`). */
  | { type: 'init'; modelsUrl: string; wasmPaths: string }
  | { type: 'challenge'; kind: ChallengeKind }
  | { type: 'frame'; id: number; bitmap: ImageBitmap; timestampMs: number }
  /** Camera frames straight from the track (MediaStreamTrackProcessor): none pass the page's thread. */
  | { type: 'stream'; readable: ReadableStream<VideoFrame>; intervalMs: number; maxSide: number }
  | { type: 'stop' };

export type FaceGuidance = 'no-face' | 'several-faces' | 'move-closer' | 'too-dark' | 'ok';

export type FaceWorkerResponse =
  | { type: 'progress'; loaded: number; total: number }
  | { type: 'ready'; ms: number }
  | { type: 'init-error'; code: string }
  | {
      type: 'frame';
      id: number;
      guidance: FaceGuidance;
      challenge: { status: 'pending' | 'passed' | 'failed'; current?: ChallengeKind; reason?: string };
      /**
       * Once the challenge is passed: the frontal frame and the turned frame that passed it, with
       * their capture times, for the server to run the challenge again.
       */
      frames?: { frontal: CapturedFrame; turned: CapturedFrame };
      ms: number;
    };

/** A camera frame as sent to the server. */
export interface CapturedFrame {
  jpeg: Blob;
  atMs: number;
}

interface Scope {
  onmessage: ((e: MessageEvent<FaceWorkerRequest>) => void) | null;
  postMessage(m: FaceWorkerResponse): void;
}
const scope = globalThis as unknown as Scope;

let verifier: Promise<FaceVerifier> | undefined;
let challenge: ActiveChallenge | undefined;
let best: { image: RasterImage; score: number; atMs: number } | undefined;
let canvas: OffscreenCanvas | undefined;

/** The files the worker needs: detector, landmarks, embedder (liveness runs on the server). */
function browserModelFiles(): string[] {
  const p = defaultProfile;
  return [...new Set([p.detector.model.file, p.landmarks.model.file, p.embedder.model.file])];
}

async function init(modelsUrl: string, wasmPaths: string): Promise<FaceVerifier> {
  const t0 = performance.now();
  const models = Object.fromEntries(browserModelFiles().map((f) => [f, new URL(f, modelsUrl).href]));
  // All requests at once: their Content-Length headers give the total for the progress bar.
  const responses = await Promise.all(
    Object.entries(models).map(async ([name, url]) => {
      const r = await fetch(url);
      if (!r.ok || !r.body) throw Object.assign(new Error('model'), { code: 'face/model-missing' });
      return { name, r, size: Number(r.headers.get('content-length') ?? 0) };
    }),
  );
  const total = responses.reduce((a, b) => a + b.size, 0);
  let loaded = 0;
  const files: Record<string, Uint8Array> = {};
  for (const { name, r } of responses) {
    const reader = (r.body as ReadableStream<Uint8Array>).getReader();
    const parts: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      loaded += value.length;
      scope.postMessage({ type: 'progress', loaded, total });
    }
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      bytes.set(p, o);
      o += p.length;
    }
    files[name] = bytes;
  }
  const fv = await FaceVerifier.create({
    profile: 'default',
    backend: 'web',
    threads: 1,
    wasmPaths,
    models: { files },
    liveness: false,
  });
  await fv.warmUp(2);
  scope.postMessage({ type: 'ready', ms: performance.now() - t0 });
  return fv;
}

function toRaster(source: ImageBitmap | VideoFrame, maxSide = 640): RasterImage {
  const sw = 'displayWidth' in source ? source.displayWidth : source.width;
  const sh = 'displayHeight' in source ? source.displayHeight : source.height;
  const s = Math.min(1, maxSide / Math.max(sw, sh));
  const w = Math.max(1, Math.round(sw * s));
  const h = Math.max(1, Math.round(sh * s));
  if (!canvas || canvas.width !== w || canvas.height !== h) canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2d context');
  ctx.drawImage(source, 0, 0, w, h);
  source.close();
  const rgba = ctx.getImageData(0, 0, w, h).data;
  const rgb = new Uint8Array(w * h * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i] as number;
    rgb[j + 1] = rgba[i + 1] as number;
    rgb[j + 2] = rgba[i + 2] as number;
  }
  return { width: w, height: h, channels: 3, data: rgb };
}

function meanLuma(img: RasterImage): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < img.data.length; i += 3 * 7) {
    sum += 0.299 * (img.data[i] as number) + 0.587 * (img.data[i + 1] as number) + 0.114 * (img.data[i + 2] as number);
    n++;
  }
  return sum / Math.max(1, n);
}

async function jpeg(img: RasterImage): Promise<Blob> {
  const c = new OffscreenCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  const rgba = new Uint8ClampedArray(img.width * img.height * 4);
  for (let i = 0, j = 0; j < img.data.length; i += 4, j += 3) {
    rgba[i] = img.data[j] as number;
    rgba[i + 1] = img.data[j + 1] as number;
    rgba[i + 2] = img.data[j + 2] as number;
    rgba[i + 3] = 255;
  }
  ctx.putImageData(new ImageData(rgba, img.width, img.height), 0, 0);
  return c.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
}

scope.onmessage = (e) => {
  const msg = e.data;
  if (msg.type === 'init') {
    verifier = init(msg.modelsUrl, msg.wasmPaths);
    verifier.catch((err: unknown) =>
      scope.postMessage({ type: 'init-error', code: String((err as { code?: string }).code ?? 'face/init-failed') }),
    );
    return;
  }
  if (msg.type === 'challenge') {
    challenge = createActiveChallenge({ challenges: [msg.kind], timeoutMs: 45_000 });
    best = undefined;
    return;
  }
  if (msg.type === 'stop') {
    streamReader?.cancel().catch(() => undefined);
    streamReader = undefined;
    return;
  }
  if (msg.type === 'stream') {
    void pump(msg.readable, msg.intervalMs, msg.maxSide);
    return;
  }
  const { id, bitmap, timestampMs } = msg;
  analyse(id, toRaster(bitmap), timestampMs).then(scope.postMessage.bind(scope), () =>
    scope.postMessage({ type: 'frame', id, guidance: 'no-face', challenge: { status: 'pending' }, ms: 0 }),
  );
};

let streamReader: ReadableStreamDefaultReader<VideoFrame> | undefined;

/** Reads camera frames in this worker: analyses one every `intervalMs`, drops the rest at once. */
async function pump(readable: ReadableStream<VideoFrame>, intervalMs: number, maxSide: number): Promise<void> {
  await streamReader?.cancel().catch(() => undefined);
  const reader = readable.getReader();
  streamReader = reader;
  let last = Number.NEGATIVE_INFINITY;
  let id = 0;
  while (streamReader === reader) {
    const { value: frame, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
    if (done || !frame) break;
    const now = performance.now();
    if (now - last < intervalMs || !challenge) {
      frame.close();
      continue;
    }
    last = now;
    const out = await analyse(++id, toRaster(frame, maxSide), now).catch(() => undefined);
    if (out) scope.postMessage(out);
  }
}

async function analyse(id: number, img: RasterImage, timestampMs: number): Promise<FaceWorkerResponse> {
  const fv = await (verifier ?? Promise.reject(new Error('not initialised')));
  const t0 = performance.now();
  const frame = await fv.analyzeFrame(img, timestampMs);
  let guidance: FaceGuidance = 'ok';
  if (meanLuma(img) < 45) guidance = 'too-dark';
  else if (frame.faces === 0) guidance = 'no-face';
  else if (frame.faces > 1) guidance = 'several-faces';
  else if (frame.landmarks5) {
    const [le, re] = frame.landmarks5;
    const iod = le && re ? Math.hypot(re.x - le.x, re.y - le.y) : 0;
    if (iod < img.width * 0.06) guidance = 'move-closer';
    const yaw = Math.abs(estimatePose(frame.landmarks5).yaw);
    // Keep the most frontal, large face as the frame to send (frontal as the challenge counts it).
    const score = iod - yaw * 2;
    if (guidance === 'ok' && yaw < 10 && (!best || score > best.score)) best = { image: img, score, atMs: timestampMs };
  }
  const r = challenge?.push(frame);
  const out: FaceWorkerResponse = {
    type: 'frame',
    id,
    guidance,
    challenge: r
      ? { status: r.status, ...(r.current ? { current: r.current } : {}), ...(r.reason ? { reason: r.reason } : {}) }
      : { status: 'pending' },
    ms: performance.now() - t0,
  };
  if (r?.status === 'passed' && best) {
    // This frame passed the turn: it goes with the frontal one, for the server to check again.
    out.frames = {
      frontal: { jpeg: await jpeg(best.image), atMs: best.atMs },
      turned: { jpeg: await jpeg(img), atMs: timestampMs },
    };
    challenge = undefined;
  }
  if (r && r.status !== 'pending') challenge = undefined;
  return out;
}
