import { type Point, type RasterImage, resize, toGrey } from '@smart-citizen/image';
import { ID1_HEIGHT_MM, ID1_WIDTH_MM } from '../cardTypes.js';

/** A card outline in image pixels, corners in order top-left, top-right, bottom-right, bottom-left of the card as seen (long side first). */
export type Quad = [Point, Point, Point, Point];

/** Outcome of {@link findCardQuad}. */
export type FindCardResult =
  | {
      status: 'found';
      quad: Quad;
      /** Share of the outline's length backed by an edge (0–1). */
      support: number;
      /** Card area as a share of the image. */
      areaShare: number;
      /**
       * The next best whole outlines (at most {@link MAX_ALTERNATIVES}, refined like `quad`) that
       * score at least {@link ALTERNATIVE_MIN_SCORE} of it: for a caller that can tell the card by
       * its print (`chooseOutlineByLayout`).
       */
      alternatives: Quad[];
    }
  | { status: 'cut-off'; quad: Quad; support: number; areaShare: number }
  | { status: 'not-found' };

interface Line {
  theta: number;
  rho: number;
  votes: number;
  /** A side of the image (the card continues beyond it). */
  border?: boolean;
}

const WORK_SIZE = 480;
const THETA_BINS = 180;
const CARD_ASPECT = ID1_WIDTH_MM / ID1_HEIGHT_MM;

function sobel(g: Float32Array, w: number, h: number): { mag: Float32Array; ang: Float32Array } {
  const mag = new Float32Array(w * h);
  const ang = new Float32Array(w * h);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const gx =
        (g[i - w + 1] as number) +
        2 * (g[i + 1] as number) +
        (g[i + w + 1] as number) -
        (g[i - w - 1] as number) -
        2 * (g[i - 1] as number) -
        (g[i + w - 1] as number);
      const gy =
        (g[i + w - 1] as number) +
        2 * (g[i + w] as number) +
        (g[i + w + 1] as number) -
        (g[i - w - 1] as number) -
        2 * (g[i - w] as number) -
        (g[i - w + 1] as number);
      mag[i] = Math.hypot(gx, gy);
      ang[i] = Math.atan2(gy, gx);
    }
  }
  return { mag, ang };
}

/** Two opponent chroma channels of the work image (red–green, yellow–blue) and its luminance; absent for grey photos. */
interface Chroma {
  rg: Float32Array;
  yb: Float32Array;
  lum: Float32Array;
}

/** Colour-aware grey: the larger of luminance and chroma edges shows a card on a same-brightness table. */
function workImage(img: RasterImage): { g: Float32Array; chroma?: Chroma; w: number; h: number; scale: number } {
  const scale = Math.min(1, WORK_SIZE / Math.max(img.width, img.height));
  const small =
    scale < 1
      ? resize(img, {
          width: Math.max(8, Math.round(img.width * scale)),
          height: Math.max(8, Math.round(img.height * scale)),
        })
      : img;
  const w = small.width;
  const h = small.height;
  const g = new Float32Array(w * h);
  const ch = small.channels;
  let rg: Float32Array | undefined;
  let yb: Float32Array | undefined;
  let lum: Float32Array | undefined;
  if (ch >= 3) {
    rg = new Float32Array(w * h);
    yb = new Float32Array(w * h);
    lum = new Float32Array(w * h);
    for (let i = 0; i < w * h; i++) {
      const r = small.data[i * ch] as number;
      const gg = small.data[i * ch + 1] as number;
      const b = small.data[i * ch + 2] as number;
      // luminance plus saturation: cards are pale, tables and cloth are often saturated.
      lum[i] = 0.299 * r + 0.587 * gg + 0.114 * b;
      g[i] = (lum[i] as number) - 0.5 * (Math.max(r, gg, b) - Math.min(r, gg, b));
      rg[i] = r - gg;
      yb[i] = (r + gg) / 2 - b;
    }
  } else {
    const grey = toGrey(small);
    for (let i = 0; i < w * h; i++) g[i] = grey.data[i] as number;
  }
  // 3×3 box blur against JPEG and sensor noise.
  const s = new Float32Array(w * h);
  for (let y = 1; y < h - 1; y++)
    for (let x = 1; x < w - 1; x++) {
      let acc = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) acc += g[(y + dy) * w + x + dx] as number;
      s[y * w + x] = acc / 9;
    }
  return { g: s, ...(rg && yb && lum ? { chroma: { rg, yb, lum } } : {}), w, h, scale: small.width / img.width };
}

/** The strongest Hough lines kept for the outline search. */
const MAX_LINES = 28;
/** Lines found again after the strongest ones' own edge pixels are taken out (`hiddenLines`). */
const MAX_HIDDEN = 6;
/** An edge pixel this close to a line (work px), its gradient within the vote spread of the line's angle, is that line's (3 left the ends of a slanted edge as a line of their own). */
const EXPLAIN_PX = 4;

/**
 * The cells of an accumulator (`THETA_BINS` rows of `width` ρ cells) with at least `minVotes`
 * that are the maximum of their ±4° / ±8 px window, as lines.
 */
function accumulatorPeaks(acc: Float32Array, width: number, diag: number, minVotes: number): Line[] {
  const lines: Line[] = [];
  for (let b = 0; b < THETA_BINS; b++) {
    for (let r = 0; r < width; r++) {
      const v = acc[b * width + r] as number;
      if (v < minVotes) continue;
      let isMax = true;
      for (let db = -4; db <= 4 && isMax; db++) {
        const bb = (((b + db) % THETA_BINS) + THETA_BINS) % THETA_BINS;
        // Across θ = 0/π the line (θ, ρ) equals (θ ± π, −ρ).
        const wrap = b + db < 0 || b + db >= THETA_BINS;
        for (let dr = -8; dr <= 8; dr++) {
          const rr = wrap ? width - 1 - (r + dr) : r + dr;
          if (rr < 0 || rr >= width || (db === 0 && dr === 0)) continue;
          const o = acc[bb * width + rr] as number;
          if (o > v || (o === v && bb * width + rr < b * width + r)) {
            isMax = false;
            break;
          }
        }
      }
      if (isMax) lines.push({ theta: (b / THETA_BINS) * Math.PI, rho: r - diag, votes: v });
    }
  }
  return lines.sort((a, b) => b.votes - a.votes);
}

/** Two peaks within 2° and 4 px of each other are one line. */
function sameLine(a: Line, b: Line): boolean {
  const d = Math.abs(Math.round(((a.theta - b.theta) / Math.PI) * THETA_BINS));
  if (d <= 2) return Math.abs(a.rho - b.rho) <= 4;
  // across θ = 0/π
  return THETA_BINS - d <= 2 && Math.abs(a.rho + b.rho) <= 4;
}

/**
 * Gradient-oriented Hough lines of the work image's edges: the {@link MAX_LINES} strongest peaks
 * (`top`, each the maximum of its ±4° / ±8 px window). With `withHidden`, also the lines found once
 * those peaks' own edge pixels are taken out of the votes (`hidden`: at most {@link MAX_HIDDEN},
 * none the same line as a peak): an edge whose peak lies inside a stronger edge's window, such as a
 * card's edge a few pixels beside a sheet's (session 17, seed 15: 66 votes 8 px from a sheet's 81),
 * which the window hides.
 */
