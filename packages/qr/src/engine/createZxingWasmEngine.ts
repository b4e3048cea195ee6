import { SmartCitizenError } from '@smart-citizen/core';
import { qrError } from '../errors.js';
import type { RasterImage } from '@smart-citizen/image';
import { greyOf } from '../read/greyOps.js';
import type { QrEngine, QrEngineOptions, QrFormat, QrPoint, QrSymbol } from './QrEngine.js';

/** Options of {@link createZxingWasmEngine}. */
export interface ZxingWasmEngineOptions {
  /**
   * The bytes of `zxing_reader.wasm` (from the `zxing-wasm` package, `dist/reader/`). In Node
   * they are read from the installed package when neither this nor `wasmUrl` is given.
   */
  wasmBinary?: Uint8Array;
  /**
   * URL of a self-hosted `zxing_reader.wasm` (browser). The SDK never loads it from a CDN.
   */
  wasmUrl?: string;
}

/** The zxing-wasm reader module as far as this engine uses it. */
interface ReaderModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  readBarcodesFromPixmap(ptr: number, width: number, height: number, options: Record<string, unknown>): ResultVector;
}

interface ResultVector {
  size(): number;
  get(i: number): RawResult;
  delete(): void;
}

interface RawResult {
  isValid: boolean;
  text: string;
  bytes: Uint8Array;
  format: string;
  version: string;
  position: { topLeft: QrPoint; topRight: QrPoint; bottomRight: QrPoint; bottomLeft: QrPoint };
}

interface ReaderConstants {
  BINARIZERS: readonly string[];
  TEXT_MODES: readonly string[];
  CHARACTER_SETS: readonly string[];
  EAN_ADD_ON_SYMBOLS: readonly string[];
}

