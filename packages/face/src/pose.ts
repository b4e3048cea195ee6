import type { Point } from './geometry.js';

/**
 * Head pose estimated from the five points, in degrees. Yaw > 0 when the nose moves towards
 * the image's right (the person turns to their own left in an unmirrored camera image);
 * pitch > 0 when the nose moves down (head bowed). Roll is the angle of the eye line.
 *
 * The model is a face whose nose tip sits `depth` inter-ocular distances in front of the
 * eyes: the nose's offset from the eye midpoint (after undoing roll) is depth·tan(yaw) in
 * inter-ocular units; vertically, the nose sits at 0.49 of the way from the eye line to the
 * mouth line on a frontal face (0.49 in the ArcFace template; detectors place the points a
 * little differently, so profiles declare their own), and moves by depth·tan(pitch).
 * @param p - Five points: image-left eye, image-right eye, nose, image-left mouth, image-right mouth.
 * @param neutralNoseRatio - Nose position between eye line (0) and mouth line (1) at zero pitch. @default 0.49
 * @returns Yaw, pitch and roll in degrees.
 */
export function estimatePose(
  p: readonly Point[],
  neutralNoseRatio = 0.49,
): { yaw: number; pitch: number; roll: number } {
  const [le, re, nose, lm, rm] = p;
  if (!le || !re || !nose || !lm || !rm) return { yaw: 0, pitch: 0, roll: 0 };
  const roll = Math.atan2(re.y - le.y, re.x - le.x);
  const cos = Math.cos(-roll);
  const sin = Math.sin(-roll);
  const rot = (q: Point): Point => ({ x: q.x * cos - q.y * sin, y: q.x * sin + q.y * cos });
  const [a, b, n, m1, m2] = [rot(le), rot(re), rot(nose), rot(lm), rot(rm)];
  const iod = Math.max(1e-6, Math.hypot(b.x - a.x, b.y - a.y));
  const eyeMid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  const mouthMid = { x: (m1.x + m2.x) / 2, y: (m1.y + m2.y) / 2 };
  const depth = 0.55;
  const yaw = Math.atan((n.x - eyeMid.x) / iod / depth);
  const eyeToMouth = Math.max(1e-6, mouthMid.y - eyeMid.y);
  const t = (n.y - eyeMid.y) / eyeToMouth;
  const pitch = Math.atan(((t - neutralNoseRatio) * eyeToMouth) / iod / depth);
  const deg = 180 / Math.PI;
  return { yaw: yaw * deg, pitch: pitch * deg, roll: roll * deg };
}

/**
 * Eye aspect ratio (Soukupová & Čech 2016) from six iBUG points of one eye:
 * (|p2−p6| + |p3−p5|) / (2·|p1−p4|). About 0.25–0.35 open, below ~0.15 closed.
 */
export function eyeAspectRatio(eye: readonly Point[]): number {
  const [p1, p2, p3, p4, p5, p6] = eye;
  if (!p1 || !p2 || !p3 || !p4 || !p5 || !p6) return 0;
  const w = Math.hypot(p1.x - p4.x, p1.y - p4.y);
  if (w === 0) return 0;
  return (Math.hypot(p2.x - p6.x, p2.y - p6.y) + Math.hypot(p3.x - p5.x, p3.y - p5.y)) / (2 * w);
}

/** Mean eye aspect ratio of both eyes from 68 iBUG points (36–41 and 42–47). */
export function eyesAspectRatio(landmarks68: readonly Point[]): number {
  return (eyeAspectRatio(landmarks68.slice(36, 42)) + eyeAspectRatio(landmarks68.slice(42, 48))) / 2;
}
