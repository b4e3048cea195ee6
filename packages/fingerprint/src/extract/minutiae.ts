import type { RidgeFields } from './fields.js';
import { SLOT, scratchInt32 } from './scratch.js';
import { RING, RING_OFFSETS, ringCode } from './thin.js';

/** A minutia candidate in image coordinates (y down), angle in radians (y down, clockwise). @internal */
export interface RawMinutia {
  x: number;
  y: number;
  angle: number;
  type: 'ending' | 'bifurcation';
  quality: number;
}

/** Tuning of the skeleton clean-up, in pixels at 500 dpi. @internal */
export interface MinutiaeParams {
  /** How far each ridge is followed from a minutia. */
  traceLength: number;
  /** Point along the ridge that sets the direction. */
  directionLength: number;
  /** Ridge shorter than this between an ending and another minutia: spur, island or break. */
  spurLength: number;
  /** Ridge shorter than this between two bifurcations: bridge or pore. */
  bridgeLength: number;
  /** Two endings facing each other closer than this: a broken ridge. */
  gapDistance: number;
  /** Minimum distance from the background. */
  borderDistance: number;
}

/** @internal */
export const DEFAULT_MINUTIAE_PARAMS: MinutiaeParams = {
  traceLength: 24,
  directionLength: 10,
  spurLength: 10,
  bridgeLength: 8,
  gapDistance: 12,
  borderDistance: 8,
};

interface Node {
  x: number;
  y: number;
  type: 'ending' | 'bifurcation';
  pixels: number[];
  /** Branch directions (image angle) and what each branch reached. */
  branches: { angle: number; hit: number; length: number }[];
  removed: boolean;
}

const TWO_PI = Math.PI * 2;

/**
 * Minutiae from a one-pixel skeleton: endings have one neighbour, bifurcations a crossing
 * number of three (adjacent junction pixels merged). Each ridge leaving a minutia is traced;
 * the traces give the direction and expose false minutiae: spurs and islands (an ending that
 * meets another minutia along a short ridge), bridges and pores (two bifurcations joined by a
 * short ridge), broken ridges (two endings facing each other across a short gap), minutiae on
 * the print's edge, and clusters.
 * @internal
 */
