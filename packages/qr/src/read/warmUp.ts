import type { RasterImage } from '@smart-citizen/image';
import type { QrEngine } from '../engine/QrEngine.js';
import { readCardQr } from './readCardQr.js';

/**
 * A version-8 M QR code (49×49 modules, row-major, 1 = dark, packed 8 per byte, first module
 * in the high bit) of a fixed text that is not a card payload: "smart-citizen qr reader
 * warm-up: a fixed code read once at start-up so the first camera frame does not pay for
 * compiling the reader." — the size of a card's code (versions 6–9).
 */
const WARM_UP_CODE =
  '/m9Hbqy/wU2tIz/QbraU+/Brt1Rrn/Ol26a2f3XC7BPTkSlxB/qqqqqq/gF1THcJAILNL+U95247799zWDS876schGcV84leKbZxEcqKwo9HJvZS6xH+37vFqAcw3KhZR84P/u2J+ba+epimRr8it5HxklCnO7ytUEWdp0jrFbxsSwxWWz9wv09fhq/2EQfkXYEQ2tc2v6qsjGrLEwpEG/6a+Fz/6BFTlk5j2+kLLjHSp+wiGrhBuW1OJPdy2vt4RubDuVquLBZ7r7bjjF3fJY/oKWWSuHYJ0EdSsrK1EWbsuwcpLJ7yI4EZJ4M17vbj7EWmTh3iecvnWf6AQbkXpMS/mheud2owQSxFkBG7oJI+FI+l0oaJvzGG6U83BcnBBHe3CMjZ/qX2pErcgA==';
const WARM_UP_SIZE = 49;
/** The warm-up code's text (what the ladder reads from the warm-up frame). @internal */
export const WARM_UP_TEXT =
  'smart-citizen qr reader warm-up: a fixed code read once at start-up so the first camera frame does not pay for compiling the reader.';

/**
 * The warm-up frame: 1280×960 grey, the code at 3 px per module turned by 12° with its quiet
 * zone on a light card, softened (each pixel the bilinear blend of the four nearest modules)
 * and with fixed pseudo-random noise: a code of the size and sharpness the grid rungs read
 * (each of them reads it alone). @internal
 */
export function warmUpFrame(): RasterImage {
  const width = 1280;
  const height = 960;
  const packed = Uint8Array.from(atob(WARM_UP_CODE), (c) => c.charCodeAt(0));
  const n = WARM_UP_SIZE;
  const module = (x: number, y: number): number =>
    x < 0 || y < 0 || x >= n || y >= n ? 0 : ((packed[(y * n + x) >> 3] as number) >> (7 - ((y * n + x) & 7))) & 1;
  const data = new Uint8Array(width * height);
  const px = 3;
  const angle = (12 * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const cx = width * 0.45;
  const cy = height * 0.55;
  let seed = 0x9e3779b9;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Module coordinates of the pixel centre (code centred at cx, cy).
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const u = (cos * dx + sin * dy) / px + n / 2 - 0.5;
      const v = (-sin * dx + cos * dy) / px + n / 2 - 0.5;
      const u0 = Math.floor(u);
      const v0 = Math.floor(v);
      const fu = u - u0;
      const fv = v - v0;
      const dark =
        (1 - fv) * ((1 - fu) * module(u0, v0) + fu * module(u0 + 1, v0)) +
        fv * ((1 - fu) * module(u0, v0 + 1) + fu * module(u0 + 1, v0 + 1));
      // xorshift32: fixed noise of about ±8 grey levels.
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      const noise = ((seed >>> 0) % 17) - 8;
      const light = 190 + (40 * x) / width;
      data[y * width + x] = Math.max(0, Math.min(255, Math.round(light - 140 * dark + noise)));
    }
  }
  return { width, height, channels: 1, data };
}

/** Options of {@link warmUpQrReader}. */
export interface WarmUpQrReaderOptions {
  /** The engine the reader will use (its compiled code warms up too). When absent, the shared default engine. */
  engine?: QrEngine;
}

/** The rungs the warm-up runs: the engine call and the two grid rungs (what a small or blurred code needs first). */
const WARM_UP_LADDER = ['raw', 'module-grid', 'template-grid'] as const;

/** One warm-up per engine (the default engine under its own key): the compiled code stays for the process. */
const warmed = new WeakMap<object, Promise<string[]>>();
const DEFAULT_ENGINE_KEY = {};

/**
 * Run the reader once on a built-in frame, so that the JavaScript engine has compiled the
 * finder searches, grid fits, module readings and the soft decoder before the first real
 * frame. Cold, they run several times slower: a 1280×960 frame whose code needs `module-grid`
 * took 350–400 ms of CPU on the first call against 90–340 ms on later ones, so a 300 ms budget
 * lost the first such code of a run. The frame's code is not a card payload, so every
 * attempt of the warm-up's rungs runs (`raw`, then `module-grid` with its soft decoding and
 * `template-grid`). It costs about 0.5–1 s of CPU once per engine and process (later calls
 * return the first call's promise); {@link createInlineFrameDecoder} (and so the worker) and
 * {@link createMultiFrameReader} start it when they are created and wait for it before their
 * first frame, whose budget it does not use. Call it at start-up when you call
 * {@link readCardQr} on camera frames with a short budget yourself.
 *
 * @param options - {@link WarmUpQrReaderOptions}.
 * @returns The rungs that ran, in order.
 * @example
 * ```ts
 * const engine = await createZxingWasmEngine();
 * await warmUpQrReader({ engine }); // once, at start-up
 * const r = await readCardQr(frame, { engine, timeBudgetMs: 300 });
 * ```
 */
export function warmUpQrReader(options: WarmUpQrReaderOptions = {}): Promise<string[]> {
  const key = options.engine ?? DEFAULT_ENGINE_KEY;
  let done = warmed.get(key);
  if (!done) {
    done = runWarmUp(options.engine);
    warmed.set(key, done);
    // A failed warm-up (the engine cannot load) is tried again by the next caller.
    done.catch(() => warmed.delete(key));
  }
  return done;
}

async function runWarmUp(engine: QrEngine | undefined): Promise<string[]> {
  const rungs: string[] = [];
  await readCardQr(warmUpFrame(), {
    ...(engine ? { engine } : {}),
    accept: 'card',
    ladder: WARM_UP_LADDER,
    timeBudgetMs: 10_000,
    onStep: (rung) => {
      if (!rungs.includes(rung)) rungs.push(rung);
    },
  });
  return rungs;
}
