import { localMean, type RasterImage, resize, toGrey } from '@smart-citizen/image';
import { ID1_HEIGHT_MM, ID1_WIDTH_MM } from '../cardTypes.js';
import type { Quad } from './findCardQuad.js';

/** Photos are looked at with their longer side at most this many pixels. */
const WORK_SIZE = 1600;
/** Grey levels a pixel must be darker than its surroundings to be ink. */
const INK_CONTRAST = 25;
/** Characters in a line found, at least (a TD1 MRZ line has 30; glare may hide a few). */
const MIN_CHARS = 18;
/** Share of a line's gaps that must be one character pitch (± {@link PITCH_TOLERANCE}). */
const MIN_REGULAR = 0.7;
const PITCH_TOLERANCE = 0.2;
/** The MRZ's lines are 4.5 mm apart (`layout/layouts.ts` `MRZ_LINES`). */
const LINE_PITCH_MM = 4.5;
/** Line 1's box (`MRZ_LINES`): left edge and top (mm). */
const MRZ_LEFT_MM = 3;
const MRZ_TOP_MM = 39.6;
/**
 * Where the ink of a line's capitals is centred below its box's top (mm): a 4 mm box with type
 * 0.78 of its height on a baseline at 0.8 of it. Measured on generated backs against their true corners.
 */
const ROW_CENTRE_MM = 2.1;

/** A TD1 MRZ found in a photo without any card outline. */
export interface MrzBlock {
  /**
   * The card's corners in the photo derived from the MRZ, in the card's own order (top-left of
   * the card first), for the block's two ways up, the likelier first (the end of the lines with
   * more fillers `<` is their right).
   */
  quads: [Quad, Quad];
  /** Photo pixels per card millimetre, from the lines' spacing. */
  pxPerMm: number;
  /** The lines' direction in the photo (radians, 0 along +x, mod π). */
  angle: number;
  /** Characters found in the three lines. */
  chars: number;
}

interface Blob {
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  syy: number;
  sxy: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** A character-like blob: centroid and second moments (work pixels). */
interface Char {
  x: number;
  y: number;
  cxx: number;
  cyy: number;
  cxy: number;
  size: number;
}

/** Ink pixels: darker than the local mean (a window about a character across) by {@link INK_CONTRAST}. */
function inkMask(grey: RasterImage, radius: number): Uint8Array {
  const mean = localMean(grey, radius);
  const out = new Uint8Array(grey.width * grey.height);
  for (let i = 0; i < out.length; i++) out[i] = (grey.data[i] as number) < (mean[i] as number) - INK_CONTRAST ? 1 : 0;
  return out;
}

/** 8-connected blobs of the mask (union–find over runs of the two passes). */
function blobs(mask: Uint8Array, w: number, h: number): Blob[] {
  const label = new Int32Array(w * h);
  const parent: number[] = [0];
  const find = (a: number): number => {
    let r = a;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[a] !== r) {
      const next = parent[a] as number;
      parent[a] = r;
      a = next;
    }
    return r;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (mask[i] === 0) continue;
      let l = 0;
      const take = (j: number) => {
        const lj = label[j] as number;
        if (lj === 0) return;
        if (l === 0) l = lj;
        else if (lj !== l) union(l, lj);
      };
      if (x > 0) take(i - 1);
      if (y > 0) {
        if (x > 0) take(i - w - 1);
        take(i - w);
        if (x < w - 1) take(i - w + 1);
      }
      if (l === 0) {
        l = parent.length;
        parent.push(l);
      }
      label[i] = l;
    }
  }
  const byRoot = new Map<number, Blob>();
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const l = label[y * w + x] as number;
      if (l === 0) continue;
      const r = find(l);
      let b = byRoot.get(r);
      if (!b) {
        b = { n: 0, sx: 0, sy: 0, sxx: 0, syy: 0, sxy: 0, x0: x, x1: x, y0: y, y1: y };
        byRoot.set(r, b);
      }
      b.n++;
      b.sx += x;
      b.sy += y;
      b.sxx += x * x;
      b.syy += y * y;
      b.sxy += x * y;
      if (x < b.x0) b.x0 = x;
      if (x > b.x1) b.x1 = x;
      if (y < b.y0) b.y0 = y;
      if (y > b.y1) b.y1 = y;
    }
  }
  return [...byRoot.values()];
}

