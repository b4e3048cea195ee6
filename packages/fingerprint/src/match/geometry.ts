import type { PreparedTemplate } from './prepare.js';

/** Convex hull of a template's minutiae (counter-clockwise, y up), as flat x, y pairs. @internal */
export function convexHull(p: PreparedTemplate): Float32Array {
  const idx = Array.from({ length: p.count }, (_, i) => i).sort(
    (a, b) => (p.x[a] as number) - (p.x[b] as number) || (p.y[a] as number) - (p.y[b] as number),
  );
  const cross = (o: number, a: number, b: number) =>
    ((p.x[a] as number) - (p.x[o] as number)) * ((p.y[b] as number) - (p.y[o] as number)) -
    ((p.y[a] as number) - (p.y[o] as number)) * ((p.x[b] as number) - (p.x[o] as number));
  const lower: number[] = [];
  for (const i of idx) {
    while (lower.length >= 2 && cross(lower[lower.length - 2] as number, lower[lower.length - 1] as number, i) <= 0)
      lower.pop();
    lower.push(i);
  }
  const upper: number[] = [];
  for (let k = idx.length - 1; k >= 0; k--) {
    const i = idx[k] as number;
    while (upper.length >= 2 && cross(upper[upper.length - 2] as number, upper[upper.length - 1] as number, i) <= 0)
      upper.pop();
    upper.push(i);
  }
  const hull = [...lower.slice(0, -1), ...upper.slice(0, -1)];
  const out = new Float32Array(hull.length * 2);
  hull.forEach((i, k) => {
    out[2 * k] = p.x[i] as number;
    out[2 * k + 1] = p.y[i] as number;
  });
  return out;
}

/** True when (x, y) lies inside the counter-clockwise hull grown by `margin` pixels. @internal */
export function insideHull(hull: Float32Array, x: number, y: number, margin: number): boolean {
  const n = hull.length >> 1;
  if (n < 3) return false;
  for (let k = 0; k < n; k++) {
    const ax = hull[2 * k] as number;
    const ay = hull[2 * k + 1] as number;
    const bx = hull[(2 * ((k + 1) % n)) as number] as number;
    const by = hull[2 * ((k + 1) % n) + 1] as number;
    const ex = bx - ax;
    const ey = by - ay;
    const len = Math.sqrt(ex * ex + ey * ey) || 1;
    // Signed distance to the left of edge a→b (inside for a counter-clockwise hull).
    if ((ex * (y - ay) - ey * (x - ax)) / len < -margin) return false;
  }
  return true;
}
