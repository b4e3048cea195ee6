import { type RasterImage, toGrey } from '@smart-citizen/image';

/** A grey level at or above which the card's paper is taken as washed out by a highlight. */
const WASHED = 248;

/** The crop shows glare when at least this share of its pixels is washed out. */
export const GLARE_SHARE = 0.04;

/**
 * Grey levels of noise at the paper level left as paper when the contrast is stretched: the photo's
 * sensor noise and JPEG ringing (σ up to about 6 at level 2) would otherwise become ink-like specks.
 */
const NOISE_FLOOR = 6;

/** Ink this close to the washed-out paper's level cannot be told from noise. */
const MIN_CONTRAST = 20;

/** At most this much contrast gain: a block whose ink is this faint is noise, not print. */
const MAX_GAIN = 6;

/** The share of a line crop's pixels that are washed out (near-white in grey). */
export function washedShare(grey: RasterImage): number {
  const { data } = grey;
  let n = 0;
  for (let i = 0; i < data.length; i++) if ((data[i] as number) >= WASHED) n++;
  return data.length ? n / data.length : 0;
}

function quantile(hist: Uint32Array, total: number, q: number): number {
  const want = q * total;
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v] as number;
    if (acc >= want) return v;
  }
  return 255;
}

/** A line crop with the highlight taken out ({@link deglareLine}). */
export interface DeglaredLine {
  /** The crop, grey, each washed-out column stretched back to the crop's own ink and paper levels. */
  image: RasterImage;
  /**
   * Where the highlight clipped the ink too, over at least a character's width (two thirds of the
   * line height) within a line-height of the print: whatever was printed there is gone from the
   * photo, and no reading of the line can be sure of it.
   */
  printLost: boolean;
}

/**
 * A line crop with a specular highlight taken out, or `undefined` when the crop shows no glare
 * (fewer than {@link GLARE_SHARE} of its pixels washed out).
 *
 * Glare adds light: under the highlight the paper clips to white and the ink is lifted by the same
 * amount, so the print is still there, only with less contrast. Per block of columns (a quarter of
 * the line's height wide) the ink level (3rd percentile) and the paper level (90th percentile) are
 * taken over a window one line-height wide — the highlight varies over a few
 * millimetres, a glyph is half a line-height wide — and each column is stretched from its own
 * levels back to the crop's unwashed levels (gain at most {@link MAX_GAIN}; differences within
 * {@link NOISE_FLOOR} of the paper stay paper). Where the highlight clipped the ink too, nothing is
 * left to stretch and the column stays paper.
 */
export function deglareLine(image: RasterImage): DeglaredLine | undefined {
  const grey = toGrey(image);
  const { width: W, height: H, data } = grey;
  if (W < 8 || H < 4 || washedShare(grey) < GLARE_SHARE) return undefined;
  const block = Math.max(2, Math.round(H / 4));
  const nb = Math.ceil(W / block);
  const hists = Array.from({ length: nb }, () => new Uint32Array(256));
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const h = hists[Math.floor(x / block)] as Uint32Array;
      const v = data[y * W + x] as number;
      h[v] = (h[v] as number) + 1;
    }
  const reach = Math.max(1, Math.round((0.5 * H) / block));
  const ink = new Float32Array(nb);
  const paper = new Float32Array(nb);
  const win = new Uint32Array(256);
  for (let b = 0; b < nb; b++) {
    win.fill(0);
    let total = 0;
    for (let k = Math.max(0, b - reach); k <= Math.min(nb - 1, b + reach); k++) {
      const h = hists[k] as Uint32Array;
      for (let v = 0; v < 256; v++) win[v] = (win[v] as number) + (h[v] as number);
      total += Math.min(block, W - k * block) * H;
    }
    ink[b] = quantile(win, total, 0.03);
    paper[b] = quantile(win, total, 0.9);
  }
  // the crop's own levels where the paper is not washed out (the darkest ink, the unwashed paper)
  const clear = [...paper].filter((p) => p < WASHED).sort((a, b) => a - b);
  const paperRef = clear.length ? (clear[Math.floor(clear.length / 2)] as number) : 230;
  const inkRef = Math.min(paperRef - 40, ...ink);
  const span = paperRef - inkRef;
  // blocks washed out with no contrast left (print gone, or no print), and blocks that show print
  // (each block by its own pixels: a character is two to four blocks wide)
  const dead = new Uint8Array(nb);
  const inked = new Uint8Array(nb);
  for (let b = 0; b < nb; b++) {
    const h = hists[b] as Uint32Array;
    const total = Math.min(block, W - b * block) * H;
    const p = quantile(h, total, 0.9);
    const c = p - quantile(h, total, 0.03);
    dead[b] = p >= WASHED - 2 && c < MIN_CONTRAST ? 1 : 0;
    inked[b] = c >= Math.max(MIN_CONTRAST, 0.4 * span) ? 1 : 0;
  }
  const out = new Uint8Array(W * H);
  for (let x = 0; x < W; x++) {
    // levels interpolated between block centres
    const t = (x + 0.5) / block - 0.5;
    const b0 = Math.max(0, Math.min(nb - 1, Math.floor(t)));
    const b1 = Math.min(nb - 1, b0 + 1);
    const f = Math.max(0, Math.min(1, t - b0));
    const p = (paper[b0] as number) * (1 - f) + (paper[b1] as number) * f;
    const i = (ink[b0] as number) * (1 - f) + (ink[b1] as number) * f;
    // columns whose paper is not washed out keep their pixels; the change fades in over 10 levels
    const w = Math.max(0, Math.min(1, (p - (WASHED - 12)) / 10));
    // a washed block with less contrast than this holds no print that can be told from noise
    const gain = p - i < MIN_CONTRAST ? 0 : Math.min(MAX_GAIN, span / (p - i));
    for (let y = 0; y < H; y++) {
      const o = data[y * W + x] as number;
      const d = p - o - NOISE_FLOOR;
      const v = (1 - w) * o + w * (d <= 0 ? paperRef : paperRef - d * gain);
      out[y * W + x] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
  return { image: { width: W, height: H, channels: 1, data: out }, printLost: printLost(dead, inked, block, H) };
}

/** A run of dead blocks at least two thirds of a line-height wide that starts or ends within a line-height of an inked block. */
function printLost(dead: Uint8Array, inked: Uint8Array, block: number, H: number): boolean {
  const minRun = Math.ceil((2 * H) / 3 / block);
  const near = Math.ceil(H / block);
  const inkedNear = (b: number) => {
    for (let k = Math.max(0, b - near); k <= Math.min(inked.length - 1, b + near); k++) if (inked[k]) return true;
    return false;
  };
  for (let b = 0; b < dead.length; ) {
    if (!dead[b]) {
      b++;
      continue;
    }
    let e = b;
    while (e + 1 < dead.length && dead[e + 1]) e++;
    if (e - b + 1 >= minRun && (inkedNear(b) || inkedNear(e))) return true;
    b = e + 1;
  }
  return false;
}
