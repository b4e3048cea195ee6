import { type OpsMeasurement, defineBench, measureOps } from '@smart-citizen/bench';
import { postgresUrl } from '@smart-citizen/test-kit';
import pg from 'pg';
import { createPostgresIdentityStore } from '../src/index.js';
import { benchLookups, loadBenchCitizens } from './store-citizens.js';

export const bench = defineBench({
  name: 'postgres-store-lookup',
  pkg: 'adapter-postgres',
  description:
    'PostgreSQL identity store: bulk load and lookups by ID number / old CMND number (1,000,000 citizens; --quick 100,000)',
  async run(ctx) {
    const n = ctx.quick ? 100_000 : 1_000_000;
    const schema = `sc_bench_lookup_${n}`;
    const admin = new pg.Pool({ connectionString: postgresUrl, max: 1 });
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    const store = await createPostgresIdentityStore({
      connectionString: postgresUrl,
      schema,
      faceSearch: 'scan',
      maxConnections: 8,
    });
    const chunk = 20_000;
    const loadS = await loadBenchCitizens(store, n, chunk, (index, loaded) => {
      if (index % 10 === 0) ctx.progress(`postgres: loaded ${loaded} citizens`);
    });
    await admin.query(`VACUUM ANALYZE ${schema}.sc_identity_citizens`);
    const size = await admin.query<{ mb: string }>(
      `SELECT pg_total_relation_size('${schema}.sc_identity_citizens') / 1048576 AS mb`,
    );
    const q = ctx.quick ? 10_000 : 20_000;
    const { hitIds, missAndOld } = benchLookups(n, q);
    // Warm the pool's connections and prepared plans.
    await measureOps(500, 8, (i) => store.get(hitIds[i] as string));
    const get1 = await measureOps(q, 1, (i) => store.get(hitIds[i] as string));
    const get8 = await measureOps(q, 8, (i) => store.get(hitIds[i] as string));
    const { miss, old } = await missAndOld(store);
    const count = await store.count();
    await store.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    const row = (lookup: string, ops: number, c: number, m: OpsMeasurement) => ({
      lookup,
      ops,
      'in flight': c,
      'lookups/s': m.perSec,
      'p50 ms': m.p50,
      'p99 ms': m.p99,
    });
    return {
      tables: [
        {
          title: `PostgreSQL bulk load (${n.toLocaleString('en')} citizens, upsertMany: multi-row unnest inserts, one transaction per ${chunk.toLocaleString('en')})`,
          rows: [
            {
              citizens: count,
              seconds: loadS,
              'rows/s': Math.round(n / loadS),
              'table+indexes MB': Number(size.rows[0]?.mb),
            },
          ],
        },
        {
          title: `PostgreSQL lookups over ${n.toLocaleString('en')} citizens (local server, pool of 8)`,
          rows: [
            row('get by ID number (hit)', q, 1, get1),
            row('get by ID number (hit)', q, 8, get8),
            row('get by ID number (miss)', q / 5, 1, miss),
            row('find by old CMND number', q / 5, 1, old),
          ],
        },
      ],
      notes: [
        'Made-up citizens; the schema is dropped after the run. PostgreSQL 15 with default settings (shared_buffers 128 MB).',
      ],
    };
  },
});
