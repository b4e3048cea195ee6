import { type Issue, issue } from '@smart-citizen/core';
import type { RasterImage } from '@smart-citizen/image';
import type { Box, Point } from './geometry.js';
import { distance } from './geometry.js';
import { estimatePose, eyesAspectRatio } from './pose.js';

/**
 * What kind of image a face comes from; each has its own quality limits and match threshold.
 * `chip-portrait` is the DG2 image of an ICAO 9303 chip (ISO/IEC 19794-5 full frontal, usually
 * JPEG 2000 at 15–20 KB): a frontal photo, softened by the compression, not a printed card portrait.
 */
export type ReferenceType = 'photo' | 'id-card-portrait' | 'chip-portrait';

/** Limits of the quality gate. */
export interface QualityLimits {
  /** Smallest inter-ocular distance in source pixels. */
  minInterOcular: number;
  /** Smallest Laplacian variance of the aligned 112×112 grey crop. */
  minSharpness: number;
  /** Mean grey of the face pixels (see {@link facePixelMask}) must lie in this range. */
  exposure: readonly [number, number];
  /** Largest share of the face pixels that may be clipped (≤ 5 or ≥ 250). */
  maxClipped: number;
  /** Largest |yaw| in degrees. */
  maxYaw: number;
  /** Largest |pitch| in degrees. */
  maxPitch: number;
  /** Smallest mean eye aspect ratio (eyes open). */
  minEyeAspectRatio: number;
  /** Largest share of the face (see {@link faceExtentFromLandmarks}) that may lie outside the image. */
  maxOutside: number;
}

/**
 * Default limits per reference type. Size: ISO/IEC 19794-5 asks for ≥ 60 px between the eyes
 * for enrolment; 24 px is kept as the floor for a camera frame. Sharpness: sharp deepface
 * faces give 500–4500 on the aligned 112×112 crop, a 3×3 box blur of the crop 85–240, a 5×5
 * blur 25–70; the photo floor (50) rejects the latter. Card portraits are small and soft
 * (the same faces shrunk to 14 px between the eyes give 54–127), so they get a floor of 15.
 */
export const defaultQualityLimits: Readonly<Record<ReferenceType, QualityLimits>> = {
  photo: {
    minInterOcular: 24,
    minSharpness: 50,
    exposure: [50, 215],
    maxClipped: 0.25,
    maxYaw: 30,
    maxPitch: 25,
    minEyeAspectRatio: 0.12,
    maxOutside: 0.1,
  },
  // ISO/IEC 19794-5 asks for ≥ 90 px between the eyes on a full frontal image; chips of other
  // states store smaller ones, so 30 is the floor. JPEG 2000 at chip sizes smooths the wavelet
  // detail away (lower Laplacian variance than a photo), hence the lower sharpness floor; the pose
  // limits are those of a frontal enrolment image.
  'chip-portrait': {
    minInterOcular: 30,
    minSharpness: 20,
    exposure: [40, 225],
    maxClipped: 0.25,
    maxYaw: 20,
    maxPitch: 20,
    minEyeAspectRatio: 0.12,
    maxOutside: 0.1,
  },
  'id-card-portrait': {
    minInterOcular: 14,
    minSharpness: 15,
    exposure: [40, 225],
    maxClipped: 0.3,
    maxYaw: 20,
    maxPitch: 20,
    minEyeAspectRatio: 0.12,
    maxOutside: 0.1,
  },
};

/** Measurements of one face and the verdict of the quality gate. */
export interface FaceQuality {
  /** True when no issue of severity `error` was raised. */
  passed: boolean;
  /** Inter-ocular distance in source pixels. */
  interOcular: number;
  /** Laplacian variance of the aligned grey crop (higher = sharper). */
  sharpness: number;
  /** Mean grey (0–255) of the face pixels of the aligned crop (see {@link facePixelMask}). */
  brightness: number;
  /** Share of clipped pixels (≤ 5 or ≥ 250) among the face pixels. */
  clipped: number;
  /** Share of the aligned crop measured as face pixels (1 when no geometry was given). */
  faceArea: number;
  yaw: number;
  pitch: number;
  roll: number;
  /** Mean eye aspect ratio from the 68 points. */
  eyeAspectRatio: number;
  /** Share of the face (as its five points place it, else the box) outside the image. */
  outside: number;
  issues: Issue[];
}

/** Grey values of an image (BT.601), as floats. @internal */
export function greyValues(img: RasterImage): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  const d = img.data;
  const c = img.channels;
  for (let i = 0; i < n; i++) {
    const j = i * c;
    out[i] = c === 1 ? (d[j] ?? 0) : 0.299 * (d[j] ?? 0) + 0.587 * (d[j + 1] ?? 0) + 0.114 * (d[j + 2] ?? 0);
  }
  return out;
}