function houghLines(
  mag: Float32Array,
  ang: Float32Array,
  w: number,
  h: number,
  threshold: number,
  withHidden = false,
): { top: Line[]; hidden: Line[] } {
  const diag = Math.ceil(Math.hypot(w, h));
  const width = 2 * diag + 1;
  const acc = new Float32Array(THETA_BINS * width);
  // the edge pixels and their gradients' θ bins, to take a line's votes out again
  const edgePx: { x: number; y: number; tb: number }[] = [];
  const vote = (x: number, y: number, tb: number, by: number, into: Float32Array) => {
    for (let d = -3; d <= 3; d++) {
      const b = (((tb + d) % THETA_BINS) + THETA_BINS) % THETA_BINS;
      const th = (b / THETA_BINS) * Math.PI;
      const rho = Math.round(x * Math.cos(th) + y * Math.sin(th)) + diag;
      into[b * width + rho] = (into[b * width + rho] as number) + by;
    }
  };
  for (let y = 2; y < h - 2; y++) {
    for (let x = 2; x < w - 2; x++) {
      const m = mag[y * w + x] as number;
      if (m < threshold) continue;
      let t = ang[y * w + x] as number;
      if (t < 0) t += Math.PI;
      if (t >= Math.PI) t -= Math.PI;
      const tb = Math.round((t / Math.PI) * THETA_BINS) % THETA_BINS;
      vote(x, y, tb, 1, acc);
      if (withHidden) edgePx.push({ x, y, tb });
    }
  }
  const minVotes = Math.min(w, h) * 0.12;
  const top = accumulatorPeaks(acc, width, diag, minVotes).slice(0, MAX_LINES);
  if (!withHidden) return { top, hidden: [] };
  const gone = new Uint8Array(edgePx.length);
  for (const l of top) {
    const b = Math.round((l.theta / Math.PI) * THETA_BINS);
    const c = Math.cos(l.theta);
    const s = Math.sin(l.theta);
    for (const [k, p] of edgePx.entries()) {
      if (gone[k]) continue;
      const db = Math.abs(p.tb - b);
      if (Math.min(db, THETA_BINS - db) > 3 || Math.abs(p.x * c + p.y * s - l.rho) > EXPLAIN_PX) continue;
      gone[k] = 1;
      vote(p.x, p.y, p.tb, -1, acc);
    }
  }
  const hidden = accumulatorPeaks(acc, width, diag, minVotes)
    .filter((l) => !top.some((o) => sameLine(o, l)))
    .slice(0, MAX_HIDDEN);
  return { top, hidden };
}

function intersect(a: Line, b: Line): Point | undefined {
  const det = Math.cos(a.theta) * Math.sin(b.theta) - Math.sin(a.theta) * Math.cos(b.theta);
  if (Math.abs(det) < 1e-6) return undefined;
  return {
    x: (a.rho * Math.sin(b.theta) - b.rho * Math.sin(a.theta)) / det,
    y: (b.rho * Math.cos(a.theta) - a.rho * Math.cos(b.theta)) / det,
  };
}

function angleBetween(a: Line, b: Line): number {
  const d = Math.abs(a.theta - b.theta) % Math.PI;
  return Math.min(d, Math.PI - d);
}

/**
 * Share of points along a segment with a strong edge across it; `signed`: of one polarity only, the
 * likelier (a card's edge is darker or brighter outside all along; a line along the card's edge at
 * one end and its print's at the other changes polarity).
 */
function segmentSupport(
  p: Point,
  q: Point,
  mag: Float32Array,
  ang: Float32Array,
  w: number,
  h: number,
  threshold: number,
  signed = false,
): number {
  const n = 48;
  const nx = -(q.y - p.y);
  const ny = q.x - p.x;
  const len = Math.hypot(nx, ny) || 1;
  let hits = 0;
  let negative = 0;
  let inside = 0;
  for (let i = 1; i < n; i++) {
    const t = i / n;
    const x = p.x + (q.x - p.x) * t;
    const y = p.y + (q.y - p.y) * t;
    if (x < 2 || y < 2 || x >= w - 2 || y >= h - 2) continue;
    inside++;
    let ok = false;
    let neg = false;
    for (let d = -2; d <= 2 && !(ok && (neg || !signed)); d++) {
      const xi = Math.round(x + (nx / len) * d);
      const yi = Math.round(y + (ny / len) * d);
      const i2 = yi * w + xi;
      if ((mag[i2] as number) < threshold) continue;
      const a = ang[i2] as number;
      const across = Math.cos(a) * (nx / len) + Math.sin(a) * (ny / len);
      if (across > 0.85 || (!signed && across < -0.85)) ok = true;
      if (signed && across < -0.85) neg = true;
    }
    if (ok) hits++;
    if (neg) negative++;
  }
  return inside < n / 3 ? 0 : Math.max(hits, negative) / inside;
}

/** Chroma distance, and luminance share, within which a sample just inside the outline counts as the card's stock. */
const STOCK_CHROMA = 40;
const STOCK_LUMINANCE = 0.35;
/**
 * A corner's inside point (one sample, so a wider luminance margin than the bands' majority) that
 * differs from the stock by more than this share of its luminance, or by more than
 * {@link STOCK_CHROMA} in chroma, lies off the card (session 15: the true corners of the tuning
 * sides differ by at most 0.40 and 25, and none of 724 outlines is flagged; the corners put off the
 * card by a sheet's edge taken for a side, by chroma 50–94 or luminance 0.57).
 */
const OFF_CARD_LUMINANCE = 0.5;
/** Samples per side of the bands inside and outside the outline, and how many at each end belong to the corner. */
const BAND_SAMPLES = 24;
const CORNER_SAMPLES = 3;
/** A side whose inside band holds less card stock than this, while its outside band holds at least {@link OUTSIDE_STOCK}, lies inside the card. */
const INNER_STOCK = 0.4;
const OUTSIDE_STOCK = 0.75;
/**
 * A side with card stock outside it and less than this share inside may run through the print: not
 * enough to take another outline by the edges, but for the caller to try moved sides (session 15:
 * a CCCD 2016 back's side along its fingerprint boxes and barcode; on the tuning data no right
 * outline has such a side).
 */
const INNER_DOUBT_STOCK = 0.6;
/** Score factor per foreign corner of an outline. */
const FOREIGN_CORNER_FACTOR = 0.6;
/** An outline further out that replaces one with a side inside the card scores at least this share of it. */
const OUTER_MIN_SCORE = 0.5;

/** How many runner-up outlines a found card carries, and the share of the winner's score they need. */
const MAX_ALTERNATIVES = 2;
const ALTERNATIVE_MIN_SCORE = 0.7;
/** How far a side is moved (share of the adjacent sides, in and out), and the edge support its new place needs. */
const SHIFT_REACH = 0.25;
const SHIFT_MIN_SUPPORT = 0.5;
/**
 * Moved sides handed on per side: the best supported distinct edges across the card (session 14;
 * each costs the caller a half-size look, the best few a full warp and classification).
 */
const PEAKS_PER_SIDE = 2;
/** The moves are looked at every this many work pixels, then every pixel around each edge found. */
const SHIFT_STEP = 4;
/** Outermost-edge outlines handed on besides them (session 13, CCCD 2016 fronts: a side along a text line). */
const MAX_OUTERMOST = 1;
/** How far the two ends of an outermost side may move apart (share of the adjacent sides: level-2 perspective is ≤ 3 %). */
const OUTERMOST_TILT = 0.05;
/** An outermost side moves both ends out at least this far (work pixels; nearer is the refit's and `registerToLayout`'s). */
const OUTERMOST_MIN_PX = 8;
/** The median of each axis of the colours (the card's stock colour, its print being sparser than its stock). */
function medianColour(cs: readonly Colour[]): Colour {
  const median = (xs: number[]) => [...xs].sort((u, v) => u - v)[xs.length >> 1] as number;
  return { rg: median(cs.map((c) => c.rg)), yb: median(cs.map((c) => c.yb)), lum: median(cs.map((c) => c.lum)) };
}

/** Whether a colour is the card's stock: within {@link STOCK_CHROMA} in chroma and `lumShare` of its luminance. */
function isStock(c: Colour, stock: Colour, lumShare = STOCK_LUMINANCE): boolean {
  return (
    Math.hypot(c.rg - stock.rg, c.yb - stock.yb) <= STOCK_CHROMA && Math.abs(c.lum - stock.lum) <= lumShare * stock.lum
  );
}

/** The edge threshold of a shifted side, as a share of the Hough threshold: the edges it looks for are faint. */
const SHIFT_THRESHOLD = 0.3;

/** A pixel's colour: two chroma axes and luminance (0–255 units). */
type Colour = { rg: number; yb: number; lum: number };

/** The 3×3 mean colour around a pixel (against JPEG and sensor noise). */
function colourAt(chroma: Chroma, w: number, x: number, y: number): Colour {
  let rg = 0;
  let yb = 0;
  let lum = 0;
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) {
      const k = (y + dy) * w + x + dx;
      rg += chroma.rg[k] as number;
      yb += chroma.yb[k] as number;
      lum += chroma.lum[k] as number;
    }
  return { rg: rg / 9, yb: yb / 9, lum: lum / 9 };
}

