/**
 * Module worker behind {@link createWorkerFrameDecoder}: loads zxing-wasm from the URL the page
 * gives, decodes the frames it receives and posts back readings with capture guidance.
 */
import { isSmartCitizenError } from '@smart-citizen/core';
import { createZxingWasmEngine } from '../engine/createZxingWasmEngine.js';
import {
  createInlineFrameDecoder,
  type FrameDecoder,
  type WorkerRequest,
  type WorkerResponse,
} from './frameDecoder.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse): void;
}

const scope = globalThis as unknown as WorkerScope;
let decoder: Promise<FrameDecoder> | undefined;

scope.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === 'init') {
    decoder = createZxingWasmEngine({ wasmUrl: msg.wasmUrl }).then((engine) =>
      createInlineFrameDecoder(engine, { timeBudgetMs: msg.timeBudgetMs, formats: msg.formats }),
    );
    decoder.then(
      () => scope.postMessage({ type: 'ready' }),
      () => undefined,
    );
    return;
  }
  const id = msg.id;
  if (!decoder) {
    scope.postMessage({ type: 'error', id, code: 'qr/worker-not-initialised', message: 'init was not sent' });
    return;
  }
  decoder
    .then((d) => d.decode(msg.frame))
    .then(
      (reading) => scope.postMessage({ type: 'reading', id, reading }),
      (err: unknown) =>
        scope.postMessage({
          type: 'error',
          id,
          code: isSmartCitizenError(err) ? err.code : 'qr/worker-failed',
          message: err instanceof Error ? err.message : 'decode failed',
        }),
    );
};
