import { createStaticKeyProvider, encodeEmbedding, isSmartCitizenError } from '@smart-citizen/core';
import { postgresUrl } from '@smart-citizen/test-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestServer } from '../../test/pgTestSchemas.js';
import { createPostgresIdentityStore } from './createPostgresIdentityStore.js';
import { type FaceIndexOptions, faceIndexMigrations, planFaceIndex } from './faceIndex.js';

describe('planFaceIndex', () => {
  it('keeps the float HNSW index by default, with no extra migration', () => {
    const p = planFaceIndex(undefined, undefined);
    expect(p).toMatchObject({
      type: 'hnsw',
      quantization: 'none',
      rerank: 0,
      m: 16,
      efConstruction: 64,
      efSearch: 400,
    });
    expect(p.name).toBe('sc_identity_face_vectors_hnsw');
    expect(faceIndexMigrations(p, 512)).toEqual([]);
  });

  it('settles re-rank defaults and turns the HNSW scan iterative above ef_search 1000', () => {
    expect(planFaceIndex({ quantization: 'halfvec' }, undefined).rerank).toBe(100);
    const b = planFaceIndex({ quantization: 'binary' }, undefined);
    expect(b).toMatchObject({ rerank: 1000, iterativeScan: 'off', name: 'sc_identity_face_vectors_hnsw_binary' });
    expect(planFaceIndex({ quantization: 'binary', rerank: 3000 }, undefined).iterativeScan).toBe('relaxed_order');
    const sql = faceIndexMigrations(b, 512)[0]?.sql('"s"');
    expect(sql).toBe(
      'CREATE INDEX IF NOT EXISTS sc_identity_face_vectors_hnsw_binary ON "s".sc_identity_face_vectors USING hnsw ((binary_quantize(embedding)::bit(512)) bit_hamming_ops) WITH (m = 16, ef_construction = 64);',
    );
    const ivf = planFaceIndex({ type: 'ivfflat', quantization: 'halfvec', lists: 50 }, undefined);
    expect(faceIndexMigrations(ivf, 8)[0]?.sql('"s"')).toContain(
      'ivfflat ((embedding::halfvec(8)) halfvec_cosine_ops) WITH (lists = 50)',
    );
  });

  it('refuses bad options with store/invalid-config', () => {
    const bad: [FaceIndexOptions | undefined, Record<string, number> | undefined][] = [
      [{ quantization: 'pq' as never }, undefined],
      [{ type: 'diskann' as never }, undefined],
      [{ rerank: -1 }, undefined],
      [{ rerank: 1.5 }, undefined],
      [{ iterativeScan: 'sideways' as never }, undefined],
      [{ type: 'ivfflat', iterativeScan: 'strict_order' }, undefined],
      [{ type: 'ivfflat', lists: 10, probes: 11 }, undefined],
      [undefined, { m: 16, efConstruction: 20 }],
      [undefined, { efSearch: 1001 }],
      [undefined, { m: 0 }],
    ];
    for (const [index, hnsw] of bad) {
      let err: unknown;
      try {
        planFaceIndex(index, hnsw);
      } catch (e) {
        err = e;
      }
      expect(isSmartCitizenError(err, 'store/invalid-config'), JSON.stringify(index ?? hnsw)).toBe(true);
    }
  });
});

const server = await openTestServer('sc_test_fi_');
const { admin, vector, newSchema } = server;
afterAll(() => server.end());

