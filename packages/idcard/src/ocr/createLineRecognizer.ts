import { IdCardError } from '../errors.js';
import type { LineRecognizer } from './LineRecognizer.js';
import type { LineField } from './lineAlphabets.js';
import { isNode } from './isNode.js';
import { TesseractLineReader, type TesseractPaths } from './tesseractLineReader.js';

/** Which engine reads a line. */
export type LineEngine = 'tesseract';

/** Options of {@link createLineRecognizer}. */
export interface LineRecognizerOptions {
  /** The engine for every field, or one per field. @default 'tesseract' */
  engine?: LineEngine | Partial<Record<LineField, LineEngine>>;
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
  const engines = typeof options.engine === 'object' ? Object.values(options.engine) : [options.engine ?? 'tesseract'];
  if (engines.some((e) => e !== 'tesseract')) {
    throw new IdCardError(
      'idcard/bad-options',
      `unknown line engine ${String(engines.find((e) => e !== 'tesseract'))}`,
    );
  }
  const workers = options.tesseractWorkers ?? Math.min(2, availableParallelism());
  if (!Number.isInteger(workers) || workers < 1) {
    throw new IdCardError('idcard/bad-options', 'tesseractWorkers must be a positive integer');
  }
  const tesseract = new TesseractLineReader(workers, options.tesseract);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await tesseract.close();
  };
  return {
    async recognize(image, { field }) {
      if (closed) throw new IdCardError('idcard/closed', 'line recogniser is closed');
      return tesseract.recognize(image, field);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