/**
 * The faults of an outline, by the colour of two bands 3 % of the short side inside and outside
 * each side, compared by chroma and luminance with the median of the inside band (the card's
 * stock):
 * - a corner whose inside samples on both its sides are mostly not stock (foreign): an outline
 *   that took a distractor's or the table's edge for a side extends past the card, so a corner
 *   sits on the table or a paper of another colour — typically where the photo shows no corner,
 *   the two lines only meeting there — while the card's own corners have card all round them,
 *   whatever the background's contrast with the card along its sides;
 * - a side whose inside band is mostly not stock while its outside band is (inner): a line
 *   through the portrait or the emblem, with the strip of card between it and the card's edge
 *   outside it. Only a reason to take an outline that differs in that side alone and lies
 *   further out (see {@link findCardQuad}): where the card's own edge shows no line, the inner
 *   outline is still the nearest to the card (`registerToLayout` moves such a side out later);
 * - and for `chooseOutlineByLayout` ({@link outlineDoubts}): a corner whose own inside point is not
 *   stock (off card), and a side with less than {@link INNER_DOUBT_STOCK} stock inside and stock
 *   outside (an inner doubt).
 */
function outlineFaults(
  q: Quad,
  chroma: Chroma,
  w: number,
  h: number,
): { foreign: number; inner: number; innerDoubt: number; offCard: number; offCorners: number[] } {
  const cx = q.reduce((s, p) => s + p.x, 0) / 4;
  const cy = q.reduce((s, p) => s + p.y, 0) / 4;
  const short = Math.min(dist(q[1], q[2]), dist(q[3], q[0]));
  const inset = Math.max(1.5, short * 0.03);
  type Sample = Colour | undefined;
  const inside: Sample[][] = [];
  const outside: Sample[][] = [];
  const normals: Point[] = [];
  for (let s = 0; s < 4; s++) {
    const a = q[s] as Point;
    const b = q[(s + 1) % 4] as Point;
    const len = dist(a, b) || 1;
    let nx = -(b.y - a.y) / len;
    let ny = (b.x - a.x) / len;
    // the normal pointing into the card
    if (nx * (cx - (a.x + b.x) / 2) + ny * (cy - (a.y + b.y) / 2) < 0) {
      nx = -nx;
      ny = -ny;
    }
    normals.push({ x: nx, y: ny });
    const band = (d: number): Sample[] => {
      const samples: Sample[] = [];
      for (let i = 1; i < BAND_SAMPLES; i++) {
        const t = i / BAND_SAMPLES;
        const x = Math.round(a.x + (b.x - a.x) * t + nx * d);
        const y = Math.round(a.y + (b.y - a.y) * t + ny * d);
        samples.push(x < 1 || y < 1 || x >= w - 1 || y >= h - 1 ? undefined : colourAt(chroma, w, x, y));
      }
      return samples;
    };
    inside.push(band(inset));
    outside.push(band(-inset));
  }
  const faults = { foreign: 0, inner: 0, innerDoubt: 0, offCard: 0, offCorners: [] as number[] };
  const all = inside.flat().filter((c) => c !== undefined);
  if (all.length < 8) return faults;
  const ref = medianColour(all);
  const stockShare = (xs: Sample[]) => {
    const seen = xs.filter((c) => c !== undefined);
    return seen.length >= CORNER_SAMPLES ? seen.filter((c) => isStock(c, ref)).length / seen.length : undefined;
  };
  for (let s = 0; s < 4; s++) {
    // corner s joins the end of side s − 1 and the start of side s
    const near = stockShare([
      ...(inside[(s + 3) % 4] as Sample[]).slice(-CORNER_SAMPLES),
      ...(inside[s] as Sample[]).slice(0, CORNER_SAMPLES),
    ]);
    if (near !== undefined && near < 0.5) faults.foreign++;
    // the corner's own inside, inset from both sides: on a card with rounded corners (radius
    // 3.2 mm) a point 1.6 mm in from both sides is on the card (it needs 0.9 mm)
    const p = q[s] as Point;
    const n1 = normals[(s + 3) % 4] as Point;
    const n2 = normals[s] as Point;
    const x = Math.round(p.x + (n1.x + n2.x) * inset);
    const y = Math.round(p.y + (n1.y + n2.y) * inset);
    if (x >= 1 && y >= 1 && x < w - 1 && y < h - 1) {
      if (!isStock(colourAt(chroma, w, x, y), ref, OFF_CARD_LUMINANCE)) {
        faults.offCard++;
        faults.offCorners.push(s);
      }
    }
    const within = stockShare(inside[s] as Sample[]);
    const beyond = stockShare(outside[s] as Sample[]);
    if (within !== undefined && beyond !== undefined && beyond >= OUTSIDE_STOCK) {
      if (within < INNER_STOCK) faults.inner++;
      if (within < INNER_DOUBT_STOCK) faults.innerDoubt++;
    }
  }
  return faults;
}

/** A polygon's area (shoelace). @internal */
export function polygonArea(q: readonly Point[]): number {
  let a = 0;
  for (let i = 0; i < q.length; i++) {
    const p = q[i] as Point;
    const r = q[(i + 1) % q.length] as Point;
    a += p.x * r.y - r.x * p.y;
  }
  return Math.abs(a) / 2;
}

function isConvex(q: readonly Point[]): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const a = q[i] as Point;
    const b = q[(i + 1) % 4] as Point;
    const c = q[(i + 2) % 4] as Point;
    const z = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
    if (z === 0) return false;
    if (sign === 0) sign = Math.sign(z);
    else if (Math.sign(z) !== sign) return false;
  }
  return true;
}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

/** The point `px` pixels from `p` towards `r`, `len` being their distance. */
const towards = (p: Point, r: Point, len: number, px: number): Point => ({
  x: p.x + ((r.x - p.x) * px) / len,
  y: p.y + ((r.y - p.y) * px) / len,
});

/**
 * Side `s` of an outline (from corner `s` to corner `s + 1`), the lengths of the two adjacent sides
 * its ends slide along, and its ends moved `i` and `j` px along them towards the opposite side
 * (negative: out).
 */
function sideMoves(q: Quad, s: number) {
  const a = q[s] as Point;
  const b = q[(s + 1) % 4] as Point;
  const d = q[(s + 3) % 4] as Point;
  const c = q[(s + 2) % 4] as Point;
  const la = dist(a, d);
  const lb = dist(b, c);
  return { a, b, la, lb, ends: (i: number, j: number): [Point, Point] => [towards(a, d, la, i), towards(b, c, lb, j)] };
}

/** A line through `p` along `d`. */
type PointLine = { p: Point; d: Point };

/** Where two lines cross (undefined for parallel lines). */
function crossing(l1: PointLine, l2: PointLine): Point | undefined {
  const det = l1.d.x * l2.d.y - l1.d.y * l2.d.x;
  if (Math.abs(det) < 1e-9) return undefined;
  const t = ((l2.p.x - l1.p.x) * l2.d.y - (l2.p.y - l1.p.y) * l2.d.x) / det;
  return { x: l1.p.x + l1.d.x * t, y: l1.p.y + l1.d.y * t };
}

/** The worst corner distance between two outlines, under the pairing of corners that makes it least. */
function quadDistance(a: Quad, b: Quad): number {
  let least = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 4; r++) least = Math.min(least, Math.max(...a.map((p, i) => dist(p, b[(i + r) % 4] as Point))));
  return least;
}

/**
 * For each side, the segments whose ends slide along the two adjacent sides, up to
 * {@link SHIFT_REACH} of their length in or out, that are distinct edges: local maxima of edge
 * support (edge strength above a low threshold) over the two ends' moves, other than the side's
 * own edge — the {@link PEAKS_PER_SIDE} best supported of them (session 14; session 13 offered only
 * the strongest, and the strongest edge near a side through the card is often a printed box's
 * other border or the next text line, while the card's own edge, over a sheet of nearly its colour
 * for part of its length, comes second). These are edges the Hough votes missed or ranked too low.
 * And, where it is another segment, the **outermost** one with enough support: a card's own edge
 * lies beyond every line printed on it, so where a side was taken along a text line and the card's
 * edge over a pale sheet is faint, the card's edge is the last one out.
 */
