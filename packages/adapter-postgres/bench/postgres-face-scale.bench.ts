import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineBench, percentile } from '@smart-citizen/bench';
import { createRng } from '@smart-citizen/core';
import { postgresUrl } from '@smart-citizen/test-kit';
import pg from 'pg';
import { createPostgresIdentityDriver } from '../src/index.js';
import type { FaceIndexOptions } from '../src/index.js';
import { vectorBinary } from '../src/store/createPostgresIdentityStore.js';
import { faceIndexMigrations, planFaceIndex } from '../src/store/faceIndex.js';
import { bestAlignment, DIM, dot, FaceData, meanStd, randomRotation } from './faceData.js';
import { withBackendCpu } from './pgCpu.js';
import { loadAverages, type Row, round1, round3 } from './benchUtil.js';
import { realFaces } from './realFaces.js';

const load = loadAverages;
const r3 = round3;
const r1 = round1;
const idOf = (i: number) => `0790${String(i).padStart(8, '0')}`;
const uuidOf = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

/** One index to build and the searches run on it. */
interface IndexSpec {
  index: FaceIndexOptions;
  hnsw?: { m: number; efConstruction: number };
  /** maintenance_work_mem for the build, per million rows (scaled, at least 256 MB). */
  memMBPerMillion: number;
  searches: { label: string; index: FaceIndexOptions; efSearch?: number }[];
}

const halfvecSpec = (m: number, efConstruction: number, memMBPerMillion: number): IndexSpec => ({
  index: { type: 'hnsw', quantization: 'halfvec' },
  hnsw: { m, efConstruction },
  memMBPerMillion,
  searches: [100, 400, 1000].map((ef) => ({
    label: `ef_search ${ef}, re-rank 100`,
    index: { type: 'hnsw', quantization: 'halfvec', rerank: 100 },
    efSearch: ef,
  })),
});
const lists = (n: number) => Math.max(16, Math.round(Math.sqrt(n)));
const SPECS: Record<string, (n: number) => IndexSpec> = {
  'halfvec-m16': () => halfvecSpec(16, 64, 2500),
  'halfvec-m32': () => halfvecSpec(32, 128, 3500),
  'binary-m16': () => ({
    index: { type: 'hnsw', quantization: 'binary' },
    hnsw: { m: 16, efConstruction: 64 },
    memMBPerMillion: 1000,
    searches: [
      ...[200, 1000].map((rerank) => ({
        label: `re-rank ${rerank} (ef_search ${rerank})`,
        index: { type: 'hnsw', quantization: 'binary', rerank } as FaceIndexOptions,
        efSearch: rerank,
      })),
      ...[3000].map((rerank) => ({
        label: `re-rank ${rerank} (ef_search 1000, iterative relaxed_order)`,
        index: {
          type: 'hnsw',
          quantization: 'binary',
          rerank,
          iterativeScan: 'relaxed_order',
          maxScanTuples: 100_000,
        } as FaceIndexOptions,
        efSearch: 1000,
      })),
    ],
  }),
  'binary-m32': () => ({
    index: { type: 'hnsw', quantization: 'binary' },
    hnsw: { m: 32, efConstruction: 128 },
    memMBPerMillion: 1500,
    searches: [200, 1000].map((rerank) => ({
      label: `re-rank ${rerank} (ef_search ${rerank})`,
      index: { type: 'hnsw', quantization: 'binary', rerank } as FaceIndexOptions,
      efSearch: rerank,
    })),
  }),
  'ivfflat-halfvec': (n) => ({
    index: { type: 'ivfflat', quantization: 'halfvec', lists: lists(n) },
    memMBPerMillion: 1500,
    searches: [8, 32, 100]
      .filter((p) => p <= lists(n))
      .map((probes) => ({
        label: `${probes} of ${lists(n)} lists, re-rank 100`,
        index: { type: 'ivfflat', quantization: 'halfvec', lists: lists(n), probes, rerank: 100 },
      })),
  }),
  'ivfflat-binary': (n) => ({
    index: { type: 'ivfflat', quantization: 'binary', lists: lists(n) },
    memMBPerMillion: 500,
    searches: [8, 32]
      .filter((p) => p <= lists(n))
      .map((probes) => ({
        label: `${probes} of ${lists(n)} lists, re-rank 1000`,
        index: { type: 'ivfflat', quantization: 'binary', lists: lists(n), probes, rerank: 1000 },
      })),
  }),
};

