import { createRng, type Rng } from '@smart-citizen/core';
import type { RasterImage } from '@smart-citizen/image';
import { boxFilter } from '../extract/boxFilter.js';
import { enhanceAndBinarise } from '../extract/enhance.js';
import { BLOCK, type PeriodMap, type RidgeFields, type Segmentation } from '../extract/fields.js';
import { findMinutiae } from '../extract/minutiae.js';
import { thin } from '../extract/thin.js';
import type { Minutia } from '../types.js';

/** Pattern class of a synthetic finger, from its singular points. */
export type FingerClass = 'left-loop' | 'right-loop' | 'whorl' | 'arch';

/** A synthetic master fingerprint: the whole ridge pattern of one finger at 500 dpi. */
export interface SyntheticFinger {
  seed: number;
  class: FingerClass;
  width: number;
  height: number;
  /** 1 on ridges, inside the finger's elliptical outline. */
  ridges: Uint8Array;
  /** Outline of the finger: 1 inside. */
  mask: Uint8Array;
  /** Mean ridge period in pixels. */
  period: number;
  /** Ground-truth minutiae of the master (template convention: y down, ISO angles). */
  minutiae: Minutia[];
}

/** Options of {@link generateFinger}. */
export interface FingerOptions {
  class?: FingerClass;
  /** Size of the master at 500 dpi. @default 320 × 400 */
  width?: number;
  height?: number;
}

/** Options of {@link renderImpression}; each unset value is drawn from the seed. */
export interface ImpressionOptions {
  /** Rotation in radians. @default ±0.35 */
  rotation?: number;
  /** Translation in pixels. @default ±25 each */
  dx?: number;
  dy?: number;
  /** Strength of the elastic distortion in pixels at the edge of contact. @default 0–8 */
  distortion?: number;
  /** Share of the finger in contact, 0.4–1 (partial contact). @default 0.65–1 */
  contact?: number;
  /** Skin condition. @default drawn: 60% normal, 20% dry, 20% wet */
  skin?: 'normal' | 'dry' | 'wet';
  /** Standard deviation of the sensor noise, grey levels. @default 4–14 */
  noise?: number;
}

/** One rendered impression and its ground truth. */
export interface SyntheticImpression {
  /** Grey image at 500 dpi, dark ridges on a light background. */
  image: RasterImage;
  /** The master's minutiae moved as the impression moved them, inside the contact area. */
  minutiae: Minutia[];
  /** What was applied. */
  applied: Required<ImpressionOptions>;
}

interface Singular {
  x: number;
  y: number;
}

/** Ridge orientation (doubled-angle vector) of the zero-pole model at (x, y). */
function orientationAt(x: number, y: number, cores: Singular[], deltas: Singular[], base: number): [number, number] {
  let a = 2 * base;
  for (const c of cores) a += Math.atan2(y - c.y, x - c.x);
  for (const d of deltas) a -= Math.atan2(y - d.y, x - d.x);
  return [Math.cos(a), Math.sin(a)];
}

function singularPoints(cls: FingerClass, w: number, h: number, rng: Rng): { cores: Singular[]; deltas: Singular[] } {
  const j = (s: number) => (rng.next() - 0.5) * s;
  const cx = w / 2 + j(40);
  const cy = h * 0.42 + j(40);
  switch (cls) {
    case 'left-loop':
      return { cores: [{ x: cx, y: cy }], deltas: [{ x: cx + 90 + j(30), y: cy + 130 + j(30) }] };
    case 'right-loop':
      return { cores: [{ x: cx, y: cy }], deltas: [{ x: cx - 90 + j(30), y: cy + 130 + j(30) }] };
    case 'whorl':
      return {
        cores: [
          { x: cx - 12 + j(8), y: cy - 15 + j(8) },
          { x: cx + 12 + j(8), y: cy + 15 + j(8) },
        ],
        deltas: [
          { x: cx - 120 + j(30), y: cy + 140 + j(30) },
          { x: cx + 120 + j(30), y: cy + 140 + j(30) },
        ],
      };
    default:
      // A plain arch: a core and a delta close together below the print bend the ridges.
      return { cores: [{ x: cx, y: h + 60 + j(40) }], deltas: [{ x: cx + j(20), y: h + 110 + j(40) }] };
  }
}

/**
 * A synthetic master fingerprint in the manner of SFinGe: an orientation field from singular
 * points (Sherlock–Monro zero-pole model), a ridge period, and ridges grown from random seeds
 * by iterating the extractor's oriented Gabor filter and binarising; minutiae emerge where
 * the grown ridges meet or stop. Its ground-truth minutiae are read off the noiseless master.
 * Deterministic for a seed.
 */
