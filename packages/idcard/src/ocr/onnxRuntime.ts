import type * as OrtWeb from 'onnxruntime-web';
import { IdCardError } from '../errors.js';

/** The part of onnxruntime the recogniser uses; onnxruntime-node and -web share it. */
export type Ort = Pick<typeof OrtWeb, 'InferenceSession' | 'Tensor'>;

/** Which onnxruntime build runs the line model. */
export type OrtBackend = 'node' | 'web';

/** Bytes of a model or a path to it (a path works in Node only). Never fetched implicitly. */
export type ModelSource = string | Uint8Array;

/** True when running in Node.js. */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/**
 * Import onnxruntime lazily: onnxruntime-node (an optional peer) in Node, onnxruntime-web in a
 * browser; `wasmPaths` tells onnxruntime-web where its `.wasm` files are.
 */
export async function importOrt(backend: OrtBackend, wasmPaths?: string | Record<string, string>): Promise<Ort> {
  try {
    if (backend === 'node') {
      const mod = (await import('onnxruntime-node')) as unknown as Ort & { default?: Ort };
      return mod.InferenceSession ? mod : (mod.default as Ort);
    }
    const web = (await import('onnxruntime-web')) as typeof OrtWeb;
    web.env.wasm.numThreads = 1;
    web.env.wasm.proxy = false;
    if (wasmPaths !== undefined) web.env.wasm.wasmPaths = wasmPaths;
    return web;
  } catch (cause) {
    throw new IdCardError('idcard/engine-unavailable', `cannot load onnxruntime-${backend}`, { cause });
  }
}

/** SHA-256 of bytes, lower-case hex (WebCrypto: Node 20 and browsers). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Folder of this package's shipped models (Node only). */
export async function packageModelDir(): Promise<string> {
  const { createRequire } = await import('node:module');
  const { dirname, join } = await import('node:path');
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@smart-citizen/idcard/package.json')), 'models');
}

/**
 * The bytes of a model: given bytes, a path (Node), or the package's shipped file (Node), checked
 * against its SHA-256.
 * @throws IdCardError `idcard/model-missing` when it cannot be read, `idcard/model-checksum` when the hash differs.
 */
export async function readModel(source: ModelSource | undefined, file: string, sha256: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  if (source instanceof Uint8Array) {
    bytes = source;
  } else {
    if (!isNode()) {
      throw new IdCardError(
        'idcard/model-missing',
        `model ${file}: pass its bytes in a browser (paths work in Node only)`,
        {
          details: { file },
        },
      );
    }
    const { join } = await import('node:path');
    const { readFile } = await import('node:fs/promises');
    const path = source ?? join(await packageModelDir(), file);
    try {
      const buf = await readFile(path);
      bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (cause) {
      throw new IdCardError('idcard/model-missing', `model ${file} cannot be read`, { cause, details: { file } });
    }
  }
  const actual = await sha256Hex(bytes);
  if (actual !== sha256) {
    throw new IdCardError('idcard/model-checksum', `model ${file} does not match its SHA-256`, {
      details: { file, expected: sha256, actual },
    });
  }
  return bytes;
}
