import { defineBench } from '@smart-citizen/bench';
import { hasPostgres, postgresUrl } from '@smart-citizen/test-kit';
import pg from 'pg';
import { benchQueueBackend } from '@smart-citizen/queue/bench';
import { openPostgresQueueInSchema } from '../test/openPostgresQueueInSchema.js';

export const bench = defineBench({
  name: 'queue-postgres',
  pkg: 'adapter-postgres',
  description:
    'smart queue on PostgreSQL (SKIP LOCKED): tickets issued and called per second, p50/p99 latency, order fidelity',
  async run(ctx) {
    if (!(await hasPostgres())) return { tables: [], notes: [`SKIPPED: no PostgreSQL at ${postgresUrl}`] };
    const admin = new pg.Pool({ connectionString: postgresUrl, max: 1 });
    const tickets = ctx.quick ? 2000 : 10_000;
    const tables = [];
    const fidelities = [];
    let n = 0;
    try {
      const version =
        (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? 'unknown';
      // Baseline: the bare round trip on this machine, to read the queue figures against.
      const rtt: number[] = [];
      for (let i = 0; i < 300; i++) {
        const t = performance.now();
        await admin.query('SELECT 1');
        rtt.push(performance.now() - t);
      }
      rtt.sort((a, b) => a - b);
      const baseline = {
        title: 'Baseline: SELECT 1 round trip (same pool, same machine)',
        rows: [
          { ops: rtt.length, p50Ms: rtt[Math.floor(rtt.length * 0.5)]!, p99Ms: rtt[Math.floor(rtt.length * 0.99)]! },
        ],
      };
      for (const synchronousCommit of [true, false]) {
        ctx.progress(
          `PostgreSQL, synchronous_commit ${synchronousCommit ? 'on' : 'off'}, ${tickets} tickets, 20 counters`,
        );
        const { rows, fidelity } = await benchQueueBackend(
          () => openPostgresQueueInSchema(admin, `sc_bench_queue_${process.pid}_${n++}`, { synchronousCommit }),
          { tickets, counters: 20, issuers: 8, clients: 4, sequentialOps: ctx.quick ? 300 : 1000 },
        );
        const mode = synchronousCommit ? 'on' : 'off';
        tables.push({
          title: `PostgreSQL ${version} queue backend, synchronous_commit ${mode} (localhost)`,
          rows: rows.map((r) => ({ ...r, synchronousCommit: mode })),
        });
        fidelities.push({ ...fidelity, synchronousCommit: mode });
      }
      return {
        tables: [
          baseline,
          ...tables,
          { title: 'Order fidelity under concurrent call-next (PostgreSQL, SKIP LOCKED)', rows: fidelities },
        ],
        notes: [
          'Contended rows: 8 issuers, then 20 counters, over 4 pools of 6 connections (4 "machines").',
          'maxRank: largest position, in the sequential reference order, of a ticket a concurrent call took (0 = exact).',
        ],
      };
    } finally {
      await admin.end();
    }
  },
});
