import { isSmartCitizenError } from '@smart-citizen/core';
import { fifoPolicy } from '@smart-citizen/queue';
import { describeQueueBackendConformance, testIssueRequest } from '@smart-citizen/queue/testing';
import { hasPostgres, postgresUrl } from '@smart-citizen/test-kit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresQueueBackend, migratePostgresQueue } from './createPostgresQueueBackend.js';
import { queueMigrations } from './migrations.js';
import { openPostgresQueueInSchema } from '../../test/openPostgresQueueInSchema.js';

const available = await hasPostgres();
const admin = available
  ? new pg.Pool({ connectionString: postgresUrl, max: 2, application_name: 'sc-queue-test-admin' })
  : undefined;
afterAll(async () => {
  await admin?.end();
});

let n = 0;
const uniqueSchema = () => `sc_test_queue_${process.pid}_${Date.now() % 1e8}_${n++}`;

describe.skipIf(!available)('createPostgresQueueBackend (real PostgreSQL)', () => {
  describeQueueBackendConformance(
    'postgres',
    {
      open() {
        // The suite checks atomicity and order, not crash durability (openDroppable below runs
        // with the default synchronous commit): skip the WAL flush wait to keep it fast.
        return openPostgresQueueInSchema(admin!, uniqueSchema(), { synchronousCommit: false });
      },
      openUnreachable: () => createPostgresQueueBackend({ connectionString: 'postgres://postgres@127.0.0.1:1/test' }),
      // With the default synchronous commit: this scenario is about losing nothing.
      async openDroppable() {
        const schema = uniqueSchema();
        const app = `sc-queue-kill-${process.pid}-${n++}`;
        const backend = await createPostgresQueueBackend({
          connectionString: postgresUrl,
          schema,
          applicationName: app,
          maxConnections: 6,
        });
        return {
          backend,
          async dropConnections() {
            await admin!.query(
              'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
              [app],
            );
          },
          async cleanup() {
            await backend.close();
            await admin!.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          },
        };
      },
    },
    { concurrentOrder: 'within-concurrency', issuers: 8 },
  );

  it('records versioned migrations once, even when several processes start together', async () => {
    const schema = uniqueSchema();
    try {
      const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: postgresUrl, max: 1 }));
      const applied = await Promise.all(pools.map((p) => migratePostgresQueue(p, schema)));
      await Promise.all(pools.map((p) => p.end()));
      expect(applied.flat().sort()).toEqual(queueMigrations.map((m) => m.version));
      const { rows } = await admin!.query(`SELECT version, name FROM "${schema}".sc_queue_migrations ORDER BY version`);
      expect(rows.map((r) => r.version)).toEqual(queueMigrations.map((m) => m.version));
      const tables = await admin!.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [schema],
      );
      expect(tables.rows.map((r) => r.table_name).every((t: string) => t.startsWith('sc_queue_'))).toBe(true);
      await admin!.query(`INSERT INTO "${schema}".sc_queue_migrations (version, name) VALUES (999, 'future')`);
      const err = await migratePostgresQueue(admin!, schema).catch((e: unknown) => e);
      expect(isSmartCitizenError(err, 'queue/schema-too-new')).toBe(true);
    } finally {
      await admin!.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });

  it('keeps queues with different ids apart in the same tables', async () => {
    const schema = uniqueSchema();
    const a = await createPostgresQueueBackend({ connectionString: postgresUrl, schema, queueId: 'ward-1' });
    const b = await createPostgresQueueBackend({ connectionString: postgresUrl, schema, queueId: 'ward-2' });
    try {
      const req = testIssueRequest('s', 'g', 0, 1, fifoPolicy());
      expect((await a.issue(req)).number).toBe('S001');
      expect((await b.issue(req)).number).toBe('S001');
      expect((await a.listTickets()).length).toBe(1);
      expect(
        await b.callNext({ counterId: 'c', services: ['s'], mode: 'ordered', policy: fifoPolicy(), now: 2 }),
      ).not.toBeNull();
      expect(
        await b.callNext({ counterId: 'c', services: ['s'], mode: 'ordered', policy: fifoPolicy(), now: 2 }),
      ).toBeNull();
      expect((await a.listTickets({ status: ['waiting'] })).length).toBe(1);
      expect(await a.getTicket('not-a-number')).toBeUndefined();
      const err = await a
        .transition({ action: 'start', ticketId: "1'; DROP TABLE x; --", now: 3 })
        .catch((e: unknown) => e);
      expect(isSmartCitizenError(err, 'queue/ticket-not-found')).toBe(true);
    } finally {
      await a.close();
      await b.close();
      await admin!.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });
});
