// PostgreSQL stopped, crashed and its backends killed in the middle of a simulated day with 20
// counters and in the middle of a bulk identity import, on a private server.
import { createPostgresIdentityStore } from '@smart-citizen/adapter-postgres/store';
import { createPostgresQueueBackend } from '@smart-citizen/adapter-postgres/queue';
import { isSmartCitizenError, type StoredIdentity } from '@smart-citizen/core';
import { type QueueEvent, simulateOnBackend } from '@smart-citizen/queue';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twentyCounters } from './centre.js';
import { recordFault } from './report.js';
import { type PrivateServer, canStartServers, startPostgres } from './servers.js';

const available = canStartServers();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!available)('PostgreSQL restarted and its backends killed mid-day and mid-import', () => {
  let server: PrivateServer;
  let admin: pg.Pool;
  beforeAll(async () => {
    server = await startPostgres();
    admin = new pg.Pool({ connectionString: server.url, max: 2, connectionTimeoutMillis: 5000 });
    admin.on('error', () => undefined);
  });
  afterAll(async () => {
    await admin?.end();
    await server?.destroy();
  });

  /** Time from the server accepting connections again to the first successful operation. */
  async function recovered(probe: () => Promise<unknown>): Promise<number> {
    const t0 = performance.now();
    for (;;) {
      try {
        await probe();
        return performance.now() - t0;
      } catch {
        if (performance.now() - t0 > 60_000) throw new Error('no recovery within 60 s');
        await sleep(20);
      }
    }
  }
  const terminate = (app: string) =>
    admin.query('SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1', [
      app,
    ]);

  it('20 counters: every ticket served exactly once, typed errors meanwhile, boards miss no call', async () => {
    const board = await createPostgresQueueBackend({ connectionString: server.url, queueId: 'day' });
    const called = new Map<string, number>();
    await board.subscribe((e: QueueEvent) => {
      if (e.type === 'ticket.called' && e.ticketId) called.set(e.ticketId, (called.get(e.ticketId) ?? 0) + 1);
    });
    const probe = await createPostgresQueueBackend({ connectionString: server.url, queueId: 'probe' });
    const faults: Promise<void>[] = [];
    const recovery: Record<string, number> = {};
    const fired = new Set<string>();
    const at = (share: number, name: string, fault: () => Promise<void>) => (now: number) => {
      if (now < share || fired.has(name)) return;
      fired.add(name);
      faults.push(fault());
    };
    const plan = [
      at(0.25, 'stop', async () => {
        await server.stop('fast');
        await sleep(2000);
        await server.start();
        recovery.stop = await recovered(() => probe.openCounters());
      }),
      at(0.5, 'terminate', async () => {
        const t0 = performance.now();
        await terminate('smart-citizen-queue');
        await recovered(() => probe.openCounters());
        recovery.terminate = performance.now() - t0;
      }),
      at(0.75, 'crash', async () => {
        await server.stop('kill');
        await sleep(1000);
        await server.start();
        recovery.crash = await recovered(() => probe.openCounters());
      }),
    ];
    try {
      const result = await simulateOnBackend(twentyCounters, {
        openBackend: async () =>
          createPostgresQueueBackend({ connectionString: server.url, queueId: 'day', maxConnections: 24 }),
        speed: 300,
        outageTimeoutMs: 60_000,
        onProgress: (share) => {
          for (const f of plan) f(share);
        },
      });
      await Promise.all(faults);
      const d = result.policies[0]!.delivery;
      // Typed errors only (the simulator throws on any other), and some were seen.
      expect(Object.keys(d.errors).length).toBeGreaterThan(0);
      for (const code of Object.keys(d.errors))
        expect(['queue/backend-unavailable', 'queue/backend-error']).toContain(code);
      expect(d.slowestFailureMs).toBeLessThan(10_000);
      expect(d.lost).toBe(0);
      expect(d.duplicated).toBe(0);
      expect(d.served + d.noShows).toBe(result.arrivals);
      // The board saw every call exactly once (outbox + listener catch-up across the restarts).
      const tickets = await board.listTickets();
      const callIds = tickets.filter((t) => t.calledAt !== undefined).map((t) => t.id);
      const start = performance.now();
      while (callIds.some((id) => !called.has(id)) && performance.now() - start < 10_000) await sleep(100);
      const missed = callIds.filter((id) => !called.has(id)).length;
      const twice = [...called.values()].filter((n) => n > 1).length;
      expect({ missed, twice }).toEqual({ missed: 0, twice: 0 });
      const errors = Object.values(d.errors).reduce((a, b) => a + b, 0);
      for (const [name, label] of [
        ['stop', 'clean stop, 2 s down, start'],
        ['terminate', 'pg_terminate_backend of every queue connection'],
        ['crash', 'postmaster SIGKILLed, 1 s down, WAL recovery'],
      ] as const) {
        recordFault({
          fault: `PostgreSQL queue, 20 counters mid-day: ${label}`,
          injected: 1,
          survived: `${d.served} served + ${d.noShows} no-shows of ${result.arrivals} tickets; board saw ${callIds.length - missed}/${callIds.length} calls once`,
          lost: d.lost,
          recoveryMs: recovery[name],
        });
      }
      recordFault({
        fault: 'PostgreSQL queue: failed calls during those outages (all typed, all retried)',
        injected: errors,
        survived: `slowest failure ${(d.slowestFailureMs / 1000).toFixed(2)} s, longest outage seen by a caller ${(d.longestOutageMs / 1000).toFixed(1)} s; duplicated ${d.duplicated}`,
        lost: 0,
        recoveryMs: undefined,
      });
    } finally {
      await Promise.allSettled(faults);
      await board.close();
      await probe.close();
    }
  });

  it('bulk identity import: each batch all or nothing, every identity there once after retries', async () => {
    const store = await createPostgresIdentityStore({ connectionString: server.url, schema: 'import' });
    const batches = 9;
    const size = 2000;
    const batch = (b: number): StoredIdentity[] =>
      Array.from({ length: size }, (_, i) => ({
        idNumber: `00109${String(b * size + i).padStart(7, '0')}`,
        fullName: `Công Dân Thử ${b}-${i}`,
        dateOfBirth: { year: 1999, month: 1 + (i % 12), day: 1 + (i % 28) },
        sex: i % 2 ? 'F' : 'M',
      }));
    const countOf = async (ids: string[]) =>
      (
        await admin.query('SELECT count(*)::int AS n FROM import.sc_identity_citizens WHERE id_number = ANY ($1)', [
          ids,
        ])
      ).rows[0].n as number;
    const faultAt: Record<number, () => Promise<void>> = {
      2: async () => {
        await server.stop('fast');
        await sleep(1500);
        await server.start();
      },
      4: async () => {
        await terminate('smart-citizen-store');
      },
      6: async () => {
        await server.stop('kill');
        await sleep(1000);
        await server.start();
      },
    };
    let failedBatches = 0;
    const failedAt: number[] = [];
    const partial: number[] = [];
    const typed = new Set<string>();
    const recovery: number[] = [];
    try {
      for (let b = 0; b < batches; b++) {
        const rows = batch(b);
        const ids = rows.map((r) => r.idNumber);
        // The fault fires once the batch's transaction has written (it has a transaction id).
        let finished = false;
        const inject = faultAt[b];
        const fault = inject
          ? (async () => {
              while (!finished) {
                const { rows: active } = await admin.query(
                  `SELECT count(*)::int AS n FROM pg_stat_activity
                    WHERE application_name = 'smart-citizen-store' AND backend_xid IS NOT NULL`,
                );
                if (active[0].n > 0) return inject();
                await sleep(2);
              }
            })()
          : undefined;
        let attempt = 0;
        for (;;) {
          attempt++;
          try {
            await store.upsertMany(rows);
            finished = true;
            break;
          } catch (err) {
            expect(isSmartCitizenError(err), String(err)).toBe(true);
            typed.add((err as { code: string }).code);
            if (attempt === 1) {
              failedBatches++;
              failedAt.push(b + 1);
            }
            await fault;
            const t0 = performance.now();
            const n = await (async () => {
              for (let i = 0; ; i++) {
                try {
                  return await countOf(ids);
                } catch (e) {
                  if (i > 600) throw e;
                  await sleep(50);
                }
              }
            })();
            if (attempt === 1) recovery.push(performance.now() - t0);
            if (n !== 0 && n !== size) partial.push(n);
            if (attempt > 200) throw err;
            await sleep(50);
          }
        }
        await fault;
      }
      expect(partial).toEqual([]);
      // Each fault fires once the batch has a transaction id, but a fast batch can still commit
      // before the stop/terminate/kill lands (session 9's final CI: 1 of 3 hit mid-write). One
      // mid-write failure exercises the all-or-nothing path; the report lists which batches.
      expect(failedBatches).toBeGreaterThanOrEqual(1);
      for (const code of typed) expect(['store/connection-lost', 'store/backend-error']).toContain(code);
      const all = await admin.query(
        'SELECT count(*)::int AS n, count(DISTINCT id_number)::int AS d FROM import.sc_identity_citizens',
      );
      expect(all.rows[0]).toEqual({ n: batches * size, d: batches * size });
      expect((await store.get(batch(4)[17]!.idNumber))?.identity.fullName).toBe('Công Dân Thử 4-17');
      recordFault({
        fault:
          'PostgreSQL bulk import (9 batches × 2,000): clean stop, terminate, postmaster SIGKILL, each fired once batch 3, 5, 7 had written',
        injected: 3,
        survived: `${batches * size} of ${batches * size} identities; batches ${failedAt.join(', ')} failed mid-write (typed: ${[...typed].join(', ')}) and were retried; partial batches: ${partial.length}`,
        lost: batches * size - all.rows[0].n,
        recoveryMs: recovery.length ? Math.max(...recovery) : undefined,
      });
    } finally {
      await store.close();
    }
  });
});
