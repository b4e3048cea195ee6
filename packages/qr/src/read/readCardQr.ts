import { type CitizenIdentity, type Issue, issue, type SmartCitizenError } from '@smart-citizen/core';
import { qrError } from '../errors.js';
import { boxBlur, decodeImage, type RasterImage, resize, rotate90, unsharpMask } from '@smart-citizen/image';
import type { QrEngine, QrEngineOptions, QrFormat, QrPoint, QrSymbol } from '../engine/QrEngine.js';
import { createZxingWasmEngine } from '../engine/createZxingWasmEngine.js';
import { safeParseCardQr } from '../parse/parseCardQr.js';
import {
  binariseLocalMean,
  type CodeCandidate,
  type FinderPattern,
  findFinderPatterns,
  groupFinders,
} from './finders.js';
import { locatePdf417, rectifyPdf417 } from './pdf417Locate.js';
import { pdf417UprightAttempts } from './pdf417Texture.js';
import { findTemplateFinders } from './templateFinders.js';
import {
  type FittedGrid,
  finderTriples,
  fitTriples,
  gridBits,
  gridToImage,
  RENDER,
  renderModules,
} from './moduleGrid.js';
import { cropRegion, findCodeRegions, greyOf, radialWarp, radialWarps, type Region } from './greyOps.js';

/** Options of {@link readCardQr}. */
export interface ReadCardQrOptions {
  /**
   * The decoding engine. When absent a zxing-wasm engine is created on first use and shared
   * (Node reads the `.wasm` from the installed package; in a browser pass an engine made with
   * `createZxingWasmEngine({ wasmUrl })`).
   */
  engine?: QrEngine;
  /**
   * Time after which no further strategy is started, in milliseconds. The strategy running
   * when it passes finishes. The default suits still photos and uploads (on a loaded machine
   * the later rungs — crops, warps for cloth — need it); camera frames come again soon and
   * use a short budget (the scanner's frame decoder passes 60 ms).
   * @default 600
   */
  timeBudgetMs?: number;
  /**
   * `card`: stop at the first payload that parses as a CCCD / Căn cước payload (a PDF417
   * symbol is accepted as is); `any`: stop at the first decoded text.
   * @default 'card'
   */
  accept?: 'card' | 'any';
  /**
   * Symbologies to look for. Add `PDF417` for the back of the 2016 barcode CCCD.
   * @default ['QRCode']
   */
  formats?: readonly QrFormat[];
  /**
   * Today's date for the payload checks.
   * @default new Date()
   */
  today?: Date;
  /**
   * Names of the ladder's strategies to run, in this order (see {@link readStrategies});
   * for ablation studies and hosts that want fewer rungs. Unknown names are a RangeError.
   * @default readStrategies
   */
  ladder?: readonly string[];
  /**
   * Monotonic clock in milliseconds (injectable for tests).
   * @default performance.now
   */
  now?: () => number;
  /**
   * Called after each step of the ladder (a rung's set-up and image, the engine call) with the
   * rung's name and the step's time on the `now` clock: what each rung costs (benchmarks).
   */
  onStep?: (strategy: string, ms: number) => void;
}

/** Outcome of {@link readCardQr}. */
export interface ReadCardQrResult {
  /** True when a code was decoded and (with `accept: 'card'`) its payload is a card payload. */
  ok: boolean;
  /** The decoded text (also when it is not a card payload). */
  text?: string;
  format?: QrFormat;
  /** The identity the payload names (QR payloads that parse). */
  identity?: CitizenIdentity;
  /** Issues of the payload, or why nothing usable was found. */
  issues: Issue[];
  /** The strategy that found the code, e.g. `raw`, `global-binarizer`, `crop`. */
  strategy?: string;
  /** Corners of the code in the input image's pixels, when known. */
  corners?: [QrPoint, QrPoint, QrPoint, QrPoint];
  /** Engine calls made. */
  attempts: number;
  /** Wall time in milliseconds. */
  ms: number;
}

