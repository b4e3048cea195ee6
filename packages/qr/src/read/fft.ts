/**
 * In-place radix-2 complex FFT on separate real and imaginary arrays, and a 2-D version on
 * square power-of-two planes (row-major). Small and dependency-free: the multi-frame fusion
 * runs it on code-sized windows (≤ 512²).
 * @internal
 */
export function fft1d(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (n !== im.length || (n & (n - 1)) !== 0) throw new RangeError('fft1d: length must be a power of two');
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const xr = (re[b] as number) * cr - (im[b] as number) * ci;
        const xi = (re[b] as number) * ci + (im[b] as number) * cr;
        re[b] = (re[a] as number) - xr;
        im[b] = (im[a] as number) - xi;
        re[a] = (re[a] as number) + xr;
        im[a] = (im[a] as number) + xi;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i] = (re[i] as number) / n;
      im[i] = (im[i] as number) / n;
    }
  }
}

/** 2-D FFT of an n×n plane in place (rows, then columns). @internal */
export function fft2d(re: Float64Array, im: Float64Array, n: number, inverse = false): void {
  const rr = new Float64Array(n);
  const ri = new Float64Array(n);
  for (let pass = 0; pass < 2; pass++) {
    for (let k = 0; k < n; k++) {
      for (let t = 0; t < n; t++) {
        const idx = pass === 0 ? k * n + t : t * n + k;
        rr[t] = re[idx] as number;
        ri[t] = im[idx] as number;
      }
      fft1d(rr, ri, inverse);
      for (let t = 0; t < n; t++) {
        const idx = pass === 0 ? k * n + t : t * n + k;
        re[idx] = rr[t] as number;
        im[idx] = ri[t] as number;
      }
    }
  }
}
