// The browser / kiosk half of the desk flow: capture, pre-check for the citizen's sake (retake a
// blurred card, move closer, look at the camera), then send the RAW bytes to the server, which
// decides with identifyAtDesk. Nothing computed here counts as evidence.
// Every file comes from the integrator's own origin: no CDN.
import { readCardQr, createZxingWasmEngine } from '@smart-citizen/qr';
import type { ZxingWasmEngineOptions } from '@smart-citizen/qr';
import { FaceVerifier } from '@smart-citizen/face';
import type { FaceBackend, ModelSource } from '@smart-citizen/face';
import type { Issue } from '@smart-citizen/core';

/** Where the kiosk's self-hosted files are. */
export interface KioskAssets {
  /** zxing-wasm reader: `{ wasmUrl: '/assets/zxing_reader.wasm' }` in a browser (or `wasmBinary`). */
  zxing: ZxingWasmEngineOptions;
  /** Face model bytes by file name (`fr_detect.onnx`, `fr_landmark.onnx`, `fr_feature.onnx`, `fr_liveness.onnx`). */
  faceModels: Readonly<Record<string, ModelSource>>;
  /** URL prefix of onnxruntime-web's `ort-wasm-simd-threaded.{mjs,wasm}`, e.g. `/assets/ort/`. */
  ortWasmPaths?: string;
  /** onnxruntime build. @default 'web' */
  backend?: FaceBackend;
}

/** Result of a pre-check: what to tell the citizen, by code. */
export interface PrecheckResult {
  /** The capture looks usable; send it to the server. */
  usable: boolean;
  /** Codes to turn into guidance (`qr/not-found`, `face/blurry`, `face/several-faces`…). */
  issues: Issue[];
}

/** A kiosk pre-checker; {@link KioskPrecheck.close} releases the face sessions. */
export interface KioskPrecheck {
  /** Is there a readable card QR code in this photo? */
  checkCard(photo: Uint8Array): Promise<PrecheckResult>;
  /** Is there one good-quality face in this photo? */
  checkFace(photo: Uint8Array): Promise<PrecheckResult>;
  close(): Promise<void>;
}

/**
 * Open the kiosk pre-checker (card QR + face quality) over self-hosted files.
 * @param assets - Where the zxing-wasm and onnxruntime-web files and the face models are.
 * @returns The pre-checker.
 * @throws SmartCitizenError `qr/engine-unavailable`, `face/model-missing`, `face/model-checksum`.
 */
export async function createKioskPrecheck(assets: KioskAssets): Promise<KioskPrecheck> {
  const engine = await createZxingWasmEngine(assets.zxing);
  const face = await FaceVerifier.create({
    profile: 'default',
    backend: assets.backend ?? 'web',
    models: { files: assets.faceModels },
    ...(assets.ortWasmPaths !== undefined ? { wasmPaths: assets.ortWasmPaths } : {}),
    liveness: false, // liveness counts only on the server
  });
  return {
    async checkCard(photo) {
      const r = await readCardQr(photo, { engine });
      return { usable: r.ok, issues: r.issues };
    },
    async checkFace(photo) {
      const r = await face.embed(photo);
      if (r.status !== 'ok') return { usable: false, issues: r.issues };
      return { usable: r.quality.passed, issues: r.issues };
    },
    close: () => face.close(),
  };
}