/** Variance of the 4-neighbour Laplacian over the interior of a grey plane (a blur measure). */
export function laplacianVariance(grey: ArrayLike<number>, width: number, height: number): number {
  let sum = 0;
  let sum2 = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const v =
        (grey[i - 1] ?? 0) + (grey[i + 1] ?? 0) + (grey[i - width] ?? 0) + (grey[i + width] ?? 0) - 4 * (grey[i] ?? 0);
      sum += v;
      sum2 += v * v;
      n++;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return sum2 / n - mean * mean;
}

/** Share of a box outside an image of the given size. @internal */
export function outsideShare(box: Box, width: number, height: number): number {
  const area = box.width * box.height;
  if (area <= 0) return 1;
  const ix = Math.max(0, Math.min(box.x + box.width, width) - Math.max(box.x, 0));
  const iy = Math.max(0, Math.min(box.y + box.height, height) - Math.max(box.y, 0));
  return 1 - (ix * iy) / area;
}

/**
 * The whole face as the five points predict it: from the outer points 0.6 inter-ocular
 * distances sideways, 0.8 above the eyes and 0.7 below the mouth. Detectors clip their box to
 * the frame, so a face cut by the frame shows here rather than in the detector's box.
 * @internal
 */
export function faceExtentFromLandmarks(p: readonly Point[]): Box | undefined {
  const [le, re, , lm, rm] = p;
  if (!le || !re || !lm || !rm) return undefined;
  const iod = distance(le, re);
  const xs = p.map((q) => q.x);
  const x1 = Math.min(...xs) - 0.6 * iod;
  const x2 = Math.max(...xs) + 0.6 * iod;
  const y1 = Math.min(le.y, re.y) - 0.8 * iod;
  const y2 = Math.max(lm.y, rm.y) + 0.7 * iod;
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

/** How an aligned crop relates to its source: where the five points land, and the transform. */
export interface AlignedFaceGeometry {
  /** The five points' positions in the aligned crop (the embedder's template). */
  template: readonly (readonly [number, number])[];
  /**
   * Source → aligned transform `[a, b, c, d, e, f]` (`x' = a·x + b·y + c`, `y' = d·x + e·y + f`),
   * e.g. `estimateSimilarity(landmarks5, template)`.
   */
  toAligned: readonly number[];
}

/**
 * The pixels of an aligned crop that show the face: inside an ellipse over the inner face
 * (brows to chin, cheek to cheek, from the template's eyes and mouth corners) and mapping to
 * a point inside the source image. Alignment pads what lies outside the source with a
 * constant; a tightly cropped face (a face filling a 150-px image, a citizen close to the
 * camera) would otherwise count that padding as black, clipped pixels, and hair or
 * background as face.
 *
 * @param width - Aligned crop width.
 * @param height - Aligned crop height.
 * @param geometry - Template and transform of the crop.
 * @param imageWidth - Source width.
 * @param imageHeight - Source height.
 * @returns One byte per aligned pixel, 1 for face pixels.
 */
export function facePixelMask(
  width: number,
  height: number,
  geometry: AlignedFaceGeometry,
  imageWidth: number,
  imageHeight: number,
): Uint8Array {
  const mask = new Uint8Array(width * height);
  const [le, re, , lm, rm] = geometry.template;
  const [a = 1, b = 0, c = 0, d = 0, e = 1, f = 0] = geometry.toAligned;
  const det = a * e - b * d;
  if (!le || !re || !lm || !rm || !Number.isFinite(det) || Math.abs(det) < 1e-12) return mask;
  const iod = Math.hypot(re[0] - le[0], re[1] - le[1]);
  const cx = (le[0] + re[0] + lm[0] + rm[0]) / 4;
  const top = Math.min(le[1], re[1]) - 0.5 * iod;
  const bottom = Math.max(lm[1], rm[1]) + 0.3 * iod;
  const cy = (top + bottom) / 2;
  const ry = (bottom - top) / 2;
  const rx = 0.8 * iod;
  for (let v = 0; v < height; v++) {
    const dy = (v + 0.5 - cy) / ry;
    for (let u = 0; u < width; u++) {
      const dx = (u + 0.5 - cx) / rx;
      if (dx * dx + dy * dy > 1) continue;
      // Inverse of the 2×3 transform: the source point this aligned pixel was sampled from.
      const su = u - c;
      const sv = v - f;
      const x = (e * su - b * sv) / det;
      const y = (a * sv - d * su) / det;
      if (x >= 0 && y >= 0 && x <= imageWidth - 1 && y <= imageHeight - 1) mask[v * width + u] = 1;
    }
  }
  return mask;
}

/**
 * Run the quality gate on one face.
 * @param input - The face's box, points and aligned crop, and the source size.
 * @param limits - Limits to apply.
 * @returns Measurements and issues (`face/too-small`, `face/blurry`, `face/too-dark`,
 *   `face/too-bright`, `face/pose-yaw`, `face/pose-pitch`, `face/eyes-not-visible`, `face/cut-off`).
 */
export function assessQuality(
  input: {
    box: Box;
    landmarks5: readonly Point[];
    landmarks68: readonly Point[];
    aligned: RasterImage;
    imageWidth: number;
    imageHeight: number;
    /** Zero of the pitch estimate (see `estimatePose`). @default 0.49 */
    neutralNoseRatio?: number;
    /**
     * Where the face lies in `aligned`: exposure is then measured on face pixels only
     * ({@link facePixelMask}). Without it the whole crop is measured, padding included.
     */
    geometry?: AlignedFaceGeometry;
  },
  limits: QualityLimits,
): FaceQuality {
  const issues: Issue[] = [];
  const [le, re] = input.landmarks5;
  const interOcular = le && re ? distance(le, re) : 0;
  const grey = greyValues(input.aligned);
  const sharpness = laplacianVariance(grey, input.aligned.width, input.aligned.height);
  const { width: aw, height: ah } = input.aligned;
  const mask = input.geometry
    ? facePixelMask(aw, ah, input.geometry, input.imageWidth, input.imageHeight)
    : new Uint8Array(grey.length).fill(1);
  let sum = 0;
  let clippedCount = 0;
  let n = 0;
  for (let i = 0; i < grey.length; i++) {
    if (!mask[i]) continue;
    const v = grey[i] ?? 0;
    sum += v;
    n++;
    if (v <= 5 || v >= 250) clippedCount++;
  }
  // No face pixel inside the image: nothing to measure, the cut-off check speaks for it.
  const brightness = n ? sum / n : 0;
  const clipped = n ? clippedCount / n : 1;
  const faceArea = grey.length ? n / grey.length : 0;
  const { yaw, pitch, roll } = estimatePose(input.landmarks5, input.neutralNoseRatio);
  const ear = input.landmarks68.length >= 48 ? eyesAspectRatio(input.landmarks68) : Number.NaN;
  // The face as its points place it: detector boxes differ (some clip to the frame, some are
  // squares with a margin that leaves the frame of a tightly cropped face), so the box only
  // counts when there are no points.
  const extent = faceExtentFromLandmarks(input.landmarks5);
  const outside = outsideShare(extent ?? input.box, input.imageWidth, input.imageHeight);
  const r = (v: number) => Math.round(v * 100) / 100;

  if (interOcular < limits.minInterOcular)
    issues.push(issue('face/too-small', 'error', `eyes are ${r(interOcular)} px apart, need ${limits.minInterOcular}`));
  if (sharpness < limits.minSharpness)
    issues.push(issue('face/blurry', 'error', `sharpness ${r(sharpness)} is below ${limits.minSharpness}`));
  if (brightness < (limits.exposure[0] ?? 0) || (clipped > limits.maxClipped && brightness < 128))
    issues.push(issue('face/too-dark', 'error', `face brightness ${r(brightness)} is too low`));
  if (brightness > (limits.exposure[1] ?? 255) || (clipped > limits.maxClipped && brightness >= 128))
    issues.push(issue('face/too-bright', 'error', `face brightness ${r(brightness)} is too high`));
  if (Math.abs(yaw) > limits.maxYaw)
    issues.push(issue('face/pose-yaw', 'error', `head turned ${r(yaw)}°, limit ±${limits.maxYaw}°`));
  if (Math.abs(pitch) > limits.maxPitch)
    issues.push(issue('face/pose-pitch', 'error', `head tilted ${r(pitch)}°, limit ±${limits.maxPitch}°`));
  const eyesInside =
    !!le && !!re && [le, re].every((p) => p.x >= 0 && p.y >= 0 && p.x < input.imageWidth && p.y < input.imageHeight);
  if (!eyesInside || (Number.isFinite(ear) && ear < limits.minEyeAspectRatio))
    issues.push(issue('face/eyes-not-visible', 'error', 'both eyes must be open and visible'));
  if (outside > limits.maxOutside)
    issues.push(issue('face/cut-off', 'error', `${Math.round(outside * 100)}% of the face is outside the image`));

  return {
    passed: !issues.some((i) => i.severity === 'error'),
    interOcular,
    sharpness,
    brightness,
    clipped,
    faceArea,
    yaw,
    pitch,
    roll,
    eyeAspectRatio: ear,
    outside,
    issues,
  };
}