function shiftedSides(q: Quad, mag: Float32Array, ang: Float32Array, w: number, h: number, threshold: number): Quad[] {
  type Slid = { quad: Quad; support: number; i: number; j: number };
  const peaks: Slid[] = [];
  const outermost: Slid[] = [];
  for (let s = 0; s < 4; s++) {
    const sidePeaks: Slid[] = [];
    const { la, lb, ends } = sideMoves(q, s);
    // i, j: how far the side's two ends move towards the opposite side (negative: out)
    const slid = (i: number, j: number): Slid => {
      const [a2, b2] = ends(i, j);
      const quad = [...q] as Quad;
      quad[s] = a2;
      quad[(s + 1) % 4] = b2;
      return { quad, support: segmentSupport(a2, b2, mag, ang, w, h, threshold), i, j };
    };
    const far = (i: number, j: number) => Math.abs(i) >= 4 || Math.abs(j) >= 4;
    // the photo's own border is no card edge (and its gradient is the border's, not the scene's)
    const clearOfBorder = (t: Slid) =>
      [t.quad[s] as Point, t.quad[(s + 1) % 4] as Point].every(
        (p) => p.x >= 4 && p.y >= 4 && p.x < w - 4 && p.y < h - 4,
      );
    const ka = Math.round((SHIFT_REACH * la) / SHIFT_STEP);
    const kb = Math.round((SHIFT_REACH * lb) / SHIFT_STEP);
    const tilt = Math.max(8, OUTERMOST_TILT * Math.min(la, lb));
    // every SHIFT_STEP px (the support looks 2 px either side of a line), the side where it is included
    const nb = 2 * kb + 1;
    const grid: Slid[] = [];
    for (let u = -ka; u <= ka; u++) for (let v = -kb; v <= kb; v++) grid.push(slid(u * SHIFT_STEP, v * SHIFT_STEP));
    const cell = (u: number, v: number) =>
      u < -ka || u > ka || v < -kb || v > kb ? undefined : grid[(u + ka) * nb + v + kb];
    let out: Slid | undefined;
    for (let u = -ka; u <= ka; u++)
      for (let v = -kb; v <= kb; v++) {
        const t = cell(u, v) as Slid;
        if (u === 0 && v === 0) continue;
        // outermost, and about parallel: a printed line runs along the card's edge (a segment tilted
        // across the edge catches the strong part of it and is not it)
        if (
          t.i <= -OUTERMOST_MIN_PX &&
          t.j <= -OUTERMOST_MIN_PX &&
          Math.abs(t.i - t.j) <= tilt &&
          t.support >= SHIFT_MIN_SUPPORT &&
          clearOfBorder(t) &&
          (!out || t.i + t.j < out.i + out.j || (t.i + t.j === out.i + out.j && t.support > out.support))
        )
          out = t;
        // a distinct edge: a local maximum of support over the moves, not the side's own edge (at 0, 0)
        if (t.support < SHIFT_MIN_SUPPORT || (Math.abs(u) <= 1 && Math.abs(v) <= 1)) continue;
        let isPeak = true;
        for (let du = -1; du <= 1 && isPeak; du++)
          for (let dv = -1; dv <= 1 && isPeak; dv++) {
            const o = (du || dv) && cell(u + du, v + dv);
            if (o && (o.support > t.support || (o.support === t.support && (du < 0 || (du === 0 && dv < 0)))))
              isPeak = false;
          }
        if (!isPeak) continue;
        // then every pixel around it
        let best = t;
        for (let i = t.i - 3; i <= t.i + 3; i++)
          for (let j = t.j - 3; j <= t.j + 3; j++) {
            if (!far(i, j)) continue;
            const f = slid(i, j);
            if (f.support > best.support) best = f;
          }
        if (far(best.i, best.j) && isConvex(best.quad)) sidePeaks.push(best);
      }
    const kept = sidePeaks.sort((u, v) => v.support - u.support).slice(0, PEAKS_PER_SIDE);
    peaks.push(...kept);
    if (out && !kept.some((p) => Math.abs(out.i - p.i) + Math.abs(out.j - p.j) <= 8)) {
      // the outermost step still within 2 px of the edge: the middle of the best supported spots just inside it
      const around: Slid[] = [];
      for (let i = out.i - 3; i <= Math.min(0, out.i + 8); i++)
        for (let j = out.j - 3; j <= Math.min(0, out.j + 8); j++) if (far(i, j)) around.push(slid(i, j));
      const top = Math.max(...around.map((t) => t.support));
      const peak = around.filter((t) => t.support === top);
      const mid = slid(
        Math.round(peak.reduce((sum, t) => sum + t.i, 0) / peak.length),
        Math.round(peak.reduce((sum, t) => sum + t.j, 0) / peak.length),
      );
      const chosen = mid.support >= SHIFT_MIN_SUPPORT && far(mid.i, mid.j) ? mid : out;
      if (isConvex(chosen.quad)) outermost.push(chosen);
    }
  }
  const bySupport = (u: Slid, v: Slid) => v.support - u.support;
  return [...peaks.sort(bySupport), ...outermost.sort(bySupport).slice(0, MAX_OUTERMOST)].map((o) => o.quad);
}

/** Order corners clockwise from the top-left, long side first (so the card maps to landscape). */
export function orderQuad(q: readonly Point[]): Quad {
  const cx = q.reduce((s, p) => s + p.x, 0) / 4;
  const cy = q.reduce((s, p) => s + p.y, 0) / 4;
  const sorted = [...q].sort((a, b) => Math.atan2(a.y - cy, a.x - cx) - Math.atan2(b.y - cy, b.x - cx));
  // Start at the corner nearest the top-left of the image.
  let start = 0;
  let best = Number.POSITIVE_INFINITY;
  sorted.forEach((p, i) => {
    if (p.x + p.y < best) {
      best = p.x + p.y;
      start = i;
    }
  });
  let ordered = [0, 1, 2, 3].map((k) => sorted[(start + k) % 4] as Point);
  const top = dist(ordered[0] as Point, ordered[1] as Point) + dist(ordered[2] as Point, ordered[3] as Point);
  const side = dist(ordered[1] as Point, ordered[2] as Point) + dist(ordered[3] as Point, ordered[0] as Point);
  if (side > top) ordered = [ordered[1], ordered[2], ordered[3], ordered[0]] as Point[];
  return ordered as Quad;
}

/** Move each side onto the strongest edge near it at full resolution (least-squares line through the edge points). */
function refine(grey: RasterImage, quad: Quad): Quad {
  const W = grey.width;
  const H = grey.height;
  const at = (x: number, y: number) => {
    const xi = Math.min(W - 1, Math.max(0, Math.round(x)));
    const yi = Math.min(H - 1, Math.max(0, Math.round(y)));
    return grey.data[yi * W + xi] as number;
  };
  const reach = Math.max(3, Math.round(Math.max(W, H) / WORK_SIZE) * 3);
  const lines: { p: Point; d: Point }[] = [];
  for (let s = 0; s < 4; s++) {
    const a = quad[s] as Point;
    const b = quad[(s + 1) % 4] as Point;
    const len = dist(a, b);
    const dx = (b.x - a.x) / len;
    const dy = (b.y - a.y) / len;
    const nx = -dy;
    const ny = dx;
    const pts: Point[] = [];
    for (let t = 0.08; t <= 0.92; t += 0.02) {
      const x = a.x + (b.x - a.x) * t;
      const y = a.y + (b.y - a.y) * t;
      let bestK = 0;
      let bestG = 0;
      for (let k = -reach; k <= reach; k++) {
        const g = Math.abs(at(x + nx * (k + 1), y + ny * (k + 1)) - at(x + nx * (k - 1), y + ny * (k - 1)));
        if (g > bestG) {
          bestG = g;
          bestK = k;
        }
      }
      if (bestG > 12) pts.push({ x: x + nx * bestK, y: y + ny * bestK });
    }
    if (pts.length < 8) {
      lines.push({ p: a, d: { x: dx, y: dy } });
      continue;
    }
    // Fit, drop the worst quarter, fit again.
    let use = pts;
    let fit = { p: a, d: { x: dx, y: dy } };
    for (let round = 0; round < 2; round++) {
      const mx = use.reduce((s2, p) => s2 + p.x, 0) / use.length;
      const my = use.reduce((s2, p) => s2 + p.y, 0) / use.length;
      let sxx = 0;
      let sxy = 0;
      let syy = 0;
      for (const p of use) {
        sxx += (p.x - mx) ** 2;
        sxy += (p.x - mx) * (p.y - my);
        syy += (p.y - my) ** 2;
      }
      const th = 0.5 * Math.atan2(2 * sxy, sxx - syy);
      fit = { p: { x: mx, y: my }, d: { x: Math.cos(th), y: Math.sin(th) } };
      const off = (p: Point) => Math.abs((p.x - mx) * -fit.d.y + (p.y - my) * fit.d.x);
      use = [...use].sort((u, v) => off(u) - off(v)).slice(0, Math.max(8, Math.floor(use.length * 0.75)));
    }
    lines.push(fit);
  }
  const out: Point[] = [];
  for (let s = 0; s < 4; s++) {
    const c = crossing(lines[(s + 3) % 4] as PointLine, lines[s] as PointLine);
    if (!c || dist(c, quad[s] as Point) > reach * 4) return quad;
    out.push(c);
  }
  return out as Quad;
}

