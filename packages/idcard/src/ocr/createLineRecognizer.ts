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
 * The engine of each field when none is given, chosen per field on the reader's own line crops
 * of held-out generated cards (`training/score_card_lines.ts`, seed 5, levels 0–4; see the
 * README's "Engines measured"): the package's CTC model reads every field at least as well as
 * tesseract.js (names 87 % exact against 64 %, places of residence 64 % against 33 %, the MRZ
 * 79 % against 61 %) at 1–3 ms of CPU a line instead of about 50. tesseract.js stays available
 * per field (`engine`) and is only started when a field uses it.
 */
export const DEFAULT_LINE_ENGINES: Readonly<Record<LineField, LineEngine>> = everyField('ctc');

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
 * Create a line recogniser: per field the package's CTC model on onnxruntime or tesseract.js
 * (vie for text, eng for digits, dates and the MRZ) with the field's whitelist, offline,
 * tesseract workers sized to the machine ({@link DEFAULT_LINE_ENGINES}: CTC for every field).
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
