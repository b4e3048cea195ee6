import { deconvolveGaussian, type RasterImage, resize, toGrey, unsharpMask } from '@smart-citizen/image';
import { FingerprintError } from './errors.js';
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
   * Width (standard deviation, millimetres on the card) of the camera blur that
   * Richardson–Lucy deconvolution undoes on the crop before it is resampled (20 iterations). A
   * phone photo of a card at 9–13 px/mm leaves a ridge period of 4–6 pixels, and a blur of about
   * one pixel takes two thirds of the ridge contrast. 0 turns it off.
   * @default 1/12 (one pixel at 12 px/mm)
   */
  deblur?: number;
  /**
   * Strength of the unsharp mask applied at 500 dpi (the image plus this many times its
   * difference from a 5 × 5 mean). A photographed card print is blurred twice (the camera, then
   * the upsampling from 12 px/mm); sharpening gives back ridge contrast. 0 turns it off.
   * @default 2
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
 * Prepare the ink fingerprint cut from the back of an ID card for extraction: undo the camera's
 * blur on the crop (Richardson–Lucy deconvolution, `deblur`), resample to 500 dpi, then measure
 * the ridge period and, when it falls outside the adult range (7.5–11 pixels), rescale so that
 * it becomes typical (9): a print that was not reproduced life size still lands near the live
 * scan's scale. Last, an unsharp mask (`sharpen`) gives back the ridge contrast that the
 * upsampling took. The extractor's oriented Gabor filter does the descreening; a blur before it
 * cost accuracy.
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
  const deblur = options.deblur ?? DEFAULT_DEBLUR_MM;
  if (typeof deblur !== 'number' || !Number.isFinite(deblur) || deblur < 0 || deblur * pxPerMm > 5) {
    throw new RangeError(`deblur must be 0 or a width in millimetres up to 5 pixels, got ${String(deblur)}`);
  }
  // Below 0.3 pixels there is nothing to undo.
  const g =
    deblur * pxPerMm >= 0.3
      ? deconvolveGaussian(image, { sigma: deblur * pxPerMm, iterations: DEBLUR_ITERATIONS })
      : toGrey(image);
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
  const sharpen = options.sharpen ?? DEFAULT_SHARPEN;
  // A 5 × 5 mean (radius 2): 3 × 3 and 7 × 7 did worse (session 9).
  const image500 = sharpen > 0 ? unsharpMask(out, 2, sharpen) : out;
  return { image: image500, scale, measuredPeriod, periodCorrected };
}

/**
 * Deblur and sharpen were tuned together on the tuning half of `pnpm bench fingerprint-card`
 * (generated card backs, EER level 1 / level 2): sharpen 3 alone 5.9 / 13.1%; Richardson–Lucy
 * σ 1 px, 10 iterations, then sharpen 1 / 1.5 / 2 / 3: 6.3 / 12.1, 6.6 / 10.5, 5.9 / 9.6,
 * 6.3 / 8.7; 20 iterations, sharpen 0 / 1.5 / 2 / 3: 6.2 / 12.6, 5.6 / 8.2, 5.1 / 8.0,
 * 4.6 / 9.4; 30 iterations, sharpen 1.5: 5.0 / 8.2; σ 0.8 / 0.9 / 1.3 px did no better. (Without
 * deblurring, sharpen 0 / 1 / 3 / 5 measured 10.6 / 9.0 / 5.7 / 7.6% at level 1 in session 9.)
 */
const DEFAULT_SHARPEN = 2;
const DEFAULT_DEBLUR_MM = 1 / 12;
const DEBLUR_ITERATIONS = 20;

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
