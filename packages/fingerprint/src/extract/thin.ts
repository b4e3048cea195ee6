// Ring order of the 8 neighbours: N, NE, E, SE, S, SW, W, NW (bit k = ring position k).
const RING_DX = [0, 1, 1, 1, 0, -1, -1, -1] as const;
const RING_DY = [-1, -1, 0, 1, 1, 1, 0, -1] as const;

/** Number of 0→1 transitions around the ring, and number of set neighbours. @internal */
function transitions(code: number): number {
  let a = 0;
  for (let k = 0; k < 8; k++) {
    const cur = (code >> k) & 1;
    const next = (code >> ((k + 1) & 7)) & 1;
    if (!cur && next) a++;
  }
  return a;
}

function popcount(code: number): number {
  let b = 0;
  for (let k = 0; k < 8; k++) b += (code >> k) & 1;
  return b;
}

/** Connected groups among the set ring pixels (8-adjacency between ring pixels). */
function ringComponents(code: number): number {
  const seen = new Uint8Array(8);
  let comps = 0;
  const adjacent = (a: number, b: number) =>
    Math.abs((RING_DX[a] as number) - (RING_DX[b] as number)) <= 1 &&
    Math.abs((RING_DY[a] as number) - (RING_DY[b] as number)) <= 1;
  for (let s = 0; s < 8; s++) {
    if (!((code >> s) & 1) || seen[s]) continue;
    comps++;
    const stack = [s];
    seen[s] = 1;
    while (stack.length) {
      const p = stack.pop() as number;
      for (let q = 0; q < 8; q++) {
        if ((code >> q) & 1 && !seen[q] && adjacent(p, q)) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
  }
  return comps;
}

/** Tables indexed by the 8-neighbour code. @internal */
export const RING = (() => {
  const pass1 = new Uint8Array(256);
  const pass2 = new Uint8Array(256);
  const redundant = new Uint8Array(256);
  const crossing = new Uint8Array(256);
  const count = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    const b = popcount(c);
    const a = transitions(c);
    const n = c & 1;
    const e = (c >> 2) & 1;
    const s = (c >> 4) & 1;
    const w = (c >> 6) & 1;
    const ok = b >= 2 && b <= 6 && a === 1;
    pass1[c] = ok && !(n && e && s) && !(e && s && w) ? 1 : 0;
    pass2[c] = ok && !(n && e && w) && !(n && s && w) ? 1 : 0;
    // A staircase corner: its neighbours stay one 8-connected group without it.
    redundant[c] = b >= 2 && ringComponents(c) === 1 && ((n && e) || (e && s) || (s && w) || (w && n)) ? 1 : 0;
    crossing[c] = a;
    count[c] = b;
  }
  return { pass1, pass2, redundant, crossing, count };
})();

/** 8-neighbour code of pixel i (must not lie on the image border). @internal */
export function ringCode(img: Uint8Array, i: number, w: number): number {
  return (
    (img[i - w] as number) |
    ((img[i - w + 1] as number) << 1) |
    ((img[i + 1] as number) << 2) |
    ((img[i + w + 1] as number) << 3) |
    ((img[i + w] as number) << 4) |
    ((img[i + w - 1] as number) << 5) |
    ((img[i - 1] as number) << 6) |
    ((img[i - w - 1] as number) << 7)
  );
}

/** @internal */
export const RING_OFFSETS = (w: number): Int32Array =>
  Int32Array.from(RING_DX.map((dx, k) => (RING_DY[k] as number) * w + dx));

/**
 * Zhang–Suen thinning by table look-up, followed by removal of staircase corners so that the
 * skeleton is one pixel wide in the 8-connected sense (a ridge pixel has exactly two
 * neighbours, an ending one, a bifurcation three). Modifies `img` in place; the outer
 * one-pixel frame is cleared first.
 * @internal
 */
export function thin(img: Uint8Array, width: number, height: number): void {
  for (let x = 0; x < width; x++) {
    img[x] = 0;
    img[(height - 1) * width + x] = 0;
  }
  for (let y = 0; y < height; y++) {
    img[y * width] = 0;
    img[y * width + width - 1] = 0;
  }
  // Candidates: the set pixels, compacted as they are deleted.
  let count = 0;
  for (let i = width; i < width * (height - 1); i++) if (img[i]) count++;
  const cand = new Int32Array(count);
  const del = new Int32Array(count);
  count = 0;
  for (let i = width; i < width * (height - 1); i++) if (img[i]) cand[count++] = i;
  for (let iter = 0; iter < 40; iter++) {
    let changed = false;
    for (let pass = 0; pass < 2; pass++) {
      const table = pass === 0 ? RING.pass1 : RING.pass2;
      let nd = 0;
      for (let c = 0; c < count; c++) {
        const i = cand[c] as number;
        if (!img[i]) continue;
        if (table[ringCode(img, i, width)]) del[nd++] = i;
      }
      for (let k = 0; k < nd; k++) img[del[k] as number] = 0;
      if (nd) changed = true;
    }
    let kept = 0;
    for (let c = 0; c < count; c++) {
      const i = cand[c] as number;
      if (img[i]) cand[kept++] = i;
    }
    count = kept;
    if (!changed) break;
  }
  for (let c = 0; c < count; c++) {
    const i = cand[c] as number;
    if (img[i] && RING.redundant[ringCode(img, i, width)]) img[i] = 0;
  }
}
