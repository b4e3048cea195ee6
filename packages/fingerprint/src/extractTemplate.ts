import { type RasterImage, resize, toGrey } from '@smart-citizen/image';
import { FingerprintError } from './errors.js';
import { enhanceAndBinarise } from './extract/enhance.js';
import { computeRidgeFields, estimatePeriod, segment } from './extract/fields.js';
import { findMinutiae } from './extract/minutiae.js';
import { qualityOf } from './extract/qualityScore.js';
import { thin } from './extract/thin.js';
import type { FingerprintTemplate, Minutia } from './types.js';

/** Options of {@link extractTemplate}. */
export interface ExtractOptions {
  /**
   * Resolution of the image in dots per inch (500 for most USB scanners and FVC sets, 569 for
   * FVC2002 DB2). The image is resampled to 500 dpi; 250–1200 is accepted.
   */
  dpi: number;
  /**
   * Keep at most this many minutiae, the most reliable first.
   * @default 100
   */
  maxMinutiae?: number;
}

/** Everything extraction computed, for quality assessment and debugging. @internal */
export interface Extraction {
  template: FingerprintTemplate;
  width: number;
  height: number;
  /** Share of the image covered by the print, 0–1. */
  area: number;
  /** Mean orientation certainty inside the print, 0–1. */
  coherence: number;
  /** Mean grey-level spread inside the print (0–255 scale). */
  contrast: number;
  /** Median ridge period in pixels at 500 dpi. */
  period: number;
  /** Print area in pixels at 500 dpi. */
  areaPixels: number;
  /**
   * Ridge clarity, 0–1: how well the grey levels agree with the binarised ridges inside the
   * print (mean of the normalised intensity signed by ridge/valley, over its mean magnitude).
   */
  clarity: number;
  /** Share of the print where a clean ridge period was measured, 0–1. */
  periodValid: number;
  mask: Uint8Array;
  ridges: Uint8Array;
  skeleton: Uint8Array;
}

/** Smallest and largest side, pixels at 500 dpi, of an image the extractor takes. @internal */
export const MIN_SIDE = 64;
const MAX_SIDE = 4000;

/** Throws `fingerprint/bad-image` unless `image` is a consistent RasterImage. @internal */
export function checkImage(image: RasterImage): void {
  if (image === null || typeof image !== 'object' || !(image.data instanceof Uint8Array)) {
    throw new FingerprintError('fingerprint/bad-image', 'image must be a RasterImage with Uint8Array data');
  }
  const { width, height, channels } = image;
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1 ||
    ![1, 3, 4].includes(channels) ||
    image.data.length !== width * height * channels
  ) {
    throw new FingerprintError('fingerprint/bad-image', 'image dimensions do not match its data', {
      details: { width, height, channels },
    });
  }
}

/** Grey levels at 500 dpi as floats. @internal */
export function greyAt500(image: RasterImage, dpi: number): { grey: Float32Array; width: number; height: number } {
  checkImage(image);
  if (typeof dpi !== 'number' || !Number.isFinite(dpi) || dpi < 250 || dpi > 1200) {
    throw new FingerprintError('fingerprint/bad-dpi', `dpi must be a number in 250–1200, got ${String(dpi)}`);
  }
  let g = toGrey(image);
  const scale = 500 / dpi;
  if (Math.abs(scale - 1) > 0.01) {
    const width = Math.max(1, Math.round(g.width * scale));
    const height = Math.max(1, Math.round(g.height * scale));
    g = resize(g, { width, height, method: scale < 1 ? 'area' : 'bilinear' });
  }
  if (g.width < MIN_SIDE || g.height < MIN_SIDE || g.width > MAX_SIDE || g.height > MAX_SIDE) {
    throw new FingerprintError(
      'fingerprint/bad-image',
      `image of ${g.width}×${g.height} at 500 dpi is outside ${MIN_SIDE}–${MAX_SIDE} pixels a side`,
      { details: { width: g.width, height: g.height } },
    );
  }
  const grey = new Float32Array(g.width * g.height);
  for (let i = 0; i < grey.length; i++) grey[i] = g.data[i] as number;
  return { grey, width: g.width, height: g.height };
}

