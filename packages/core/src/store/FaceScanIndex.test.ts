import { describe, expect, it } from 'vitest';
import { createRng } from '../ports/random.js';
import { FaceScanIndex } from './FaceScanIndex.js';

const DIM = 64;
function vec(rng: () => number): Float32Array {
  return Float32Array.from({ length: DIM }, () => rng() * 2 - 1);
}
const near = (v: Float32Array, rng: () => number) => v.map((x) => x + 0.4 * (rng() * 2 - 1));

describe('FaceScanIndex sign-hash prefilter', () => {
  it('finds what the exact scan finds for noisy captures of enrolled faces, and forgets removed ones', () => {
    const rng = createRng(7).next;
    const exact = new FaceScanIndex(DIM);
    const hashed = new FaceScanIndex(DIM, 16, { bits: 128, candidates: 200 });
    const stored: Float32Array[] = [];
    for (let i = 0; i < 5000; i++) {
      const v = vec(rng);
      stored.push(v);
      exact.add(`t${i}`, `p${i}`, v);
      hashed.add(`t${i}`, `p${i}`, v);
    }
    let same = 0;
    for (let q = 0; q < 50; q++) {
      const base = stored[(q * 97) % stored.length] as Float32Array;
      const probe = base.map((x) => x + 0.4 * (rng() * 2 - 1));
      const a = exact.search(probe, { k: 3 });
      const b = hashed.search(probe, { k: 3 });
      if (a[0]?.templateId === b[0]?.templateId) same++;
      expect(b[0]?.similarity).toBeCloseTo(a[0]?.similarity ?? 0, 5);
    }
    expect(same).toBe(50);
    // Removal moves the last row (and its code) into the hole.
    hashed.remove('t97');
    expect(hashed.search(stored[97] as Float32Array, { k: 1 })[0]?.templateId).not.toBe('t97');
    expect(hashed.search(stored[4999] as Float32Array, { k: 1 })[0]?.templateId).toBe('t4999');
    expect(hashed.size).toBe(4999);
  });

  it.each([1, 2])(
    'searchMany (%i threads) gives each probe the hits search gives it, for new captures and indexed templates',
    async (threads) => {
      const rng = createRng(13).next;
      // More rows than one tile of the batch scan (8,192), probes not a multiple of its block.
      const index = new FaceScanIndex(DIM, 16, { bits: 128, candidates: 60, threads });
      const stored: Float32Array[] = [];
      for (let i = 0; i < 9000; i++) {
        stored.push(vec(rng));
        index.add(`t${i}`, `p${i}`, stored[i] as Float32Array);
      }
      const probes = [
        ...Array.from({ length: 21 }, (_, q) => ({ embedding: near(stored[(q * 389) % 9000] as Float32Array, rng) })),
        ...Array.from({ length: 14 }, (_, q) => ({
          embedding: stored[q * 600] as Float32Array,
          templateId: `t${q * 600}`,
        })),
        { embedding: new Float32Array(DIM + 1) },
      ];
      const options = { k: 4, minSimilarity: 0.1 };
      const many = await index.searchMany(probes, options);
      expect(many).toHaveLength(probes.length);
      for (const [q, p] of probes.entries()) expect(many[q]).toEqual(index.search(p.embedding, options));
      // An indexed template finds itself first.
      expect(many[21]?.[0]?.templateId).toBe('t0');
      expect(many[21]?.[0]?.similarity).toBeCloseTo(1, 6);
      expect(many[probes.length - 1]).toEqual([]);
      // Rows added after a batch are scanned by the next one.
      index.add('late', 'p-late', probes[0]?.embedding as Float32Array);
      const again = await index.searchMany(probes.slice(0, 20), options);
      expect(again[0]?.[0]?.templateId).toBe('late');
      await index.close();
      await index.close();
    },
  );

  it('with a coarse partition, scans a few cells and still finds the enrolled face; keeps up with adds, replacements and removals', () => {
    const rng = createRng(11).next;
    const exact = new FaceScanIndex(DIM);
    const cells = new FaceScanIndex(DIM, 16, { bits: 128, candidates: 100, cells: 64, probe: 10 });
    const stored: Float32Array[] = [];
    const enrol = (i: number, v: Float32Array) => {
      stored[i] = v;
      exact.add(`t${i}`, `p${i}`, v);
      cells.add(`t${i}`, `p${i}`, v);
    };
    for (let i = 0; i < 4000; i++) enrol(i, vec(rng));
    cells.prepare();
    const range = (from: number, to: number) =>
      Array.from({ length: 60 }, (_, q) => from + ((q * 151 + 13) % (to - from)));
    const agree = (rows: number[]) => {
      let same = 0;
      for (const i of rows) {
        const probe = (stored[i] as Float32Array).map((x) => x + 0.3 * (rng() * 2 - 1));
        const a = exact.search(probe, { k: 1 });
        const b = cells.search(probe, { k: 1 });
        if (b[0]?.templateId === a[0]?.templateId && a[0]?.templateId === `t${i}`) same++;
      }
      return same;
    };
    // Added after the partition was built: filed into their cells.
    for (let i = 4000; i < 4500; i++) enrol(i, vec(rng));
    expect(agree(range(4000, 4500))).toBeGreaterThanOrEqual(58);
    // Replaced: the row moves to the cell of its new embedding; removed: the last row moves.
    for (let i = 0; i < 50; i++) enrol(i * 13 + 1, vec(rng));
    expect(agree(Array.from({ length: 50 }, (_, i) => i * 13 + 1))).toBeGreaterThanOrEqual(48);
    cells.remove('t0');
    exact.remove('t0');
    expect(agree(range(1, 4500))).toBeGreaterThanOrEqual(58);
    expect(cells.search(stored[0] as Float32Array, { k: 1 })[0]?.templateId).not.toBe('t0');
    // One cell probed sees a fraction of the gallery: an unrelated probe's best hit is rarely the exact one,
    // while exact: true scans everything.
    cells.tune({ probe: 1, candidates: 1 });
    const far = vec(rng);
    expect(cells.search(far, { k: 1, exact: true })[0]?.templateId).toBe(exact.search(far, { k: 1 })[0]?.templateId);
    expect(cells.size).toBe(4499);
  });

  it('without bits, widens its 256-bit codes to 512 at widenAt: then it searches as a 512-bit index with the same seed', async () => {
    const rng = createRng(21).next;
    const auto = new FaceScanIndex(DIM, 16, { candidates: 50, widenAt: 3000 });
    const b256 = new FaceScanIndex(DIM, 16, { bits: 256, candidates: 50 });
    const b512 = new FaceScanIndex(DIM, 16, { bits: 512, candidates: 50 });
    const stored: Float32Array[] = [];
    const addAll = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        stored.push(vec(rng));
        for (const x of [auto, b256, b512]) x.add(`t${i}`, `p${i}`, stored[i] as Float32Array);
      }
    };
    const probes = () =>
      Array.from({ length: 30 }, (_, q) => near(stored[(q * 131) % stored.length] as Float32Array, rng));
    addAll(0, 2999);
    for (const p of probes()) expect(auto.search(p, { k: 5 })).toEqual(b256.search(p, { k: 5 }));
    addAll(2999, 4000);
    const after = probes().map((embedding) => ({ embedding }));
    for (const { embedding } of after)
      expect(auto.search(embedding, { k: 5 })).toEqual(b512.search(embedding, { k: 5 }));
    expect(await auto.searchMany(after, { k: 5 })).toEqual(await b512.searchMany(after, { k: 5 }));
    // Added after the widening: encoded with 512 bits.
    addAll(4000, 4100);
    const late = [{ embedding: stored[4050] as Float32Array }];
    expect(await auto.searchMany(late, { k: 3 })).toEqual(await b512.searchMany(late, { k: 3 }));
    for (const x of [auto, b256, b512]) await x.close();
    expect(() => new FaceScanIndex(DIM, 16, { widenAt: 0 })).toThrow(RangeError);
  });

  it('refuses a code length that is not a multiple of 32', () => {
    expect(() => new FaceScanIndex(DIM, 16, { bits: 100 })).toThrow(RangeError);
    expect(() => new FaceScanIndex(DIM, 16, { cells: -1 })).toThrow(RangeError);
    expect(() => new FaceScanIndex(DIM, 16, { probe: 0 })).toThrow(RangeError);
    expect(() => new FaceScanIndex(DIM, 16, {}).tune({ candidates: 0.5 })).toThrow(RangeError);
  });
});
