/**
 * Zero-filled scratch arrays reused from one extraction to the next, so that images of the same
 * size do not allocate (and collect) the same large buffers again. Each slot belongs to one
 * function that never keeps it past its return; extraction is synchronous, so no two calls share
 * a slot. Arrays over {@link MAX_POOLED} elements are not kept (a huge image would pin its memory).
 * @internal
 */
const MAX_POOLED = 1 << 20;
const floats: Float32Array[] = [];
const ints: Int32Array[] = [];

function pooled<T extends Float32Array | Int32Array>(pool: T[], slot: number, n: number, make: (n: number) => T): T {
  if (n > MAX_POOLED) return make(n);
  const kept = pool[slot];
  if (!kept || kept.length < n) {
    const fresh = make(n);
    pool[slot] = fresh;
    return fresh;
  }
  const view = kept.subarray(0, n) as T;
  view.fill(0);
  return view;
}

/** Scratch slots: who uses which. @internal */
export const SLOT = { padded: 0, smooth: 1, nodeAt: 0, stamp: 1 } as const;

/** A zero-filled Float32Array of `n` elements from scratch slot `slot`. @internal */
export function scratchFloat32(slot: number, n: number): Float32Array {
  return pooled(floats, slot, n, (k) => new Float32Array(k));
}

/** A zero-filled Int32Array of `n` elements from scratch slot `slot`. @internal */
export function scratchInt32(slot: number, n: number): Int32Array {
  return pooled(ints, slot, n, (k) => new Int32Array(k));
}