/** The full pipeline, keeping its intermediate results. @internal */
export function runExtraction(image: RasterImage, options: ExtractOptions): Extraction {
  const maxMinutiae = options.maxMinutiae ?? 100;
  if (!Number.isInteger(maxMinutiae) || maxMinutiae < 1 || maxMinutiae > 255) {
    throw new RangeError(`maxMinutiae must be an integer in 1–255, got ${String(maxMinutiae)}`);
  }
  const { grey, width, height } = greyAt500(image, options.dpi);
  let sum = 0;
  let sumSq = 0;
  let extreme = 0;
  for (let i = 0; i < grey.length; i++) {
    const v = grey[i] as number;
    sum += v;
    sumSq += v * v;
    if (v <= 2 || v >= 253) extreme++;
  }
  const mean = sum / grey.length;
  const std = Math.sqrt(Math.max(0, sumSq / grey.length - mean * mean));
  if (std < 3 || extreme > 0.97 * grey.length) {
    throw new FingerprintError('fingerprint/no-print', 'the image is blank or saturated', {
      details: { std: Math.round(std * 10) / 10 },
    });
  }
  const fields = computeRidgeFields(grey, width, height);
  const seg = segment(fields);
  const areaPixels = seg.area * width * height;
  if (areaPixels < 80 * 80) {
    throw new FingerprintError('fingerprint/no-print', 'no ridge area large enough for a fingerprint was found', {
      details: { areaPixels: Math.round(areaPixels) },
    });
  }
  const periods = estimatePeriod(fields, seg.mask);
  const ridges = enhanceAndBinarise(fields, seg, periods);
  const skeleton = ridges.slice();
  thin(skeleton, width, height);
  // Pixel reliability at each minutia: orientation certainty scaled by local contrast.
  let cohSum = 0;
  let conSum = 0;
  let inside = 0;
  let agree = 0;
  let magnitude = 0;
  const { mask } = seg;
  const { hw, coherence: cellCoherence, spread, norm } = fields;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const hrow = (y >> 1) * hw;
    for (let x = 0; x < width; x++) {
      if (!mask[row + x]) continue;
      const h = hrow + (x >> 1);
      cohSum += cellCoherence[h] as number;
      conSum += spread[h] as number;
      inside++;
      let v = norm[row + x] as number;
      v = v > 2 ? 2 : v < -2 ? -2 : v;
      agree += ridges[row + x] ? -v : v;
      magnitude += v < 0 ? -v : v;
    }
  }
  const raw = findMinutiae(skeleton, fields, seg.mask);
  raw.sort((a, b) => b.quality - a.quality);
  const minutiae: Minutia[] = raw.slice(0, maxMinutiae).map((m) => ({
    x: Math.round(m.x),
    y: Math.round(m.y),
    // Image angles are clockwise (y down); templates use the ISO sense (counter-clockwise).
    angle: (2 * Math.PI - m.angle) % (2 * Math.PI),
    type: m.type,
    quality: Math.max(1, Math.min(100, Math.round(m.quality * 100))),
  }));
  const clarity = magnitude > 0 ? Math.max(0, agree / magnitude) : 0;
  const coherence = inside ? cohSum / inside : 0;
  const contrast = inside ? conSum / inside : 0;
  const { score } = qualityOf({
    clarity,
    periodValid: periods.validShare,
    coherence,
    areaPixels,
    minutiae: minutiae.length,
    contrast,
  });
  return {
    template: { width, height, dpi: 500, minutiae, quality: score },
    width,
    height,
    area: seg.area,
    coherence,
    contrast,
    period: periods.median,
    areaPixels,
    clarity,
    periodValid: periods.validShare,
    mask: seg.mask,
    ridges,
    skeleton,
  };
}

/**
 * Extract the minutiae template of a fingerprint image: resample to 500 dpi, segment the print,
 * estimate ridge orientation and period, enhance with oriented Gabor filtering, binarise, thin,
 * detect endings and bifurcations and remove false ones.
 *
 * @param image - A decoded image (grey, RGB or RGBA); dark ridges on a light background.
 * @param options - See {@link ExtractOptions}; `dpi` is required.
 * @returns The template, coordinates at 500 dpi.
 * @throws FingerprintError `fingerprint/bad-image`, `fingerprint/bad-dpi`, `fingerprint/no-print`.
 * @example
 * ```ts
 * const image = await decodeImage(bytes);
 * const template = extractTemplate(image, { dpi: 500 });
 * ```
 */
export function extractTemplate(image: RasterImage, options: ExtractOptions): FingerprintTemplate {
  if (options === null || typeof options !== 'object') {
    throw new FingerprintError('fingerprint/bad-dpi', 'options with a dpi are required');
  }
  return runExtraction(image, options).template;
}
