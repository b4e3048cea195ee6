import type { Box, Point } from './geometry.js';
import { nonMaxSuppression } from './geometry.js';

/** A face found by a detector, in the coordinates of the image given to it. */
export interface RawDetection {
  box: Box;
  score: number;
  /** Five points (image-left eye, image-right eye, nose, image-left mouth corner, image-right mouth corner), when the detector gives them. */
  landmarks5?: Point[];
}

/** Size of the YuNet input for an image: longest side `target`, both sides padded up to a multiple of 32. @internal */
export function yunetInputGeometry(
  width: number,
  height: number,
  target: number,
): { scale: number; resizedWidth: number; resizedHeight: number; paddedWidth: number; paddedHeight: number } {
  const scale = target / Math.max(width, height);
  const resizedWidth = Math.max(1, Math.round(width * scale));
  const resizedHeight = Math.max(1, Math.round(height * scale));
  const pad = (v: number) => Math.max(32, Math.ceil(v / 32) * 32);
  return { scale, resizedWidth, resizedHeight, paddedWidth: pad(resizedWidth), paddedHeight: pad(resizedHeight) };
}

/**
 * Decode YuNet's anchor-free outputs: per stride s and grid cell (row r, column c),
 * score = √(cls·obj), centre = (cell + offset)·s, size = exp(·)·s, landmarks = (cell + offset)·s.
 * Coordinates are divided by `scale` to return to the original image.
 * @internal
 */
export function decodeYunet(
  outputs: Readonly<Record<string, ArrayLike<number>>>,
  geometry: { paddedWidth: number; paddedHeight: number; scale: number },
  options: { strides: readonly number[]; scoreThreshold: number; nmsIou: number },
): RawDetection[] {
  const found: RawDetection[] = [];
  const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
  for (const s of options.strides) {
    const cls = outputs[`cls_${s}`];
    const obj = outputs[`obj_${s}`];
    const bbox = outputs[`bbox_${s}`];
    const kps = outputs[`kps_${s}`];
    if (!cls || !obj || !bbox || !kps) continue;
    const cols = Math.floor(geometry.paddedWidth / s);
    const rows = Math.floor(geometry.paddedHeight / s);
    const n = Math.min(rows * cols, cls.length);
    for (let i = 0; i < n; i++) {
      const score = Math.sqrt(clamp01(cls[i] ?? 0) * clamp01(obj[i] ?? 0));
      // Written so that NaN scores are skipped too.
      if (!(score >= options.scoreThreshold)) continue;
      const r = Math.floor(i / cols);
      const c = i % cols;
      const cx = (c + (bbox[i * 4] ?? 0)) * s;
      const cy = (r + (bbox[i * 4 + 1] ?? 0)) * s;
      const w = Math.exp(bbox[i * 4 + 2] ?? 0) * s;
      const h = Math.exp(bbox[i * 4 + 3] ?? 0) * s;
      const k = geometry.scale;
      const landmarks5: Point[] = [];
      for (let j = 0; j < 5; j++) {
        landmarks5.push({
          x: ((c + (kps[i * 10 + 2 * j] ?? 0)) * s) / k,
          y: ((r + (kps[i * 10 + 2 * j + 1] ?? 0)) * s) / k,
        });
      }
      const box = { x: (cx - w / 2) / k, y: (cy - h / 2) / k, width: w / k, height: h / k };
      const finite = [box.x, box.y, box.width, box.height, ...landmarks5.flatMap((p) => [p.x, p.y])].every(
        Number.isFinite,
      );
      if (finite && box.width > 0 && box.height > 0) found.push({ box, score, landmarks5 });
    }
  }
  return nonMaxSuppression(found, options.nmsIou);
}

/**
 * Decode UltraFace outputs: `scores` [N, 2] (background, face) and `boxes` [N, 4] corner boxes
 * normalised to [0, 1]; scaled to the original image size.
 * @internal
 */
