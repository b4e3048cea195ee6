import { buildEdgeHash, type PreparedTemplate } from './prepare.js';

const TWO_PI = Math.PI * 2;

/** Matcher tolerances and score weights. @internal */
export interface MatchParams {
  /** Edge length tolerance: absolute pixels plus a share of the length. */
  lengthTolerance: number;
  lengthRelative: number;
  /** Tolerance on the two relative angles of an edge (radians). */
  angleTolerance: number;
  /** Root pairs tried. */
  roots: number;
  /** Global check: allowed stray from one rigid transform, pixels plus a share of the distance from the centroid. */
  globalTolerance: number;
  globalRelative: number;
  /** Global check: allowed direction disagreement (radians). */
  globalAngle: number;
}

/** @internal */
export const DEFAULT_MATCH_PARAMS: MatchParams = {
  lengthTolerance: 6,
  lengthRelative: 0.08,
  angleTolerance: 0.35,
  roots: 6,
  globalTolerance: 12,
  globalRelative: 0.08,
  globalAngle: 0.6,
};

/** Outcome of the pairing of two templates. @internal */
export interface Pairing {
  /** Paired minutiae. */
  count: number;
  /** Edges consistent in both templates between paired minutiae. */
  support: number;
  /** Paired minutiae of the same type. */
  sameType: number;
  /** Pairs as probe index × 256 + candidate index. */
  pairs: number[];
}

function angleGap(a: number, b: number): number {
  let d = Math.abs(a - b);
  if (d > Math.PI) d = TWO_PI - d;
  return d;
}

/**
 * Reusable work buffers, so a gallery scan allocates nothing per comparison.
 * @internal
 */
export class PairingWorkspace {
  votes = new Float32Array(256 * 256);
  head = new Int32Array(256 * 256).fill(-1);
  touched = new Int32Array(256 * 256);
  touchedCount = 0;
  // Compatible edge pairs: linked lists from (probe minutia, candidate minutia) to the pair at the other end.
  linkTarget = new Int32Array(4096);
  linkNext = new Int32Array(4096);
  linkCost = new Float32Array(4096);
  linkCount = 0;
  pairedP = new Int16Array(256);
  pairedC = new Int16Array(256);
  heapPair = new Int32Array(8192);
  heapCost = new Float32Array(8192);
  heapSize = 0;
  rootPair = new Int32Array(64);
  rootVote = new Float32Array(64);

  grow(): void {
    const n = this.linkTarget.length * 2;
    const t = new Int32Array(n);
    t.set(this.linkTarget);
    this.linkTarget = t;
    const x = new Int32Array(n);
    x.set(this.linkNext);
    this.linkNext = x;
    const c = new Float32Array(n);
    c.set(this.linkCost);
    this.linkCost = c;
  }
}

/**
 * Pair the minutiae of a probe and a candidate. Every candidate edge is looked up in the
 * probe's tolerant edge hash; each compatible edge pair votes for its two end pairs and links
 * them. The most voted minutia pairs are roots; from each root the pairing grows along the
 * compatible edges, cheapest first, never reusing a minutia (a consistent pairing that bends
 * with elastic distortion because only neighbouring edges must agree). The best pairing wins.
 * @internal
 */
