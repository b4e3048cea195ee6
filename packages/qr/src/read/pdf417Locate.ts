/**
 * Locate PDF417 symbols (the 2016 CCCD's back) by their start and stop patterns and cut each
 * out as an upright rectangle for the engine.
 *
 * Every row and every column of a binarised frame (every `step` pixels, both directions) is
 * cut into runs; runs shaped like the start pattern (bar widths 8 1 1 1 1 1 1 3 modules) or the
 * stop pattern (7 1 1 3 1 1 1 2 1) are hits. Hits of one scan orientation chain into straight
 * edges (the start pattern's outer edge, the stop pattern's outer edge); a start edge and a
 * stop edge ahead of it along the scan, overlapping it and of the same module width, give the
 * symbol's quadrilateral (their end points), which is warped to an upright rectangle with a
 * few modules of margin and a chosen module width.
 * @internal
 */
import { estimateHomography, type RasterImage, warpPerspective } from '@smart-citizen/image';

type Pt = { x: number; y: number };

/** One run-length match of the start or stop pattern on one scan line. */
interface Hit {
  /** Scan line index (row or column number divided by the step). */
  line: number;
  /** Position along the scan line (pixels, in scan order) of the pattern's outer edge. */
  pos: number;
  /** Module width along the scan line, pixels. */
  module: number;
  /** Inferred from the other pattern on the same line (the edge of the margin), not matched. */
  derived?: boolean;
}

/** A straight chain of hits: the outer edge of a start or stop pattern. */
interface Edge {
  hits: Hit[];
  /** pos ≈ a + b·line (least squares). */
  a: number;
  b: number;
  first: number;
  last: number;
  module: number;
}

/** A located PDF417: corners (top-left, top-right, bottom-right, bottom-left in reading order) and module width. */
export interface Pdf417Location {
  corners: [Pt, Pt, Pt, Pt];
  /** Narrowest bar's width in pixels (along the rows). */
  module: number;
  /** Scan lines that found its start and stop edges (more is surer). */
  hits: number;
}

const within = (v: number, lo: number, hi: number) => v >= lo && v <= hi;

/**
 * Runs `r[i..i+7]` shaped like the start pattern (8 1 1 1 1 1 1 3), the first dark: the module
 * width, else 0. Tolerant (blur widens and narrows the one-module runs), but the thick bar,
 * the six thin runs together and the closing space must each be in proportion.
 */
export function startModule(r: ArrayLike<number>, i: number): number {
  let total = 0;
  for (let k = 0; k < 8; k++) total += r[i + k] ?? 0;
  const m = total / 17;
  if (m < 1) return 0;
  const bar = r[i] ?? 0;
  let thin = 0;
  for (let k = 1; k <= 6; k++) {
    const t = r[i + k] ?? 0;
    if (t > 2.6 * m) return 0;
    thin += t;
  }
  const space = r[i + 7] ?? 0;
  return within(bar, 5.5 * m, 10.5 * m) && within(thin, 4 * m, 8 * m) && within(space, 1.4 * m, 4.8 * m) ? m : 0;
}

/** Runs `r[i..i+8]` shaped like the stop pattern (7 1 1 3 1 1 1 2 1), the first dark: the module width, else 0. */
export function stopModule(r: ArrayLike<number>, i: number): number {
  let total = 0;
  for (let k = 0; k < 9; k++) total += r[i + k] ?? 0;
  const m = total / 18;
  if (m < 1) return 0;
  const bar = r[i] ?? 0;
  const pair = (r[i + 1] ?? 0) + (r[i + 2] ?? 0);
  const space = r[i + 3] ?? 0;
  let tail = 0;
  for (let k = 4; k <= 8; k++) {
    const t = r[i + k] ?? 0;
    if (t > 2.8 * m) return 0;
    tail += t;
  }
  return within(bar, 4.8 * m, 9.5 * m) &&
    within(pair, 0.9 * m, 3.6 * m) &&
    within(space, 1.6 * m, 4.8 * m) &&
    within(tail, 4 * m, 8.5 * m)
    ? m
    : 0;
}

