import { encodePng, type RasterImage, resize, toGrey } from '@smart-citizen/image';
import type Tesseract from 'tesseract.js';
import { IdCardError } from '../errors.js';
import type { RecognizedChar, RecognizedLine } from './ctcDecode.js';
import { lineAlphabets, type LineField } from './lineAlphabets.js';
import { isNode } from '@smart-citizen/core';

/** Where tesseract.js finds its worker, core and language data. */
export interface TesseractPaths {
  /**
   * Folder (Node) or URL prefix (browser) holding `vie.traineddata.gz` and `eng.traineddata.gz`.
   * @default the installed `@tesseract.js-data/<lang>/4.0.0_best_int` folders (Node)
   */
  langPath?: string | Partial<Record<'vie' | 'eng', string>>;
  /** tesseract.js-core location (browser: a URL). @default the installed package (Node) */
  corePath?: string;
  /** tesseract.js worker script (browser: a URL). @default the installed package (Node) */
  workerPath?: string;
}

/** Height lines are scaled to before tesseract reads them (its LSTM works best on glyphs 30–50 px tall). */
const TESSERACT_LINE_HEIGHT = 48;
/**
 * Margin around the line, in pixels at that height, in the line's own background grey (the
 * median of its border): tesseract misreads text touching the edge, and a white margin next to
 * a tinted card background makes an edge it reads as '1' or 'I'.
 */
const MARGIN = 12;

interface PooledWorker {
  worker: Tesseract.Worker;
  whitelist: string | undefined;
  busy: boolean;
}

