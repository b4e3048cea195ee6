import { type RasterImage, resize, toGrey } from '@smart-citizen/image';
import { FingerprintError } from './errors.js';
import { boxFilter } from './extract/boxFilter.js';
import { computeRidgeFields, estimatePeriod, segment } from './extract/fields.js';
import { MIN_SIDE, checkImage, extractTemplate } from './extractTemplate.js';
import type { FingerprintTemplate } from './types.js';

/** Options of {@link preprocessCardPrint} and {@link extractCardPrint}. */
export interface CardPrintOptions {
  /**
   * Pixels per millimetre of the crop on the card (the idcard reader's rectified card is 12
   * px/mm, about 305 dpi). The print is assumed to be life size at this scale unless its ridge
   * period says otherwise.
   * @default 12
   */
  pxPerMm?: number;
  /**
   * Strength of the unsharp mask applied at 500 dpi (the image plus this many times its
   * difference from a 5 × 5 mean). A photographed card print is blurred twice (the camera, then
   * the upsampling from 12 px/mm); sharpening gives back ridge contrast. 0 turns it off.
   * @default 3
   */
  sharpen?: number;
}

/** Result of {@link preprocessCardPrint}. */
export interface CardPrint {
  /** Grey image at 500 dpi: pass it on with `{ dpi: 500 }`. */
  image: RasterImage;
  /** Scale applied to the crop (500 dpi / crop dpi, times the period correction). */
  scale: number;
  /** Median ridge period measured at the nominal scale, pixels at 500 dpi. */
  measuredPeriod: number;
  /** True when the period was outside the range of adult fingers and the scale was corrected. */
  periodCorrected: boolean;
}

/** Adult ridge periods at 500 dpi span about 7.5–11 pixels (0.38–0.56 mm); 9 is typical. */
const PERIOD_LOW = 7.5;
const PERIOD_HIGH = 11;
const PERIOD_TYPICAL = 9;

/**
 * Prepare the ink fingerprint cut from the back of an ID card for extraction: resample to 500
 * dpi, then measure the ridge period and, when it falls outside the adult range (7.5–11
 * pixels), rescale so that it becomes typical (9): a
 * print that was not reproduced life size still lands near the live scan's scale. Last, an
 * unsharp mask (`sharpen`) gives back the ridge contrast that the camera and the upsampling
 * took. The extractor's oriented Gabor filter does the descreening; a blur before it cost
 * accuracy.
 *
 * @param image - The print crop (grey, RGB or RGBA), dark ridges on a light background.
 * @param options - See {@link CardPrintOptions}.
 * @returns The image at 500 dpi and what was measured.
 * @throws FingerprintError `fingerprint/bad-image` (not an image, or too small to hold a
 *   print), `fingerprint/bad-dpi` (pxPerMm outside 4–48), `fingerprint/no-print`.
 */
export function preprocessCardPrint(image: RasterImage, options: CardPrintOptions = {}): CardPrint {
  const pxPerMm = options.pxPerMm ?? 12;
  if (typeof pxPerMm !== 'number' || !Number.isFinite(pxPerMm) || pxPerMm < 4 || pxPerMm > 48) {
    throw new FingerprintError('fingerprint/bad-dpi', `pxPerMm must be a number in 4–48, got ${String(pxPerMm)}`);
  }
  checkImage(image);
  if (image.width < 16 || image.height < 16) {
    throw new FingerprintError('fingerprint/bad-image', 'the print crop is smaller than 16×16 pixels');
  }
  const g = toGrey(image);
  // No contrast stretch and no smoothing: the extractor normalises contrast locally, clipping
  // the darkest and lightest 2% cost 5 points of EER on the tuning half, and at 12 px/mm a
  // ridge period is 5–6 pixels, so any blur costs more than the screen it removes (measured);
  // the extractor's oriented filter does the descreening.
  const nominal = 500 / (pxPerMm * 25.4);
  const at = (scale: number): RasterImage => {
    const width = Math.max(1, Math.round(g.width * scale));
    const height = Math.max(1, Math.round(g.height * scale));
    return resize(g, { width, height, method: scale < 1 ? 'area' : 'bilinear' });
  };
  let out = at(nominal);
  if (out.width < MIN_SIDE || out.height < MIN_SIDE) {
    throw new FingerprintError('fingerprint/bad-image', 'the print crop is too small for a fingerprint', {
      details: { width: image.width, height: image.height },
    });
  }
  const grey = new Float32Array(out.data.length);
  for (let i = 0; i < grey.length; i++) grey[i] = out.data[i] as number;
  const fields = computeRidgeFields(grey, out.width, out.height);
  const seg = segment(fields);
  if (seg.area * out.width * out.height < 60 * 60) {
    throw new FingerprintError('fingerprint/no-print', 'no ridge area was found in the print crop');
  }
  const measuredPeriod = estimatePeriod(fields, seg.mask).median;
  let scale = nominal;
  let periodCorrected = false;
  if (measuredPeriod < PERIOD_LOW || measuredPeriod > PERIOD_HIGH) {
    scale = nominal * Math.max(0.6, Math.min(1.6, PERIOD_TYPICAL / measuredPeriod));
    out = at(scale);
    periodCorrected = true;
  }
  return { image: unsharpMask(out, options.sharpen ?? DEFAULT_SHARPEN), scale, measuredPeriod, periodCorrected };
}

/**
 * Tuned on the tuning half of `pnpm bench fingerprint-card` (generated card backs, levels 1–2:
 * EER 10.6 / 18.1% without, 9.0 / 14.3% at 1, 5.7 / 12.5% at 3, 7.6 / 11.5% at 5 with the
 * 5 × 5 mean; 3 × 3 and 7 × 7 means did worse).
 */
const DEFAULT_SHARPEN = 3;

function unsharpMask(img: RasterImage, amount: number): RasterImage {
  if (!(amount > 0)) return img;
  const src = new Float32Array(img.data.length);
  for (let i = 0; i < src.length; i++) src[i] = img.data[i] as number;
  const mean = boxFilter(src, img.width, img.height, 2);
  const data = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = (src[i] as number) + amount * ((src[i] as number) - (mean[i] as number));
    data[i] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
  }
  return { width: img.width, height: img.height, channels: 1, data };
}

/**
 * {@link preprocessCardPrint} then {@link extractTemplate}: the template of a card's printed
 * fingerprint, to match against a live scan with `matchTemplates`.
 * @example
 * ```ts
 * const card = await reader.read(backPhoto);
 * const t = extractCardPrint(side.fingerprints.rightIndex.image); // 12 px/mm crops
 * matchTemplates(liveTemplate, t).match;
 * ```
 */
export function extractCardPrint(image: RasterImage, options: CardPrintOptions = {}): FingerprintTemplate {
  return extractTemplate(preprocessCardPrint(image, options).image, { dpi: 500 });
}
