import type * as OrtWeb from 'onnxruntime-web';
import {
  defaultOnnxBackend,
  importOnnxRuntime,
  type OnnxImporters,
  isNode,
  onnxSessionOptions,
  sha256Hex,
} from '@smart-citizen/core';
import type { RasterImage } from '@smart-citizen/image';
import { IdCardError } from '../errors.js';
import { allowedClasses, ctcGreedyDecode, type RecognizedLine } from './ctcDecode.js';
import { lineAlphabets, VIETNAMESE_LETTERS, type LineField } from './lineAlphabets.js';
import { prepareLine } from './prepareLine.js';

const ORT_IMPORTERS: OnnxImporters = {
  node: (specifier) => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier),
  web: () => import('onnxruntime-web'),
};

/**
 * The recogniser's 206 symbols in class order (class k = `CTC_CHARSET[k - 1]`, 0 = blank): the
 * same list as `training/charset.py` — Vietnamese letters lower then upper case, digits, punctuation.
 */
export const CTC_CHARSET: readonly string[] = [...VIETNAMESE_LETTERS, ...'0123456789', ...` /,-.<():'`];

/**
 * The shipped model: `models/idcard-line.onnx` of this package (trained by `training/train_ctc.py`).
 * `height` is its input height; a model passed in `ctc.model` is read at the height its input
 * declares (`[batch, 1, height, width]`), so a checkpoint of another height is a drop-in.
 */
export const CTC_MODEL = {
  file: 'idcard-line.onnx',
  sha256: '4d03bc7a1bd1fa9ab10851b1503660dce2c616f649ef0a1789ca897eaf123f57',
  height: 32,
  stride: 4,
  input: 'image',
  output: 'logprobs',
} as const;

/** Options of the package's own CTC line recogniser. */
export interface CtcOptions {
  /** The ONNX model's bytes, or a path to it (Node). @default the package's `models/idcard-line.onnx` (Node; in a browser pass the bytes) */
  model?: string | Uint8Array;
  /** onnxruntime build. @default 'node' in Node, 'web' elsewhere */
  backend?: 'node' | 'web';
  /** Intra-op threads. @default 1 (lines are short: one thread per line is the efficient split) */
  threads?: number;
  /** onnxruntime-web: where its `.wasm`/`.mjs` files are (passed to `ort.env.wasm.wasmPaths`). */
  wasmPaths?: string | Record<string, string>;
}

type Ort = Pick<typeof OrtWeb, 'InferenceSession' | 'Tensor'>;

/** `models/idcard-line.onnx` of the installed package (Node). */
async function defaultModelPath(): Promise<string> {
  const { createRequire } = await import('node:module');
  const { dirname, join } = await import('node:path');
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@smart-citizen/idcard/package.json')), 'models', CTC_MODEL.file);
}

async function modelBytes(source: string | Uint8Array | undefined): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (!isNode()) {
    throw new IdCardError('idcard/model-missing', `pass the bytes of ${CTC_MODEL.file} in ctc.model outside Node`);
  }
  const path = source ?? (await defaultModelPath());
  const { readFile } = await import('node:fs/promises');
  try {
    const buf = await readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (cause) {
    throw new IdCardError('idcard/model-missing', `line model ${CTC_MODEL.file} cannot be read`, { cause });
  }
}

/** The input height a line model declares (`[batch, 1, height, width]`), else the shipped model's. */
function inputHeight(session: OrtWeb.InferenceSession): number {
  const meta = session.inputMetadata?.find((m) => m.name === CTC_MODEL.input);
  const h = meta?.isTensor ? meta.shape[2] : undefined;
  return typeof h === 'number' && h >= 8 ? h : CTC_MODEL.height;
}

/**
 * The package's own CTC line recogniser on onnxruntime: a line scaled to the model's height, greedy
 * CTC decoding restricted to the field's alphabet, per-character confidence from the softmax.
 */
export class CtcLineReader {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly ort: Ort,
    private readonly session: OrtWeb.InferenceSession,
    /** Input height in px, from the model's input shape. */
    readonly height: number,
  ) {}

  /**
   * Load the model (the shipped one is checked against its SHA-256) and create the session.
   * @throws IdCardError `idcard/model-missing` (unreadable or altered model), `idcard/engine-unavailable` (onnxruntime cannot start or load it)
   */
  static async create(options: CtcOptions = {}): Promise<CtcLineReader> {
    const bytes = await modelBytes(options.model);
    if (options.model === undefined && CTC_MODEL.sha256 && (await sha256Hex(bytes)) !== CTC_MODEL.sha256) {
      throw new IdCardError('idcard/model-missing', `${CTC_MODEL.file} does not match its SHA-256`);
    }
    const backend = options.backend ?? defaultOnnxBackend();
    let session: OrtWeb.InferenceSession;
    let ort: Ort;
    try {
      ort = await importOnnxRuntime<Ort>(backend, options, ORT_IMPORTERS);
      session = await ort.InferenceSession.create(bytes, onnxSessionOptions(backend, options));
    } catch (cause) {
      throw new IdCardError('idcard/engine-unavailable', `onnxruntime-${backend} cannot run ${CTC_MODEL.file}`, {
        cause,
      });
    }
    if (!session.inputNames.includes(CTC_MODEL.input) || !session.outputNames.includes(CTC_MODEL.output)) {
      await session.release().catch(() => undefined);
      throw new IdCardError('idcard/model-missing', `${CTC_MODEL.file} does not have the line model's input/output`);
    }
    return new CtcLineReader(ort, session, inputHeight(session));
  }

  /**
   * Read one line crop for a field.
   * @throws IdCardError `idcard/bad-image` (empty or far too wide), `idcard/closed`
   */
  recognize(image: RasterImage, field: LineField): Promise<RecognizedLine> {
    if (this.closed) return Promise.reject(new IdCardError('idcard/closed', 'line recogniser is closed'));
    const { height } = this;
    const line = prepareLine(image, height);
    // width a multiple of the stride so every output step covers whole input columns
    const width = Math.ceil(line.width / CTC_MODEL.stride) * CTC_MODEL.stride;
    let data = line.data;
    if (width !== line.width) {
      data = new Float32Array(height * width);
      for (let y = 0; y < height; y++) {
        data.set(line.data.subarray(y * line.width, (y + 1) * line.width), y * width);
      }
    }
    const run = this.queue.then(async () => {
      const tensor = new this.ort.Tensor('float32', data, [1, 1, height, width]);
      const out = await this.session.run({ [CTC_MODEL.input]: tensor });
      const logits = out[CTC_MODEL.output];
      if (!logits) throw new IdCardError('idcard/engine-unavailable', 'line model gave no output');
      const [steps, , classes] = logits.dims as number[];
      const result = ctcGreedyDecode(
        logits.data as Float32Array,
        steps as number,
        classes as number,
        CTC_CHARSET,
        allowedClasses(CTC_CHARSET, lineAlphabets[field].chars),
      );
      tensor.dispose?.();
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Release the session; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.session.release().catch(() => undefined);
  }
}