export function generateFinger(seed: number, options: FingerOptions = {}): SyntheticFinger {
  // Mixed so that neighbouring seeds start far apart in the generator's sequence.
  const rng = createRng(Math.imul(seed, 0x9e3779b1) ^ 0x2545f491);
  const width = options.width ?? 320;
  const height = options.height ?? 400;
  const classes: FingerClass[] = ['left-loop', 'right-loop', 'whorl', 'arch'];
  const cls = options.class ?? (classes[Math.floor(rng.next() * 4)] as FingerClass);
  const { cores, deltas } = singularPoints(cls, width, height, rng);
  const base = (rng.next() - 0.5) * 0.3;
  const period = 8 + rng.next() * 2.5;
  const hw = (width + 1) >> 1;
  const hh = (height + 1) >> 1;
  const cos2 = new Float32Array(hw * hh);
  const sin2 = new Float32Array(hw * hh);
  for (let y = 0; y < hh; y++) {
    for (let x = 0; x < hw; x++) {
      const [c, s] = orientationAt(2 * x, 2 * y, cores, deltas, base);
      cos2[y * hw + x] = c;
      sin2[y * hw + x] = s;
    }
  }
  // Finger outline: an ellipse, flatter at the bottom.
  const mask = new Uint8Array(width * height);
  const ex = width * 0.46;
  const ey = height * 0.47;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = (x - width / 2) / ex;
      const v = (y - height / 2) / (y > height / 2 ? ey * 1.15 : ey);
      if (u * u + v * v <= 1) mask[y * width + x] = 1;
    }
  }
  const bw = Math.ceil(width / BLOCK);
  const bh = Math.ceil(height / BLOCK);
  const seg: Segmentation = {
    bw,
    bh,
    blocks: new Uint8Array(bw * bh).fill(1),
    mask: new Uint8Array(width * height).fill(1),
    area: 1,
  };
  const step = 16;
  const gw = Math.ceil(width / step);
  const gh = Math.ceil(height / step);
  const periodField = new Float32Array(gw * gh);
  for (let i = 0; i < periodField.length; i++) periodField[i] = period * (0.95 + rng.next() * 0.1);
  const periods: PeriodMap = { step, gw, gh, period: periodField, median: period, validShare: 1 };
  // Seeds: sparse random dots on a flat field; each pass filters and binarises.
  const norm = new Float32Array(width * height);
  for (let i = 0; i < norm.length; i++) norm[i] = rng.next() < 0.02 ? -2 : 0.1 * (rng.next() - 0.5);
  const fields: RidgeFields = {
    width,
    height,
    hw,
    hh,
    norm,
    cos2,
    sin2,
    coherence: new Float32Array(hw * hh).fill(1),
    spread: new Float32Array(hw * hh).fill(50),
  };
  let ridges: Uint8Array = new Uint8Array(width * height);
  for (let pass = 0; pass < 10; pass++) {
    ridges = enhanceAndBinarise(fields, seg, periods);
    for (let i = 0; i < norm.length; i++) norm[i] = ridges[i] ? -1 : 1;
  }
  for (let i = 0; i < ridges.length; i++) if (!mask[i]) ridges[i] = 0;
  // Ground truth from the master's skeleton, with the extractor's clean-up (the master has no
  // noise, so what it removes are outline effects).
  const skeleton = Uint8Array.from(ridges);
  thin(skeleton, width, height);
  const truthFields: RidgeFields = { ...fields, coherence: new Float32Array(hw * hh).fill(1) };
  const raw = findMinutiae(skeleton, truthFields, mask);
  const minutiae: Minutia[] = raw.map((m) => ({
    x: Math.round(m.x),
    y: Math.round(m.y),
    angle: (2 * Math.PI - m.angle) % (2 * Math.PI),
    type: m.type,
    quality: 100,
  }));
  return { seed, class: cls, width, height, ridges, mask, period, minutiae };
}

/**
 * One impression of a synthetic finger: rotation and translation, an elastic distortion that
 * grows away from the centre of contact, partial contact (an ellipse of contact inside the
 * finger), dry skin (broken, thinner ridges) or wet skin (thick, merging ridges), blur and
 * sensor noise. The ground-truth minutiae move with the pixels.
 */