export function decodeUltraface(
  scores: ArrayLike<number>,
  boxes: ArrayLike<number>,
  imageWidth: number,
  imageHeight: number,
  options: { scoreThreshold: number; nmsIou: number; squareOnHeight: boolean },
): RawDetection[] {
  const n = Math.floor(scores.length / 2);
  const found: RawDetection[] = [];
  for (let i = 0; i < n; i++) {
    const score = scores[i * 2 + 1] ?? 0;
    if (!(score >= options.scoreThreshold)) continue;
    const x1 = (boxes[i * 4] ?? 0) * imageWidth;
    const y1 = (boxes[i * 4 + 1] ?? 0) * imageHeight;
    const x2 = (boxes[i * 4 + 2] ?? 0) * imageWidth;
    const y2 = (boxes[i * 4 + 3] ?? 0) * imageHeight;
    if (!(x2 > x1 && y2 > y1) || ![x1, y1, x2, y2].every(Number.isFinite)) continue;
    found.push({ box: { x: x1, y: y1, width: x2 - x1, height: y2 - y1 }, score });
  }
  const kept = nonMaxSuppression(found, options.nmsIou);
  if (!options.squareOnHeight) return kept;
  return kept.map((d) => {
    const side = d.box.height;
    const cx = d.box.x + d.box.width / 2;
    return { ...d, box: { x: cx - side / 2, y: d.box.y, width: side, height: side } };
  });
}

/**
 * Five alignment points from 68 iBUG points: eye centres (mean of the 4 lid points each),
 * nose tip (30), mouth corners (mean of outer and inner corner: 48/60 and 54/64).
 * @internal
 */
export function landmarks68To5(p: readonly Point[]): Point[] {
  const at = (i: number): Point => p[i] ?? { x: 0, y: 0 };
  const mean = (...idx: number[]): Point => ({
    x: idx.reduce((s, i) => s + at(i).x, 0) / idx.length,
    y: idx.reduce((s, i) => s + at(i).y, 0) / idx.length,
  });
  return [mean(37, 38, 40, 41), mean(43, 44, 46, 47), at(30), mean(48, 60), mean(54, 64)];
}

/** Map the 68-point net's [0, 1] outputs back to image pixels of a crop box. @internal */
export function decodeLandmarks68(output: ArrayLike<number>, crop: Box): Point[] {
  const pts: Point[] = [];
  for (let i = 0; i + 1 < output.length && pts.length < 68; i += 2) {
    pts.push({ x: crop.x + (output[i] ?? 0) * crop.width, y: crop.y + (output[i + 1] ?? 0) * crop.height });
  }
  return pts;
}

/**
 * Silent-Face crop rule: the box enlarged `scale` times around its centre, the scale reduced
 * so the crop fits the image, then shifted inside the image.
 * @internal
 */
export function enlargedBox(box: Box, scale: number, imageWidth: number, imageHeight: number): Box {
  const s = Math.max(0.01, Math.min((imageHeight - 1) / box.height, (imageWidth - 1) / box.width, scale));
  const w = box.width * s;
  const h = box.height * s;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  let x1 = cx - w / 2;
  let y1 = cy - h / 2;
  let x2 = cx + w / 2;
  let y2 = cy + h / 2;
  if (x1 < 0) {
    x2 -= x1;
    x1 = 0;
  }
  if (y1 < 0) {
    y2 -= y1;
    y1 = 0;
  }
  if (x2 > imageWidth - 1) {
    x1 -= x2 - imageWidth + 1;
    x2 = imageWidth - 1;
  }
  if (y2 > imageHeight - 1) {
    y1 -= y2 - imageHeight + 1;
    y2 = imageHeight - 1;
  }
  return { x: Math.max(0, x1), y: Math.max(0, y1), width: x2 - Math.max(0, x1), height: y2 - Math.max(0, y1) };
}
