import { createManualClock, isSmartCitizenError } from '@smart-citizen/core';
import {
  type QueueBackend,
  type QueueEvent,
  type SmartQueueConfig,
  type Ticket,
  createSmartQueue,
  fifoPolicy,
  strictPriorityPolicy,
} from '@smart-citizen/queue';
import { describeQueueBackendConformance } from '@smart-citizen/queue/testing';
import { hasPostgres, postgresUrl } from '@smart-citizen/test-kit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresQueueBackend, migratePostgresQueue } from './createPostgresQueueBackend.js';
import { queueMigrations } from './migrations.js';

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
      async open() {
        const schema = uniqueSchema();
        const clients: QueueBackend[] = [];
        // The suite checks atomicity and order, not crash durability (the termination test below
        // runs with the default synchronous commit): skip the WAL flush wait to keep it fast.
        const connect = async () => {
          const b = await createPostgresQueueBackend({
            connectionString: postgresUrl,
            schema,
            maxConnections: 6,
            synchronousCommit: false,
          });
          clients.push(b);
          return b;
        };
        const backend = await connect();
        return {
          backend,
          connect,
          async cleanup() {
            for (const c of clients) await c.close();
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
      const req = {
        serviceId: 's',
        prefix: 'S',
        digits: 3,
        seriesKey: 'd',
        groupId: 'g',
        priority: 0,
        weight: 1,
        policy: fifoPolicy(),
        now: 1,
      };
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

  it(
    'loses no ticket when its connections are terminated (pg_terminate_backend) mid-operation',
    { timeout: 120_000 },
    async () => {
      const schema = uniqueSchema();
      const app = `sc-queue-kill-${process.pid}-${n++}`;
      const backend = await createPostgresQueueBackend({
        connectionString: postgresUrl,
        schema,
        applicationName: app,
        maxConnections: 6,
      });
      const policy = fifoPolicy();
      const issueReq = (i: number) => ({
        serviceId: i % 2 ? 'a' : 'b',
        prefix: i % 2 ? 'A' : 'B',
        digits: 4,
        seriesKey: 'd',
        groupId: 'g',
        priority: 0,
        weight: 1,
        policy,
        now: i,
      });
      try {
        const acknowledged = new Set<string>();
        for (let i = 0; i < 300; i++) acknowledged.add((await backend.issue(issueReq(i))).id);
        const typedErrors: string[] = [];
        const otherErrors: unknown[] = [];
        const calledAck: Ticket[] = [];
        let stop = false;
        const retrying = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
          try {
            return await fn();
          } catch (err) {
            if (isSmartCitizenError(err, 'queue/backend-unavailable')) typedErrors.push(err.code);
            else otherErrors.push(err);
            await new Promise((r) => setTimeout(r, 5));
            return undefined;
          }
        };
        const killer = (async () => {
          for (let k = 0; k < 40; k++) {
            await admin!.query(
              'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
              [app],
            );
            await new Promise((r) => setTimeout(r, 25));
          }
          stop = true;
        })();
        const counters = Array.from({ length: 5 }, async (_, k) => {
          while (!stop) {
            const t = await retrying(() =>
              backend.callNext({ counterId: `c${k}`, services: ['a', 'b'], mode: 'merged', policy, now: 10_000 }),
            );
            if (t) calledAck.push(t);
          }
        });
        let i = 300;
        const issuer = (async () => {
          while (!stop) {
            const t = await retrying(() => backend.issue(issueReq(i++)));
            if (t) acknowledged.add(t.id);
          }
        })();
        await Promise.all([killer, issuer, ...counters]);
        expect(otherErrors).toEqual([]);
        expect(typedErrors.length).toBeGreaterThan(0);
        // drain what is left once the database is reachable again
        for (;;) {
          const t = await retrying(() =>
            backend.callNext({ counterId: 'c0', services: ['a', 'b'], mode: 'merged', policy, now: 20_000 }),
          );
          if (t === null) break;
          if (t) calledAck.push(t);
        }
        const all = await backend.listTickets();
        const ids = new Set(all.map((t) => t.id));
        for (const id of acknowledged) expect(ids.has(id)).toBe(true);
        expect(all.every((t) => t.status === 'called')).toBe(true);
        // every ticket was called once; those whose reply was lost are found by their counter
        const ackIds = calledAck.map((t) => t.id);
        expect(new Set(ackIds).size).toBe(ackIds.length);
        const lost = all.filter((t) => !ackIds.includes(t.id));
        for (const t of lost) {
          const mine = await backend.listTickets({ status: ['called'], counterId: t.counterId! });
          expect(mine.map((x) => x.id)).toContain(t.id);
        }
        for (const s of ['a', 'b']) {
          const numbers = all.filter((t) => t.serviceId === s).map((t) => t.number);
          expect(new Set(numbers).size).toBe(numbers.length);
        }
      } finally {
        await backend.close();
        await admin!.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    },
  );

  it('runs a centre across machines: kiosk, counter and display board on separate pools', async () => {
    const schema = uniqueSchema();
    const clock = createManualClock(Date.UTC(2026, 10, 30, 1, 0));
    const config: SmartQueueConfig = {
      services: [{ id: 'civil', name: 'Hộ tịch', prefix: 'A', expectedHandlingMs: 600_000 }],
      counters: [{ id: 'quay-1', label: 'Quầy 1', services: ['civil'] }],
      routing: strictPriorityPolicy(),
    };
    const machine = async () =>
      createSmartQueue({
        ...config,
        clock,
        backend: await createPostgresQueueBackend({ connectionString: postgresUrl, schema, maxConnections: 2 }),
      });
    const kiosk = await machine();
    const counter = await machine();
    const board = await machine();
    try {
      const shown: QueueEvent[] = [];
      await board.subscribe((e) => {
        if (e.type === 'ticket.called') shown.push(e);
      });
      await counter.openCounter('quay-1');
      const young = await kiosk.issue('civil', { attributes: { dateOfBirth: { year: 1995, month: 1, day: 1 } } });
      clock.advance(60_000);
      const old = await kiosk.issue('civil', { attributes: { dateOfBirth: { year: 1950, month: 1, day: 1 } } });
      expect([young.ticket.number, old.ticket.number]).toEqual(['A001', 'A002']);
      const next = await counter.callNext('quay-1');
      expect(next?.number).toBe('A002');
      for (let i = 0; i < 100 && shown.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(shown[0]).toMatchObject({ number: 'A002', counterId: 'quay-1' });
      expect(await kiosk.estimateWait('civil')).toMatchObject({ ahead: 1, capacity: 1 });
      await counter.startServing(next!.id);
      clock.advance(300_000);
      await counter.complete(next!.id);
      const stats = await board.stats(clock.now() - 3_600_000, clock.now());
      expect(stats.groups.find((g) => g.groupId === 'elderly')).toMatchObject({ issued: 1, served: 1 });
    } finally {
      await kiosk.close();
      await counter.close();
      await board.close();
      await admin!.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });

  it('fails with a typed error when PostgreSQL cannot be reached', async () => {
    const err = await createPostgresQueueBackend({ connectionString: 'postgres://postgres@127.0.0.1:1/test' }).catch(
      (e: unknown) => e,
    );
    expect(isSmartCitizenError(err, 'queue/backend-unavailable')).toBe(true);
  });
});
