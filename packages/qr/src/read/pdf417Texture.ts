/**
 * Find PDF417 symbols too small or blurred for the run-length search of `pdf417Locate.ts`
 * (under ~3 px per module the binarisation merges the start and stop patterns' one-module
 * bars) as regions of dense texture, and turn each upright for the engine, whose own PDF417
 * detector finds an upright symbol where it loses a turned one.
 *
 * 1. Gradients summed over blocks of the frame: blocks of high gradient energy (3×3-block
 *    mean) grouped into connected regions.
 * 2. Each region's axes from the fourth harmonic of its gradient angles (the edges across
 *    and between a PDF417's rows, and the card's edges, all reinforce it; the plain tensor's
 *    direction is pulled off by text and card edges); of the two axes, the row direction is
 *    the one with more gradient energy along it.
 * 3. The region is resampled with its rows along x, enlarged (see {@link uprightCrop}).
 * @internal
 */
import { type RasterImage, unsharpMask } from '@smart-citizen/image';

type Pt = { x: number; y: number };

/** A textured region: centre, row direction (unit), extents along and across the rows (frame pixels). */
export interface TextureRegion {
  cx: number;
  cy: number;
  /** Row direction (dominant gradient direction), unit vector. */
  ux: number;
  uy: number;
  /** Half extents along u and along v = (−uy, ux). */
  halfU: number;
  halfV: number;
  /** Summed gradient energy of the region (sorting). */
  energy: number;
}

/** Options of {@link findTextureRegions}. */
export interface TextureRegionOptions {
  /** Block side in pixels. @default 8 */
  block?: number;
  /** Regions returned at most. @default 3 */
  max?: number;
  /** A block is on when its energy is over this share of the strongest block's. @default 0.25 */
  share?: number;
}

/**
 * Regions of dense, oriented gradient texture (candidate PDF417 symbols), strongest first.
 *
 * @param grey - Grey frame.
 * @param options - {@link TextureRegionOptions}.
 */