/** Run lengths of one scan line of a binary image (first run dark or light as `firstDark` says). */
function runsOf(values: Uint8Array, n: number): { runs: Int32Array; count: number; firstDark: boolean } {
  const runs = new Int32Array(n);
  let count = 0;
  let len = 1;
  for (let k = 1; k < n; k++) {
    if (values[k] === values[k - 1]) len++;
    else {
      runs[count++] = len;
      len = 1;
    }
  }
  runs[count++] = len;
  return { runs, count, firstDark: values[0] === 1 };
}

/** Start and stop hits along one scan line (values in scan order). */
function scanLine(
  { runs, count, firstDark }: { runs: Int32Array; count: number; firstDark: boolean },
  line: number,
  starts: Hit[],
  stops: Hit[],
): void {
  const at = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) at[i + 1] = (at[i] as number) + (runs[i] as number);
  const isDark = (i: number) => (i % 2 === 0) === firstDark;
  const lineStarts: [number, number][] = [];
  const lineStops: [number, number][] = [];
  for (let i = 0; i + 8 < count; i++) {
    if (!isDark(i)) continue;
    // The light run before must be a quiet zone of a module or more (or the line's start).
    const before = i > 0 ? (runs[i - 1] as number) : Number.POSITIVE_INFINITY;
    const m = startModule(runs, i);
    if (m && before >= m) lineStarts.push([i, m]);
    const s = stopModule(runs, i);
    const after = i + 9 < count ? (runs[i + 9] as number) : Number.POSITIVE_INFINITY;
    if (s && after >= s) lineStops.push([i + 8, s]);
  }
  // A blurred symbol often shows only one of its two patterns on a line (motion along the rows
  // merges the start pattern's thin bars). Its other edge is then the last dark run before the
  // light of the margin (a light run of 8 modules or more, longer than any inside the symbol).
  const margin = (j: number, m: number) => j < 0 || j >= count || (!isDark(j) && (runs[j] as number) >= 8 * m);
  for (const [i, m] of lineStarts) {
    starts.push({ line, pos: at[i] as number, module: m });
    if (lineStops.some(([k]) => k > i)) continue;
    let j = i + 8;
    while (j < count && !margin(j, m)) j++;
    if (j >= count) continue;
    const end = at[j] as number;
    const span = (end - (at[i] as number)) / m;
    if (span >= 80 && span <= 700) stops.push({ line, pos: end, module: m, derived: true });
  }
  for (const [k, m] of lineStops) {
    stops.push({ line, pos: at[k + 1] as number, module: m });
    if (lineStarts.some(([i]) => i < k)) continue;
    let j = k - 8;
    while (j >= 0 && !margin(j, m)) j--;
    if (j < 0) continue;
    const begin = at[j + 1] as number;
    const bar = runs[j + 1] as number;
    const span = ((at[k + 1] as number) - begin) / m;
    if (bar >= 4 * m && bar <= 16 * m && span >= 80 && span <= 700) {
      starts.push({ line, pos: begin, module: m, derived: true });
    }
  }
}