/** One rung of the ladder: derive an image (from cached intermediates) and engine options. */
interface Strategy {
  name: string;
  /** Images to decode, each with a transform back to input coordinates. */
  run(ctx: LadderContext): Iterable<Attempt>;
}

interface Attempt {
  image: RasterImage;
  options?: QrEngineOptions;
  /** Maps a point of `image` back to the input image. */
  back: (p: QrPoint) => QrPoint;
}

interface LadderContext {
  grey: RasterImage;
  /** Symbologies asked for (the PDF417 rung runs only when PDF417 is among them). */
  formats: readonly QrFormat[];
  /** Local-mean binarisation with a window of ~1/12 of the short side (finder-crop and PDF417 search share it). */
  coarse?: Uint8Array;
  engineRotates: boolean;
  cache: Map<string, RasterImage>;
  /** Code candidates from the finder-pattern search, computed on first use. */
  candidates?: CodeCandidate[];
  /** Module grids fitted to finder triples of small codes, computed on first use. */
  grids?: FittedGrid[];
  /** Every grid a grid rung has tried (later grid rungs skip the same code and version). */
  tried: FittedGrid[];
  /** Square high-contrast regions (code-like texture), computed on first use. */
  regions?: Region[];
  /** True once the time budget has passed: long set-ups (finder searches, grid fits) poll it and stop. */
  expired: () => boolean;
}

/** Code-like regions of the frame (cached: the crop and template-grid rungs share them). */
function codeRegions(ctx: LadderContext): Region[] {
  if (!ctx.regions) {
    const { grey } = ctx;
    const block = Math.max(4, Math.round(Math.min(grey.width, grey.height) / 48));
    ctx.regions = findCodeRegions(grey, block, 3);
  }
  return ctx.regions;
}

/** Margin around a code-like region searched by template correlation (share of its side): the region holds the code. */
const TEMPLATE_MARGIN = 0.25;

/**
 * Codes at 1.5–3 px per module whose finders the run-length search misses: each code-like
 * region (with a quarter of its size around it) searched by template correlation
 * ({@link findTemplateFinders}), grids fitted and sampled on the frame's pixels.
 */
function* templateGrids(ctx: LadderContext): Generator<FittedGrid> {
  const { grey } = ctx;
  for (const region of codeRegions(ctx)) {
    if (ctx.expired()) return;
    const margin = Math.round(Math.max(region.width, region.height) * TEMPLATE_MARGIN);
    const x0 = Math.max(0, region.x - margin);
    const y0 = Math.max(0, region.y - margin);
    const crop = cropRegion(grey, region, TEMPLATE_MARGIN);
    const finders = findTemplateFinders(crop, { expired: ctx.expired }).map((f) => ({
      ...f,
      x: x0 + f.x,
      y: y0 + f.y,
    }));
    yield* newGrids(ctx, finders);
  }
}

/**
 * Largest side (px) of the frame's most code-like region for which `template-grid` runs before
 * `module-grid`. A card code (versions 6–9) at 1.5–2.5 px per module gives regions of 100–140 px;
 * at 3.3 px and more (the graded levels, every other hard category) 180 px and more. Below it the
 * run-length finder search of `module-grid` finds no finder triple and costs 80–250 ms of CPU
 * first (on the tuning pool: 29 → 33 of 66 raw misses read within the 300 ms budget). Regions
 * come in steps of the 20-px block: 170 takes the 160-px regions too (session 11: two tuning-pool
 * codes at 2.6 and 2.8 px/module read, none lost; of the other sets' tuning halves one level-4
 * photo has a 160-px region, unread either way; every other one 180 px and more, or ≤ 140).
 */
const SMALL_CODE_REGION_PX = 170;

/** Whether the frame's code looks small enough to try `template-grid` first (frames over 800 px only). */
function smallCodeFirst(ctx: LadderContext): boolean {
  const { grey } = ctx;
  if (Math.max(grey.width, grey.height) <= 800 || !ctx.formats.includes('QRCode')) return false;
  const top = codeRegions(ctx)[0];
  return top !== undefined && Math.max(top.width, top.height) <= SMALL_CODE_REGION_PX;
}

