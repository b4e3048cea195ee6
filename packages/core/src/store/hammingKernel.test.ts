import { describe, expect, it } from 'vitest';
import { createRng } from '../ports/random.js';
import { HammingKernel } from './hammingKernel.js';
import { popcount } from './sphericalKmeans.js';

/** The reference: every distance in JavaScript, then the rows at the `keep` smallest (ties at the cut). */
function reference(codes: Uint32Array, rows: number, query: Uint32Array, keep: number): number[] {
  const W = query.length;
  const dist = Array.from({ length: rows }, (_, r) => {
    let h = 0;
    for (let w = 0; w < W; w++) h += popcount(((codes[r * W + w] as number) ^ (query[w] as number)) >>> 0);
    return h;
  });
  const cut = [...dist].sort((a, b) => a - b)[Math.min(keep, rows) - 1] as number;
  return dist.flatMap((h, r) => (h <= cut ? [r] : []));
}

describe('HammingKernel (WebAssembly)', () => {
  it('gives the rows the JavaScript scan gives, for 64 to 512-bit codes, as rows are added, replaced and moved', () => {
    const rng = createRng(5).next;
    const word = () => Math.floor(rng() * 2 ** 32) >>> 0;
    for (const W of [2, 8, 16]) {
      const kernel = HammingKernel.create(W);
      expect(kernel).toBeDefined();
      if (!kernel) return;
      let rows = 3000;
      const codes = Uint32Array.from({ length: 6000 * W }, word);
      const query = Uint32Array.from({ length: W }, word);
      // A few rows near the query, so the nearest are not all ties.
      for (const r of [10, 1234, 2999])
        for (let w = 0; w < W; w++) codes[r * W + w] = (query[w] as number) ^ (1 << (r % 7));
      expect(Array.from(kernel.nearest(codes, rows, query, 25))).toEqual(reference(codes, rows, query, 25));
      // Rows appended since the last pass are copied in; a changed row is copied again once invalidated.
      rows = 6000;
      for (let w = 0; w < W; w++) codes[4500 * W + w] = query[w] as number;
      codes.set(query, 7 * W);
      kernel.invalidateFrom(7);
      const got = Array.from(kernel.nearest(codes, rows, query, 40));
      expect(got).toEqual(reference(codes, rows, query, 40));
      expect(got).toContain(4500);
      expect(got).toContain(7);
      // Keeping more rows than there are returns them all.
      expect(kernel.nearest(codes, 5, query, 100)).toHaveLength(5);
    }
  });

  it('answers a batch of probes tile by tile exactly as one scan per probe, ties and overflow included', async () => {
    const rng = createRng(9).next;
    const word = () => Math.floor(rng() * 2 ** 32) >>> 0;
    for (const W of [2, 8]) {
      const kernel = HammingKernel.create(W);
      if (!kernel) throw new Error('no WebAssembly');
      // Three tiles and a part (8,192 codes a tile), probes not a multiple of the block of 4.
      const rows = 3 * 8192 + 1234;
      const codes = Uint32Array.from({ length: rows * W }, word);
      const Q = 11;
      const queries = Uint32Array.from({ length: Q * W }, word);
      // Probe 0's mates in the last tile, probe 1 equal to a stored code, probe 2 with 600 exact
      // copies (ties at the cut that overflow the buffer: answered by the single scan).
      for (let w = 0; w < W; w++) codes[(rows - 5) * W + w] = (queries[w] as number) ^ 1;
      codes.set(queries.subarray(W, 2 * W), 77 * W);
      for (let c = 0; c < 600; c++) codes.set(queries.subarray(2 * W, 3 * W), (1000 + c * 7) * W);
      for (const keep of [1, 25, 300]) {
        const many = kernel.nearestMany(codes, rows, queries, keep);
        expect(many).toHaveLength(Q);
        for (let q = 0; q < Q; q++) {
          const query = queries.subarray(q * W, (q + 1) * W);
          expect(Array.from(many[q] as Int32Array)).toEqual(reference(codes, rows, query, keep));
        }
        expect(many[0]).toContain(rows - 5);
        expect(many[1]).toContain(77);
      }
      // Split with a second thread over shared memory: the same answers.
      const two = HammingKernel.create(W, 2);
      if (!two) throw new Error('no WebAssembly');
      const parallel = await two.nearestManyParallel(codes, rows, queries, 25);
      expect(parallel.map((r) => Array.from(r))).toEqual(
        kernel.nearestMany(codes, rows, queries, 25).map((r) => Array.from(r)),
      );
      await two.close();
      // The single scan still answers after a batch (the batch's buffers sit past the codes).
      expect(Array.from(kernel.nearest(codes, rows, queries.subarray(0, W), 10))).toEqual(
        reference(codes, rows, queries.subarray(0, W), 10),
      );
    }
  });

  it('is absent for codes that are not whole 64-bit words', () => {
    expect(HammingKernel.create(3)).toBeUndefined();
    expect(HammingKernel.create(0)).toBeUndefined();
  });
});
