import { IdCardError } from '../errors.js';
import { CtcLineReader, type CtcOptions } from './ctcLineReader.js';
import type { LineRecognizer } from './LineRecognizer.js';
import { lineAlphabets, type LineField } from './lineAlphabets.js';
import { isNode } from '@smart-citizen/core';
import { TesseractLineReader, type TesseractPaths } from './tesseractLineReader.js';

/** Which engine reads a line: tesseract.js, or the package's own CTC recogniser on onnxruntime. */
export type LineEngine = 'tesseract' | 'ctc';

const ENGINES: readonly LineEngine[] = ['tesseract', 'ctc'];

const everyField = (engine: LineEngine | undefined) =>
  Object.fromEntries(Object.keys(lineAlphabets).map((f) => [f, engine])) as Record<LineField, LineEngine>;

/**
 * The engine of each field when none is given, chosen per field type by `pnpm bench idcard-ocr`
 * on the held-out rendered lines (see the README's "Engines measured").
 */
export const DEFAULT_LINE_ENGINES: Readonly<Record<LineField, LineEngine>> = {
  ...everyField('tesseract'),
  // measured: the CTC model reads these at least as well as tesseract at 1–2 ms instead of 20–55 ms a line
  idNumber: 'ctc',
  dateOfBirth: 'ctc',
  issueDate: 'ctc',
  expiryDate: 'ctc',
  mrz: 'ctc',
};

/** Options of {@link createLineRecognizer}. */
export interface LineRecognizerOptions {
  /** The engine for every field, or one per field (the others keep their default). @default {@link DEFAULT_LINE_ENGINES} */
  engine?: LineEngine | Partial<Record<LineField, LineEngine>>;
  /** The CTC recogniser's model and runtime. @default the shipped model on onnxruntime-node (Node) */
  ctc?: CtcOptions;
  /**
   * tesseract.js workers per language.
   * @default min(2, available parallelism): on the 2-core target two workers read two lines at once
   */
  tesseractWorkers?: number;
  /** Where tesseract.js's worker, core and language data are. @default the installed packages (Node) */
  tesseract?: TesseractPaths;
}

function availableParallelism(): number {
  const g = globalThis as { navigator?: { hardwareConcurrency?: number } };
  if (isNode()) {
    const os = (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown } }).process?.getBuiltinModule?.(
      'node:os',
    ) as { availableParallelism?: () => number } | undefined;
    return os?.availableParallelism?.() ?? 2;
  }
  return g.navigator?.hardwareConcurrency ?? 2;
}

/**
 * Create a line recogniser: tesseract.js (vie for text, eng for digits, dates and the MRZ) per
 * line with the field's whitelist, offline, workers sized to the machine.
 * @example
 * const ocr = await createLineRecognizer();
 * const { text, confidence } = await ocr.recognize(nameCrop, { field: 'fullName' });
 * await ocr.close();
 * @throws IdCardError `idcard/bad-options`; `recognize` throws `idcard/engine-unavailable` when tesseract.js cannot start
 */
export async function createLineRecognizer(options: LineRecognizerOptions = {}): Promise<LineRecognizer> {
  const chosen: Record<LineField, LineEngine> =
    typeof options.engine === 'string'
      ? everyField(options.engine)
      : { ...DEFAULT_LINE_ENGINES, ...(options.engine ?? {}) };
  const bad = Object.values(chosen).find((e) => !ENGINES.includes(e));
  if (bad !== undefined) throw new IdCardError('idcard/bad-options', `unknown line engine ${String(bad)}`);
  const workers = options.tesseractWorkers ?? Math.min(2, availableParallelism());
  if (!Number.isInteger(workers) || workers < 1) {
    throw new IdCardError('idcard/bad-options', 'tesseractWorkers must be a positive integer');
  }
  const used = new Set(Object.values(chosen));
  const tesseract = used.has('tesseract') ? new TesseractLineReader(workers, options.tesseract) : undefined;
  let ctc: Promise<CtcLineReader> | undefined;
  const ctcReader = (): Promise<CtcLineReader> => {
    ctc ??= CtcLineReader.create(options.ctc);
    ctc.catch(() => {
      ctc = undefined;
    });
    return ctc;
  };
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    const started = ctc;
    await Promise.all([
      tesseract?.close(),
      started?.then(
        (r) => r.close(),
        () => undefined,
      ),
    ]);
  };
  return {
    async recognize(image, { field }) {
      if (closed) throw new IdCardError('idcard/closed', 'line recogniser is closed');
      const engine = chosen[field];
      if (engine === undefined) throw new IdCardError('idcard/bad-options', `unknown line field ${String(field)}`);
      if (engine === 'ctc') return (await ctcReader()).recognize(image, field);
      return (tesseract as TesseractLineReader).recognize(image, field);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