/** Grids fitted to triples of `finders` (frame pixels) that no earlier grid rung tried. */
function* newGrids(ctx: LadderContext, finders: FinderPattern[]): Generator<FittedGrid> {
  const { grey } = ctx;
  const groups = groupFinders(finders, grey.width, grey.height, 3);
  const triples = finderTriples(grey, finders, groups, undefined, ctx.expired);
  for (const grid of fitTriples(grey, triples, undefined, ctx.expired)) {
    if (triedBefore(ctx, grid)) continue;
    ctx.tried.push(grid);
    yield grid;
  }
}

/**
 * The same code and version fitted by an earlier grid rung: worth sampling again only when some
 * anchor moved by half a module or more (a grid that far off reads different bits).
 */
function triedBefore(ctx: LadderContext, grid: FittedGrid): boolean {
  return ctx.tried.some(
    (g) =>
      g.version === grid.version &&
      g.anchors.every((p, i) => {
        const q = grid.anchors[i];
        return q !== undefined && Math.hypot(p.x - q.x, p.y - q.y) < 0.5 * grid.module;
      }),
  );
}

function* gridAttempts(ctx: LadderContext, grid: FittedGrid): Generator<Attempt> {
  const { grey } = ctx;
  const back = (p: QrPoint): QrPoint =>
    gridToImage(grid, p.x / RENDER.scale - RENDER.quiet, p.y / RENDER.scale - RENDER.quiet);
  for (const bits of gridBits(grey, grid, ctx.expired))
    yield { image: renderModules(bits, grid.size), options: PURE, back };
}

/** Local-mean binarisation with a window of ~1/12 of the short side (cached per image). */
function coarseBinary(ctx: LadderContext): Uint8Array {
  if (!ctx.coarse) {
    const { grey } = ctx;
    const radius = Math.max(8, Math.round(Math.min(grey.width, grey.height) / 24));
    ctx.coarse = binariseLocalMean(grey, radius, 3);
  }
  return ctx.coarse;
}

/** Where the finder patterns say codes are (cached per image). */
function finderCandidates(ctx: LadderContext): CodeCandidate[] {
  if (!ctx.candidates) {
    const { grey } = ctx;
    const finders = findFinderPatterns(grey, coarseBinary(ctx), ctx.expired);
    ctx.candidates = groupFinders(finders, grey.width, grey.height, 3);
  }
  return ctx.candidates;
}

/**
 * Module grids fitted to the finder triples of small codes: finders searched on a
 * binarisation whose window (about 10 px at 960 lines) suits codes of 1.5–5 px per module,
 * the scale where the engine's own detector gives up first.
 */
function fittedGrids(ctx: LadderContext): FittedGrid[] {
  if (!ctx.grids) {
    const { grey } = ctx;
    const radius = Math.max(6, Math.round(Math.min(grey.width, grey.height) / 96));
    const finders = findFinderPatterns(grey, binariseLocalMean(grey, radius, 3), ctx.expired);
    const groups = groupFinders(finders, grey.width, grey.height, 3);
    const triples = finderTriples(grey, finders, groups, undefined, ctx.expired);
    // Grids `template-grid` already tried (when it ran first, see smallCodeFirst) are skipped.
    ctx.grids = fitTriples(grey, triples, undefined, ctx.expired).filter((g) => !triedBefore(ctx, g));
    ctx.tried.push(...ctx.grids);
  }
  return ctx.grids;
}

/** Engine options for a re-rendered module grid: one upright crisp code, nothing to search. */
const PURE: QrEngineOptions = { pure: true, tryHarder: false, tryRotate: false, tryInvert: false, tryDownscale: false };

/** Located PDF417 symbols tried per image, and the module width they are warped to. */
const PDF417_TRIES = 2;
const PDF417_MODULE_PX = 3;

/** Largest side of an enlarged crop (bigger costs more than it gains). */
const MAX_CROP_SIDE = 1000;

const identityMap = (p: QrPoint): QrPoint => p;
const RADIAL_WARPS = radialWarps();
/** Default time budget for still images (see {@link ReadCardQrOptions.timeBudgetMs}). */
const DEFAULT_BUDGET_MS = 600;