async function defaultLangPath(lang: 'vie' | 'eng'): Promise<string> {
  const { createRequire } = await import('node:module');
  const { dirname, join } = await import('node:path');
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`)), '4.0.0_best_int');
}

/** Grey line scaled to tesseract's preferred height with a white margin, as PNG bytes. */
function toTesseractPng(image: RasterImage): Uint8Array {
  const grey = toGrey(image);
  const h = TESSERACT_LINE_HEIGHT;
  const w = Math.max(8, Math.round((grey.width * h) / grey.height));
  const scaled = resize(grey, { width: w, height: h, method: h < grey.height ? 'area' : 'bilinear' });
  const W = w + 2 * MARGIN;
  const H = h + 2 * MARGIN;
  const border: number[] = [];
  for (let x = 0; x < w; x++) border.push(scaled.data[x] as number, scaled.data[(h - 1) * w + x] as number);
  for (let y = 0; y < h; y++) border.push(scaled.data[y * w] as number, scaled.data[y * w + w - 1] as number);
  border.sort((a, b) => a - b);
  const data = new Uint8Array(W * H).fill(border[border.length >> 1] ?? 255);
  for (let y = 0; y < h; y++) data.set(scaled.data.subarray(y * w, (y + 1) * w), (y + MARGIN) * W + MARGIN);
  return encodePng({ width: W, height: H, channels: 1, data });
}

function collectSymbols(page: Tesseract.Page): RecognizedChar[] {
  const out: RecognizedChar[] = [];
  for (const block of page.blocks ?? []) {
    for (const para of block.paragraphs) {
      for (const line of para.lines) {
        for (const word of line.words) {
          if (word.symbols.length === 0) continue;
          if (out.length > 0) out.push({ char: ' ', confidence: word.confidence / 100 });
          for (const s of word.symbols) {
            for (const ch of s.text.normalize('NFC')) out.push({ char: ch, confidence: s.confidence / 100 });
          }
        }
      }
    }
  }
  return out;
}

/**
 * A pool of tesseract.js workers per language (vie for text, eng for digits, dates and the MRZ),
 * each reading one line at a time in single-line mode with the field's whitelist. Everything is
 * read from installed packages: nothing is downloaded or cached.
 */
export class TesseractLineReader {
  readonly #pools = new Map<'vie' | 'eng', Promise<PooledWorker>[]>();
  readonly #waiters: Array<() => void> = [];
  readonly #size: number;
  readonly #paths: TesseractPaths;
  #closed = false;

  constructor(workers: number, paths: TesseractPaths = {}) {
    this.#size = Math.max(1, Math.floor(workers));
    this.#paths = paths;
  }

  async #spawn(lang: 'vie' | 'eng'): Promise<PooledWorker> {
    let mod: typeof Tesseract;
    try {
      mod =
        ((await import('tesseract.js')) as unknown as { default?: typeof Tesseract }).default ??
        ((await import('tesseract.js')) as unknown as typeof Tesseract);
    } catch (cause) {
      throw new IdCardError('idcard/engine-unavailable', 'cannot load tesseract.js', { cause });
    }
    const lp = this.#paths.langPath;
    const langPath = typeof lp === 'string' ? lp : (lp?.[lang] ?? (isNode() ? await defaultLangPath(lang) : undefined));
    if (langPath === undefined) {
      throw new IdCardError('idcard/model-missing', `tesseract ${lang} data: pass tesseract.langPath in a browser`);
    }
    const options: Partial<Tesseract.WorkerOptions> = { langPath, gzip: true, cacheMethod: 'none' };
    if (this.#paths.corePath !== undefined) options.corePath = this.#paths.corePath;
    if (this.#paths.workerPath !== undefined) options.workerPath = this.#paths.workerPath;
    try {
      // OEM 1 = LSTM only: the best_int data has no legacy engine
      const worker = await mod.createWorker(lang, 1, options);
      await worker.setParameters({ tessedit_pageseg_mode: '7' as Tesseract.PSM, user_defined_dpi: '300' });
      return { worker, whitelist: undefined, busy: false };
    } catch (cause) {
      throw new IdCardError('idcard/engine-unavailable', `tesseract.js worker for ${lang} failed to start`, { cause });
    }
  }

  async #acquire(lang: 'vie' | 'eng'): Promise<PooledWorker> {
    for (;;) {
      if (this.#closed) throw new IdCardError('idcard/closed', 'line recogniser is closed');
      let pool = this.#pools.get(lang);
      if (!pool) {
        pool = [];
        this.#pools.set(lang, pool);
      }
      for (const p of pool) {
        const w = await p;
        if (!w.busy) {
          w.busy = true;
          return w;
        }
      }
      if (pool.length < this.#size) {
        const p = this.#spawn(lang);
        pool.push(p);
        p.catch(() => pool.splice(pool.indexOf(p), 1));
        const w = await p;
        w.busy = true;
        return w;
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  #release(w: PooledWorker): void {
    w.busy = false;
    this.#waiters.shift()?.();
  }

  /** Read one line crop as the given field. */
  async recognize(image: RasterImage, field: LineField): Promise<RecognizedLine> {
    const alphabet = lineAlphabets[field];
    const png = toTesseractPng(image);
    const w = await this.#acquire(alphabet.tesseractLang);
    try {
      const whitelist = alphabet.chars === undefined ? '' : `${alphabet.chars} `;
      if (w.whitelist !== whitelist) {
        await w.worker.setParameters({ tessedit_char_whitelist: whitelist });
        w.whitelist = whitelist;
      }
      const input = (
        isNode()
          ? (globalThis as unknown as { Buffer: { from(b: Uint8Array): unknown } }).Buffer.from(png)
          : new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' })
      ) as Tesseract.ImageLike;
      const { data } = await w.worker.recognize(input, {}, { text: true, blocks: true });
      const chars = collectSymbols(data);
      const text = chars.map((c) => c.char).join('');
      const confidence = chars.length === 0 ? 0 : Math.min(...chars.map((c) => c.confidence));
      return { text, confidence, chars };
    } finally {
      this.#release(w);
    }
  }

  /** Terminate every worker; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const resolve of this.#waiters.splice(0)) resolve();
    const all = [...this.#pools.values()].flat();
    this.#pools.clear();
    await Promise.allSettled(all.map(async (p) => (await p).worker.terminate()));
  }
}
