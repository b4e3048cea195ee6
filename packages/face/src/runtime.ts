import type * as OrtWeb from 'onnxruntime-web';
import {
  type OnnxBackend,
  type OnnxRuntimeOptions,
  importOnnxRuntime,
  type OnnxImporters,
  isNode,
  onnxSessionOptions,
  sha256Hex,
} from '@smart-citizen/core';
import { FaceError } from './errors.js';
import type { ModelFileSpec } from './profiles.js';

const ORT_IMPORTERS: OnnxImporters = {
  node: (specifier) => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier),
  web: () => import('onnxruntime-web'),
};

/** The part of the onnxruntime API the package uses; onnxruntime-node and -web share it. */
export type Ort = Pick<typeof OrtWeb, 'InferenceSession' | 'Tensor'>;
/** An onnxruntime inference session. */
export type OrtSession = OrtWeb.InferenceSession;

/** Which onnxruntime build runs the models. */
export type FaceBackend = OnnxBackend;

/** Bytes of a model or a path to it (a path works in Node only). Never fetched implicitly. */
export type ModelSource = string | Uint8Array;

/** Where model files come from. */
export interface ModelLocations {
  /** Folder holding the profile's `integrator` files (Node). */
  dir?: string;
  /** Folder holding the `models-package` files. @default `models/` of the installed `@smart-citizen/face-models` (Node) */
  packageDir?: string;
  /** Bytes or paths by file name; wins over the folders (the way to give models in a browser). */
  files?: Readonly<Record<string, ModelSource>>;
}

/** Runtime options shared by every session. */
export interface RuntimeOptions extends OnnxRuntimeOptions {
  /** @default 'node' in Node, 'web' elsewhere */
  backend?: FaceBackend;
}

const ortCache = new Map<string, Promise<Ort>>();

/** Load an onnxruntime build lazily (once per backend). */
export function loadOrt(backend: FaceBackend, options: RuntimeOptions = {}): Promise<Ort> {
  const key = backend;
  let p = ortCache.get(key);
  if (!p) {
    p = importOrt(backend, options).catch((cause: unknown) => {
      ortCache.delete(key);
      throw new FaceError('face/runtime-unavailable', `cannot load onnxruntime-${backend}`, { cause });
    });
    ortCache.set(key, p);
  }
  return p;
}

function importOrt(backend: FaceBackend, options: RuntimeOptions): Promise<Ort> {
  return importOnnxRuntime<Ort>(backend, options, ORT_IMPORTERS);
}

/** `models/` of the installed `@smart-citizen/face-models` package (Node only). */
export async function modelsPackageDir(): Promise<string> {
  const { createRequire } = await import('node:module');
  const { dirname, join } = await import('node:path');
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@smart-citizen/face-models/package.json')), 'models');
}

/**
 * Read a model file's bytes from the locations and check its SHA-256.
 * @throws FaceError `face/model-missing` when it cannot be found or read, `face/model-checksum` when the hash differs.
 */
export async function loadModelBytes(spec: ModelFileSpec, where: ModelLocations): Promise<Uint8Array> {
  let source: ModelSource | undefined = where.files?.[spec.file];
  if (source === undefined) {
    if (!isNode()) {
      throw new FaceError('face/model-missing', `model ${spec.file} was not given (pass its bytes in models.files)`, {
        details: { file: spec.file },
      });
    }
    const { join } = await import('node:path');
    if (spec.origin === 'integrator') {
      if (where.dir === undefined) {
        throw new FaceError('face/model-missing', `model ${spec.file} needs models.dir (or models.files)`, {
          details: { file: spec.file },
        });
      }
      source = join(where.dir, spec.file);
    } else {
      let dir = where.packageDir;
      if (dir === undefined) {
        try {
          dir = await modelsPackageDir();
        } catch (cause) {
          throw new FaceError('face/model-missing', `model ${spec.file} needs @smart-citizen/face-models installed`, {
            cause,
            details: { file: spec.file },
          });
        }
      }
      source = join(dir, spec.file);
    }
  }
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    if (!isNode()) throw new FaceError('face/model-missing', `model ${spec.file}: paths work in Node only`);
    const { readFile } = await import('node:fs/promises');
    try {
      const buf = await readFile(source);
      bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (cause) {
      throw new FaceError('face/model-missing', `model ${spec.file} cannot be read`, {
        cause,
        details: { file: spec.file },
      });
    }
  } else {
    bytes = source;
  }
  const actual = await sha256Hex(bytes);
  if (actual !== spec.sha256.toLowerCase()) {
    throw new FaceError('face/model-checksum', `model ${spec.file} does not match its SHA-256`, {
      details: { file: spec.file, expected: spec.sha256, actual },
    });
  }
  return bytes;
}

/** Create a session with one thread and (Node) no spinning unless told otherwise. */
export async function createSession(
  ort: Ort,
  bytes: Uint8Array,
  spec: ModelFileSpec,
  backend: FaceBackend,
  options: RuntimeOptions,
): Promise<OrtSession> {
  const sessionOptions = onnxSessionOptions(backend, options);
  let session: OrtSession;
  try {
    session = await ort.InferenceSession.create(bytes, sessionOptions);
  } catch (cause) {
    throw new FaceError('face/model-invalid', `model ${spec.file} cannot be loaded by onnxruntime`, {
      cause,
      details: { file: spec.file },
    });
  }
  if (!session.inputNames.includes(spec.input) || spec.outputs.some((o) => !session.outputNames.includes(o))) {
    await session.release().catch(() => undefined);
    throw new FaceError('face/model-invalid', `model ${spec.file} does not have the declared inputs/outputs`, {
      details: { file: spec.file, inputs: session.inputNames, outputs: session.outputNames },
    });
  }
  return session;
}

/** Run a session on one float32 NCHW input and return the named outputs' data. */
export async function runModel(
  ort: Ort,
  session: OrtSession,
  spec: ModelFileSpec,
  data: Float32Array,
  dims: readonly number[],
): Promise<Record<string, Float32Array>> {
  const tensor = new ort.Tensor('float32', data, dims);
  const out = await session.run({ [spec.input]: tensor });
  const result: Record<string, Float32Array> = {};
  for (const name of spec.outputs) {
    const t = out[name];
    if (!t) throw new FaceError('face/model-invalid', `model ${spec.file} gave no output ${name}`);
    result[name] = t.data as Float32Array;
  }
  tensor.dispose?.();
  return result;
}