async function nodeWasmBinary(): Promise<Uint8Array> {
  const [{ readFile }, { createRequire }, { pathToFileURL }] = await Promise.all([
    import('node:fs/promises'),
    import('node:module'),
    import('node:url'),
  ]);
  // import.meta.url is empty in the CommonJS build: resolve from the working directory then.
  const base = typeof import.meta.url === 'string' ? import.meta.url : pathToFileURL(`${process.cwd()}/`).href;
  const path = createRequire(base).resolve('zxing-wasm/reader/zxing_reader.wasm');
  return new Uint8Array(await readFile(path));
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function toFormat(format: string): QrFormat | undefined {
  if (format === 'QRCode' || format === 'QR Code') return 'QRCode';
  if (format === 'PDF417' || format === 'PDF 417') return 'PDF417';
  return undefined;
}

/**
 * Create the zxing-wasm (zxing-cpp compiled to WebAssembly) engine, the default: it decodes
 * more codes than the pure-JS engines and is several times faster. Grey images are copied
 * straight into the module's memory (no RGBA round trip).
 *
 * @param options - Where the `.wasm` comes from ({@link ZxingWasmEngineOptions}).
 * @returns A ready engine.
 * @throws SmartCitizenError `qr/engine-unavailable` when the module cannot be loaded.
 */
export async function createZxingWasmEngine(options: ZxingWasmEngineOptions = {}): Promise<QrEngine> {
  let mod: ReaderModule;
  let constants: ReaderConstants;
  try {
    const zx = await import('zxing-wasm/reader');
    let wasmBinary = options.wasmBinary;
    if (!wasmBinary && options.wasmUrl === undefined) {
      if (!isNode()) {
        throw qrError('qr/engine-unavailable', 'pass wasmBinary or wasmUrl for zxing-wasm in a browser');
      }
      wasmBinary = await nodeWasmBinary();
    }
    const url = options.wasmUrl;
    const overrides = wasmBinary
      ? {
          wasmBinary: wasmBinary.buffer.slice(
            wasmBinary.byteOffset,
            wasmBinary.byteOffset + wasmBinary.byteLength,
          ) as ArrayBuffer,
        }
      : { locateFile: (file: string, prefix: string) => (file.endsWith('.wasm') && url ? url : prefix + file) };
    mod = (await zx.prepareZXingModule({ overrides, fireImmediately: true })) as unknown as ReaderModule;
    constants = zx;
  } catch (err) {
    if (err instanceof SmartCitizenError) throw err;
    throw qrError('qr/engine-unavailable', 'could not load zxing-wasm', { cause: err });
  }
  const index = (list: readonly string[], name: string): number => Math.max(0, list.indexOf(name));
  const fixed = {
    binarizerLocal: index(constants.BINARIZERS, 'LocalAverage'),
    binarizerGlobal: index(constants.BINARIZERS, 'GlobalHistogram'),
    textMode: index(constants.TEXT_MODES, 'Plain'),
    characterSet: index(constants.CHARACTER_SETS, 'Unknown'),
    eanAddOnSymbol: index(constants.EAN_ADD_ON_SYMBOLS, 'Ignore'),
  };
  let buffer = 0;
  let capacity = 0;
  let closed = false;

  const decode = (image: RasterImage, opts: QrEngineOptions = {}): QrSymbol[] => {
    if (closed) throw qrError('qr/engine-closed', 'the engine was closed');
    const { width, height } = image;
    const size = width * height;
    if (size === 0) return [];
    if (size > capacity) {
      if (buffer) mod._free(buffer);
      buffer = mod._malloc(size);
      if (!buffer) throw qrError('qr/out-of-memory', 'zxing-wasm could not allocate the image');
      capacity = size;
    }
    const heap = mod.HEAPU8.subarray(buffer, buffer + size);
    // greyOf uses the same integer luma weights zxing-wasm uses for RGBA input.
    heap.set(greyOf(image).data.subarray(0, size));
    const zopts = {
      formats: (opts.formats ?? ['QRCode']).join(','),
      tryHarder: opts.tryHarder ?? true,
      tryRotate: opts.tryRotate ?? true,
      tryInvert: opts.tryInvert ?? true,
      tryDownscale: opts.tryDownscale ?? true,
      tryDenoise: opts.tryDenoise ?? false,
      binarizer: opts.binarizer === 'global' ? fixed.binarizerGlobal : fixed.binarizerLocal,
      isPure: opts.pure ?? false,
      downscaleFactor: 3,
      downscaleThreshold: 500,
      minLineCount: 2,
      maxNumberOfSymbols: opts.maxSymbols ?? 1,
      validateOptionalChecksum: false,
      returnErrors: false,
      eanAddOnSymbol: fixed.eanAddOnSymbol,
      textMode: fixed.textMode,
      characterSet: fixed.characterSet,
      tryCode39ExtendedMode: true,
    };
    const vector = mod.readBarcodesFromPixmap(buffer, width, height, zopts);
    const out: QrSymbol[] = [];
    try {
      for (let i = 0, n = vector.size(); i < n; i++) {
        const r = vector.get(i);
        const format = toFormat(r.format);
        if (!r.isValid || !format) continue;
        const p = r.position;
        const version = Number.parseInt(r.version, 10);
        out.push({
          ...(format === 'QRCode' && version >= 1 && version <= 40 ? { moduleCount: 17 + 4 * version } : {}),
          text: r.text,
          bytes: new Uint8Array(r.bytes),
          format,
          corners: [p.topLeft, p.topRight, p.bottomRight, p.bottomLeft].map((q) => ({ x: q.x, y: q.y })) as [
            QrPoint,
            QrPoint,
            QrPoint,
            QrPoint,
          ],
        });
      }
    } finally {
      vector.delete();
    }
    return out;
  };

  return {
    name: 'zxing-wasm',
    decode,
    close() {
      if (closed) return;
      closed = true;
      if (buffer) mod._free(buffer);
      buffer = 0;
      capacity = 0;
    },
  };
}