function cached(ctx: LadderContext, key: string, make: () => RasterImage): RasterImage {
  let img = ctx.cache.get(key);
  if (!img) {
    img = make();
    ctx.cache.set(key, img);
  }
  return img;
}

function scaled(ctx: LadderContext, factor: number): Attempt {
  const { grey } = ctx;
  const width = Math.max(1, Math.round(grey.width * factor));
  const height = Math.max(1, Math.round(grey.height * factor));
  const image = cached(ctx, `scale:${factor}`, () =>
    resize(grey, { width, height, method: factor > 1 ? 'bilinear' : 'area' }),
  );
  const sx = grey.width / width;
  const sy = grey.height / height;
  return { image, back: (p) => ({ x: p.x * sx, y: p.y * sy }) };
}

/**
 * The ladder, in the order it runs. Each rung was kept because it decodes images the rungs
 * before it miss (see the package README for the measurements).
 */
const LADDER: Strategy[] = [
  {
    name: 'raw',
    *run(ctx) {
      yield { image: ctx.grey, back: identityMap };
    },
  },
  {
    name: 'pdf417-texture',
    *run(ctx) {
      // The 2016 CCCD's PDF417 (only when asked for): regions of dense texture turned upright
      // (axes from the gradients), enlarged ×1.5 and sharpened for the engine, whose detector
      // finds an upright symbol where it loses a turned one (see pdf417Texture.ts). Before
      // `pdf417-rectify`: on the tuning half it reads as many for about half the CPU, and it
      // reads codes under ~3 px per module whose start and stop patterns no binarisation keeps.
      if (!ctx.formats.includes('PDF417')) return;
      for (const a of pdf417UprightAttempts(ctx.grey, ctx.expired)) {
        yield { image: a.image, options: { formats: ['PDF417'] }, back: a.back };
      }
    },
  },
  {
    name: 'pdf417-rectify',
    *run(ctx) {
      // The 2016 CCCD's PDF417 (only when asked for): start and stop patterns found on every
      // row and column, the symbol's quadrilateral from their edges, warped upright at 3 px per
      // module (small codes enlarged, perspective and rotation removed) and unsharp-masked
      // (radius 2 px, gain 1: on the tuning halves it reads 11 of 19 raw misses, the plain
      // warp 10, none the sharpened one misses) for the engine.
      if (!ctx.formats.includes('PDF417')) return;
      const { grey } = ctx;
      const located = locatePdf417(coarseBinary(ctx), grey.width, grey.height, { expired: ctx.expired });
      for (const loc of located.slice(0, PDF417_TRIES)) {
        const r = rectifyPdf417(grey, loc, PDF417_MODULE_PX);
        if (r) yield { image: unsharpMask(r.image, 2, 1), options: { formats: ['PDF417'] }, back: r.back };
      }
    },
  },
  {
    name: 'module-grid',
    *run(ctx) {
      // Small, blurred, noisy codes: fit a projective module grid to the finders and the
      // code's fixed patterns, sample every module, threshold a few ways and let the engine
      // decode the re-rendered grid (see moduleGrid.ts).
      if (!ctx.formats.includes('QRCode')) return;
      for (const grid of fittedGrids(ctx)) yield* gridAttempts(ctx, grid);
    },
  },
  {
    name: 'template-grid',
    *run(ctx) {
      // Codes at 1.5–3 px per module whose finders no run-length search finds (their light
      // ring is a pixel or two wide): finders found by template correlation in code-like
      // regions (see templateGrids). Frames only: small images get the whole-image `upscale`
      // rung. It replaced `upsampled-grid` (run-length finders on a ×3 cubic enlargement of the
      // same regions): on the tuning halves it reads 3 more of 40 `small` misses and 4 more of
      // 26 graded-level photos, for less CPU.
      if (Math.max(ctx.grey.width, ctx.grey.height) <= 800 || !ctx.formats.includes('QRCode')) return;
      for (const grid of templateGrids(ctx)) yield* gridAttempts(ctx, grid);
    },
  },
  {
    name: 'finder-crop',
    *run(ctx) {
      // Candidates from finder patterns, cut out and enlarged to about 5 px per module (the
      // finders give the module size): small codes, codes beside other codes, codes in a
      // cluttered frame that the engine's whole-frame search loses.
      if (!ctx.formats.includes('QRCode')) return;
      for (const c of finderCandidates(ctx)) {
        const crop = cropRegion(ctx.grey, { ...c, score: 1 }, 0);
        const factor = Math.max(1, Math.min(4, 5 / c.module, MAX_CROP_SIDE / Math.max(crop.width, crop.height)));
        const enlarge = (img: RasterImage) =>
          factor > 1.05
            ? resize(img, {
                width: Math.round(img.width * factor),
                height: Math.round(img.height * factor),
                method: 'bilinear',
              })
            : img;
        const big = enlarge(crop);
        const back = (p: QrPoint): QrPoint => ({ x: c.x + p.x / factor, y: c.y + p.y / factor });
        yield { image: big, back };
        yield { image: big, options: { binarizer: 'global' }, back };
        // A screen's pixel grid (moiré) and sensor noise are finer than a module of 3 px or more.
        if (c.module >= 3) yield { image: enlarge(boxBlur(crop, 1)), back };
      }
    },
  },
  {
    name: 'upscale',
    *run(ctx) {
      // Small codes (under ~3 px per module) decode after interpolation.
      if (Math.max(ctx.grey.width, ctx.grey.height) > 800) return;
      const a = scaled(ctx, 2);
      yield a;
      yield { ...a, options: { binarizer: 'global' } };
    },
  },
  {
    name: 'rotate',
    *run(ctx) {
      // zxing-wasm rotates by itself; the pure-JS engine does not.
      if (ctx.engineRotates) return;
      const { width: w, height: h } = ctx.grey;
      yield { image: rotate90(ctx.grey, 1), back: (p) => ({ x: p.y, y: h - 1 - p.x }) };
      yield { image: rotate90(ctx.grey, 2), back: (p) => ({ x: w - 1 - p.x, y: h - 1 - p.y }) };
      yield { image: rotate90(ctx.grey, 3), back: (p) => ({ x: w - 1 - p.y, y: p.x }) };
    },
  },
  {
    name: 'radial-warp',
    *run(ctx) {
      // Codes on cloth or bent cards with one wrinkle or bulge: magnify or shrink around each
      // quarter (small images only; each try decodes a 2× enlargement).
      if (Math.max(ctx.grey.width, ctx.grey.height) > 640) return;
      const back = (p: QrPoint): QrPoint => ({ x: p.x / 2, y: p.y / 2 });
      for (const w of RADIAL_WARPS) {
        const image = radialWarp(ctx.grey, w, 2);
        yield { image, options: { binarizer: 'global' }, back };
        yield { image, back };
      }
    },
  },
];