export function pairTemplates(
  probe: PreparedTemplate,
  cand: PreparedTemplate,
  ws: PairingWorkspace,
  params: MatchParams = DEFAULT_MATCH_PARAMS,
): Pairing {
  const empty: Pairing = { count: 0, support: 0, sameType: 0, pairs: [] };
  if (probe.count < 2 || cand.count < 2) return empty;
  const { offsets, slots } = buildEdgeHash(probe);
  const { votes, head, touched } = ws;
  ws.touchedCount = 0;
  ws.linkCount = 0;
  const lt = params.lengthTolerance;
  const lr = params.lengthRelative;
  const at = params.angleTolerance;
  for (let e = 0; e < cand.edgeCount; e++) {
    const h = cand.key[e] as number;
    const start = offsets[h] as number;
    const end = offsets[h + 1] as number;
    if (start === end) continue;
    const cl = cand.length[e] as number;
    const ca = cand.alpha[e] as number;
    const cb = cand.beta[e] as number;
    const ci = cand.from[e] as number;
    const cj = cand.to[e] as number;
    for (let s = start; s < end; s++) {
      const pe = slots[s] as number;
      const pl = probe.length[pe] as number;
      const dl = Math.abs(pl - cl);
      const tol = lt + lr * pl;
      if (dl > tol) continue;
      const da = angleGap(probe.alpha[pe] as number, ca);
      if (da > at) continue;
      const db = angleGap(probe.beta[pe] as number, cb);
      if (db > at) continue;
      const cost = dl / tol + da / at + db / at;
      const weight = 3 - cost;
      const pi = probe.from[pe] as number;
      const pj = probe.to[pe] as number;
      const src = pi * 256 + ci;
      const dst = pj * 256 + cj;
      if ((votes[src] as number) === 0) touched[ws.touchedCount++] = src;
      votes[src] = (votes[src] as number) + weight;
      if (ws.linkCount === ws.linkTarget.length) ws.grow();
      const li = ws.linkCount++;
      ws.linkTarget[li] = dst;
      ws.linkCost[li] = cost;
      ws.linkNext[li] = head[src] as number;
      head[src] = li;
    }
  }
  // Roots: the most voted pairs.
  const R = Math.min(params.roots, 64);
  const rootPair = ws.rootPair.fill(-1, 0, R);
  const rootVote = ws.rootVote.fill(0, 0, R);
  for (let t = 0; t < ws.touchedCount; t++) {
    const p = touched[t] as number;
    const v = votes[p] as number;
    if (v <= (rootVote[R - 1] as number)) continue;
    let k = R - 1;
    while (k > 0 && (rootVote[k - 1] as number) < v) {
      rootVote[k] = rootVote[k - 1] as number;
      rootPair[k] = rootPair[k - 1] as number;
      k--;
    }
    rootVote[k] = v;
    rootPair[k] = p;
  }
  let best = empty;
  const { pairedP, pairedC } = ws;
  for (let r = 0; r < R; r++) {
    const root = rootPair[r] as number;
    if (root < 0) break;
    pairedP.fill(-1, 0, probe.count);
    pairedC.fill(-1, 0, cand.count);
    ws.heapSize = 0;
    heapPush(ws, root, 0);
    let count = 0;
    let support = 0;
    let sameType = 0;
    const pairs: number[] = [];
    while (ws.heapSize > 0) {
      const pair = heapPop(ws);
      const pi = pair >> 8;
      const ci = pair & 255;
      if ((pairedP[pi] as number) >= 0 || (pairedC[ci] as number) >= 0) continue;
      pairedP[pi] = ci;
      pairedC[ci] = pi;
      count++;
      pairs.push(pair);
      if (probe.type[pi] === cand.type[ci]) sameType++;
      for (let li = head[pair] as number; li >= 0; li = ws.linkNext[li] as number) {
        const dst = ws.linkTarget[li] as number;
        const pj = dst >> 8;
        const cj = dst & 255;
        if ((pairedP[pj] as number) === cj) {
          support++;
          continue;
        }
        if ((pairedP[pj] as number) >= 0 || (pairedC[cj] as number) >= 0) continue;
        heapPush(ws, dst, ws.linkCost[li] as number);
      }
    }
    if (count < 2) continue;
    const kept = prune(probe, cand, pairs, params);
    if (kept.length < pairs.length) {
      // Recount on the kept pairs only.
      pairedP.fill(-1, 0, probe.count);
      for (const pair of kept) pairedP[pair >> 8] = pair & 255;
      support = 0;
      sameType = 0;
      for (const pair of kept) {
        if (probe.type[pair >> 8] === cand.type[pair & 255]) sameType++;
        for (let li = head[pair] as number; li >= 0; li = ws.linkNext[li] as number) {
          const dst = ws.linkTarget[li] as number;
          if ((pairedP[dst >> 8] as number) === (dst & 255)) support++;
        }
      }
      support = support >> 1;
    }
    count = kept.length;
    if (count > best.count || (count === best.count && support > best.support)) {
      best = { count, support, sameType, pairs: kept };
    }
  }
  for (let t = 0; t < ws.touchedCount; t++) {
    const p = touched[t] as number;
    votes[p] = 0;
    head[p] = -1;
  }
  return best;
}

interface Rigid {
  cos: number;
  sin: number;
  /** Probe centroid and candidate centroid. */
  px: number;
  py: number;
  cx: number;
  cy: number;
}

