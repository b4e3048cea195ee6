import type { FingerprintTemplate } from '../types.js';
import type { Cylinders } from './mcc.js';

/** Neighbours per minutia in the edge structure. @internal */
export const NEIGHBOURS = 9;
/** Edges longer than this (pixels at 500 dpi) are not used. @internal */
export const MAX_EDGE = 160;
/** Hash bins: edge length, then the two relative angles. @internal */
export const LEN_BIN = 8;
export const ANGLE_BINS = 24;
const LEN_BINS = Math.ceil(MAX_EDGE / LEN_BIN) + 2;
/** @internal */
export const HASH_SIZE = LEN_BINS * ANGLE_BINS * ANGLE_BINS;

const TWO_PI = Math.PI * 2;

/**
 * A template turned into what the matcher needs, computed once per template: minutiae as typed
 * arrays (y up so angles and positions share one sense), the local structure of each minutia
 * as edges to its nearest neighbours (length, direction of the neighbour relative to the
 * minutia, neighbour's direction relative to the minutia: all invariant to rotation and
 * translation), and a direct-address hash of the edges with each edge entered in the
 * neighbouring bins too, so that one look-up finds every edge within tolerance.
 * @internal
 */
export interface PreparedTemplate {
  count: number;
  x: Float32Array;
  y: Float32Array;
  angle: Float32Array;
  type: Uint8Array;
  /** Directed edges (both directions of each neighbour pair). */
  edgeCount: number;
  from: Uint8Array;
  to: Uint8Array;
  length: Float32Array;
  /** Direction of the edge relative to `from`'s direction, [0, 2π). */
  alpha: Float32Array;
  /** Direction of `to` relative to `from`'s direction, [0, 2π). */
  beta: Float32Array;
  /** Hash key of each edge. */
  key: Int32Array;
  /** Hash with tolerance: edges of bin h are `slots[offsets[h] .. offsets[h+1])`. Built lazily. */
  offsets?: Int32Array;
  slots?: Uint16Array;
  /** Minutia Cylinder-Code of the minutiae. Built lazily ({@link cylindersOf}). */
  cylinders?: Cylinders;
}

/** @internal */
export function edgeKey(length: number, alpha: number, beta: number): number {
  const lb = (length / LEN_BIN) | 0;
  const ab = ((alpha / TWO_PI) * ANGLE_BINS) | 0;
  const bb = ((beta / TWO_PI) * ANGLE_BINS) | 0;
  return (lb * ANGLE_BINS + (ab % ANGLE_BINS)) * ANGLE_BINS + (bb % ANGLE_BINS);
}

function wrap(a: number): number {
  const r = a % TWO_PI;
  return r < 0 ? r + TWO_PI : r;
}

/** @internal */
export function prepareTemplate(t: FingerprintTemplate, neighbours = NEIGHBOURS): PreparedTemplate {
  const ms = t.minutiae.slice(0, 255);
  const n = ms.length;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const angle = new Float32Array(n);
  const type = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const m = ms[i] as (typeof ms)[number];
    x[i] = m.x;
    y[i] = -m.y;
    angle[i] = wrap(m.angle);
    type[i] = m.type === 'ending' ? 0 : 1;
  }
  // Symmetric k-nearest-neighbour pairs.
  const pair = new Set<number>();
  const dists: { j: number; d: number }[] = [];
  for (let i = 0; i < n; i++) {
    dists.length = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = (x[j] as number) - (x[i] as number);
      const dy = (y[j] as number) - (y[i] as number);
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d <= MAX_EDGE && d >= 1) dists.push({ j, d });
    }
    dists.sort((a, b) => a.d - b.d);
    for (let k = 0; k < Math.min(neighbours, dists.length); k++) {
      const j = (dists[k] as { j: number }).j;
      pair.add(i < j ? i * 256 + j : j * 256 + i);
    }
  }
  const edgeCount = pair.size * 2;
  const from = new Uint8Array(edgeCount);
  const to = new Uint8Array(edgeCount);
  const length = new Float32Array(edgeCount);
  const alpha = new Float32Array(edgeCount);
  const beta = new Float32Array(edgeCount);
  const key = new Int32Array(edgeCount);
  let e = 0;
  const sortedPairs = [...pair].sort((a, b) => a - b);
  for (const p of sortedPairs) {
    const i = p >> 8;
    const j = p & 255;
    for (const [a, b] of [
      [i, j],
      [j, i],
    ] as const) {
      const dx = (x[b] as number) - (x[a] as number);
      const dy = (y[b] as number) - (y[a] as number);
      const d = Math.sqrt(dx * dx + dy * dy);
      const dir = Math.atan2(dy, dx);
      from[e] = a;
      to[e] = b;
      length[e] = d;
      alpha[e] = wrap(dir - (angle[a] as number));
      beta[e] = wrap((angle[b] as number) - (angle[a] as number));
      key[e] = edgeKey(d, alpha[e] as number, beta[e] as number);
      e++;
    }
  }
  return { count: n, x, y, angle, type, edgeCount, from, to, length, alpha, beta, key };
}

/**
 * Build the tolerant hash of a prepared template: every edge goes into its own bin and the
 * neighbouring ones (±1 in length and both angles), so a probe edge needs one look-up.
 * @internal
 */
export function buildEdgeHash(p: PreparedTemplate): { offsets: Int32Array; slots: Uint16Array } {
  if (p.offsets && p.slots) return { offsets: p.offsets, slots: p.slots };
  const counts = new Int32Array(HASH_SIZE + 1);
  const keysOf = (e: number, visit: (h: number) => void) => {
    const d = p.length[e] as number;
    const lb = (d / LEN_BIN) | 0;
    const ab = (((p.alpha[e] as number) / TWO_PI) * ANGLE_BINS) | 0;
    const bb = (((p.beta[e] as number) / TWO_PI) * ANGLE_BINS) | 0;
    for (let dl = -1; dl <= 1; dl++) {
      const l = lb + dl;
      if (l < 0 || l >= LEN_BINS) continue;
      for (let da = -1; da <= 1; da++) {
        const a = (ab + da + ANGLE_BINS) % ANGLE_BINS;
        for (let db = -1; db <= 1; db++) {
          const b = (bb + db + ANGLE_BINS) % ANGLE_BINS;
          visit((l * ANGLE_BINS + a) * ANGLE_BINS + b);
        }
      }
    }
  };
  for (let e = 0; e < p.edgeCount; e++) {
    keysOf(e, (h) => {
      counts[h + 1] = (counts[h + 1] as number) + 1;
    });
  }
  for (let h = 0; h < HASH_SIZE; h++) counts[h + 1] = (counts[h + 1] as number) + (counts[h] as number);
  const slots = new Uint16Array(counts[HASH_SIZE] as number);
  const fill = counts.slice(0, HASH_SIZE);
  for (let e = 0; e < p.edgeCount; e++) {
    keysOf(e, (h) => {
      slots[fill[h] as number] = e;
      fill[h] = (fill[h] as number) + 1;
    });
  }
  p.offsets = counts;
  p.slots = slots;
  return { offsets: counts, slots };
}