/** Chain hits (sorted by line) into straight edges. */
function chainEdges(hits: Hit[], step: number): Edge[] {
  const chains: Hit[][] = [];
  for (const h of hits) {
    let best: Hit[] | undefined;
    let bestD = Number.POSITIVE_INFINITY;
    for (const c of chains) {
      const last = c[c.length - 1] as Hit;
      const dl = h.line - last.line;
      if (dl <= 0 || dl > 8) continue;
      if (h.module > 1.7 * last.module || last.module > 1.7 * h.module) continue;
      // Edges up to ~60° off the scan's normal move 1.7 px per pixel of line.
      const d = Math.abs(h.pos - last.pos);
      if (d > 1.8 * dl * step + 2 * last.module) continue;
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    if (best) best.push(h);
    else chains.push([h]);
  }
  const edges: Edge[] = [];
  for (const c of chains) {
    if (c.length < 4) continue;
    let sl = 0;
    let sp = 0;
    let sll = 0;
    let slp = 0;
    let sm = 0;
    for (const h of c) {
      sl += h.line;
      sp += h.pos;
      sll += h.line * h.line;
      slp += h.line * h.pos;
      sm += h.module;
    }
    const n = c.length;
    const den = n * sll - sl * sl;
    const b = den > 0 ? (n * slp - sl * sp) / den : 0;
    const a = (sp - b * sl) / n;
    edges.push({
      hits: c,
      a,
      b,
      first: (c[0] as Hit).line,
      last: (c[n - 1] as Hit).line,
      module: sm / n,
    });
  }
  return edges;
}

/** One scan orientation: rows or columns, forwards or backwards. */
interface Orientation {
  columns: boolean;
  reverse: boolean;
}

const ORIENTATIONS: Orientation[] = [
  { columns: false, reverse: false },
  { columns: false, reverse: true },
  { columns: true, reverse: false },
  { columns: true, reverse: true },
];

/**
 * Find PDF417 symbols in a binarised grey image.
 *
 * @param bin - 1 = dark, one byte per pixel of a `width × height` image.
 * @param width - Image width.
 * @param height - Image height.
 * @param options - `step` between scan lines (pixels, default 2); `expired` polled between orientations.
 * @returns Locations, most hits first.
 */
export function locatePdf417(
  bin: Uint8Array,
  width: number,
  height: number,
  options: { step?: number; expired?: () => boolean } = {},
): Pdf417Location[] {
  const step = options.step ?? 2;
  const found: Pdf417Location[] = [];
  for (const o of ORIENTATIONS) {
    if (options.expired?.()) break;
    const lines = o.columns ? width : height;
    const n = o.columns ? height : width;
    const values = new Uint8Array(n);
    const starts: Hit[] = [];
    const stops: Hit[] = [];
    for (let l = 0; l * step < lines; l++) {
      const c = l * step;
      for (let k = 0; k < n; k++) {
        const kk = o.reverse ? n - 1 - k : k;
        values[k] = bin[o.columns ? kk * width + c : c * width + kk] as number;
      }
      scanLine(runsOf(values, n), l, starts, stops);
    }
    const startEdges = chainEdges(starts, step);
    const stopEdges = chainEdges(stops, step);
    // Scan coordinates (line, pos) → image point.
    const toImage = (line: number, pos: number): Pt => {
      const c = line * step;
      const k = o.reverse ? n - 1 - pos : pos;
      return o.columns ? { x: c, y: k } : { x: k, y: c };
    };
    const top = (x: Edge) => x.first - 0.5;
    const bottom = (x: Edge) => x.last + 0.5;
    const at = (x: Edge, line: number) => toImage(line, x.a + x.b * line);
    for (const s of startEdges) {
      // The start edge's direction in the image; the stop edge must run beside it (a turned
      // symbol's edges cover different scan lines, so overlap is measured along the edge).
      const st = at(s, top(s));
      const sb = at(s, bottom(s));
      const len = Math.hypot(sb.x - st.x, sb.y - st.y);
      if (len < 1) continue;
      const u = { x: (sb.x - st.x) / len, y: (sb.y - st.y) / len };
      let best: { e: Edge; score: number } | undefined;
      for (const e of stopEdges) {
        if (e.module > 1.5 * s.module || s.module > 1.5 * e.module) continue;
        const et = at(e, top(e));
        const eb = at(e, bottom(e));
        const t0 = (et.x - st.x) * u.x + (et.y - st.y) * u.y;
        const t1 = (eb.x - st.x) * u.x + (eb.y - st.y) * u.y;
        const overlap = Math.min(len, Math.max(t0, t1)) - Math.max(0, Math.min(t0, t1));
        if (overlap < 0.2 * Math.min(len, Math.abs(t1 - t0))) continue;
        const mid = (s.first + s.last) / 2;
        const span = (e.a + e.b * mid - (s.a + s.b * mid)) / ((s.module + e.module) / 2);
        // Start (17) + row indicators (2 × 17) + one data column (17) + stop (18) modules at least.
        if (span < 80 || span > 700) continue;
        const score = s.hits.length + e.hits.length;
        if (!best || score > best.score) best = { e, score };
      }
      if (!best) continue;
      const e = best.e;
      // Each edge's own first and last scan line, half a step beyond (the symbol's top and bottom).
      let corners: [Pt, Pt, Pt, Pt] = [st, at(e, top(e)), at(e, bottom(e)), sb];
      // Reading order: with the scan direction as x, the other axis must point 90° clockwise
      // of it (image y down); otherwise top and bottom swap (no mirror image).
      const dx = { x: corners[1].x - corners[0].x, y: corners[1].y - corners[0].y };
      const dy = { x: corners[3].x - corners[0].x, y: corners[3].y - corners[0].y };
      if (dx.x * dy.y - dx.y * dy.x < 0) corners = [corners[3], corners[2], corners[1], corners[0]];
      // The module along the scan is the module along the rows over the cosine of their angle.
      const rowLen = Math.hypot(dx.x, dx.y);
      const cos = Math.abs(o.columns ? dx.y : dx.x) / Math.max(1, rowLen);
      found.push({ corners, module: ((s.module + e.module) / 2) * cos, hits: best.score });
    }
  }
  found.sort((p, q) => q.hits - p.hits);
  // One symbol per place: drop locations whose centre lies near a surer one's.
  const centre = (l: Pdf417Location) => ({
    x: l.corners.reduce((t, p) => t + p.x, 0) / 4,
    y: l.corners.reduce((t, p) => t + p.y, 0) / 4,
  });
  const kept: Pdf417Location[] = [];
  for (const l of found) {
    const c = centre(l);
    if (kept.some((k) => Math.hypot(centre(k).x - c.x, centre(k).y - c.y) < 20 * k.module)) continue;
    kept.push(l);
  }
  return kept;
}

/**
 * Warp a located PDF417 to an upright rectangle: `modulePx` pixels per module along the rows,
 * the rows' height in proportion, and `margin` modules of the frame around it (its quiet zone).
 *
 * @param grey - The frame (grey).
 * @param loc - A {@link Pdf417Location}.
 * @param modulePx - Output pixels per module.
 * @param margin - Margin in modules.
 * @returns The image and a map from its pixels back to the frame's, or undefined for a degenerate quad.
 */
export function rectifyPdf417(
  grey: RasterImage,
  loc: Pdf417Location,
  modulePx: number,
  margin = 4,
): { image: RasterImage; back: (p: Pt) => Pt } | undefined {
  const [tl, tr, br, bl] = loc.corners;
  const dist = (p: Pt, q: Pt) => Math.hypot(p.x - q.x, p.y - q.y);
  const widthPx = (dist(tl, tr) + dist(bl, br)) / 2;
  const heightPx = (dist(tl, bl) + dist(tr, br)) / 2;
  const scale = modulePx / loc.module;
  const w = Math.round(widthPx * scale);
  const h = Math.round(heightPx * scale);
  const q = Math.round(margin * modulePx);
  if (w < 20 || h < 4 || w > 4000 || h > 4000) return undefined;
  const dst: Pt[] = [
    { x: q, y: q },
    { x: q + w, y: q },
    { x: q + w, y: q + h },
    { x: q, y: q + h },
  ];
  try {
    const H = estimateHomography(loc.corners, dst);
    const Hinv = estimateHomography(dst, loc.corners);
    const image = warpPerspective(grey, H, { width: w + 2 * q, height: h + 2 * q, fill: 255 });
    const back = (p: Pt): Pt => {
      const d = Hinv[6] * p.x + Hinv[7] * p.y + Hinv[8];
      return { x: (Hinv[0] * p.x + Hinv[1] * p.y + Hinv[2]) / d, y: (Hinv[3] * p.x + Hinv[4] * p.y + Hinv[5]) / d };
    };
    return { image, back };
  } catch {
    return undefined;
  }
}