/** Names of the ladder's strategies, in order. */
export const readStrategies: readonly string[] = LADDER.map((s) => s.name);

let sharedEngine: Promise<QrEngine> | undefined;

function defaultEngine(): Promise<QrEngine> {
  if (!sharedEngine) {
    sharedEngine = createZxingWasmEngine();
    sharedEngine.catch(() => {
      sharedEngine = undefined;
    });
  }
  return sharedEngine;
}

function validateOptions(options: ReadCardQrOptions): void {
  const b = options.timeBudgetMs;
  if (b !== undefined && !(typeof b === 'number' && b >= 0 && Number.isFinite(b))) {
    throw new RangeError('[@smart-citizen/qr] timeBudgetMs must be a finite number >= 0');
  }
  if (options.accept !== undefined && options.accept !== 'card' && options.accept !== 'any') {
    throw new RangeError("[@smart-citizen/qr] accept must be 'card' or 'any'");
  }
  if (options.ladder !== undefined) {
    if (!Array.isArray(options.ladder)) throw new RangeError('[@smart-citizen/qr] ladder must be an array of names');
    for (const name of options.ladder) {
      if (!LADDER.some((s) => s.name === name))
        throw new RangeError(`[@smart-citizen/qr] unknown strategy '${String(name)}'`);
    }
  }
}

