import type { RasterImage } from '@smart-citizen/image';
import type { QrPoint } from '../engine/QrEngine.js';
import { findCodeRegions, greyOf } from '../read/greyOps.js';

/**
 * Capture guidance for the person holding the card:
 * - `ok`: nothing to correct;
 * - `too-dark`: the frame is underexposed;
 * - `glare`: a reflection saturates part of the code (tilt the card);
 * - `too-far`: the code is too small (it needs about 3 pixels per module: move closer);
 * - `no-code`: nothing that looks like a code is in view.
 */
export type CaptureHint = 'ok' | 'too-dark' | 'glare' | 'too-far' | 'no-code';

/** What {@link assessFrame} measured. */
export interface FrameAssessment {
  hint: CaptureHint;
  /** Mean grey level, 0–255. */
  brightness: number;
  /** Share of clipped pixels (≥ 254) in the code area (or the frame centre). */
  glare: number;
  /** Estimated pixels per module of the code, when a code or code-like region was seen. */
  pxPerModule?: number;
}

/** Options of {@link assessFrame}. */
export interface AssessFrameOptions {
  /** Corners of a decoded code, when there is one. */
  corners?: readonly QrPoint[];
  /** Modules per side of the decoded code, when known. */
  moduleCount?: number;
  /**
   * Modules per side assumed for an undecoded CCCD code (its payload gives version 6–8).
   * @default 45
   */
  assumedModules?: number;
  /**
   * Pixels per module below which the code is "too far".
   * @default 3
   */
  minPxPerModule?: number;
}

/**
 * Judge a camera frame for capture guidance: exposure, glare on the code, and whether the
 * code is large enough (about 3 px per module) to decode reliably.
 *
 * @param frame - Grey or RGB(A) frame.
 * @param options - {@link AssessFrameOptions}.
 * @returns The {@link FrameAssessment}.
 */
export function assessFrame(frame: RasterImage, options: AssessFrameOptions = {}): FrameAssessment {
  const grey = greyOf(frame);
  const { width: w, height: h, data } = grey;
  const minPpm = options.minPxPerModule ?? 3;
  let area = { x0: Math.round(w * 0.2), y0: Math.round(h * 0.2), x1: Math.round(w * 0.8), y1: Math.round(h * 0.8) };
  let pxPerModule: number | undefined;
  const corners = options.corners;
  if (corners && corners.length === 4) {
    const xs = corners.map((p) => p.x);
    const ys = corners.map((p) => p.y);
    area = {
      x0: Math.max(0, Math.floor(Math.min(...xs))),
      y0: Math.max(0, Math.floor(Math.min(...ys))),
      x1: Math.min(w, Math.ceil(Math.max(...xs)) + 1),
      y1: Math.min(h, Math.ceil(Math.max(...ys)) + 1),
    };
    const [a, b, c, d] = corners as [QrPoint, QrPoint, QrPoint, QrPoint];
    const side = (Math.hypot(b.x - a.x, b.y - a.y) + Math.hypot(c.x - d.x, c.y - d.y)) / 2;
    pxPerModule = side / (options.moduleCount ?? options.assumedModules ?? 45);
  } else {
    const block = Math.max(4, Math.round(Math.min(w, h) / 48));
    const region = findCodeRegions(grey, block, 1)[0];
    if (region) {
      area = { x0: region.x, y0: region.y, x1: region.x + region.width, y1: region.y + region.height };
      // Block-quantised regions overshoot the code by about one block on each side.
      const side = Math.max(block, Math.min(region.width, region.height) - block);
      pxPerModule = side / (options.assumedModules ?? 45);
    }
  }
  let sum = 0;
  for (let i = 0; i < w * h; i++) sum += data[i] ?? 0;
  const brightness = w * h > 0 ? sum / (w * h) : 0;
  let saturated = 0;
  let count = 0;
  for (let y = area.y0; y < area.y1; y++) {
    for (let x = area.x0; x < area.x1; x++) {
      count++;
      if ((data[y * w + x] ?? 0) >= 254) saturated++;
    }
  }
  const glare = count > 0 ? saturated / count : 0;
  let hint: CaptureHint = 'ok';
  if (brightness < 45) hint = 'too-dark';
  else if (glare > 0.05) hint = 'glare';
  else if (pxPerModule === undefined) hint = corners ? 'ok' : 'no-code';
  else if (pxPerModule < minPpm) hint = 'too-far';
  return { hint, brightness, glare, ...(pxPerModule !== undefined ? { pxPerModule } : {}) };
}