/** Blobs the size of a printed character (not specks, not edges, pictures or codes). */
function characters(bs: readonly Blob[], minSize: number, maxSize: number): Char[] {
  const out: Char[] = [];
  for (const b of bs) {
    const size = Math.max(b.x1 - b.x0, b.y1 - b.y0) + 1;
    if (size < minSize || size > maxSize || b.n < 6) continue;
    // a stroke-drawn character fills a fraction of its box; a filled patch (a shadow, a pupil) fills it all
    if (b.n > 0.8 * (b.x1 - b.x0 + 1) * (b.y1 - b.y0 + 1) && size > 2 * minSize) continue;
    const x = b.sx / b.n;
    const y = b.sy / b.n;
    out.push({ x, y, cxx: b.sxx / b.n - x * x, cyy: b.syy / b.n - y * y, cxy: b.sxy / b.n - x * y, size });
  }
  return out;
}

/** The direction text lines run in (radians mod π): the commonest direction from a character to its nearest like-sized neighbour. */
function textDirection(chars: readonly Char[]): number | undefined {
  const cell = Math.max(4, Math.ceil(Math.max(...chars.map((c) => c.size)) * 2));
  const grid = new Map<string, number[]>();
  const key = (gx: number, gy: number) => `${gx},${gy}`;
  for (const [i, c] of chars.entries()) {
    const k = key(Math.floor(c.x / cell), Math.floor(c.y / cell));
    const list = grid.get(k);
    if (list) list.push(i);
    else grid.set(k, [i]);
  }
  const bins = new Float64Array(180);
  for (const c of chars) {
    const gx = Math.floor(c.x / cell);
    const gy = Math.floor(c.y / cell);
    let best = Number.POSITIVE_INFINITY;
    let angle = 0;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++)
        for (const j of grid.get(key(gx + dx, gy + dy)) ?? []) {
          const o = chars[j] as Char;
          if (o === c || o.size > 1.6 * c.size || c.size > 1.6 * o.size) continue;
          const d = Math.hypot(o.x - c.x, o.y - c.y);
          if (d < best && d < 2 * Math.max(c.size, o.size)) {
            best = d;
            angle = Math.atan2(o.y - c.y, o.x - c.x);
          }
        }
    if (best === Number.POSITIVE_INFINITY) continue;
    let deg = Math.round((angle * 180) / Math.PI) % 180;
    if (deg < 0) deg += 180;
    bins[deg] = (bins[deg] as number) + 1;
  }
  let bestDeg = -1;
  let bestVotes = 0;
  for (let d = 0; d < 180; d++) {
    const v = (bins[(d + 179) % 180] as number) + 2 * (bins[d] as number) + (bins[(d + 1) % 180] as number);
    if (v > bestVotes) {
      bestVotes = v;
      bestDeg = d;
    }
  }
  return bestDeg < 0 || bestVotes < 2 * MIN_CHARS ? undefined : (bestDeg * Math.PI) / 180;
}

/** A run of evenly pitched characters along the text direction. */
interface Row {
  members: { u: number; v: number; h: number }[];
  pitch: number;
  u0: number;
  u1: number;
  v: number;
  height: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor(s.length / 2)] as number) : 0;
}

