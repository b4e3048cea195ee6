import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineBench, measureOps } from '@smart-citizen/bench';
import { createSqliteIdentityStore } from '../src/index.js';
import { benchLookups, loadBenchCitizens } from './citizens.js';

export const bench = defineBench({
  name: 'sqlite-store-lookup',
  pkg: 'adapter-sqlite',
  description:
    'SQLite identity store: bulk load and lookups by ID number / old CMND number (1,000,000 citizens; --quick 100,000)',
  async run(ctx) {
    const n = ctx.quick ? 100_000 : 1_000_000;
    const path = join(tmpdir(), `sc-bench-sqlite-${n}.db`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    const store = createSqliteIdentityStore({ path });
    const chunk = 50_000;
    const loadS = await loadBenchCitizens(store, n, chunk, (index, loaded) => {
      if (index % 4 === 0) ctx.progress(`sqlite: loaded ${loaded} citizens`);
    });
    store.database.pragma('wal_checkpoint(TRUNCATE)');
    const fileMB = statSync(path).size / 2 ** 20;
    const q = ctx.quick ? 20_000 : 50_000;
    const { hitIds, missAndOld } = benchLookups(n, q);
    const get = await measureOps(q, 1, (i) => store.get(hitIds[i] as string));
    const { miss, old } = await missAndOld(store);
    const count = await store.count();
    await store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    return {
      tables: [
        {
          title: `SQLite bulk load (${n.toLocaleString('en')} citizens, upsertMany in transactions of ${chunk.toLocaleString('en')})`,
          rows: [{ citizens: count, seconds: loadS, 'rows/s': Math.round(n / loadS), 'file MB': Math.round(fileMB) }],
        },
        {
          title: `SQLite lookups over ${n.toLocaleString('en')} citizens (one connection, sequential awaits, WAL)`,
          rows: [
            { lookup: 'get by ID number (hit)', ops: q, 'lookups/s': get.perSec, 'p50 ms': get.p50, 'p99 ms': get.p99 },
            {
              lookup: 'get by ID number (miss)',
              ops: q / 5,
              'lookups/s': miss.perSec,
              'p50 ms': miss.p50,
              'p99 ms': miss.p99,
            },
            {
              lookup: 'find by old CMND number',
              ops: q / 5,
              'lookups/s': old.perSec,
              'p50 ms': old.p50,
              'p99 ms': old.p99,
            },
          ],
        },
      ],
      notes: ['Made-up citizens (benchCitizen); the database file is deleted after the run.'],
    };
  },
});
