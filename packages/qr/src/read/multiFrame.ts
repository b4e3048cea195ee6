import type { RasterImage } from '@smart-citizen/image';
import type { QrPoint } from '../engine/QrEngine.js';
import { binariseLocalMean, findFinderPatterns, groupFinders } from './finders.js';
import { type FusionWindow, fuseFrames } from './fuseFrames.js';
import { findCodeRegions, greyOf } from './greyOps.js';
import { type ReadCardQrOptions, type ReadCardQrResult, readCardQr } from './readCardQr.js';
import { warmUpQrReader } from './warmUp.js';

/**
 * Sharpness of a frame: mean squared difference between pixels two apart, on every other row
 * (cheap; blur from motion or focus lowers it). Compares frames of one scene, not scenes.
 *
 * @param img - Grey or colour frame.
 * @returns A non-negative score.
 */
export function frameSharpness(img: RasterImage): number {
  const g = greyOf(img);
  const { width: w, height: h, data } = g;
  let sum = 0;
  let n = 0;
  for (let y = 0; y + 2 < h; y += 2) {
    for (let x = 0; x + 2 < w; x += 2) {
      const v = data[y * w + x] ?? 0;
      const dx = v - (data[y * w + x + 2] ?? 0);
      const dy = v - (data[(y + 2) * w + x] ?? 0);
      sum += dx * dx + dy * dy;
      n++;
    }
  }
  return n ? sum / n : 0;
}

/**
 * The window to fuse: around the surest finder-pattern candidate, else the most code-like
 * textured region; a power of two from 128 to 512 px.
 * @internal
 */
export function fusionWindow(grey: RasterImage): FusionWindow | undefined {
  const radius = Math.max(8, Math.round(Math.min(grey.width, grey.height) / 24));
  const candidate =
    groupFinders(findFinderPatterns(grey, binariseLocalMean(grey, radius, 3)), grey.width, grey.height, 1)[0] ??
    findCodeRegions(grey, Math.max(4, Math.round(Math.min(grey.width, grey.height) / 48)), 1)[0];
  if (!candidate) return undefined;
  const side = Math.max(candidate.width, candidate.height) * 1.25;
  let size = 128;
  while (size < side && size < 512) size *= 2;
  return {
    x: Math.round(candidate.x + candidate.width / 2 - size / 2),
    y: Math.round(candidate.y + candidate.height / 2 - size / 2),
    size,
  };
}

/** Options of {@link createMultiFrameReader}. */
export interface MultiFrameReaderOptions extends ReadCardQrOptions {
  /** Frames kept for fusion. @default 6 */
  frames?: number;
  /** Fewest frames to fuse. @default 3 */
  minFrames?: number;
  /**
   * Fuse frames when a single frame fails. Off by default: on the bench's generated clips the
   * fusion's CPU cost (FFTs of up to 512² per kept frame) delayed the next decodes more than
   * it recovered (see the package README's video table).
   * @default false
   */
  fuse?: boolean;
}

/** Reads a card's code from a stream of frames, combining frames when single frames fail. */
export interface MultiFrameReader {
  /**
   * Decode one frame; when it fails and enough recent frames are kept, fuse them around the
   * code (see {@link fuseFrames}) and decode the fused window (`strategy: 'multi-frame'`).
   */
  push(frame: RasterImage): Promise<ReadCardQrResult>;
  /**
   * Of several frames that arrived while the last decode ran, the sharpest (best-frame
   * selection). All of them are kept for fusion.
   */
  pick(frames: readonly RasterImage[]): RasterImage | undefined;
  /** Forget the kept frames (a new card). */
  reset(): void;
}

/**
 * Create a reader for camera frames that combines evidence across frames: best-frame
 * selection (`pick`) and Fourier burst fusion of the last frames when a code is too blurred
 * in every single one. The reader is warmed up once at creation ({@link warmUpQrReader}); the
 * first `push` waits for it.
 *
 * @param options - {@link MultiFrameReaderOptions} (the `readCardQr` options apply to every decode).
 * @returns A {@link MultiFrameReader}.
 */
export function createMultiFrameReader(options: MultiFrameReaderOptions = {}): MultiFrameReader {
  const keep = options.frames ?? 6;
  const minFrames = options.minFrames ?? 3;
  if (!(Number.isInteger(keep) && keep >= 1 && keep <= 32))
    throw new RangeError('[@smart-citizen/qr] frames must be 1–32');
  if (!(Number.isInteger(minFrames) && minFrames >= 2))
    throw new RangeError('[@smart-citizen/qr] minFrames must be ≥ 2');
  // Warmed up once at creation (see warmUpQrReader); the first push waits for it.
  const warm = warmUpQrReader(options.engine ? { engine: options.engine } : {}).catch(() => []);
  const ring: { source: RasterImage; grey: RasterImage }[] = [];
  const remember = (frame: RasterImage): RasterImage => {
    const known = ring.find((r) => r.source === frame);
    if (known) return known.grey;
    const grey = greyOf(frame);
    if (ring.length && (ring[0]?.grey.width !== grey.width || ring[0]?.grey.height !== grey.height)) ring.length = 0;
    ring.push({ source: frame, grey });
    if (ring.length > keep) ring.shift();
    return grey;
  };
  return {
    async push(frame) {
      await warm;
      const grey = remember(frame);
      const single = await readCardQr(grey, options);
      if (single.ok || !options.fuse || ring.length < minFrames) return single;
      const window = fusionWindow(grey);
      if (!window) return single;
      // The decoded frame is the reference (last); the others are registered to it.
      const others = ring.filter((r) => r.grey !== grey).map((r) => r.grey);
      const fused = fuseFrames([...others, grey], window);
      const r = await readCardQr(fused, { ...options, timeBudgetMs: Math.min(options.timeBudgetMs ?? 60, 60) });
      if (!r.ok) return { ...single, attempts: single.attempts + r.attempts, ms: single.ms + r.ms };
      const back = (p: QrPoint): QrPoint => ({ x: p.x + window.x, y: p.y + window.y });
      return {
        ...r,
        strategy: 'multi-frame',
        attempts: single.attempts + r.attempts,
        ms: single.ms + r.ms,
        ...(r.corners ? { corners: r.corners.map(back) as [QrPoint, QrPoint, QrPoint, QrPoint] } : {}),
      };
    },
    pick(frames) {
      let best: RasterImage | undefined;
      let score = -1;
      for (const f of frames) {
        remember(f);
        const s = frameSharpness(ring.find((r) => r.source === f)?.grey ?? f);
        if (s > score) {
          score = s;
          best = f;
        }
      }
      return best;
    },
    reset() {
      ring.length = 0;
    },
  };
}