/** Chains of characters, each linked to the next one along the line, kept when they are evenly pitched and long. */
function evenRows(chars: readonly Char[], angle: number): Row[] {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const pts = chars
    .map((ch) => {
      // the blob's extent across the line (its second moment along the normal)
      const varV = ch.cxx * s * s + ch.cyy * c * c - 2 * ch.cxy * s * c;
      return { u: ch.x * c + ch.y * s, v: -ch.x * s + ch.y * c, h: Math.sqrt(12 * Math.max(0, varV)) + 1 };
    })
    .sort((a, b) => a.u - b.u);
  const next = new Int32Array(pts.length).fill(-1);
  const taken = new Uint8Array(pts.length);
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i] as (typeof pts)[number];
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let j = i + 1; j < pts.length; j++) {
      const q = pts[j] as (typeof pts)[number];
      const ref = Math.max(p.h, q.h);
      const du = q.u - p.u;
      if (du > 2.6 * ref) break;
      if (taken[j] || du < 0.3 * Math.min(p.h, q.h) || Math.abs(q.v - p.v) > 0.4 * ref) continue;
      const cost = du + 3 * Math.abs(q.v - p.v);
      if (cost < bestCost) {
        bestCost = cost;
        best = j;
      }
    }
    if (best >= 0) {
      next[i] = best;
      taken[best] = 1;
    }
  }
  const rows: Row[] = [];
  for (let i = 0; i < pts.length; i++) {
    if (taken[i]) continue;
    const members: Row['members'] = [];
    for (let k = i; k >= 0; k = next[k] as number) members.push(pts[k] as (typeof pts)[number]);
    if (members.length < MIN_CHARS) continue;
    const gaps = members.slice(1).map((m, k) => m.u - (members[k] as (typeof members)[number]).u);
    const pitch = median(gaps);
    const regular = gaps.filter((g) => Math.abs(g - pitch) <= PITCH_TOLERANCE * pitch).length / gaps.length;
    if (regular < MIN_REGULAR) continue;
    const height = median(members.map((m) => m.h));
    rows.push({
      members,
      pitch,
      u0: (members[0] as (typeof members)[number]).u,
      u1: (members[members.length - 1] as (typeof members)[number]).u,
      v: median(members.map((m) => m.v)),
      height,
    });
  }
  return rows.sort((a, b) => a.v - b.v);
}

/** Three rows spaced, pitched and aligned like an MRZ's lines, the one with the most characters. */
function mrzRows(rows: readonly Row[]): [Row, Row, Row] | undefined {
  let best: [Row, Row, Row] | undefined;
  let bestN = 0;
  const near = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(a, b);
  for (let i = 0; i < rows.length; i++)
    for (let j = i + 1; j < rows.length; j++)
      for (let k = j + 1; k < rows.length; k++) {
        const t = [rows[i], rows[j], rows[k]] as [Row, Row, Row];
        const p = median(t.map((r) => r.pitch));
        const d1 = t[1].v - t[0].v;
        const d2 = t[2].v - t[1].v;
        if (!t.every((r) => near(r.pitch, p, 0.12))) continue;
        if (!near(d1, d2, 0.12) || d1 < 1.1 * p || d1 > 3.5 * p) continue;
        // lines of one length (30 characters each), starting one under the other
        const u0 = median(t.map((r) => r.u0));
        const u1 = median(t.map((r) => r.u1));
        if ((u1 - u0) / p < 24 || (u1 - u0) / p > 32) continue;
        if (t.filter((r) => Math.abs(r.u0 - u0) <= 1.5 * p && Math.abs(r.u1 - u1) <= 1.5 * p).length < 2) continue;
        const n = t.reduce((a, r) => a + r.members.length, 0);
        if (n > bestN) {
          bestN = n;
          best = t;
        }
      }
  return best;
}

/**
 * Find a TD1 machine-readable zone (three lines of 30 evenly pitched OCR-B characters) anywhere in
 * a photo, without the card's outline, and derive from it where the card is: the lines' direction
 * gives the card's, their spacing (4.5 mm) its scale, and the first character of line 1 its place
 * (the layouts' `MRZ_LINES`). Ink is pixels darker than their surroundings, cut into blobs; blobs
 * the size of a character are chained to their next neighbour along the commonest text
 * direction, and chains of at least {@link MIN_CHARS} evenly pitched characters are lines; three
 * lines equally spaced, of one pitch and one length, are the MRZ. A card outline that failed (the
 * card cut off by the photo, a sheet of paper taken for the card) does not matter here: only the
 * MRZ must be in the photo.
 *
 * @param img - The photo (any channel count).
 * @returns The block and the card's two possible outlines, or `undefined` when no MRZ-like block is found.
 */