/**
 * Read the QR code of a CCCD / Căn cước card (or the PDF417 of a 2016 CCCD) from a photo,
 * scan or camera frame, and parse it. Beyond one engine call it climbs a ladder of
 * strategies within a time budget — the image as is, module grids fitted to finder patterns
 * found by run lengths and by template correlation and read by this package, crops around
 * finder triples, 2× interpolation for small images, (90° rotations for engines that do not
 * rotate), local warps for bent codes — and stops at the first payload that parses as a card
 * payload.
 *
 * @param image - Encoded image bytes (JPEG, PNG, WebP, BMP, GIF) or a decoded image.
 * @param options - {@link ReadCardQrOptions}.
 * @returns The {@link ReadCardQrResult}; `ok: false` with issues when nothing usable was found.
 * @throws SmartCitizenError from image decoding (`image/*`) when the bytes are not an image,
 *   `qr/engine-unavailable` when the engine cannot load.
 * @example
 * ```ts
 * const r = await readCardQr(new Uint8Array(await readFile('card.jpg')));
 * if (r.ok) console.log(r.identity?.idNumber, r.strategy, r.ms);
 * ```
 */
export async function readCardQr(
  image: Uint8Array | RasterImage,
  options: ReadCardQrOptions = {},
): Promise<ReadCardQrResult> {
  validateOptions(options);
  const now = options.now ?? (() => performance.now());
  const t0 = now();
  const engine = options.engine ?? (await defaultEngine());
  const raster = image instanceof Uint8Array ? await decodeImage(image) : image;
  if (!raster || typeof raster.width !== 'number' || raster.width < 1 || raster.height < 1) {
    throw qrError('qr/bad-image', 'the image is empty');
  }
  const budget = options.timeBudgetMs ?? DEFAULT_BUDGET_MS;
  const acceptAny = options.accept === 'any';
  const formats = options.formats ?? ['QRCode'];
  const parseOptions = options.today ? { today: options.today } : {};
  let lastPoll: number | undefined;
  let longestGap = 0;
  const ctx: LadderContext = {
    grey: greyOf(raster),
    formats,
    engineRotates: engine.name === 'zxing-wasm',
    cache: new Map(),
    tried: [],
    // A set-up polls the deadline between pieces it cannot stop inside (a binarisation, a
    // block of rows, one grid refinement). It stops when the time left is under the longest
    // gap between polls seen so far, so the piece it would start next still ends inside the
    // budget (the gap is counted from the start of each ladder step, not across steps).
    expired: () => {
      const t = now();
      if (lastPoll !== undefined) longestGap = Math.max(longestGap, t - lastPoll);
      lastPoll = t;
      return t - t0 + longestGap > budget;
    },
  };
  let attempts = 0;
  let foreign: { symbol: QrSymbol; error: SmartCitizenError; strategy: string } | undefined;

  const finish = (symbol: QrSymbol, strategy: string, back: (p: QrPoint) => QrPoint): ReadCardQrResult => {
    const base = {
      text: symbol.text,
      format: symbol.format,
      strategy,
      attempts,
      ...(symbol.corners ? { corners: symbol.corners.map(back) as [QrPoint, QrPoint, QrPoint, QrPoint] } : {}),
    };
    const parsed = safeParseCardQr(symbol.text, parseOptions);
    if (parsed.ok) {
      return { ok: true, ...base, identity: parsed.value.identity, issues: parsed.value.issues, ms: now() - t0 };
    }
    const issues =
      symbol.format === 'PDF417'
        ? [
            issue(
              'qr/pdf417-format-unknown',
              'info',
              'the PDF417 text is returned raw: its layout is not publicly documented',
            ),
          ]
        : [issue(parsed.error.code, acceptAny ? 'info' : 'error', parsed.error.message)];
    return { ok: true, ...base, issues, ms: now() - t0 };
  };

  const ladder = options.ladder
    ? options.ladder.map((name) => LADDER.find((s) => s.name === name) as Strategy)
    : LADDER.slice();
  // The budget holds within strategies too: an attempt (deriving its image, then one engine
  // call) is not started when the time left is less than the dearest attempt so far, so a
  // read ends near its budget instead of up to one slow attempt past it.
  // A strategy's first step also builds what its attempts share (a finder search, fitted
  // grids): first steps are priced apart (the dearest first step so far), or one dear
  // set-up would stop the cheap attempts it prepared, and a strategy whose set-up does not
  // fit in the time left is not started.
  let dearest = 0;
  let dearestFirst = 0;
  for (let si = 0; si < ladder.length; si++) {
    // The default ladder tries `template-grid` before `module-grid` when the frame's most
    // code-like region is as small as a card code at 1.5–2.5 px per module (see smallCodeFirst).
    if (!options.ladder && ladder[si]?.name === 'module-grid' && smallCodeFirst(ctx)) {
      const t = ladder.findIndex((s) => s.name === 'template-grid');
      if (t > si) ladder.splice(si, 0, ...ladder.splice(t, 1));
    }
    const strategy = ladder[si] as Strategy;
    const it = strategy.run(ctx)[Symbol.iterator]();
    for (let step = 0; ; step++) {
      const started = now();
      const price = step === 0 ? Math.max(dearest, dearestFirst) : dearest;
      if (attempts > 0 && started - t0 + price > budget) {
        return notFound(attempts, started - t0, foreign);
      }
      lastPoll = started;
      const next = it.next();
      // A set-up that found nothing to try (no finder triple) still cost its time.
      if (next.done) {
        const spent = now() - started;
        if (step === 0) dearestFirst = Math.max(dearestFirst, spent);
        options.onStep?.(strategy.name, spent);
        break;
      }
      const attempt = next.value;
      attempts++;
      const decodeStart = now();
      const symbols = engine.decode(attempt.image, {
        formats,
        // One symbol is much faster (zxing stops at the first); ask for more once a code that
        // is not a card payload was seen, in case the card's code is beside it.
        maxSymbols: foreign ? 4 : 1,
        ...attempt.options,
      });
      const done = now();
      options.onStep?.(strategy.name, done - started);
      if (step === 0) dearestFirst = Math.max(dearestFirst, done - started);
      dearest = Math.max(dearest, step === 0 ? done - decodeStart : done - started);
      // Several codes in view: the largest is the one the photo is of (a code printed inside
      // another code's quiet zone, a sticker in the corner).
      if (symbols.length > 1) symbols.sort((a, b) => area(b) - area(a));
      for (const symbol of symbols) {
        if (acceptAny || symbol.format === 'PDF417') return finish(symbol, strategy.name, attempt.back);
        const parsed = safeParseCardQr(symbol.text, parseOptions);
        if (parsed.ok) return finish(symbol, strategy.name, attempt.back);
        foreign ??= { symbol, error: parsed.error, strategy: strategy.name };
      }
    }
  }
  return notFound(attempts, now() - t0, foreign);
}

function area(symbol: QrSymbol): number {
  const c = symbol.corners;
  if (!c) return 0;
  let twice = 0;
  for (let i = 0; i < 4; i++) {
    const p = c[i] as QrPoint;
    const q = c[(i + 1) % 4] as QrPoint;
    twice += p.x * q.y - q.x * p.y;
  }
  return Math.abs(twice) / 2;
}

function notFound(
  attempts: number,
  ms: number,
  foreign: { symbol: QrSymbol; error: SmartCitizenError; strategy: string } | undefined,
): ReadCardQrResult {
  if (foreign) {
    return {
      ok: false,
      text: foreign.symbol.text,
      format: foreign.symbol.format,
      strategy: foreign.strategy,
      issues: [issue(foreign.error.code, 'error', foreign.error.message)],
      attempts,
      ms,
    };
  }
  return {
    ok: false,
    issues: [issue('qr/not-found', 'error', 'no QR code could be decoded in the image')],
    attempts,
    ms,
  };
}
