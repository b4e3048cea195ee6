/** Scratch rows reused between calls (synchronous, so never shared by two calls at once). */
let scratch = new Float32Array(0);
let columns = new Float64Array(0);

/**
 * Mean over a (2r+1)² window, clamped at the borders (the mean of the pixels that exist), in
 * O(1) per pixel with running sums: one horizontal and one vertical pass. The inner loops run
 * branch-free away from the borders; every sum is updated in the same order as a per-pixel
 * loop would.
 * @internal
 */
export function boxFilter(
  src: Float32Array,
  width: number,
  height: number,
  r: number,
  out?: Float32Array,
): Float32Array {
  const n = width * height;
  if (scratch.length < n) scratch = new Float32Array(n);
  if (columns.length < width) columns = new Float64Array(width);
  const tmp = scratch;
  const dst = out ?? new Float32Array(n);
  // Columns x in [r, width − r − 2] have the whole window inside and a pixel to add and drop.
  const midHi = width - r - 2;
  const full = 2 * r + 1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    const right0 = Math.min(width - 1, r);
    for (let x = 0; x <= right0; x++) sum += src[row + x] as number;
    for (let x = 0; x < width; x++) {
      if (x === r && r <= midHi) {
        for (; x <= midHi; x++) {
          tmp[row + x] = sum / full;
          sum += src[row + x + r + 1] as number;
          sum -= src[row + x - r] as number;
        }
        x--;
        continue;
      }
      const lo = Math.max(0, x - r);
      const hi = Math.min(width - 1, x + r);
      tmp[row + x] = sum / (hi - lo + 1);
      const add = x + r + 1;
      if (add < width) sum += src[row + add] as number;
      const drop = x - r;
      if (drop >= 0) sum -= src[row + drop] as number;
    }
  }
  const colSum = columns;
  colSum.fill(0, 0, width);
  const bottom0 = Math.min(height - 1, r);
  for (let y = 0; y <= bottom0; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) colSum[x] = (colSum[x] as number) + (tmp[row + x] as number);
  }
  for (let y = 0; y < height; y++) {
    const lo = Math.max(0, y - r);
    const hi = Math.min(height - 1, y + r);
    const inv = 1 / (hi - lo + 1);
    const row = y * width;
    const addRow = y + r + 1 < height ? (y + r + 1) * width : -1;
    const dropRow = y - r >= 0 ? (y - r) * width : -1;
    if (addRow >= 0 && dropRow >= 0) {
      for (let x = 0; x < width; x++) {
        const s = colSum[x] as number;
        dst[row + x] = s * inv;
        colSum[x] = s + (tmp[addRow + x] as number) - (tmp[dropRow + x] as number);
      }
    } else {
      for (let x = 0; x < width; x++) {
        const s = colSum[x] as number;
        dst[row + x] = s * inv;
        let next = s;
        if (addRow >= 0) next += tmp[addRow + x] as number;
        if (dropRow >= 0) next -= tmp[dropRow + x] as number;
        colSum[x] = next;
      }
    }
  }
  return dst;
}