export function findMrzBlock(img: RasterImage): MrzBlock | undefined {
  if (!img || !(img.width >= 32) || !(img.height >= 32)) return undefined;
  const scale = Math.min(1, WORK_SIZE / Math.max(img.width, img.height));
  const grey0 = img.channels === 1 ? img : toGrey(img);
  const grey =
    scale < 1 ? resize(grey0, { width: Math.round(img.width * scale), height: Math.round(img.height * scale) }) : grey0;
  const { width: w, height: h } = grey;
  const long = Math.max(w, h);
  const mask = inkMask(grey, Math.max(4, Math.round(long / 100)));
  // characters from a card a fifth of the photo across up to one filling it
  const chars = characters(blobs(mask, w, h), Math.max(3, long / 400), long / 25);
  if (chars.length < 3 * MIN_CHARS) return undefined;
  const angle0 = textDirection(chars);
  if (angle0 === undefined) return undefined;
  const rows = mrzRows(evenRows(chars, angle0));
  if (!rows) return undefined;
  // one slope for the three lines (least squares about each line's own mean)
  let num = 0;
  let den = 0;
  for (const r of rows) {
    const mu = r.members.reduce((a, m) => a + m.u, 0) / r.members.length;
    const mv = r.members.reduce((a, m) => a + m.v, 0) / r.members.length;
    for (const m of r.members) {
      num += (m.u - mu) * (m.v - mv);
      den += (m.u - mu) ** 2;
    }
  }
  const angle = angle0 + (den > 0 ? Math.atan(num / den) : 0);
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  // the lines again in the refined direction: where each runs (capitals only: `<` sits lower)
  const lines = rows.map((r) => {
    const ms = r.members.map((m) => {
      // back to work pixels, then into the refined frame
      const x = m.u * Math.cos(angle0) - m.v * Math.sin(angle0);
      const y = m.u * Math.sin(angle0) + m.v * Math.cos(angle0);
      return { u: x * c + y * s, v: -x * s + y * c, h: m.h };
    });
    const tall = ms.filter((m) => m.h >= 0.8 * r.height);
    return {
      v: median((tall.length >= 5 ? tall : ms).map((m) => m.v)),
      u0: Math.min(...ms.map((m) => m.u)),
      u1: Math.max(...ms.map((m) => m.u)),
      pitch: r.pitch,
    };
  });
  const spacing = ((lines[2]?.v as number) - (lines[0]?.v as number)) / 2;
  const pxPerMm = spacing / LINE_PITCH_MM;
  if (!(pxPerMm > 0)) return undefined;
  const pitch = median(lines.map((l) => l.pitch));
  const u0 = median(lines.map((l) => l.u0));
  const u1 = median(lines.map((l) => l.u1));
  const midV = (lines[1] as (typeof lines)[number]).v;
  /** The card's corners when the block reads along `dir` (+1: as found, −1: turned by 180°). */
  const quadFor = (dir: 1 | -1): Quad => {
    // the first character's centre, half a pitch in from the line's left edge
    const uFirst = dir === 1 ? u0 : u1;
    const vLine1 = midV - dir * spacing;
    const corners: [number, number][] = [
      [0, 0],
      [ID1_WIDTH_MM, 0],
      [ID1_WIDTH_MM, ID1_HEIGHT_MM],
      [0, ID1_HEIGHT_MM],
    ];
    return corners.map(([xm, ym]) => {
      const u = uFirst + dir * (xm - MRZ_LEFT_MM) * pxPerMm - (dir * pitch) / 2;
      const v = vLine1 + dir * (ym - MRZ_TOP_MM - ROW_CENTRE_MM) * pxPerMm;
      return { x: (u * c - v * s) / scale, y: (u * s + v * c) / scale };
    }) as Quad;
  };
  // the fillers (`<`, shorter than the capitals) pad the lines' ends: the end with more of them is the right
  let rightSmall = 0;
  let leftSmall = 0;
  for (const r of rows) {
    const mid = (r.u0 + r.u1) / 2;
    for (const m of r.members)
      if (m.h < 0.75 * r.height) {
        if (m.u > mid) rightSmall++;
        else leftSmall++;
      }
  }
  return {
    quads: rightSmall >= leftSmall ? [quadFor(1), quadFor(-1)] : [quadFor(-1), quadFor(1)],
    pxPerMm: pxPerMm / scale,
    angle: ((angle % Math.PI) + Math.PI) % Math.PI,
    chars: rows.reduce((a, r) => a + r.members.length, 0),
  };
}