export function findMinutiae(
  skel: Uint8Array,
  fields: RidgeFields,
  mask: Uint8Array,
  params: MinutiaeParams = DEFAULT_MINUTIAE_PARAMS,
): RawMinutia[] {
  const { width, height, cos2, sin2, coherence, spread } = fields;
  // Inside the print by at least borderDistance (a square around the point); the image frame
  // counts as background: ridges cut by it end there, but not as minutiae.
  const edge = params.borderDistance;
  const inner = (x: number, y: number): boolean => {
    if (x < edge || y < edge || x >= width - edge || y >= height - edge) return false;
    for (let yy = y - edge; yy <= y + edge; yy += 2) {
      const row = yy * width;
      for (let xx = x - edge; xx <= x + edge; xx += 2) if (!mask[row + xx]) return false;
    }
    return true;
  };
  const ring = RING_OFFSETS(width);
  const nodeAt = scratchInt32(SLOT.nodeAt, width * height).fill(-1);
  const nodes: Node[] = [];
  // Endings and junction pixels.
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!skel[i]) continue;
      const code = ringCode(skel, i, width);
      const count = RING.count[code] as number;
      if (count === 1) {
        nodeAt[i] = nodes.length;
        nodes.push({ x, y, type: 'ending', pixels: [i], branches: [], removed: false });
      } else if ((RING.crossing[code] as number) >= 3 || count >= 4) {
        // Merge with an adjacent junction pixel already seen.
        let merged = -1;
        for (let k = 0; k < 8; k++) {
          const j = nodeAt[i + (ring[k] as number)] as number;
          if (j >= 0 && (nodes[j] as Node).type === 'bifurcation') {
            merged = j;
            break;
          }
        }
        if (merged >= 0) {
          (nodes[merged] as Node).pixels.push(i);
          nodeAt[i] = merged;
        } else {
          nodeAt[i] = nodes.length;
          nodes.push({ x, y, type: 'bifurcation', pixels: [i], branches: [], removed: false });
        }
      }
    }
  }
  // Trace every ridge leaving every node.
  const stamp = scratchInt32(SLOT.stamp, width * height);
  let stampId = 0;
  for (let ni = 0; ni < nodes.length; ni++) {
    const node = nodes[ni] as Node;
    if (node.pixels.length > 1) {
      let sx = 0;
      let sy = 0;
      for (const p of node.pixels) {
        sx += p % width;
        sy += (p / width) | 0;
      }
      node.x = sx / node.pixels.length;
      node.y = sy / node.pixels.length;
    }
    stampId++;
    for (const p of node.pixels) stamp[p] = stampId;
    // Ridge starts around the node; starts touching each other are one ridge.
    const starts: number[] = [];
    for (const p of node.pixels) {
      for (let k = 0; k < 8; k++) {
        const q = p + (ring[k] as number);
        if (skel[q] && stamp[q] !== stampId && nodeAt[q] !== ni && !starts.includes(q)) starts.push(q);
      }
    }
    // Starts that are 4-adjacent (directly or through other starts) are one ridge; diagonal
    // neighbours are not: N and E of a junction pixel with NE unset are two ridges (before,
    // they were merged and such bifurcations were dropped for having two branches: 8–16 true
    // bifurcations per FVC image).
    const group = starts.map((_, k) => k);
    const root = (k: number): number => {
      let r = k;
      while (group[r] !== r) r = group[r] as number;
      return r;
    };
    for (let a = 0; a < starts.length; a++) {
      const qa = starts[a] as number;
      for (let b = 0; b < a; b++) {
        const qb = starts[b] as number;
        const d = Math.abs((qa % width) - (qb % width)) + Math.abs(((qa / width) | 0) - ((qb / width) | 0));
        if (d === 1) group[root(a)] = root(b);
      }
    }
    const firsts = starts.filter((_, k) => root(k) === k);
    for (const q of starts) stamp[q] = stampId;
    for (const q of firsts) {
      // Follow this ridge.
      let cur = q;
      stamp[cur] = stampId;
      let length = 1;
      let hit = -1;
      let dirX = 0;
      let dirY = 0;
      while (true) {
        if (length <= params.directionLength) {
          dirX = cur % width;
          dirY = (cur / width) | 0;
        }
        const other = nodeAt[cur] as number;
        if (other >= 0 && other !== ni) {
          hit = other;
          break;
        }
        if (length >= params.traceLength) break;
        let next = -1;
        // Prefer 4-neighbours (even ring positions) so diagonal shortcuts are not skipped.
        for (let pass = 0; pass < 2 && next < 0; pass++) {
          for (let kk = pass; kk < 8; kk += 2) {
            const r = cur + (ring[kk] as number);
            if (skel[r] && stamp[r] !== stampId) {
              next = r;
              break;
            }
          }
        }
        if (next < 0) break;
        // Mark the other unvisited neighbours too, so a trace never turns back into itself.
        cur = next;
        stamp[cur] = stampId;
        length++;
      }
      node.branches.push({ angle: Math.atan2(dirY - node.y, dirX - node.x), hit, length });
    }
  }
  const remove = (i: number) => {
    (nodes[i] as Node).removed = true;
  };
  for (let ni = 0; ni < nodes.length; ni++) {
    const node = nodes[ni] as Node;
    if (node.type === 'ending') {
      const b = node.branches[0];
      if (!b) {
        remove(ni);
        continue;
      }
      if (b.hit >= 0 && b.length < params.spurLength) {
        remove(ni);
        remove(b.hit);
      }
    } else {
      if (node.branches.length !== 3) {
        remove(ni);
        continue;
      }
      for (const b of node.branches) {
        if (b.hit >= 0 && (nodes[b.hit] as Node).type === 'bifurcation' && b.length < params.bridgeLength) {
          remove(ni);
          remove(b.hit);
        }
      }
    }
  }
  const out: (RawMinutia & { node: number })[] = [];
  for (let ni = 0; ni < nodes.length; ni++) {
    const node = nodes[ni] as Node;
    if (node.removed) continue;
    const xi = Math.round(node.x);
    const yi = Math.round(node.y);
    if (!inner(xi, yi)) continue;
    const pi = (yi >> 1) * fields.hw + (xi >> 1);
    let angle: number;
    if (node.type === 'ending') {
      angle = (node.branches[0] as Node['branches'][number]).angle;
    } else {
      // The stem is the branch farthest in angle from the other two; the minutia points away from it.
      let stem = 0;
      let bestSpread = -1;
      for (let s = 0; s < 3; s++) {
        let spread = 0;
        for (let t = 0; t < 3; t++) {
          if (t === s) continue;
          const d = Math.abs(
            angleDiff(
              (node.branches[s] as Node['branches'][number]).angle,
              (node.branches[t] as Node['branches'][number]).angle,
            ),
          );
          spread += d;
        }
        if (spread > bestSpread) {
          bestSpread = spread;
          stem = s;
        }
      }
      angle = (node.branches[stem] as Node['branches'][number]).angle + Math.PI;
    }
    // Refine with the smoothed orientation field, keeping the traced sense.
    let th = Math.atan2(sin2[pi] as number, cos2[pi] as number) / 2;
    if (Math.abs(angleDiff(th, angle)) > Math.PI / 2) th += Math.PI;
    if (Math.abs(angleDiff(th, angle)) < Math.PI / 4) angle = th;
    angle = ((angle % TWO_PI) + TWO_PI) % TWO_PI;
    const quality = Math.min(1, (coherence[pi] as number) * 1.4) * Math.min(1, (spread[pi] as number) / 30);
    out.push({ x: node.x, y: node.y, angle, type: node.type, quality, node: ni });
  }
  // Broken ridges: two endings close together, facing each other.
  const gone = new Uint8Array(out.length);
  for (let a = 0; a < out.length; a++) {
    const ma = out[a] as RawMinutia;
    for (let b = a + 1; b < out.length; b++) {
      const mb = out[b] as RawMinutia;
      const dx = mb.x - ma.x;
      const dy = mb.y - ma.y;
      const d = Math.hypot(dx, dy);
      if (d > params.gapDistance) continue;
      if (d < 5) {
        gone[a] = 1;
        gone[b] = 1;
        continue;
      }
      if (ma.type !== 'ending' || mb.type !== 'ending') continue;
      const link = Math.atan2(dy, dx);
      // Each ending points back along its own ridge, so across a gap they point away from each other.
      if (
        Math.abs(angleDiff(ma.angle, mb.angle + Math.PI)) < Math.PI / 4 &&
        Math.abs(angleDiff(ma.angle, link + Math.PI)) < Math.PI / 3
      ) {
        gone[a] = 1;
        gone[b] = 1;
      }
    }
  }
  // Clusters: many minutiae in a small disc are noise, not ridges.
  for (let a = 0; a < out.length; a++) {
    const ma = out[a] as RawMinutia;
    let close = 0;
    for (let b = 0; b < out.length; b++) {
      if (a === b) continue;
      const mb = out[b] as RawMinutia;
      if (Math.abs(mb.x - ma.x) < 12 && Math.abs(mb.y - ma.y) < 12) close++;
    }
    if (close >= 3) gone[a] = 1;
  }
  return out.filter((_, i) => !gone[i]).map(({ node: _n, ...m }) => m);
}

/** Signed difference a − b wrapped to (−π, π]. @internal */
export function angleDiff(a: number, b: number): number {
  let d = (a - b) % TWO_PI;
  if (d > Math.PI) d -= TWO_PI;
  else if (d <= -Math.PI) d += TWO_PI;
  return d;
}