type Edges = ReturnType<typeof computeEdges>;
/**
 * Each photo's edge map, kept while the photo is: `shiftedOutlines` looks again at the photo
 * `findCardQuad` just looked at (read-only arrays; about 75 ms of CPU a map).
 */
const edgesOf = new WeakMap<RasterImage, Edges>();

/** The work image's edges and the edge threshold (90th percentile of the gradient, at least 18). */
function computeEdges(img: RasterImage) {
  const { g, chroma, w, h, scale } = workImage(img);
  const { mag, ang } = sobel(g, w, h);
  const sortedMag = Float32Array.from(mag).sort();
  const threshold = Math.max(18, sortedMag[Math.floor(sortedMag.length * 0.9)] as number);
  return { chroma, w, h, scale, mag, ang, threshold };
}

function edges(img: RasterImage): Edges {
  let e = edgesOf.get(img);
  if (!e) {
    e = computeEdges(img);
    edgesOf.set(img, e);
  }
  return e;
}

/**
 * A found outline with one side moved onto another edge across the card, at most one per side,
 * each refined like `findCardQuad`'s: the card's own edge where a printed box's border or a
 * sheet's edge was taken for it, or an edge the Hough votes ranked too low. For a caller that can
 * tell the card by its print (`chooseOutlineByLayout`, which asks only when the outline does not
 * look like a card; the photo's edge map is `findCardQuad`'s, kept for it).
 *
 * @internal
 */
export function shiftedOutlines(img: RasterImage, quad: Quad): Quad[] {
  const { w, h, scale, mag, ang, threshold } = edges(img);
  const grey = toGrey(img);
  const work = quad.map((p) => ({ x: p.x * scale, y: p.y * scale })) as Quad;
  return shiftedSides(work, mag, ang, w, h, threshold * SHIFT_THRESHOLD).map((q) =>
    refine(grey, q.map((p) => ({ x: p.x / scale, y: p.y / scale })) as Quad),
  );
}

/**
 * Find the card outline in a photo: gradient-oriented Hough lines on a ≤480 px copy, the
 * pair of near-parallel pairs that forms a convex quadrilateral of card-like aspect with the
 * most edge support, then each side refined on the full image. When the best outline needs a
 * side of the image itself, the card runs off the photo: `cut-off`.
 *
 * @param img - The photo.
 * @returns The outline, `cut-off`, or `not-found`.
 */
export function findCardQuad(img: RasterImage): FindCardResult {
  const { w, h, mag, ang, threshold } = edges(img);
  return outlineOfLines(img, houghLines(mag, ang, w, h, threshold).top);
}

/**
 * {@link findCardQuad} again with the Hough lines that stronger lines' windows hid added to the
 * strongest (`houghLines` with `hidden`: a card's edge a few pixels beside a sheet's edge, or a
 * table's, that drew more votes). For a caller whose first outline came to nothing (cut off, or
 * not like a card at all): with more lines the edges can also prefer a line inside the card, so
 * it is a second look, not the first (session 17). `undefined` when no line was hidden.
 *
 * @internal
 */
export function findCardQuadWithHiddenLines(img: RasterImage): FindCardResult | undefined {
  const { w, h, mag, ang, threshold } = edges(img);
  const { top, hidden } = houghLines(mag, ang, w, h, threshold, true);
  return hidden.length > 0 ? outlineOfLines(img, [...top, ...hidden]) : undefined;
}

/**
 * For a photo whose outline needs a side of the photo even after the second look (`cut-off`):
 * outlines that need no side of the photo and lie whole inside it, best first — a whole card that a
 * sheet overlapping or touching it joined to the sheet's edge or the photo's (session 18). First
 * `findCardQuad`'s best outline of the Hough lines, the hidden ones too, without the photo's sides;
 * then outlines of **three** lines — two about parallel and one across them — whose fourth side is
 * the card's edge the votes missed (over a grey sheet of nearly the card's colour it drew a dozen
 * votes): placed where the card's aspect puts it and slid to the best supported edge at a low
 * threshold. At most {@link INSIDE_OUTLINES}, each refined on the photo. A card that really runs off
 * the photo leaves outlines of its print here, which the caller must tell by the card's layout
 * (`insideOutlineLook`).
 *
 * @internal
 */
export function insideOutlines(img: RasterImage): Quad[] {
  const { w, h, mag, ang, threshold, scale } = edges(img);
  const { top, hidden } = houghLines(mag, ang, w, h, threshold, true);
  const lines = [...top, ...hidden];
  const found = outlineOfLines(img, lines, true);
  const grey = toGrey(img);
  const toFull = (q: Quad) => q.map((p) => ({ x: p.x / scale, y: p.y / scale })) as Quad;
  const out: Quad[] = found.status === 'found' ? [found.quad] : [];
  const m = INSIDE_MARGIN_PX;
  const inPhoto = (p: Point) => p.x >= m && p.y >= m && p.x <= w - 1 - m && p.y <= h - 1 - m;
  const three: { quad: Quad; score: number }[] = [];
  for (const [i, a1] of lines.entries())
    for (const a2 of lines.slice(i + 1)) {
      if (angleBetween(a1, a2) > (THREE_PARALLEL_DEG * Math.PI) / 180) continue;
      for (const b of lines) {
        if (b === a1 || b === a2 || angleBetween(a1, b) < (70 * Math.PI) / 180) continue;
        const c1 = intersect(a1, b);
        const c2 = intersect(a2, b);
        if (!c1 || !c2 || !inPhoto(c1) || !inPhoto(c2)) continue;
        const across = dist(c1, c2);
        if (across < Math.min(w, h) * 0.12) continue;
        if (segmentSupport(c1, c2, mag, ang, w, h, threshold * 0.6) < THREE_MIN_SUPPORT) continue;
        // along each parallel line, away from b on either side; the pair the card's long or short sides
        const along = (l: Line, sign: number) => ({ x: -Math.sin(l.theta) * sign, y: Math.cos(l.theta) * sign });
        for (const sign of [1, -1])
          for (const len of [across * CARD_ASPECT, across / CARD_ASPECT]) {
            const u1 = along(a1, sign);
            // a2's direction pointing the same way as a1's
            const u2r = along(a2, sign);
            const u2 = u2r.x * u1.x + u2r.y * u1.y < 0 ? { x: -u2r.x, y: -u2r.y } : u2r;
            const at = (k1: number, k2: number): Quad => [
              c1,
              { x: c1.x + u1.x * len * k1, y: c1.y + u1.y * len * k1 },
              { x: c2.x + u2.x * len * k2, y: c2.y + u2.y * len * k2 },
              c2,
            ];
            // the fourth side's two ends slid along the pair's lines apart (the photo's perspective
            // makes the two sides' lengths differ by up to a fifth): every 2 %, then every 0.5 % around the best
            let best: { quad: Quad; support: number; k1: number; k2: number } | undefined;
            const tryAt = (k1: number, k2: number) => {
              const q = at(k1, k2);
              if (!q.every(inPhoto)) return;
              const support = segmentSupport(q[1], q[2], mag, ang, w, h, threshold * SHIFT_THRESHOLD, true);
              if (!best || support > best.support) best = { quad: q, support, k1, k2 };
            };
            for (let k1 = 1 - THREE_SLIDE; k1 <= 1 + THREE_SLIDE + 1e-9; k1 += 0.02)
              for (let k2 = 1 - THREE_SLIDE; k2 <= 1 + THREE_SLIDE + 1e-9; k2 += 0.02) tryAt(k1, k2);
            const coarse = best as { k1: number; k2: number } | undefined;
            if (coarse)
              for (let d1 = -0.02; d1 <= 0.02 + 1e-9; d1 += 0.005)
                for (let d2 = -0.02; d2 <= 0.02 + 1e-9; d2 += 0.005) tryAt(coarse.k1 + d1, coarse.k2 + d2);
            if (!best || best.support < THREE_MIN_SUPPORT) continue;
            const q = best.quad;
            const s1 = segmentSupport(q[0], q[1], mag, ang, w, h, threshold * 0.6);
            const s2 = segmentSupport(q[3], q[2], mag, ang, w, h, threshold * 0.6);
            if (Math.min(s1, s2) < THREE_MIN_SUPPORT) continue;
            const ordered = orderQuad(q);
            if (!isConvex(ordered)) continue;
            three.push({ quad: ordered, score: (s1 + s2 + best.support) * Math.sqrt(polygonArea(ordered)) });
          }
      }
    }
  three.sort((u, v) => v.score - u.score);
  for (const t of three) {
    if (out.length >= INSIDE_OUTLINES) break;
    const full = toFull(t.quad);
    if (out.some((o) => quadDistance(o, full) < 0.04 * dist(full[1], full[2]))) continue;
    out.push(full);
  }
  return out.map((q, k) => (k === 0 && found.status === 'found' ? q : refine(grey, q)));
}