export function findTextureRegions(grey: RasterImage, options: TextureRegionOptions = {}): TextureRegion[] {
  const block = options.block ?? 8;
  const { width: w, height: h, data } = grey;
  const bw = Math.floor(w / block);
  const bh = Math.floor(h / block);
  if (bw < 3 || bh < 3) return [];
  const jxx = new Float64Array(bw * bh);
  const jyy = new Float64Array(bw * bh);
  const jxy = new Float64Array(bw * bh);
  // Fourth harmonic of the gradient angle, weighted by |g|²: the two edge families of a
  // PDF417 (across the rows, between the rows) and the card's own edges reinforce each other.
  const c4 = new Float64Array(bw * bh);
  const s4 = new Float64Array(bw * bh);
  for (let y = 1; y < bh * block - 1 && y < h - 1; y++) {
    const by = Math.floor(y / block) * bw;
    const row = y * w;
    for (let x = 1; x < bw * block && x < w - 1; x++) {
      const i = row + x;
      const gx = (data[i + 1] as number) - (data[i - 1] as number);
      const gy = (data[i + w] as number) - (data[i - w] as number);
      const b = by + Math.floor(x / block);
      jxx[b] = (jxx[b] as number) + gx * gx;
      jyy[b] = (jyy[b] as number) + gy * gy;
      jxy[b] = (jxy[b] as number) + gx * gy;
      const g2 = gx * gx + gy * gy;
      if (g2 > 0) {
        const c2 = gx * gx - gy * gy;
        const s2 = 2 * gx * gy;
        c4[b] = (c4[b] as number) + (c2 * c2 - s2 * s2) / g2;
        s4[b] = (s4[b] as number) + (2 * c2 * s2) / g2;
      }
    }
  }
  // Energy smoothed over 3×3 blocks (a symbol's texture is continuous; a text stroke is not).
  const energy = new Float64Array(bw * bh);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let s = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = by + dy;
        if (yy < 0 || yy >= bh) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = bx + dx;
          if (xx < 0 || xx >= bw) continue;
          const k = yy * bw + xx;
          s += (jxx[k] as number) + (jyy[k] as number);
          n++;
        }
      }
      energy[by * bw + bx] = s / n;
    }
  }
  let top = 0;
  for (const e of energy) if (e > top) top = e;
  if (top <= 0) return [];
  const sorted = Float64Array.from(energy).sort();
  const median = sorted[sorted.length >> 1] as number;
  const threshold = Math.max(top * (options.share ?? 0.25), 4 * median);
  const label = new Int32Array(bw * bh).fill(-1);
  const regions: TextureRegion[] = [];
  const stack: number[] = [];
  const members: number[] = [];
  for (let i = 0; i < label.length; i++) {
    if ((energy[i] as number) <= threshold || (label[i] as number) >= 0) continue;
    members.length = 0;
    stack.push(i);
    label[i] = i;
    while (stack.length > 0) {
      const j = stack.pop() as number;
      members.push(j);
      const jx = j % bw;
      const jy = (j - jx) / bw;
      for (const k of [
        jx > 0 ? j - 1 : -1,
        jx < bw - 1 ? j + 1 : -1,
        jy > 0 ? j - bw : -1,
        jy < bh - 1 ? j + bw : -1,
      ]) {
        if (k >= 0 && (label[k] as number) < 0 && (energy[k] as number) > threshold) {
          label[k] = i;
          stack.push(k);
        }
      }
    }
    if (members.length < 6) continue;
    const total = (a: Float64Array) => members.reduce((t, j) => t + (a[j] as number), 0);
    const [sxx, syy, sxy, sc4, ss4, sum] = [jxx, jyy, jxy, c4, s4, energy].map(total) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    // The grid's axes (mod 90°) from the fourth harmonic; of the two, the row direction is
    // the one the summed tensor puts more gradient energy along.
    let theta = 0.25 * Math.atan2(ss4, sc4);
    const along = (t: number) => sxx * Math.cos(t) ** 2 + 2 * sxy * Math.cos(t) * Math.sin(t) + syy * Math.sin(t) ** 2;
    if (along(theta + Math.PI / 2) > along(theta)) theta += Math.PI / 2;
    const ux = Math.cos(theta);
    const uy = Math.sin(theta);
    // Extent along u and v from the member blocks' centres (weighted mean as centre).
    let cx = 0;
    let cy = 0;
    for (const j of members) {
      cx += ((j % bw) + 0.5) * block;
      cy += (Math.floor(j / bw) + 0.5) * block;
    }
    cx /= members.length;
    cy /= members.length;
    let u0 = 0;
    let u1 = 0;
    let v0 = 0;
    let v1 = 0;
    for (const j of members) {
      const dx = ((j % bw) + 0.5) * block - cx;
      const dy = (Math.floor(j / bw) + 0.5) * block - cy;
      const u = dx * ux + dy * uy;
      const v = -dx * uy + dy * ux;
      if (u < u0) u0 = u;
      if (u > u1) u1 = u;
      if (v < v0) v0 = v;
      if (v > v1) v1 = v;
    }
    const mu = (u0 + u1) / 2;
    const mv = (v0 + v1) / 2;
    regions.push({
      cx: cx + mu * ux - mv * uy,
      cy: cy + mu * uy + mv * ux,
      ux,
      uy,
      halfU: (u1 - u0) / 2 + block,
      halfV: (v1 - v0) / 2 + block,
      energy: sum,
    });
  }
  regions.sort((a, b) => b.energy - a.energy);
  return regions.slice(0, options.max ?? 3);
}

/**
 * The region resampled upright (its row direction along x), enlarged `scale` times, with
 * `margin` of its half extents (plus 12 px) around it.
 *
 * @returns The crop and a map from its pixels to the frame's, or undefined when it would be degenerate or huge.
 */