export function renderImpression(
  finger: SyntheticFinger,
  seed: number,
  options: ImpressionOptions = {},
): SyntheticImpression {
  const rng = createRng(seed ^ 0x5bd1e995);
  const skinRoll = rng.next();
  const applied: Required<ImpressionOptions> = {
    rotation: options.rotation ?? (rng.next() - 0.5) * 0.7,
    dx: options.dx ?? (rng.next() - 0.5) * 50,
    dy: options.dy ?? (rng.next() - 0.5) * 50,
    distortion: options.distortion ?? rng.next() * 8,
    contact: options.contact ?? 0.65 + rng.next() * 0.35,
    skin: options.skin ?? (skinRoll < 0.6 ? 'normal' : skinRoll < 0.8 ? 'dry' : 'wet'),
    noise: options.noise ?? 4 + rng.next() * 10,
  };
  const { width, height } = finger;
  const cx = width / 2;
  const cy = height / 2;
  // Contact ellipse centre and radii (in master coordinates).
  const ccx = cx + (rng.next() - 0.5) * width * (1 - applied.contact);
  const ccy = cy + (rng.next() - 0.5) * height * (1 - applied.contact);
  const rx = width * 0.46 * applied.contact;
  const ry = height * 0.5 * applied.contact;
  const dirA = rng.next() * 2 * Math.PI;
  const cos = Math.cos(applied.rotation);
  const sin = Math.sin(applied.rotation);
  // Image point → master point: undo rotation/translation, then the distortion (a smooth field
  // that grows with the squared distance from the contact centre).
  const toMaster = (px: number, py: number): [number, number] => {
    const ux = px - cx - applied.dx;
    const uy = py - cy - applied.dy;
    let mx = cos * ux + sin * uy + cx;
    let my = -sin * ux + cos * uy + cy;
    const r2 = ((mx - ccx) / rx) ** 2 + ((my - ccy) / ry) ** 2;
    const k = applied.distortion * Math.min(1.5, r2);
    mx += k * Math.cos(dirA + (my - ccy) / 90);
    my += k * Math.sin(dirA + (mx - ccx) / 90);
    return [mx, my];
  };
  const ridge = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [mx, my] = toMaster(x, y);
      const xi = Math.round(mx);
      const yi = Math.round(my);
      if (xi < 0 || yi < 0 || xi >= width || yi >= height) continue;
      const m = yi * width + xi;
      const inContact = ((mx - ccx) / rx) ** 2 + ((my - ccy) / ry) ** 2 <= 1;
      if (!inContact || !finger.mask[m]) continue;
      ridge[y * width + x] = finger.ridges[m] ? 1 : 0.08;
    }
  }
  // Skin: dry breaks and thins ridges, wet thickens them into each other.
  let ink = boxFilter(ridge, width, height, 1);
  if (applied.skin === 'dry') {
    const blot = new Float32Array(width * height);
    for (let i = 0; i < blot.length; i++) blot[i] = rng.next();
    const patches = boxFilter(boxFilter(blot, width, height, 3), width, height, 3);
    for (let i = 0; i < ink.length; i++) {
      const keep = (patches[i] as number) > 0.47 ? 1 : 0.25;
      ink[i] = Math.max(0, (ink[i] as number) - 0.2) * keep;
    }
  } else if (applied.skin === 'wet') {
    ink = boxFilter(ink, width, height, 2);
    for (let i = 0; i < ink.length; i++) ink[i] = Math.min(1, (ink[i] as number) * 1.6);
  }
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) {
    const v = 235 - 190 * (ink[i] as number) + rng.gauss() * applied.noise;
    data[i] = Math.max(0, Math.min(255, Math.round(v)));
  }
  // Ground truth: move each master minutia to the image (invert toMaster by fixed-point steps).
  const minutiae: Minutia[] = [];
  for (const m of finger.minutiae) {
    let px = cos * (m.x - cx) - sin * (m.y - cy) + cx + applied.dx;
    let py = sin * (m.x - cx) + cos * (m.y - cy) + cy + applied.dy;
    for (let it = 0; it < 8; it++) {
      const [qx, qy] = toMaster(px, py);
      const ex = m.x - qx;
      const ey = m.y - qy;
      px += cos * ex - sin * ey;
      py += sin * ex + cos * ey;
    }
    const inContact = ((m.x - ccx) / rx) ** 2 + ((m.y - ccy) / ry) ** 2 <= 1;
    if (!inContact || px < 0 || py < 0 || px >= width || py >= height) continue;
    // ISO angles are counter-clockwise with y up; the image rotation is clockwise in that sense.
    const angle = (((m.angle - applied.rotation) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
    minutiae.push({ ...m, x: Math.round(px), y: Math.round(py), angle });
  }
  return { image: { width, height, channels: 1, data }, minutiae, applied };
}