/**
 * How much a card's edges run on past an outline's side: for each side, the lesser edge support of
 * its two adjacent sides carried on past it by {@link RUN_ON_SHARE} of their length, the most of the
 * four. A whole card's edges end at its corners (table or sheet beyond them); an outline of a card
 * that runs off the photo, closed on a line of its print, has the card's edges going on past that
 * line (session 18).
 *
 * @internal
 */
export function edgesRunOn(img: RasterImage, quad: Quad): number {
  const { w, h, scale, mag, ang, threshold } = edges(img);
  const q = quad.map((p) => ({ x: p.x * scale, y: p.y * scale })) as Quad;
  let most = 0;
  for (let s = 0; s < 4; s++) {
    // side s runs from corner s to corner s + 1; the adjacent sides come from corners s + 3 and s + 2
    const a = q[s] as Point;
    const b = q[(s + 1) % 4] as Point;
    const past = (from: Point, to: Point) => {
      const ext = { x: to.x + (to.x - from.x) * RUN_ON_SHARE, y: to.y + (to.y - from.y) * RUN_ON_SHARE };
      return segmentSupport(to, ext, mag, ang, w, h, threshold * 0.6);
    };
    most = Math.max(most, Math.min(past(q[(s + 3) % 4] as Point, a), past(q[(s + 2) % 4] as Point, b)));
  }
  return most;
}
/** How far past a side {@link edgesRunOn} looks (share of the adjacent side's length). */
const RUN_ON_SHARE = 0.15;

/** Outlines {@link insideOutlines} hands on. */
const INSIDE_OUTLINES = 4;
/** Its three-line outlines: how far apart in angle the two parallel lines may be (degrees). */
const THREE_PARALLEL_DEG = 8;
/** How far the fourth side slides from where the card's aspect puts it (share of the side's length). */
const THREE_SLIDE = 0.2;
/** The edge support each of the three lines' sides and the fourth side need. */
const THREE_MIN_SUPPORT = 0.5;

/**
 * How far inside the work image's edge every corner of an outline from {@link insideOutlines} lies
 * (work px; 8 is 1.7 % of the photo's long side): a card nearer the photo's side cannot be told from
 * one running off it (a crop's edge draws its own gradient). The tuning cards a sheet touched lay
 * 2.3–3.5 % from it.
 */
const INSIDE_MARGIN_PX = 8;

/**
 * Whether every corner of an outline lies at least {@link INSIDE_MARGIN_PX} work pixels inside the photo.
 *
 * @internal
 */
export function wellInsidePhoto(img: RasterImage, quad: Quad): boolean {
  const { w, h, scale } = edges(img);
  const m = INSIDE_MARGIN_PX;
  return quad.every(
    (p) => p.x * scale >= m && p.y * scale >= m && p.x * scale <= w - 1 - m && p.y * scale <= h - 1 - m,
  );
}

/**
 * The outline of {@link findCardQuad} from these Hough lines of the photo's work image; `inside`:
 * from these lines alone (no side of the photo), every corner inside the photo.
 */
function outlineOfLines(img: RasterImage, lines: readonly Line[], inside = false): FindCardResult {
  const { chroma, w, h, scale, mag, ang, threshold } = edges(img);
  const borders: Line[] = inside
    ? []
    : [
        { theta: 0, rho: 1, votes: 0, border: true },
        { theta: 0, rho: w - 2, votes: 0, border: true },
        { theta: Math.PI / 2, rho: 1, votes: 0, border: true },
        { theta: Math.PI / 2, rho: h - 2, votes: 0, border: true },
      ];
  const all = [...lines, ...borders];
  const pairs: [Line, Line][] = [];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i] as Line;
      const b = all[j] as Line;
      if (a.border && b.border) continue;
      if (angleBetween(a, b) > (20 * Math.PI) / 180) continue;
      const sep = Math.abs(a.rho - b.rho * (Math.abs(a.theta - b.theta) > Math.PI / 2 ? -1 : 1));
      if (sep < Math.min(w, h) * 0.12) continue;
      pairs.push([a, b]);
    }
  }
  type Outline = { quad: Quad; lines: Line[]; edgeScore: number; support: number; area: number; border: boolean };
  const outlines: Outline[] = [];
  let best: (Outline & { score: number }) | undefined;
  for (let i = 0; i < pairs.length; i++) {
    for (let j = i + 1; j < pairs.length; j++) {
      const [a1, a2] = pairs[i] as [Line, Line];
      const [b1, b2] = pairs[j] as [Line, Line];
      const cross = angleBetween(a1, b1);
      if (cross < (55 * Math.PI) / 180) continue;
      const usesBorder = [a1, a2, b1, b2].filter((l) => l.border).length;
      if (usesBorder > 1) continue;
      const corners = [intersect(a1, b1), intersect(b1, a2), intersect(a2, b2), intersect(b2, a1)];
      if (corners.some((c) => !c)) continue;
      const q = orderQuad(corners as Point[]);
      if (!isConvex(q)) continue;
      if (q.some((p) => p.x < -w * 0.02 || p.y < -h * 0.02 || p.x > w * 1.02 || p.y > h * 1.02)) continue;
      const m = INSIDE_MARGIN_PX;
      if (inside && q.some((p) => p.x < m || p.y < m || p.x > w - 1 - m || p.y > h - 1 - m)) continue;
      const area = polygonArea(q) / (w * h);
      if (area < 0.03 || area > 0.98) continue;
      const long = (dist(q[0], q[1]) + dist(q[2], q[3])) / 2;
      const short = (dist(q[1], q[2]) + dist(q[3], q[0])) / 2;
      const aspect = long / short;
      if (usesBorder === 0 && (aspect < CARD_ASPECT * 0.72 || aspect > CARD_ASPECT * 1.3)) continue;
      if (usesBorder === 1 && aspect > CARD_ASPECT * 1.3) continue;
      const supports = [0, 1, 2, 3].map((s) => {
        const p = q[s] as Point;
        const r = q[(s + 1) % 4] as Point;
        const onBorder =
          (Math.abs(p.x - r.x) < 3 && (p.x < 3 || p.x > w - 4)) ||
          (Math.abs(p.y - r.y) < 3 && (p.y < 3 || p.y > h - 4));
        return onBorder ? 0.6 : segmentSupport(p, r, mag, ang, w, h, threshold * 0.6);
      });
      const support = supports.reduce((s, v) => s + v, 0) / 4;
      if (Math.min(...supports) < 0.3 || support < 0.5) continue;
      const aspectFit = usesBorder ? 0.8 : 1 - Math.min(0.5, Math.abs(Math.log(aspect / CARD_ASPECT)));
      const edgeScore = support * support * Math.sqrt(area) * aspectFit * (usesBorder ? 0.85 : 1);
      const outline = { quad: q, lines: [a1, a2, b1, b2], edgeScore, support, area, border: usesBorder > 0 };
      outlines.push(outline);
      // the corners' colours only lower a score: looked at only where the outline could still win
      if (best && edgeScore <= best.score) continue;
      const foreign = chroma ? outlineFaults(q, chroma, w, h).foreign : 0;
      const score = edgeScore * FOREIGN_CORNER_FACTOR ** foreign;
      if (!best || score > best.score) best = { ...outline, score };
    }
  }
  if (!best) return { status: 'not-found' };
  // a side through the portrait or the emblem: the outline that differs in that side alone and lies
  // further out, free of faults, is the card's (its edge over a paler background drew fewer votes)
  if (chroma && !best.border && outlineFaults(best.quad, chroma, w, h).inner > 0) {
    const chosen = best;
    const outer = outlines
      .filter(
        (o) =>
          !o.border &&
          o.area > chosen.area &&
          o.edgeScore >= OUTER_MIN_SCORE * chosen.score &&
          o.lines.filter((l) => chosen.lines.includes(l)).length === 3,
      )
      .sort((a, b) => b.edgeScore - a.edgeScore)
      .find((o) => {
        const f = outlineFaults(o.quad, chroma, w, h);
        return f.foreign === 0 && f.inner === 0;
      });
    if (outer) best = { ...outer, score: outer.edgeScore };
  }
  const grey = toGrey(img);
  const toFull = (q: Quad) => q.map((p) => ({ x: p.x / scale, y: p.y / scale })) as Quad;
  const full = toFull(best.quad);
  if (best.border) return { status: 'cut-off', quad: full, support: best.support, areaShare: best.area };
  // runners-up: whole outlines that score nearly as well and differ from the winner by more than
  // a refit could move a corner (their corner colours looked at only now)
  const chosen = best;
  const apart = 0.04 * Math.min(dist(chosen.quad[1], chosen.quad[2]), dist(chosen.quad[3], chosen.quad[0]));
  const alternatives: Quad[] = [];
  for (const o of [...outlines].sort((a, b) => b.edgeScore - a.edgeScore)) {
    if (alternatives.length >= MAX_ALTERNATIVES || o.edgeScore < ALTERNATIVE_MIN_SCORE * chosen.score) break;
    if (o.border || o.quad === chosen.quad) continue;
    if (quadDistance(o.quad, chosen.quad) < apart) continue;
    const score = o.edgeScore * FOREIGN_CORNER_FACTOR ** (chroma ? outlineFaults(o.quad, chroma, w, h).foreign : 0);
    if (score >= ALTERNATIVE_MIN_SCORE * chosen.score) alternatives.push(refine(grey, toFull(o.quad)));
  }
  return { status: 'found', quad: refine(grey, full), support: best.support, areaShare: best.area, alternatives };
}

