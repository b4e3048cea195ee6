import { loadavg } from 'node:os';
import { defineBench, percentile } from '@smart-citizen/bench';
import { FaceScanIndex, createRng, createStaticKeyProvider, encodeEmbedding } from '@smart-citizen/core';
import { postgresUrl } from '@smart-citizen/test-kit';
import pg from 'pg';
import { createPostgresIdentityStore } from '../src/index.js';
import type { PostgresIdentityStore } from '../src/index.js';
import { bestAlignment, DIM, dot, FaceData, type FaceDataKind, meanStd, REAL_IMPOSTOR_STD } from './faceData.js';
import { realFaces } from './realFaces.js';
import { benchCitizen } from './store-citizens.js';

const HNSW_DEFAULT = { m: 16, efConstruction: 64 };
type Row = Record<string, string | number | boolean | null>;

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export const bench = defineBench({
  name: 'postgres-face-search',
  pkg: 'adapter-postgres',
  description:
    '1:N face search over 512-d embeddings: pgvector HNSW vs exact scan (pgvector and in-process), latency, recall and mated rank-1 with real deepface embeddings among synthetic distractors (100,000 and 1,000,000; --quick 20,000). Args: data=face|iso (default face), fresh, hnsw-1m, 1m-only, 100k-only, n=<size>, ef=40,100,200, mem=<maintenance_work_mem>, m=16, efc=64 (HNSW build)',
  async run(ctx) {
    const nArg = ctx.args.find((a) => a.startsWith('n='));
    const sizes = nArg
      ? [Number(nArg.slice(2))]
      : ctx.quick
        ? [20_000]
        : ctx.args.includes('1m-only')
          ? [1_000_000]
          : ctx.args.includes('100k-only')
            ? [100_000]
            : [100_000, 1_000_000];
    const kind: FaceDataKind = ctx.args.includes('data=iso') ? 'iso' : 'face';
    const data = new FaceData(kind);
    const efArg = ctx.args.find((a) => a.startsWith('ef='));
    const efList = efArg
      ? efArg
          .slice(3)
          .split(',')
          .map(Number)
          .filter((x) => x > 0 && x <= 1000) // pgvector's hnsw.ef_search range
      : [40, 100, 200, 400];
    const memArg = ctx.args.find((a) => a.startsWith('mem='))?.slice(4);
    const intArg = (name: string, dflt: number) => {
      const a = ctx.args.find((x) => x.startsWith(`${name}=`));
      return a ? Number(a.slice(name.length + 1)) : dflt;
    };
    const HNSW = { m: intArg('m', HNSW_DEFAULT.m), efConstruction: intArg('efc', HNSW_DEFAULT.efConstruction) };
    const custom = HNSW.m !== HNSW_DEFAULT.m || HNSW.efConstruction !== HNSW_DEFAULT.efConstruction;
    const keys = createStaticKeyProvider({ keys: [{ id: 'bench', key: new Uint8Array(32).fill(11) }] });
    const admin = new pg.Pool({ connectionString: postgresUrl, max: 2 });
    const loadRows: Row[] = [];
    const searchRows: Row[] = [];
    const matedRows: Row[] = [];
    const dataRows: Row[] = [];
    const notes: string[] = [];

    // Real embeddings of the deepface photos (skipped without ../shared/data).
    ctx.progress('embedding the deepface photos (fr_feature)');
    const real = await realFaces('default');
    const sample = Array.from({ length: 1500 }, (_, i) => data.enrolled(10_000_000 + i));
    const synthImp: number[] = [];
    for (let i = 0; i < sample.length; i++)
      for (let j = i + 1; j < sample.length; j += 7)
        synthImp.push(dot(sample[i] as Float32Array, sample[j] as Float32Array));
    const synthGen = Array.from({ length: 300 }, (_, i) => {
      const p = data.probe(10_000_000 + i, 0);
      return dot(p, data.enrolled(10_000_000 + i)) / Math.sqrt(dot(p, p));
    });
    const s1 = meanStd(synthImp);
    const s2 = meanStd(synthGen);
    dataRows.push({
      embeddings: `synthetic '${kind}'${kind === 'face' ? ` (k^-${r3(data.alpha)} spectrum)` : ''}`,
      'impostor mean': r3(s1.mean),
      'impostor std': r3(s1.std),
      'effective dim (1/std²)': Math.round(1 / s1.std ** 2),
      'genuine mean': r3(s2.mean),
      'genuine std': r3(s2.std),
    });
    let gallery: { label: string; v: Float32Array }[] = [];
    let mated: { label: string; v: Float32Array }[] = [];
    if (real) {
      const gen: number[] = [];
      const imp: number[] = [];
      for (let i = 0; i < real.length; i++)
        for (let j = i + 1; j < real.length; j++)
          (real[i]?.label === real[j]?.label ? gen : imp).push(
            dot(real[i]?.embedding as Float32Array, real[j]?.embedding as Float32Array),
          );
      const g = meanStd(gen);
      const im = meanStd(imp);
      dataRows.unshift({
        embeddings: `real: fr_feature on deepface (${real.length} photos, ${new Set(real.map((r) => r.label)).size} people)`,
        'impostor mean': r3(im.mean),
        'impostor std': r3(im.std),
        'effective dim (1/std²)': Math.round(1 / im.std ** 2),
        'genuine mean': r3(g.mean),
        'genuine std': r3(g.std),
      });
      // Place the real embeddings in the synthetic space: for 'face', the orthogonal alignment
      // whose real-vs-synthetic cosine std is closest to the real impostor std.
      const best = bestAlignment(
        real.map((r) => r.embedding),
        sample,
        kind === 'face' ? [1, 2, 3, 4, 5, 6, 7, 8] : [0],
      );
      if (best) {
        dataRows.push({
          embeddings: `real vs synthetic '${kind}'${best.stride ? ` (aligned, stride ${best.stride})` : ''}`,
          'impostor mean': r3(best.mean),
          'impostor std': r3(best.std),
          'effective dim (1/std²)': Math.round(1 / best.std ** 2),
          'genuine mean': null,
          'genuine std': null,
        });
        const seen = new Set<string>();
        for (const r of real) {
          const v = best.map(r.embedding);
          if (seen.has(r.label)) mated.push({ label: r.label, v });
          else {
            seen.add(r.label);
            gallery.push({ label: r.label, v });
          }
        }
        mated = mated.filter((m) => gallery.some((g) => g.label === m.label));
      }
    } else {
      notes.push('../shared/data/face/deepface or models missing: no real embeddings, no mated search.');
      gallery = [];
    }

    for (const n of sizes) {
      const schema =
        (kind === 'iso' ? `sc_bench_face_${n}` : `sc_bench_face_${kind}_${n}`) +
        (custom ? `_m${HNSW.m}_efc${HNSW.efConstruction}` : '');
      const open = (efSearch = 100) =>
        createPostgresIdentityStore({
          connectionString: postgresUrl,
          schema,
          keys,
          faceDimension: DIM,
          faceSearch: 'pgvector',
          hnsw: { ...HNSW, efSearch },
          maxConnections: 2,
        });
      const existing = await admin.query<{ n: string }>(
        `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'sc_identity_face_vectors'`,
        [schema],
      );
      let reuse = false;
      if (Number(existing.rows[0]?.n) > 0 && !ctx.args.includes('fresh')) {
        const c = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.sc_identity_face_vectors`);
        reuse = Number(c.rows[0]?.n) === n;
      }
      const index = new FaceScanIndex(DIM, n + gallery.length);
      const loadRow: Row = {
        embeddings: n,
        data: kind,
        HNSW: `m ${HNSW.m}, ef_construction ${HNSW.efConstruction}`,
        'citizens load s': null,
        'templates load s (encrypt + insert)': null,
        'templates/s': null,
      };
      loadRows.push(loadRow);
      let store: PostgresIdentityStore;
      if (reuse) {
        ctx.progress(`${n}: reusing the loaded schema ${schema}`);
        store = await open();
        for (let i = 0; i < n; i++) index.add(`t${i}`, benchCitizen(i).idNumber, data.enrolled(i));
        notes.push(`${n.toLocaleString('en')}: data reused from an earlier run of this bench (schema ${schema}).`);
      } else {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        store = await open();
        // Build the HNSW index once after the load, not row by row.
        await admin.query(`DROP INDEX IF EXISTS ${schema}.sc_identity_face_vectors_hnsw`);
        ctx.progress(`${n}: loading citizens (load ${load()})`);
        const t0 = performance.now();
        for (let start = 0; start < n; start += 20_000) {
          await store.upsertMany(
            Array.from({ length: Math.min(20_000, n - start) }, (_, k) => benchCitizen(start + k)),
          );
        }
        const citizensS = (performance.now() - t0) / 1000;
        ctx.progress(`${n}: citizens in ${citizensS.toFixed(1)} s; enrolling templates (load ${load()})`);
        const t1 = performance.now();
        const cpu0 = process.cpuUsage();
        // Two loaders overlap encryption and vector formatting (JS) with the inserts (server).
        let nextChunk = 0;
        const loader = async () => {
          for (let start = nextChunk; start < n; start = nextChunk) {
            nextChunk += 5_000;
            const items = Array.from({ length: Math.min(5_000, n - start) }, (_, k) => {
              const i = start + k;
              const v = data.enrolled(i);
              const idNumber = benchCitizen(i).idNumber;
              index.add(`t${i}`, idNumber, v);
              return { idNumber, template: { kind: 'face' as const, format: 'f32', data: encodeEmbedding(v) } };
            });
            await store.enrolTemplates(items);
            if (start % 100_000 === 0)
              ctx.progress(
                `${n}: enrolled ${start + items.length} face templates, ${Math.round((start + items.length) / ((performance.now() - t1) / 1000))}/s (load ${load()})`,
              );
          }
        };
        await Promise.all([loader(), loader()]);
        const templatesS = (performance.now() - t1) / 1000;
        const cpu = process.cpuUsage(cpu0);
        await admin.query(`VACUUM ANALYZE ${schema}.sc_identity_face_vectors`);
        Object.assign(loadRow, {
          'citizens load s': Math.round(citizensS * 10) / 10,
          'templates load s (encrypt + insert)': Math.round(templatesS * 10) / 10,
          'templates/s': Math.round(n / templatesS),
          'bench process CPU s (load)': Math.round((cpu.user + cpu.system) / 1e5) / 10,
        });
      }
      const size = await admin.query<{ mb: string }>(
        `SELECT pg_table_size('${schema}.sc_identity_face_vectors') / 1048576 AS mb`,
      );
      // HNSW build (timed). 1M is built only when asked: on 2 shared cores it takes long.
      const hasIndex = await admin.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_indexes WHERE schemaname = $1 AND indexname = 'sc_identity_face_vectors_hnsw'`,
        [schema],
      );
      let buildS: number | null = null;
      const wantIndex = n <= 100_000 || ctx.args.includes('hnsw-1m');
      if (Number(hasIndex.rows[0]?.n) === 0 && wantIndex) {
        const mem = memArg ?? (n > 200_000 ? '8GB' : '1GB');
        ctx.progress(
          `${n}: building HNSW (m=${HNSW.m}, ef_construction=${HNSW.efConstruction}, maintenance_work_mem=${mem}, load ${load()})`,
        );
        const c = await admin.connect();
        // Build progress from pg_stat_progress_create_index, every 30 s.
        const poll = setInterval(() => {
          admin
            .query<{ phase: string; done: string; total: string }>(
              `SELECT phase, tuples_done AS done, tuples_total AS total FROM pg_stat_progress_create_index
               WHERE relid = $1::regclass`,
              [`${schema}.sc_identity_face_vectors`],
            )
            .then((r) => {
              for (const x of r.rows)
                ctx.progress(
                  `${n}: HNSW build ${x.phase}: ${x.done}/${x.total} tuples, ${Math.round((performance.now() - tb) / 1000)} s (load ${load()})`,
                );
            })
            .catch(() => {});
        }, 30_000);
        const tb = performance.now();
        try {
          await c.query(`SET maintenance_work_mem = '${mem}'`);
          await c.query('SET max_parallel_maintenance_workers = 2');
          const t = await timed(() =>
            c.query(
              `CREATE INDEX sc_identity_face_vectors_hnsw ON ${schema}.sc_identity_face_vectors
               USING hnsw (embedding vector_cosine_ops) WITH (m = ${HNSW.m}, ef_construction = ${HNSW.efConstruction})`,
            ),
          );
          buildS = t.ms / 1000;
          ctx.progress(`${n}: HNSW built in ${buildS.toFixed(0)} s (load ${load()})`);
        } finally {
          clearInterval(poll);
          c.release();
        }
      } else if (Number(hasIndex.rows[0]?.n) > 0) {
        notes.push(
          `${n.toLocaleString('en')}: HNSW index already built by an earlier run (build time in that run's JSON).`,
        );
      }
      const indexed = Number(hasIndex.rows[0]?.n) > 0 || buildS !== null;
      const idxSize = indexed
        ? await admin.query<{ mb: string }>(
            `SELECT pg_relation_size('${schema}.sc_identity_face_vectors_hnsw') / 1048576 AS mb`,
          )
        : undefined;
      Object.assign(loadRow, {
        'vector table MB': Number(size.rows[0]?.mb),
        'HNSW build s': buildS === null ? null : Math.round(buildS),
        'HNSW MB': idxSize ? Number(idxSize.rows[0]?.mb) : null,
        'load avg after': load(),
      });

      // Probes: new captures of random enrolled citizens.
      const qn = ctx.quick ? 50 : 100;
      const pick = createRng(n).next;
      const targets = Array.from({ length: qn }, () => Math.floor(pick() * n));
      const probes = targets.map((t, q) => data.probe(t, q));
      ctx.progress(`${n}: exact in-process scan (ground truth)`);
      const truth: string[][] = [];
      const jsLat: number[] = [];
      for (const p of probes) {
        const t = performance.now();
        truth.push(index.search(p, { k: 10 }).map((h) => h.idNumber));
        jsLat.push(performance.now() - t);
      }
      const targetIds = targets.map((t) => benchCitizen(t).idNumber);
      const hit1 = (lists: string[][]) => lists.filter((l, q) => l[0] === targetIds[q]).length / lists.length;
      const recall = (lists: string[][]) => ({
        r1: lists.filter((l, q) => l[0] === truth[q]?.[0]).length / lists.length,
        r10: lists.reduce((s, l, q) => s + l.filter((id) => truth[q]?.includes(id)).length / 10, 0) / lists.length,
      });
      const row = (method: string, lat: number[], lists: string[][] | null): Row => {
        const r = lists ? recall(lists) : null;
        return {
          embeddings: n,
          data: kind,
          method,
          queries: lat.length,
          'p50 ms': Math.round(percentile(lat, 50) * 10) / 10,
          'p99 ms': Math.round(percentile(lat, 99) * 10) / 10,
          'recall@1': r ? r.r1 : 1,
          'recall@10': r ? r3(r.r10) : 1,
          'true citizen top-1': lists ? hit1(lists) : hit1(truth),
          load: load(),
        };
      };
      searchRows.push(row('exact scan in process (FaceScanIndex, JS)', jsLat, null));
      // pgvector exact: sequential scan with the index disabled.
      const exactQ = n >= 1_000_000 ? 20 : 50;
      ctx.progress(`${n}: pgvector exact scan`);
      const exLat: number[] = [];
      const exLists: string[][] = [];
      for (let q = 0; q < exactQ; q++) {
        const t = await timed(() => store.searchFaces(probes[q] as Float32Array, { k: 10, exact: true }));
        exLat.push(t.ms);
        exLists.push(t.value.map((h) => h.idNumber));
      }
      const exRecall = recall(exLists);
      searchRows.push({
        ...row('pgvector exact scan (index off)', exLat, null),
        'recall@1': exRecall.r1,
        'recall@10': r3(exRecall.r10),
        'true citizen top-1': exLists.filter((l, q) => l[0] === targetIds[q]).length / exLists.length,
      });

      // Mated search: one photo of each deepface person enrolled among the n distractors,
      // queried with each of that person's other photos.
      const galleryIds = gallery.map((_, j) => benchCitizen(n + j).idNumber);
      const idOf = new Map(gallery.map((g, j) => [g.label, galleryIds[j] as string]));
      if (gallery.length) {
        await store.upsertMany(gallery.map((_, j) => benchCitizen(n + j)));
        await store.enrolTemplates(
          gallery.map((g, j) => ({
            idNumber: galleryIds[j] as string,
            template: { kind: 'face' as const, format: 'f32', data: encodeEmbedding(g.v) },
          })),
        );
        for (const [j, g] of gallery.entries()) index.add(`g${j}`, galleryIds[j] as string, g.v);
      }
      const matedRow = (method: string, lists: string[][], lat: number[]): Row => ({
        embeddings: n,
        data: kind,
        method,
        probes: lists.length,
        'rank-1 identification': r3(
          lists.filter((l, q) => l[0] === idOf.get(mated[q]?.label ?? '')).length / lists.length,
        ),
        'in top 10': r3(
          lists.filter((l, q) => l.includes(idOf.get(mated[q]?.label ?? '') ?? '')).length / lists.length,
        ),
        'p50 ms': Math.round(percentile(lat, 50) * 10) / 10,
      });
      const runMated = async (method: string, search: (v: Float32Array) => Promise<string[]> | string[]) => {
        if (!gallery.length) return;
        const lists: string[][] = [];
        const lat: number[] = [];
        for (const m of mated) {
          const t = performance.now();
          lists.push(await search(m.v));
          lat.push(performance.now() - t);
        }
        matedRows.push(matedRow(method, lists, lat));
      };
      try {
        await runMated('exact scan in process (JS)', (v) => index.search(v, { k: 10 }).map((h) => h.idNumber));
        await runMated('pgvector exact scan', async (v) =>
          (await store.searchFaces(v, { k: 10, exact: true })).map((h) => h.idNumber),
        );
        await store.close();
        if (indexed) {
          for (const ef of efList) {
            ctx.progress(`${n}: HNSW ef_search=${ef}`);
            const s = await open(ef);
            await s.searchFaces(probes[0] as Float32Array, { k: 10 });
            const lat: number[] = [];
            const lists: string[][] = [];
            for (const p of probes) {
              const t = await timed(() => s.searchFaces(p, { k: 10 }));
              lat.push(t.ms);
              lists.push(t.value.map((h) => h.idNumber));
            }
            searchRows.push(row(`pgvector HNSW ef_search=${ef}`, lat, lists));
            await runMated(`pgvector HNSW ef_search=${ef}`, async (v) =>
              (await s.searchFaces(v, { k: 10 })).map((h) => h.idNumber),
            );
            await s.close();
          }
        } else {
          notes.push(
            `${n.toLocaleString('en')}: HNSW not built in this run (pass hnsw-1m to build it; see README for the measured build).`,
          );
        }
      } finally {
        if (gallery.length) {
          // Remove the real people again so the schema can be reused.
          const s = await open();
          for (const id of galleryIds) await s.erase(id);
          await s.close();
        }
      }
    }
    await admin.end();
    return {
      tables: [
        { title: 'Embeddings: cosine distributions (impostor = different people)', rows: dataRows },
        { title: 'Face templates: load and HNSW build', rows: loadRows },
        { title: '1:N face search, k = 10 (recall against the exact top-10)', rows: searchRows },
        {
          title:
            'Mated search: one real photo per deepface person enrolled among the distractors, probed with the others',
          rows: matedRows,
        },
      ],
      notes: [
        kind === 'face'
          ? `Synthetic 512-d unit embeddings, anisotropic (variance of axis k ∝ k^-${r3(data.alpha)}: effective dimension matched to the real fr_feature impostor cosine std ${REAL_IMPOSTOR_STD}); probes = enrolled + noise from the same spectrum (genuine cosine ≈ 0.72).`
          : 'Synthetic 512-d unit embeddings (isotropic Gaussian), probes = enrolled vector + noise (cosine ≈ 0.78).',
        'Schemas sc_bench_face_* are kept for reuse; drop them with DROP SCHEMA ... CASCADE.',
        ...notes,
      ],
    };
  },
});