describe.skipIf(!vector)('quantised pgvector face search with exact re-ranking', () => {
  const keys = createStaticKeyProvider({ keys: [{ id: 'k1', key: new Uint8Array(32).fill(5) }] });
  const dim = 64;
  const n = 300;
  // Deterministic vectors with a common component, so cosines spread as face embeddings' do.
  const vec = (i: number, noise = 0) =>
    Float32Array.from({ length: dim }, (_, j) => {
      const x = Math.sin((i + 1) * 12.9898 + (j + 1) * 78.233) * 43758.5453;
      const y = Math.sin((i + 1) * 3.7 + (j + 1) * 1.9 + noise) * 0.5 * Math.min(1, noise);
      return x - Math.floor(x) - 0.35 + y;
    });
  const id = (i: number) => `0030990${String(i).padStart(5, '0')}`;
  const open = (schema: string, faceIndex: FaceIndexOptions, hnsw?: { m: number; efConstruction: number }) =>
    createPostgresIdentityStore({
      connectionString: postgresUrl,
      schema,
      faceDimension: dim,
      keys,
      faceSearch: 'pgvector',
      faceIndex,
      ...(hnsw ? { hnsw } : {}),
      maxConnections: 2,
    });

  const cases: [string, FaceIndexOptions, string][] = [
    ['HNSW over halfvec', { quantization: 'halfvec', rerank: 400 }, 'halfvec_cosine_ops'],
    ['HNSW over binary codes', { quantization: 'binary', rerank: 400 }, 'bit_hamming_ops'],
    [
      'HNSW over binary codes, iterative scan',
      { quantization: 'binary', rerank: 2000, iterativeScan: 'relaxed_order', maxScanTuples: 5000 },
      'bit_hamming_ops',
    ],
    ['IVFFlat over halfvec', { type: 'ivfflat', quantization: 'halfvec', lists: 4, probes: 4, rerank: 400 }, 'ivfflat'],
  ];
  for (const [title, faceIndex, indexdef] of cases) {
    it(`${title}: finds what the exact search finds, in exact order, through its own index`, async () => {
      const schema = newSchema();
      // Rows first, index after: IVFFlat trains its lists on the rows present.
      const plain = await open(schema, {});
      await plain.upsertMany(Array.from({ length: n }, (_, i) => ({ idNumber: id(i) })));
      await plain.enrolTemplates(
        Array.from({ length: n }, (_, i) => ({
          idNumber: id(i),
          template: { kind: 'face' as const, format: 'f32', data: encodeEmbedding(vec(i)) },
        })),
      );
      await plain.close();
      const store = await open(schema, faceIndex);
      const again = await open(schema, faceIndex);
      await again.close();
      const idx = await admin?.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'sc_identity_face_vectors'
           AND indexname NOT IN ('sc_identity_face_vectors_hnsw', 'sc_identity_face_vectors_pkey')`,
        [schema],
      );
      expect(idx?.rows.length).toBe(1);
      expect(idx?.rows[0]?.indexdef).toContain(indexdef);
      const ledger = await admin?.query(
        `SELECT component, version FROM "${schema}".sc_store_migrations WHERE component LIKE 'identity-pgvector-%'`,
      );
      expect(ledger?.rows.length).toBe(1);
      for (const target of [7, 123, 299]) {
        const probe = vec(target, 0.6);
        const approx = await store.searchFaces(probe, { k: 10 });
        const exact = await store.searchFaces(probe, { k: 10, exact: true });
        expect(exact[0]?.idNumber).toBe(id(target));
        // The candidates (400+ of 300 rows) cover every row, so the re-ranked answer is the exact one,
        // ordered and scored by the full embedding, not by the quantised distance.
        expect(approx.map((h) => h.idNumber)).toEqual(exact.map((h) => h.idNumber));
        for (const [j, h] of approx.entries()) expect(h.similarity).toBeCloseTo(exact[j]?.similarity as number, 5);
      }
      // The planner takes the quantised index for the candidate query.
      const c = await admin?.connect();
      try {
        await c?.query('BEGIN');
        await c?.query('SET LOCAL enable_seqscan = off');
        const lit = `'[${Array.from({ length: dim }, (_, j) => (j === 0 ? 1 : 0)).join(',')}]'::vector(${dim})`;
        const order =
          faceIndex.quantization === 'binary'
            ? `binary_quantize(embedding)::bit(${dim}) <~> binary_quantize(${lit})::bit(${dim})`
            : `embedding::halfvec(${dim}) <=> ${lit}::halfvec(${dim})`;
        const plan = await c?.query(
          `EXPLAIN SELECT template_id FROM "${schema}".sc_identity_face_vectors ORDER BY ${order} LIMIT 5`,
        );
        expect(JSON.stringify(plan?.rows)).toMatch(/sc_identity_face_vectors_(hnsw|ivfflat)_(halfvec|binary)/);
        await c?.query('ROLLBACK');
      } finally {
        c?.release();
      }
      await store.close();
    });
  }

  it('keeps a small candidate list honest: re-rank 10 of a binary index still returns exact cosines, best first', async () => {
    const schema = newSchema();
    const store = await open(schema, { quantization: 'binary', rerank: 10 });
    await store.upsertMany(Array.from({ length: 60 }, (_, i) => ({ idNumber: id(i) })));
    await store.enrolTemplates(
      Array.from({ length: 60 }, (_, i) => ({
        idNumber: id(i),
        template: { kind: 'face' as const, format: 'f32', data: encodeEmbedding(vec(i)) },
      })),
    );
    const hits = await store.searchFaces(vec(11, 0.6), { k: 5 });
    expect(hits[0]?.idNumber).toBe(id(11));
    for (let j = 1; j < hits.length; j++)
      expect(hits[j]?.similarity as number).toBeLessThanOrEqual(hits[j - 1]?.similarity as number);
    await store.close();
  });
});