/** Least-squares rotation + translation taking probe positions onto candidate positions. */
function fitRigid(probe: PreparedTemplate, cand: PreparedTemplate, pairs: readonly number[]): Rigid {
  let px = 0;
  let py = 0;
  let cx = 0;
  let cy = 0;
  for (const pair of pairs) {
    px += probe.x[pair >> 8] as number;
    py += probe.y[pair >> 8] as number;
    cx += cand.x[pair & 255] as number;
    cy += cand.y[pair & 255] as number;
  }
  const n = pairs.length;
  px /= n;
  py /= n;
  cx /= n;
  cy /= n;
  let sc = 0;
  let ss = 0;
  for (const pair of pairs) {
    const ax = (probe.x[pair >> 8] as number) - px;
    const ay = (probe.y[pair >> 8] as number) - py;
    const bx = (cand.x[pair & 255] as number) - cx;
    const by = (cand.y[pair & 255] as number) - cy;
    sc += ax * bx + ay * by;
    ss += ax * by - ay * bx;
  }
  if (n < 3) {
    // Two points fix rotation poorly: use the minutia directions instead.
    let c = 0;
    let s = 0;
    for (const pair of pairs) {
      const d = (cand.angle[pair & 255] as number) - (probe.angle[pair >> 8] as number);
      c += Math.cos(d);
      s += Math.sin(d);
    }
    sc = c;
    ss = s;
  }
  const len = Math.sqrt(sc * sc + ss * ss) || 1;
  return { cos: sc / len, sin: ss / len, px, py, cx, cy };
}

/**
 * Global check of a grown pairing: fit one rigid transform and drop pairs that stray from it
 * by more than a tolerance growing with the distance from the centroid (skin stretches more
 * far from the centre of contact), or whose directions disagree with its rotation. A chain of
 * locally plausible steps that drifts across an impostor print does not survive it.
 */
function prune(probe: PreparedTemplate, cand: PreparedTemplate, pairs: number[], params: MatchParams): number[] {
  let kept = pairs;
  for (let pass = 0; pass < 2 && kept.length >= 2; pass++) {
    const t = fitRigid(probe, cand, kept);
    const rot = Math.atan2(t.sin, t.cos);
    const next: number[] = [];
    for (const pair of kept) {
      const ax = (probe.x[pair >> 8] as number) - t.px;
      const ay = (probe.y[pair >> 8] as number) - t.py;
      const ex = t.cos * ax - t.sin * ay + t.cx - (cand.x[pair & 255] as number);
      const ey = t.sin * ax + t.cos * ay + t.cy - (cand.y[pair & 255] as number);
      const r = Math.sqrt(ax * ax + ay * ay);
      const tol = params.globalTolerance + params.globalRelative * r;
      if (ex * ex + ey * ey > tol * tol) continue;
      if (angleGap((cand.angle[pair & 255] as number) - (probe.angle[pair >> 8] as number), rot) > params.globalAngle) {
        continue;
      }
      next.push(pair);
    }
    if (next.length === kept.length) break;
    kept = next;
  }
  return kept;
}

function heapPush(ws: PairingWorkspace, pair: number, cost: number): void {
  const heapPair = ws.heapPair;
  const heapCost = ws.heapCost;
  if (ws.heapSize === heapPair.length) return;
  let k = ws.heapSize++;
  while (k > 0) {
    const parent = (k - 1) >> 1;
    if ((heapCost[parent] as number) <= cost) break;
    heapCost[k] = heapCost[parent] as number;
    heapPair[k] = heapPair[parent] as number;
    k = parent;
  }
  heapCost[k] = cost;
  heapPair[k] = pair;
}

function heapPop(ws: PairingWorkspace): number {
  const heapPair = ws.heapPair;
  const heapCost = ws.heapCost;
  const top = heapPair[0] as number;
  const size = --ws.heapSize;
  const lastCost = heapCost[size] as number;
  const lastPair = heapPair[size] as number;
  let k = 0;
  while (true) {
    let c = 2 * k + 1;
    if (c >= size) break;
    if (c + 1 < size && (heapCost[c + 1] as number) < (heapCost[c] as number)) c++;
    if ((heapCost[c] as number) >= lastCost) break;
    heapCost[k] = heapCost[c] as number;
    heapPair[k] = heapPair[c] as number;
    k = c;
  }
  heapCost[k] = lastCost;
  heapPair[k] = lastPair;
  return top;
}