/**
 * 1:N face search at scale on PostgreSQL + pgvector (#21): the store's quantised indexes with
 * exact re-ranking against its exact search, on realistic synthetic embeddings and real deepface
 * faces planted among them, with build time and CPU of the server processes.
 */
export const bench = defineBench({
  name: 'postgres-face-scale',
  pkg: 'adapter-postgres',
  description: `1:N face search at scale with pgvector: HNSW over halfvec or binary codes, IVFFlat, exact re-rank of the candidates by the full embedding, vs the exact scan; recall@1 on synthetic probes and on real deepface faces planted among the rows; build time, sizes, CPU of the PostgreSQL backend. Args: n=100000[,300000,…] (--quick 5000), indexes=${Object.keys(SPECS).join(',')} (default all), queries=100, url=postgres://… (default the test database), keep (keep the schemas for reuse; they are dropped otherwise), checkpoint=DIR (progress JSON after every row)`,
  async run(ctx) {
    const arg = (name: string) => ctx.args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
    const sizes = (arg('n') ?? (ctx.quick ? '5000' : '100000')).split(',').map(Number);
    const specNames = (arg('indexes') ?? Object.keys(SPECS).join(',')).split(',');
    for (const s of specNames) if (!SPECS[s]) throw new Error(`unknown index spec ${s}`);
    const qn = Number(arg('queries') ?? (ctx.quick ? 30 : 100));
    const url = arg('url') ?? postgresUrl;
    const keep = ctx.args.includes('keep');
    const checkpointDir = arg('checkpoint');
    const data = new FaceData('face');
    const rotate = randomRotation();
    const admin = new pg.Pool({ connectionString: url, max: 3 });
    const dataRows: Row[] = [];
    const loadRows: Row[] = [];
    const buildRows: Row[] = [];
    const searchRows: Row[] = [];
    const notes: string[] = [];
    const tables = () => [
      { title: 'Embeddings: cosine and binary_quantize Hamming distance (512 bits) distributions', rows: dataRows },
      { title: 'Load (vectors only, multi-row INSERT, 2 loaders) and sizes', rows: loadRows },
      { title: 'Index builds', rows: buildRows },
      { title: '1:N search, k = 10 (recall against the exact search of the same rows)', rows: searchRows },
    ];
    const checkpoint = () => {
      if (!checkpointDir) return;
      mkdirSync(checkpointDir, { recursive: true });
      writeFileSync(
        join(checkpointDir, 'postgres-face-scale-progress.json'),
        JSON.stringify({ at: new Date().toISOString(), tables: tables(), notes }, null, 1),
      );
    };

    // Real faces, aligned into the synthetic space (as the search and dedupe benches do), then
    // everything rotated so coordinate signs are as correlated as real embeddings' (faceData.ts).
    ctx.progress('embedding the deepface photos');
    const real = await realFaces('default');
    const sample = Array.from({ length: 1000 }, (_, i) => data.enrolled(20_000_000 + i));
    const bits = (v: Float32Array) => Uint8Array.from(v, (x) => (x > 0 ? 1 : 0));
    const ham = (a: Uint8Array, b: Uint8Array) => a.reduce((s, x, i) => s + (x !== b[i] ? 1 : 0), 0);
    const stats = (name: string, vs: Float32Array[], labels: string[]) => {
      const gc: number[] = [];
      const ic: number[] = [];
      const gh: number[] = [];
      const ih: number[] = [];
      const b = vs.map(bits);
      for (let i = 0; i < vs.length; i++)
        for (let j = i + 1; j < vs.length; j++) {
          const same = labels[i] === labels[j];
          (same ? gc : ic).push(dot(vs[i] as Float32Array, vs[j] as Float32Array));
          (same ? gh : ih).push(ham(b[i] as Uint8Array, b[j] as Uint8Array));
        }
      const [a, c, d, e] = [meanStd(gc), meanStd(ic), meanStd(gh), meanStd(ih)];
      dataRows.push({
        embeddings: name,
        'impostor cosine std': r3(c.std),
        'genuine cosine mean': r3(a.mean),
        'impostor Hamming mean': r1(e.mean),
        'impostor Hamming std': r1(e.std),
        'genuine Hamming mean': r1(d.mean),
        'genuine separation (impostor − genuine) / impostor std': Math.round(((e.mean - d.mean) / e.std) * 100) / 100,
      });
    };
    const unit = (v: Float32Array) => {
      const s = Math.sqrt(dot(v, v));
      return v.map((x) => x / s);
    };
    {
      const syn: Float32Array[] = [];
      const sl: string[] = [];
      for (let i = 0; i < 60; i++) {
        syn.push(data.enrolled(30_000_000 + i), unit(data.probe(30_000_000 + i, 0)));
        sl.push(`s${i}`, `s${i}`);
      }
      stats('synthetic face, axis-aligned (not used)', syn, sl);
      stats('synthetic face, rotated (the rows below)', syn.map(rotate), sl);
    }
    let gallery: { label: string; v: Float32Array }[] = [];
    let mated: { label: string; v: Float32Array }[] = [];
    if (real) {
      stats(
        `real fr_feature, deepface (${real.length} photos)`,
        real.map((r) => r.embedding),
        real.map((r) => r.label),
      );
      const best = bestAlignment(
        real.map((r) => r.embedding),
        sample,
        [1, 2, 3, 4, 5, 6, 7, 8],
      );
      const map = best.map;
      const placed = real.map((r) => ({ label: r.label, v: rotate(map(r.embedding)) }));
      stats(
        'real, aligned and rotated (planted)',
        placed.map((p) => p.v),
        placed.map((p) => p.label),
      );
      const seen = new Set<string>();
      for (const p of placed) {
        if (seen.has(p.label)) mated.push(p);
        else {
          seen.add(p.label);
          gallery.push(p);
        }
      }
      notes.push(
        `Planted: one photo of each of ${gallery.length} deepface people among the rows; the other ${mated.length} photos are the real probes (real-vs-synthetic impostor cosine std ${r3(best.std)}).`,
      );
    } else {
      notes.push('../shared/data/face/deepface or models missing: no real faces planted.');
      gallery = [];
      mated = [];
    }

    for (const n of sizes) {
      const schema = `sc_bench_scale_${n}`;
      const table = `${schema}.sc_identity_face_vectors`;
      // Searches run on one connection without parallel query, so the backend's /proc counters are
      // the whole CPU cost of a search.
      const searchPool = new pg.Pool({
        connectionString: url,
        max: 1,
        idleTimeoutMillis: 0,
        options: '-c max_parallel_workers_per_gather=0',
      });
      const pidOf = async (p: pg.Pool) =>
        (await p.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid as number;
      const total = n + gallery.length;
      const existing = await admin.query<{ n: string }>(
        `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'sc_identity_face_vectors'`,
        [schema],
      );
      let reuse = false;
      if (Number(existing.rows[0]?.n) > 0) {
        const c = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
        reuse = Number(c.rows[0]?.n) === total;
      }
      const loadRow: Row = { rows: total, 'load s': null, 'rows/s': null, 'loader CPU s': null };
      loadRows.push(loadRow);
      if (!reuse) {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        // The store's own schema (migrations), then the vectors alone: the search reads only
        // sc_identity_face_vectors, so the sealed templates it references are not written here
        // (its foreign key is dropped) and the float HNSW index of migration v1 is built by no one.
        const d = await createPostgresIdentityDriver({ pool: searchPool, schema, faceSearch: 'pgvector' });
        await d.close();
        await admin.query(`DROP INDEX ${schema}.sc_identity_face_vectors_hnsw`);
        const fk = await admin.query<{ conname: string }>(
          `SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'`,
          [table],
        );
        for (const { conname } of fk.rows) await admin.query(`ALTER TABLE ${table} DROP CONSTRAINT "${conname}"`);
        ctx.progress(`${n}: loading ${total} vectors (load ${load()})`);
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        const CHUNK = 1000;
        let next = 0;
        const loader = async () => {
          for (let start = next; start < total; start = next) {
            next += CHUNK;
            const end = Math.min(total, start + CHUNK);
            const values: unknown[] = [];
            for (let i = start; i < end; i++) {
              const v = i < n ? rotate(data.enrolled(i)) : (gallery[i - n] as { v: Float32Array }).v;
              values.push(uuidOf(i), i < n ? idOf(i) : `real-${i - n}`, vectorBinary(v));
            }
            await admin.query(
              `INSERT INTO ${table} (template_id, id_number, embedding) VALUES ${Array.from(
                { length: end - start },
                (_, j) => `($${3 * j + 1}::uuid, $${3 * j + 2}, $${3 * j + 3}::vector)`,
              ).join(', ')}`,
              values,
            );
            if (start % 100_000 === 0) ctx.progress(`${n}: ${start} loaded (load ${load()})`);
          }
        };
        await Promise.all([loader(), loader()]);
        const loadS = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(cpu0);
        await admin.query(`VACUUM ANALYZE ${table}`);
        Object.assign(loadRow, {
          'load s': Math.round(loadS),
          'rows/s': Math.round(total / loadS),
          'loader CPU s': Math.round((cpu.user + cpu.system) / 1e6),
        });
      } else notes.push(`${n.toLocaleString('en')}: rows reused from an earlier run (schema ${schema}).`);
      const size = await admin.query<{ mb: string }>(`SELECT pg_table_size($1::regclass) / 1048576 AS mb`, [table]);
      Object.assign(loadRow, { 'vector table MB': Number(size.rows[0]?.mb), load: load() });
      checkpoint();

      // Probes: new captures of random rows, and the real photos.
      const pick = createRng(n + 7).next;
      const targets = Array.from({ length: qn }, () => Math.floor(pick() * n));
      const synth = targets.map((t, q) => rotate(data.probe(t, q)));
      const labelId = new Map(gallery.map((g, j) => [g.label, `real-${j}`]));
      const runAll = async (search: (v: Float32Array) => Promise<string[]>) => {
        const pid = await pidOf(searchPool);
        const lat: number[] = [];
        const out: string[][] = [];
        const { cpuS } = await withBackendCpu(pid, admin, async () => {
          for (const p of [...synth, ...mated.map((m) => m.v)]) {
            const t = performance.now();
            out.push(await search(p));
            lat.push(performance.now() - t);
          }
        });
        return { lat, synth: out.slice(0, synth.length), real: out.slice(synth.length), cpuS };
      };
      const driverFor = (index: FaceIndexOptions, hnsw?: { m: number; efConstruction: number; efSearch?: number }) =>
        createPostgresIdentityDriver({
          pool: searchPool,
          schema,
          faceSearch: 'pgvector',
          faceIndex: index,
          ...(hnsw ? { hnsw } : {}),
        });

      ctx.progress(`${n}: exact search (ground truth), ${synth.length + mated.length} probes (load ${load()})`);
      const exactDriver = await driverFor({});
      const ids = (hits: { idNumber: string }[]) => hits.map((h) => h.idNumber);
      const truth = await runAll(async (v) =>
        ids(await (exactDriver.vectorSearch?.search('face', v, { k: 10, exact: true }) ?? Promise.resolve([]))),
      );
      await exactDriver.close();
      const row = (index: string, method: string, r: Awaited<ReturnType<typeof runAll>>): Row => {
        const rec1 = (got: string[][], want: string[][]) =>
          got.length ? r3(got.filter((l, q) => l[0] === want[q]?.[0]).length / got.length) : null;
        const rec10 = r3(
          r.synth.reduce((s, l, q) => s + l.filter((id) => truth.synth[q]?.includes(id)).length / 10, 0) /
            r.synth.length,
        );
        return {
          rows: total,
          index,
          search: method,
          probes: r.lat.length,
          'p50 ms': r1(percentile(r.lat, 50)),
          'p99 ms': r1(percentile(r.lat, 99)),
          'server CPU ms/search (mean)': r.cpuS === undefined ? null : r1((r.cpuS * 1000) / r.lat.length),
          'recall@1 vs exact': rec1(r.synth, truth.synth),
          'recall@10 vs exact': rec10,
          'true row top-1': r3(r.synth.filter((l, q) => l[0] === idOf(targets[q] as number)).length / r.synth.length),
          'real recall@1 vs exact': rec1(r.real, truth.real),
          'real rank-1 (mated)': r.real.length
            ? r3(r.real.filter((l, q) => l[0] === labelId.get(mated[q]?.label ?? '')).length / r.real.length)
            : null,
          load: load(),
        };
      };
      searchRows.push(row('none', 'exact scan (sequential, float32, 1 process)', truth));
      checkpoint();

      for (const name of specNames) {
        const spec = (SPECS[name] as (n: number) => IndexSpec)(n);
        const plan = planFaceIndex(spec.index, spec.hnsw);
        const [migration] = faceIndexMigrations(plan, DIM);
        if (!migration) continue;
        const create = migration.sql(schema).replace('IF NOT EXISTS ', '');
        // Another spec with the same index name (m 16 vs m 32) is dropped first, with its ledger row.
        await admin.query(`DROP INDEX IF EXISTS ${schema}.${plan.name}`);
        await admin.query(`DELETE FROM ${schema}.sc_store_migrations WHERE component = $1`, [plan.component]);
        const memMB = Math.max(256, Math.round((spec.memMBPerMillion * total) / 1e6));
        ctx.progress(`${n}: building ${name} (maintenance_work_mem ${memMB} MB, load ${load()})`);
        const c = await admin.connect();
        const buildPid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid as number;
        const t0 = performance.now();
        const poll = setInterval(() => {
          admin
            .query<{ phase: string; done: string; total: string }>(
              `SELECT phase, tuples_done AS done, tuples_total AS total FROM pg_stat_progress_create_index WHERE pid = $1`,
              [buildPid],
            )
            .then((r) => {
              for (const x of r.rows)
                ctx.progress(
                  `${n}: ${name} ${x.phase} ${x.done}/${x.total}, ${Math.round((performance.now() - t0) / 1000)} s (load ${load()})`,
                );
            })
            .catch(() => {});
        }, 60_000);
        let build: { cpuS: number | undefined };
        try {
          await c.query(`SET maintenance_work_mem = '${memMB}MB'`);
          await c.query('SET max_parallel_maintenance_workers = 1');
          build = await withBackendCpu(buildPid, admin, () => c.query(create));
        } finally {
          clearInterval(poll);
          c.release();
        }
        const buildS = (performance.now() - t0) / 1000;
        const isz = await admin.query<{ mb: string }>(`SELECT pg_relation_size($1::regclass) / 1048576 AS mb`, [
          `${schema}.${plan.name}`,
        ]);
        buildRows.push({
          rows: total,
          index: name,
          definition: create.slice(create.indexOf('USING') + 6, -1),
          'build s': Math.round(buildS),
          'server CPU s': build.cpuS === undefined ? null : Math.round(build.cpuS),
          'maintenance_work_mem MB': memMB,
          'index MB': Number(isz.rows[0]?.mb),
          load: load(),
        });
        ctx.progress(`${n}: ${name} built in ${Math.round(buildS)} s (load ${load()})`);
        checkpoint();
        for (const s of spec.searches) {
          const d = await driverFor(s.index, {
            ...(spec.hnsw ?? { m: 16, efConstruction: 64 }),
            ...(s.efSearch ? { efSearch: s.efSearch } : {}),
          });
          const search = async (v: Float32Array) =>
            ids(await (d.vectorSearch?.search('face', v, { k: 10, exact: false }) ?? Promise.resolve([])));
          await search(synth[0] as Float32Array);
          ctx.progress(`${n}: ${name} ${s.label} (load ${load()})`);
          searchRows.push(row(name, s.label, await runAll(search)));
          await d.close();
          checkpoint();
        }
        await admin.query(`DROP INDEX IF EXISTS ${schema}.${plan.name}`);
        await admin.query(`DELETE FROM ${schema}.sc_store_migrations WHERE component = $1`, [plan.component]);
      }
      await searchPool.end();
      if (!keep) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
    await admin.end();
    notes.push(
      'Rows: synthetic 512-d face embeddings (faceData.ts: k^-0.76 spectrum, effective dimension of real fr_feature, genuine cosine ≈ 0.72) under a fixed random rotation, so sign codes and float16 see coordinates like real embeddings do (Hamming table). Probes: new captures of random rows, and the real photos of the planted people.',
      'Server CPU is read from /proc for the one backend that runs the searches (parallel query off) and, for builds, the backend and its parallel worker (sampled each second); wall times shared the 2 cores with other jobs (load column).',
      'Each index is dropped after its searches, so every row searched with only its own index present.',
    );
    return { tables: tables(), notes };
  },
});