/**
 * What an outline that looks like a card may still have wrong, for a caller that compares
 * outlines by the card's print (`chooseOutlineByLayout`; 0 and 0 for a grey photo):
 * - `offCard`: corners that lie clearly off the card — the point just inside the corner (3 % of the
 *   short side in from both sides) is not the colour of the card's stock (the median of the bands
 *   just inside the sides). An outline that took the edge of a sheet lying a few millimetres beside
 *   the card for a side puts a corner on the table, where the sheet's edge runs on past the card or
 *   the card past the sheet; the card's own corners have card all round them (session 15);
 * - `inner`: sides that may run through the card — their inside band mostly not stock (below
 *   {@link INNER_DOUBT_STOCK}: print), their outside band stock.
 *
 * @internal
 */
export function outlineDoubts(img: RasterImage, quad: Quad): { offCard: number; inner: number } {
  const { chroma, w, h, scale } = edges(img);
  if (!chroma) return { offCard: 0, inner: 0 };
  const f = outlineFaults(quad.map((p) => ({ x: p.x * scale, y: p.y * scale })) as Quad, chroma, w, h);
  return { offCard: f.offCard, inner: f.innerDoubt };
}

/**
 * How far in from a side on a sheet the card's own edge is looked for (mm along the adjacent sides;
 * an end may also move this far out). 16 in session 16; 30 since a grey sheet 23 mm wide beside a
 * CCCD 2016 back's right side (session 17, seed 12).
 */
const PEEL_IN_MM = 30;
const PEEL_OUT_MM = 1.5;
/** One end of a peeled side moves in at least this far (mm): nearer is the refit's, and the blur of the sheet's own edge. */
const PEEL_MIN_MM = 1.5;
/** The card's stock colour is the median of (PEEL_GRID − 1)² points over the middle 60 % of the outline. */
const PEEL_GRID = 12;
/**
 * A sample along a candidate edge counts when the colour just outside it is further from the stock
 * than the colour just inside by this much (chroma and luminance, 0–255 units), with the inside within
 * the stock's margins; the edge needs this share of its samples.
 */
const PEEL_STEP = 7;
const PEEL_MIN_SHARE = 0.6;
/**
 * The strip between the side and the edge found must be further from the stock, on average, than
 * the card this far inside the edge (mm), by this much: a sheet's strip, not the card's margin.
 */
const PEEL_INNER_MM = 1.5;
const PEEL_STRIP = 4;

/**
 * An outline with a corner off the card (`outlineDoubts`) with the sides at those corners moved in
 * onto the card's own edge: a pale sheet under the card, its edge a few millimetres beside one or
 * two sides, was taken for them, and the card's edge over the sheet is too faint for the edge map
 * (or for `shiftedOutlines`' support). Each side at an off-card corner is moved (its two ends
 * sliding along the adjacent sides, up to {@link PEEL_IN_MM} in) to where most points along it have
 * card stock just inside and a colour further from the stock just outside — the sheet's or the
 * table's; the outline with every such side moved, then each alone, each refitted on the photo like
 * `findCardQuad`'s (session 17). Empty for a grey photo or an outline with every corner on the card.
 *
 * @internal
 */