export function uprightCrop(
  grey: RasterImage,
  r: TextureRegion,
  scale: number,
  margin: number,
): { image: RasterImage; toFrame: (i: number, j: number) => Pt } | undefined {
  const hu = r.halfU * (1 + margin) + 12;
  const hv = r.halfV * (1 + margin) + 12;
  const cw = Math.round(2 * hu * scale);
  const ch = Math.round(2 * hv * scale);
  if (cw < 16 || ch < 16 || cw * ch > 4_000_000) return undefined;
  const toFrame = (i: number, j: number): Pt => {
    const a = i / scale - hu;
    const b = j / scale - hv;
    return { x: r.cx + a * r.ux - b * r.uy, y: r.cy + a * r.uy + b * r.ux };
  };
  return { image: sampleRotated(grey, toFrame, cw, ch), toFrame };
}

/** Bilinear resampling of `grey` onto a `cw × ch` grid through `toFrame` (outside: white). */
function sampleRotated(grey: RasterImage, toFrame: (i: number, j: number) => Pt, cw: number, ch: number): RasterImage {
  const { width: w, height: h, data } = grey;
  const out = new Uint8Array(cw * ch);
  const o = toFrame(0, 0);
  const di = toFrame(1, 0);
  const dj = toFrame(0, 1);
  const ax = di.x - o.x;
  const ay = di.y - o.y;
  const bx = dj.x - o.x;
  const by = dj.y - o.y;
  for (let j = 0; j < ch; j++) {
    let x = o.x + j * bx;
    let y = o.y + j * by;
    for (let i = 0; i < cw; i++, x += ax, y += ay) {
      if (!(x >= 0 && y >= 0 && x < w - 1 && y < h - 1)) {
        out[j * cw + i] = 255;
        continue;
      }
      const x0 = x | 0;
      const y0 = y | 0;
      const fx = x - x0;
      const fy = y - y0;
      const k = y0 * w + x0;
      const top = (data[k] as number) * (1 - fx) + (data[k + 1] as number) * fx;
      const bot = (data[k + w] as number) * (1 - fx) + (data[k + w + 1] as number) * fx;
      out[j * cw + i] = Math.round(top * (1 - fy) + bot * fy);
    }
  }
  return { width: cw, height: ch, channels: 1, data: out };
}

/**
 * Texture regions tried per frame, the enlargement of their upright crops, the unsharp masks
 * tried on each (box radius in crop pixels, gain) and the margin around a region. Chosen on
 * the tuning half and on a second seed of the generator (neither in the report half): ×1.5
 * (2.6–1.7 px per module → 3.9–2.6) read as many as ×1.25 and ×2 and costs less than ×2; of 28
 * misses the other rungs left, unsharpened crops read 3, the best single masks 7, and radius 2
 * then 4 at gain 3 read 8 together.
 */
const TRIES = 2;
const SCALE = 1.5;
const SHARPEN: readonly (readonly [number, number])[] = [
  [2, 3],
  [4, 3],
];
const MARGIN = 0.35;

/**
 * Upright, enlarged, sharpened crops of the frame's strongest texture regions, for the
 * engine's PDF417 reader, each with a map from its pixels back to the frame's.
 *
 * @param grey - Grey frame.
 * @param expired - Polled before each crop.
 */
export function* pdf417UprightAttempts(
  grey: RasterImage,
  expired: () => boolean,
): Generator<{ image: RasterImage; back: (p: Pt) => Pt }> {
  for (const region of findTextureRegions(grey, { max: TRIES })) {
    if (expired()) return;
    const crop = uprightCrop(grey, region, SCALE, MARGIN);
    if (!crop) continue;
    for (const [radius, gain] of SHARPEN) {
      if (expired()) return;
      yield { image: unsharpMask(crop.image, radius, gain), back: (p) => crop.toFrame(p.x, p.y) };
    }
  }
}
