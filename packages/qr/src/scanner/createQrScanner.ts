import { qrError } from '../errors.js';
import type { RasterImage } from '@smart-citizen/image';
import type { ReadCardQrResult } from '../read/readCardQr.js';
import type { CaptureHint, FrameAssessment } from './assessFrame.js';
import { createWorkerFrameDecoder, type FrameDecoder } from './frameDecoder.js';

/** Where frames come from: a `<video>` (via {@link videoFrameSource}) or anything else. */
export interface FrameSource {
  /** The current frame, or undefined when none is ready. */
  grab(): RasterImage | undefined;
  /** Call `callback` on the next frame; returns a function that cancels the request. */
  onNextFrame(callback: () => void): () => void;
}

/** Options of {@link createQrScanner}. Give `video` (browser) or `source`. */
export interface QrScannerOptions {
  /** A playing `<video>` element (camera stream). */
  video?: HTMLVideoElement;
  /** A custom frame source (takes precedence over `video`). */
  source?: FrameSource;
  /**
   * The frame decoder. In a browser the default decodes in a module Worker and needs `wasmUrl`.
   */
  decoder?: FrameDecoder;
  /** URL of the self-hosted `zxing_reader.wasm` (for the default Worker decoder). */
  wasmUrl?: string;
  /**
   * The worker for the default decoder: a `Worker` running `@smart-citizen/qr/worker`, or the
   * URL of that module (see `WorkerFrameDecoderOptions.worker`).
   */
  worker?: Worker | string | URL;
  /**
   * Least time between two decodes, in milliseconds.
   * @default 100
   */
  intervalMs?: number;
  /**
   * Consecutive decodes that must give the same payload before it is reported.
   * @default 2
   */
  agreeingReads?: number;
  /**
   * Longest side frames are scaled to before decoding.
   * @default 1280
   */
  maxFrameSide?: number;
  /** Called once per agreed payload (again only after a different payload was agreed). */
  onResult: (result: ReadCardQrResult) => void;
  /** Called when the capture hint changes. */
  onGuidance?: (hint: CaptureHint, assessment: FrameAssessment) => void;
  /** Called when a frame cannot be decoded at all (engine failure). */
  onError?: (error: unknown) => void;
  /** Monotonic clock (injectable for tests). @default performance.now */
  now?: () => number;
}

/** A running camera scanner. */
export interface QrScanner {
  start(): void;
  /** Stop reading frames (can be started again). */
  stop(): void;
  /** Stop and release the decoder; idempotent. */
  close(): void;
  readonly running: boolean;
}

/**
 * Frames from a `<video>`: drawn on an (Offscreen)canvas, downscaled to `maxSide`, read as
 * RGBA. Uses `requestVideoFrameCallback` where the browser has it, else
 * `requestAnimationFrame`.
 *
 * @param video - A playing video element.
 * @param maxSide - Longest side of the frames, in pixels.
 * @returns A {@link FrameSource}.
 */
export function videoFrameSource(video: HTMLVideoElement, maxSide = 1280): FrameSource {
  let canvas: OffscreenCanvas | HTMLCanvasElement | undefined;
  let ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null = null;
  return {
    grab() {
      const vw = video.videoWidth;
      const vh = video.videoHeight;
      if (!vw || !vh || video.readyState < 2) return undefined;
      const s = Math.min(1, maxSide / Math.max(vw, vh));
      const w = Math.max(1, Math.round(vw * s));
      const h = Math.max(1, Math.round(vh * s));
      if (!canvas || canvas.width !== w || canvas.height !== h) {
        canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(w, h) : document.createElement('canvas');
        canvas.width = w;
        canvas.height = h;
        ctx = canvas.getContext('2d', { willReadFrequently: true }) as typeof ctx;
      }
      if (!ctx) return undefined;
      ctx.drawImage(video, 0, 0, w, h);
      const img = ctx.getImageData(0, 0, w, h);
      return { width: w, height: h, channels: 4, data: new Uint8Array(img.data.buffer) };
    },
    onNextFrame(callback) {
      const v = video as HTMLVideoElement & {
        requestVideoFrameCallback?: (cb: () => void) => number;
        cancelVideoFrameCallback?: (id: number) => void;
      };
      if (typeof v.requestVideoFrameCallback === 'function') {
        const id = v.requestVideoFrameCallback(callback);
        return () => v.cancelVideoFrameCallback?.(id);
      }
      const id = requestAnimationFrame(callback);
      return () => cancelAnimationFrame(id);
    },
  };
}

/**
 * Scan a camera stream for the card QR code: frames are throttled, decoded off the main
 * thread, a payload is reported only after `agreeingReads` consecutive decodes agree, and
 * capture guidance (too dark, glare, too far) is given while nothing is read.
 *
 * @param options - {@link QrScannerOptions}.
 * @returns A {@link QrScanner} (call `start()`).
 * @throws SmartCitizenError `qr/scanner-no-source` without `video` or `source`,
 *   `qr/scanner-no-decoder` without `decoder` (or `worker` and `wasmUrl`).
 */
export function createQrScanner(options: QrScannerOptions): QrScanner {
  const maybeSource =
    options.source ?? (options.video ? videoFrameSource(options.video, options.maxFrameSide) : undefined);
  if (!maybeSource) throw qrError('qr/scanner-no-source', 'give a video element or a frame source');
  const source: FrameSource = maybeSource;
  let decoder = options.decoder;
  if (!decoder) {
    if (!options.wasmUrl || !options.worker) {
      throw qrError('qr/scanner-no-decoder', 'give a decoder, or the worker and the wasmUrl');
    }
    decoder = createWorkerFrameDecoder({ wasmUrl: options.wasmUrl, worker: options.worker });
  }
  const frameDecoder = decoder;
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 100;
  const needed = Math.max(1, options.agreeingReads ?? 2);
  let running = false;
  let closed = false;
  let cancel: (() => void) | undefined;
  let busy = false;
  let lastStart = Number.NEGATIVE_INFINITY;
  let candidate: string | undefined;
  let streak = 0;
  let reported: string | undefined;
  let lastHint: CaptureHint | undefined;

  const schedule = () => {
    if (running) cancel = source.onNextFrame(tick);
  };

  const handle = (result: ReadCardQrResult, assessment: FrameAssessment) => {
    if (result.ok && result.text !== undefined) {
      if (result.text === candidate) streak++;
      else {
        candidate = result.text;
        streak = 1;
      }
      if (streak >= needed && candidate !== reported) {
        reported = candidate;
        options.onResult(result);
      }
    } else {
      candidate = undefined;
      streak = 0;
    }
    const hint = result.ok ? 'ok' : assessment.hint;
    if (hint !== lastHint) {
      lastHint = hint;
      options.onGuidance?.(hint, assessment);
    }
  };

  function tick(): void {
    if (!running) return;
    const t = now();
    if (!busy && t - lastStart >= interval) {
      const frame = source.grab();
      if (frame) {
        busy = true;
        lastStart = t;
        frameDecoder
          .decode(frame)
          .then(
            (reading) => {
              if (running) handle(reading.result, reading.assessment);
            },
            (err: unknown) => options.onError?.(err),
          )
          .finally(() => {
            busy = false;
          });
      }
    }
    schedule();
  }

  return {
    start() {
      if (closed) throw qrError('qr/scanner-closed', 'the scanner was closed');
      if (running) return;
      running = true;
      schedule();
    },
    stop() {
      running = false;
      cancel?.();
      cancel = undefined;
    },
    close() {
      if (closed) return;
      this.stop();
      closed = true;
      frameDecoder.close();
    },
    get running() {
      return running;
    },
  };
}
