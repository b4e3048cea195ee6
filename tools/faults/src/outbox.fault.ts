// Queue events survive the death of the process that made them: the PostgreSQL outbox.
import { createPostgresQueueBackend } from '@smart-citizen/adapter-postgres/queue';
import type { QueueBackend, QueueEvent } from '@smart-citizen/queue';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChild } from './children.js';
import { recordFault } from './report.js';
import { type PrivateServer, canStartServers, startPostgres } from './servers.js';

const available = canStartServers();

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

describe.skipIf(!available)('PostgreSQL queue outbox: the process dies between commit and delivery', () => {
  let server: PrivateServer;
  let admin: pg.Pool;
  beforeAll(async () => {
    server = await startPostgres();
    admin = new pg.Pool({ connectionString: server.url, max: 2 });
  });
  afterAll(async () => {
    await admin?.end();
    await server?.destroy();
  });

  const expected: Record<string, QueueEvent['type']> = {
    issue: 'ticket.issued',
    call: 'ticket.called',
    start: 'ticket.serving',
    complete: 'ticket.done',
    counter: 'counter.opened',
  };

  it('every committed change reaches a board exactly once, by the sweep of a live process', async () => {
    const schema = 'outbox_live';
    const board: QueueBackend = await createPostgresQueueBackend({ connectionString: server.url, schema });
    const seen: QueueEvent[] = [];
    await board.subscribe((e) => seen.push(e));
    const ops = ['counter', 'issue', 'issue', 'call', 'start', 'complete'];
    const recovery: number[] = [];
    try {
      for (const [i, op] of ops.entries()) {
        const child = await runChild('outboxPublisher', [server.url, schema, op]);
        const killedAt = Date.now();
        // It died of its own SIGKILL inside the delivery, after the commit.
        expect(child.signal, child.stderr).toBe('SIGKILL');
        expect(await waitFor(() => seen.length === i + 1, 10_000)).toBe(true);
        recovery.push(Date.now() - killedAt);
        expect(seen[i]!.type).toBe(expected[op]);
      }
      // Nothing lost, nothing twice, all delivered; the board's view agrees with the tables.
      const { rows } = await admin.query(
        `SELECT count(*)::int AS n, count(delivered_at)::int AS delivered FROM ${schema}.sc_queue_events`,
      );
      expect(rows[0]).toEqual({ n: ops.length, delivered: ops.length });
      expect(new Set(seen.map((e) => e.id)).size).toBe(ops.length);
      const tickets = await board.listTickets();
      expect(tickets.map((t) => t.status)).toEqual(['done', 'waiting']);
      const issued = seen.filter((e) => e.type === 'ticket.issued').map((e) => e.ticketId);
      expect(issued).toEqual(tickets.map((t) => t.id));
      await new Promise((r) => setTimeout(r, 1500));
      expect(seen.length).toBe(ops.length);
      recordFault({
        fault: 'PostgreSQL queue: process SIGKILLed between commit and event delivery (a live process sweeps)',
        injected: ops.length,
        survived: `${seen.length} of ${ops.length} events delivered, each once`,
        lost: 0,
        recoveryMs: Math.max(...recovery),
      });
    } finally {
      await board.close();
    }
  });

  it('an event left behind is delivered when the dead process starts again', async () => {
    const schema = 'outbox_restart';
    // A board whose own backend does not sweep: only the restarted process can deliver.
    const board = await createPostgresQueueBackend({ connectionString: server.url, schema, eventSweepMs: 0 });
    const seen: QueueEvent[] = [];
    await board.subscribe((e) => seen.push(e));
    try {
      let restarts = 0;
      for (const op of ['issue', 'call']) {
        const killed = await runChild('outboxPublisher', [server.url, schema, op]);
        expect(killed.signal).toBe('SIGKILL');
        await new Promise((r) => setTimeout(r, 1200));
        const pending = await admin.query(
          `SELECT count(*)::int AS n FROM ${schema}.sc_queue_events WHERE delivered_at IS NULL`,
        );
        expect(pending.rows[0].n).toBe(1);
        expect(seen.length).toBe(restarts);
        const restarted = await runChild('outboxPublisher', [server.url, schema, 'none']);
        expect(restarted.stdout).toContain('alive');
        restarts++;
        expect(await waitFor(() => seen.length === restarts, 5000)).toBe(true);
        expect(seen.at(-1)!.type).toBe(expected[op]);
      }
      recordFault({
        fault: 'PostgreSQL queue: process SIGKILLed before delivery, then restarted (start-up sweep)',
        injected: 2,
        survived: `${seen.length} of 2 events delivered, each once`,
        lost: 2 - seen.length,
        recoveryMs: undefined,
      });
    } finally {
      await board.close();
    }
  });
});
