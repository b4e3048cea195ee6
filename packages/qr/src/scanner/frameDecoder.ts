import { SmartCitizenError } from '@smart-citizen/core';
import type { RasterImage } from '@smart-citizen/image';
import type { QrEngine, QrFormat } from '../engine/QrEngine.js';
import { qrError } from '../errors.js';
import { type ReadCardQrResult, readCardQr } from '../read/readCardQr.js';
import { warmUpQrReader } from '../read/warmUp.js';
import { type FrameAssessment, assessFrame } from './assessFrame.js';

/** A decoded frame: the reading and the capture guidance for it. */
export interface FrameReading {
  result: ReadCardQrResult;
  assessment: FrameAssessment;
}

/** Decodes camera frames, in process or in a Worker. */
export interface FrameDecoder {
  decode(frame: RasterImage): Promise<FrameReading>;
  close(): void;
}

/** Options shared by the frame decoders. */
export interface FrameDecoderOptions {
  /**
   * Time budget per frame (frames come again soon: keep it short).
   * @default 60
   */
  timeBudgetMs?: number;
  /** @default ['QRCode'] */
  formats?: readonly QrFormat[];
}

/**
 * Decode frames on the calling thread (Node, tests, or a page that accepts the jank). The
 * reader is warmed up once at creation ({@link warmUpQrReader}); the first `decode` waits for
 * it, so the first frame's budget is not spent compiling the reader.
 *
 * @param engine - The engine to use.
 * @param options - {@link FrameDecoderOptions}.
 * @returns A {@link FrameDecoder}.
 */
export function createInlineFrameDecoder(engine: QrEngine, options: FrameDecoderOptions = {}): FrameDecoder {
  // A failed warm-up is not the frame's error: the frame's own read reports what fails.
  const warm = warmUpQrReader({ engine }).catch(() => []);
  return {
    async decode(frame) {
      await warm;
      const result = await readCardQr(frame, {
        engine,
        timeBudgetMs: options.timeBudgetMs ?? 60,
        ...(options.formats ? { formats: options.formats } : {}),
      });
      const first = result.corners;
      const assessment = assessFrame(frame, first ? { corners: first } : {});
      return { result, assessment };
    },
    close() {
      engine.close();
    },
  };
}

/** Messages between the page and `qrWorker`. @internal */
export type WorkerRequest =
  | { type: 'init'; wasmUrl: string; timeBudgetMs: number; formats: QrFormat[] }
  | { type: 'decode'; id: number; frame: RasterImage };

/** @internal */
export type WorkerResponse =
  | { type: 'ready' }
  | { type: 'reading'; id: number; reading: FrameReading }
  | { type: 'error'; id: number; code: string; message: string };

/** Options of {@link createWorkerFrameDecoder}. */
export interface WorkerFrameDecoderOptions extends FrameDecoderOptions {
  /** URL of the self-hosted `zxing_reader.wasm` the worker loads. */
  wasmUrl: string;
  /**
   * The module worker running this package's worker entry (`@smart-citizen/qr/worker`), or
   * its URL. With Vite: `import QrWorker from '@smart-citizen/qr/worker?worker'` and pass
   * `new QrWorker()`; elsewhere copy `dist/scanner/qrWorker.js` with your assets and pass its
   * URL.
   */
  worker: Worker | string | URL;
}

/**
 * Decode frames in a module Worker so the page stays smooth. Frames are transferred, not
 * copied.
 *
 * @param options - {@link WorkerFrameDecoderOptions}.
 * @returns A {@link FrameDecoder}.
 */
export function createWorkerFrameDecoder(options: WorkerFrameDecoderOptions): FrameDecoder {
  const worker: Worker =
    typeof options.worker === 'string' || options.worker instanceof URL
      ? new Worker(options.worker, { type: 'module', name: 'smart-citizen-qr' })
      : options.worker;
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: FrameReading) => void; reject: (e: Error) => void }>();
  worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
    const msg = event.data;
    if (msg.type === 'ready') return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.type === 'reading') p.resolve(msg.reading);
    // The worker's error, typed again on this side: its code (a QrErrorCode or an image code) survives.
    else p.reject(new SmartCitizenError(msg.code, msg.message.replace(/^\[[^\]]+\] /, ''), { pkg: 'qr' }));
  };
  const init: WorkerRequest = {
    type: 'init',
    wasmUrl: options.wasmUrl,
    timeBudgetMs: options.timeBudgetMs ?? 60,
    formats: [...(options.formats ?? ['QRCode'])],
  };
  worker.postMessage(init);
  return {
    decode(frame) {
      const id = nextId++;
      return new Promise<FrameReading>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const req: WorkerRequest = { type: 'decode', id, frame };
        worker.postMessage(req, [frame.data.buffer as ArrayBuffer]);
      });
    },
    close() {
      worker.terminate();
      for (const p of pending.values()) p.reject(qrError('qr/scanner-closed', 'the scanner was closed'));
      pending.clear();
    },
  };
}