export function peeledOutlines(img: RasterImage, quad: Quad): Quad[] {
  const { chroma, w, h, scale } = edges(img);
  if (!chroma) return [];
  const q = quad.map((p) => ({ x: p.x * scale, y: p.y * scale })) as Quad;
  const off = outlineFaults(q, chroma, w, h).offCorners;
  if (off.length === 0) return [];
  const pxPerMm = (dist(q[0], q[1]) + dist(q[2], q[3])) / 2 / ID1_WIDTH_MM;
  const cx = q.reduce((s, p) => s + p.x, 0) / 4;
  const cy = q.reduce((s, p) => s + p.y, 0) / 4;
  const inward = (a: Point, b: Point): Point => {
    const len = dist(a, b) || 1;
    const n = { x: -(b.y - a.y) / len, y: (b.x - a.x) / len };
    return n.x * (cx - (a.x + b.x) / 2) + n.y * (cy - (a.y + b.y) / 2) < 0 ? { x: -n.x, y: -n.y } : n;
  };
  const inImage = (x: number, y: number) => x >= 1 && y >= 1 && x < w - 1 && y < h - 1;
  // the stock: the median colour over the middle of the outline, which only the card covers (its print is sparser than its stock)
  const deep: Colour[] = [];
  for (let u = 1; u < PEEL_GRID; u++)
    for (let v = 1; v < PEEL_GRID; v++) {
      const fu = 0.2 + (0.6 * u) / PEEL_GRID;
      const fv = 0.2 + (0.6 * v) / PEEL_GRID;
      const top = { x: q[0].x + (q[1].x - q[0].x) * fu, y: q[0].y + (q[1].y - q[0].y) * fu };
      const bottom = { x: q[3].x + (q[2].x - q[3].x) * fu, y: q[3].y + (q[2].y - q[3].y) * fu };
      const x = Math.round(top.x + (bottom.x - top.x) * fv);
      const y = Math.round(top.y + (bottom.y - top.y) * fv);
      if (inImage(x, y)) deep.push(colourAt(chroma, w, x, y));
    }
  if (deep.length < 8) return [];
  const stock = medianColour(deep);
  const fromStock = (x: number, y: number) => {
    const c = colourAt(chroma, w, Math.round(x), Math.round(y));
    return Math.hypot(c.rg - stock.rg, c.yb - stock.yb, c.lum - stock.lum);
  };
  const onStock = (x: number, y: number) => isStock(colourAt(chroma, w, Math.round(x), Math.round(y)), stock);
  const lineOf = (a: Point, b: Point): PointLine => ({ p: a, d: { x: b.x - a.x, y: b.y - a.y } });
  const sides: PointLine[] = [0, 1, 2, 3].map((s) => lineOf(q[s] as Point, q[(s + 1) % 4] as Point));
  const moved = new Map<number, PointLine>();
  const sidesToPeel = [...new Set(off.flatMap((c) => [(c + 3) % 4, c]))];
  for (const s of sidesToPeel) {
    const { a, b, ends } = sideMoves(q, s);
    const lo = -Math.round(PEEL_OUT_MM * pxPerMm);
    const hi = Math.round(PEEL_IN_MM * pxPerMm);
    // the share of points along the side moved by (i, j) with card stock just inside and a colour further from it just outside
    const share = (i: number, j: number) => {
      const [a2, b2] = ends(i, j);
      const n = inward(a2, b2);
      let seen = 0;
      let hits = 0;
      for (let k = 1; k < BAND_SAMPLES; k++) {
        const t = k / BAND_SAMPLES;
        const x = a2.x + (b2.x - a2.x) * t;
        const y = a2.y + (b2.y - a2.y) * t;
        if (!inImage(x - 3 * n.x, y - 3 * n.y) || !inImage(x + 3 * n.x, y + 3 * n.y)) continue;
        seen++;
        if (!onStock(x + n.x * 2, y + n.y * 2)) continue;
        if (fromStock(x - n.x * 2, y - n.y * 2) - fromStock(x + n.x * 2, y + n.y * 2) >= PEEL_STEP) hits++;
      }
      return seen >= BAND_SAMPLES / 2 ? hits / seen : 0;
    };
    // every other work pixel, then every pixel around the best
    let best: { share: number; i: number; j: number } | undefined;
    const look = (i: number, j: number) => {
      if (i < lo || j < lo || i > hi || j > hi || Math.max(i, j) < PEEL_MIN_MM * pxPerMm) return;
      const v = share(i, j);
      if (!best || v > best.share) best = { share: v, i, j };
    };
    for (let i = lo; i <= hi; i += 2) for (let j = lo; j <= hi; j += 2) look(i, j);
    const coarse = best;
    if (coarse)
      for (let i = coarse.i - 1; i <= coarse.i + 1; i++) for (let j = coarse.j - 1; j <= coarse.j + 1; j++) look(i, j);
    // the strip between the side and the edge found is the sheet's, not card: further from the stock than the card inside the edge
    const strip = (i: number, j: number) => {
      const [a2, b2] = ends(i, j);
      const n = inward(a2, b2);
      const deepPx = PEEL_INNER_MM * pxPerMm;
      let sum = 0;
      let seen = 0;
      for (let k = 1; k < BAND_SAMPLES; k++) {
        const t = k / BAND_SAMPLES;
        const x0 = a.x + (b.x - a.x) * t;
        const y0 = a.y + (b.y - a.y) * t;
        const x = a2.x + (b2.x - a2.x) * t;
        const y = a2.y + (b2.y - a2.y) * t;
        const mx = (x0 + x) / 2;
        const my = (y0 + y) / 2;
        if (!inImage(mx, my) || !inImage(x + n.x * deepPx, y + n.y * deepPx)) continue;
        seen++;
        sum += fromStock(mx, my) - fromStock(x + n.x * deepPx, y + n.y * deepPx);
      }
      return seen > 0 ? sum / seen : 0;
    };
    if (best && best.share >= PEEL_MIN_SHARE && strip(best.i, best.j) >= PEEL_STRIP)
      moved.set(s, lineOf(...ends(best.i, best.j)));
  }
  let grey: RasterImage | undefined;
  const outline = (use: readonly number[]): Quad | undefined => {
    const ls = sides.map((l, s) => (use.includes(s) ? (moved.get(s) as PointLine) : l));
    const corners = [0, 1, 2, 3].map((s) => crossing(ls[(s + 3) % 4] as PointLine, ls[s] as PointLine));
    if (corners.some((p) => !p)) return undefined;
    const full = (corners as Point[]).map((p) => ({ x: p.x / scale, y: p.y / scale })) as Quad;
    if (!isConvex(full)) return undefined;
    // each side onto the strongest edge near it, as the edges' outlines are: the search steps are
    // work pixels, 2–3 photo pixels (session 17: a peeled side 1.5 mm off → 0.2 mm)
    grey ??= toGrey(img);
    return refine(grey, full);
  };
  // every combination of the moved sides: a side that was the card's own may have been moved onto its print
  const keys = [...moved.keys()];
  const sets: number[][] = [];
  for (let m = 1; m < 1 << keys.length; m++) sets.push(keys.filter((_, k) => m & (1 << k)));
  return sets.map(outline).filter((o): o is Quad => o !== undefined);
}

/**
 * The sides an outline placed by other means (from the card's MRZ, `outlinesFromMrz`) may take: for
 * each side, the side given and the photo's Hough lines (the strongest and those they hid) within
 * `maxDeg[s]` of it and `reach[s]` photo pixels of its middle, the nearest `perSide[s]`. `quad(pick)`
 * closes the outline of one choice per side (corners in the given order: corner `s` joins side
 * `s − 1` and side `s`), refined like `findCardQuad`'s; `undefined` when it is not convex.
 *
 * @param img - The photo.
 * @param quad - The outline placed, photo pixels.
 * @param reach - How far each side may move, photo pixels (per side: top, right, bottom, left).
 * @param maxDeg - How far each side may turn, degrees.
 * @param perSide - How many of the photo's lines each side may take.
 * @internal
 */
export function sidesNear(
  img: RasterImage,
  quad: Quad,
  reach: readonly number[],
  maxDeg: readonly number[],
  perSide: readonly number[],
): { options: number[]; quad(pick: readonly number[]): Quad | undefined } {
  const { w, h, scale, mag, ang, threshold } = edges(img);
  const hough = houghLines(mag, ang, w, h, threshold, true);
  const lines = [...hough.top, ...hough.hidden];
  const work = quad.map((p) => ({ x: p.x * scale, y: p.y * scale })) as Quad;
  const sides = [0, 1, 2, 3].map((s) => {
    const a = work[s] as Point;
    const b = work[(s + 1) % 4] as Point;
    const len = dist(a, b) || 1;
    const theta = Math.atan2((b.x - a.x) / len, -(b.y - a.y) / len);
    const given: Line = { theta, rho: a.x * Math.cos(theta) + a.y * Math.sin(theta), votes: 0 };
    const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    const near = lines
      .filter((l) => angleBetween(l, given) <= ((maxDeg[s] ?? 0) * Math.PI) / 180)
      .map((l) => ({ l, d: Math.abs(mid.x * Math.cos(l.theta) + mid.y * Math.sin(l.theta) - l.rho) }))
      .filter((c) => c.d <= (reach[s] ?? 0) * scale)
      .sort((u, v) => u.d - v.d)
      .slice(0, perSide[s] ?? 0)
      .map((c) => c.l);
    return [given, ...near];
  });
  let grey: RasterImage | undefined;
  return {
    options: sides.map((o) => o.length),
    quad(pick) {
      const ls = pick.map((k, i) => (sides[i] as Line[])[k] as Line);
      const corners = [0, 1, 2, 3].map((i) => intersect(ls[(i + 3) % 4] as Line, ls[i] as Line));
      if (corners.some((c) => !c) || !isConvex(corners as Point[])) return undefined;
      grey ??= toGrey(img);
      return refine(grey, (corners as Point[]).map((p) => ({ x: p.x / scale, y: p.y / scale })) as Quad);
    },
  };
}
