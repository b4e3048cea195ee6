/**
 * Mean over a (2r+1)² window, clamped at the borders (the mean of the pixels that exist), in
 * O(1) per pixel with running sums: one horizontal and one vertical pass.
 * @internal
 */
export function boxFilter(
  src: Float32Array,
  width: number,
  height: number,
  r: number,
  out?: Float32Array,
): Float32Array {
  const tmp = new Float32Array(width * height);
  const dst = out ?? new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    const right0 = Math.min(width - 1, r);
    for (let x = 0; x <= right0; x++) sum += src[row + x] as number;
    for (let x = 0; x < width; x++) {
      const lo = Math.max(0, x - r);
      const hi = Math.min(width - 1, x + r);
      tmp[row + x] = sum / (hi - lo + 1);
      const add = x + r + 1;
      if (add < width) sum += src[row + add] as number;
      const drop = x - r;
      if (drop >= 0) sum -= src[row + drop] as number;
    }
  }
  const colSum = new Float64Array(width);
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
    for (let x = 0; x < width; x++) {
      const s = colSum[x] as number;
      dst[row + x] = s * inv;
      let next = s;
      if (addRow >= 0) next += tmp[addRow + x] as number;
      if (dropRow >= 0) next -= tmp[dropRow + x] as number;
      colSum[x] = next;
    }
  }
  return dst;
}
