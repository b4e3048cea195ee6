import { SmartCitizenError, isSmartCitizenError } from '@smart-citizen/core';
import {
  type QueueBackend,
  type QueueEvent,
  type QueueEventListener,
  type Ticket,
  ticketTransitions,
} from '@smart-citizen/queue';
import type pg from 'pg';
import {
  PKG,
  type PostgresTarget,
  backendError,
  openPool,
  queueErrors,
  quoteSchema,
  runPostgresMigrations,
} from '../pgSupport.js';
import { queueMigrations } from './migrations.js';

/** Options of {@link createPostgresQueueBackend}. */
export type PostgresQueueBackendOptions = PostgresTarget & {
  /**
   * Wait for the WAL flush at each commit (connections the adapter opens). `false` sets
   * `synchronous_commit = off`: several times more operations per second on slow disks, at the
   * price of losing the last few hundred ms of committed tickets if the server crashes (never a
   * duplicate or a corrupt queue). Keep `true` where every ticket must survive a crash.
   * @default true
   */
  synchronousCommit?: boolean;
  /** Schema of the `sc_queue_*` tables (created when missing). @default 'public' */
  schema?: string;
  /** Id of this queue (centre): several queues can share the tables. @default 'default' */
  queueId?: string;
  /** Apply pending migrations on start. @default true */
  migrate?: boolean;
  /**
   * Publish events to every `subscribe`r through a transactional outbox: each operation writes
   * its event to `sc_queue_events` in the same transaction as the ticket change, and delivers it
   * (`NOTIFY`, stamping `delivered_at`) right after the commit, in a separate statement with
   * `synchronous_commit = off` (PostgreSQL serialises the commits of notifying transactions, so
   * notifying inside the operation's own transaction would queue every counter behind one WAL
   * flush at a time). An event whose process died between commit and delivery is delivered by
   * the sweep of any live backend of the schema (at start and every `eventSweepMs`). Each event
   * is notified once; a listener whose connection dropped reconnects and catches up from the
   * table, so it may see an event twice: events carry an `id` to deduplicate. `false` writes and
   * sends no event (then `subscribe` throws `queue/events-disabled`).
   * @default true
   */
  notify?: boolean;
  /**
   * How often this backend delivers outbox events left undelivered for over a second (a
   * process that died after its commit). `0` turns the periodic sweep off (the one at start
   * still runs).
   * @default 1000
   */
  eventSweepMs?: number;
};

function toError(err: unknown, action?: string): SmartCitizenError {
  if (isSmartCitizenError(err)) return err;
  const e = (err ?? {}) as { code?: string; message?: string; constraint?: string };
  const message = e.message ?? String(err);
  if (e.code === '23505' && e.constraint === 'sc_queue_tickets_appointment') {
    return new SmartCitizenError('queue/appointment-duplicate', 'this appointment already has a ticket', { pkg: PKG });
  }
  if (e.code === 'P0002' && message.startsWith('QUEUE_NOT_FOUND')) {
    return new SmartCitizenError('queue/ticket-not-found', 'no ticket with this id', { pkg: PKG });
  }
  if (e.code === 'P0001' && message.startsWith('QUEUE_INVALID_TRANSITION')) {
    const status = message.split(' ')[1];
    return new SmartCitizenError(
      'queue/invalid-transition',
      `cannot ${action ?? 'do that to'} a ticket that is ${status}`,
      {
        pkg: PKG,
        details: { action, status },
      },
    );
  }
  return backendError(err, queueErrors);
}

interface Row {
  id: string;
  number: string;
  service_id: string;
  group_id: string;
  status: Ticket['status'];
  priority: number;
  weight: number;
  score: number;
  issued_at: string;
  enqueued_at: string;
  appointment_id: string | null;
  counter_id: string | null;
  call_seq: string | null;
  called_at: string | null;
  serving_at: string | null;
  done_at: string | null;
  recalls: number;
  transfers: number;
  /** Id of the outbox row written with the change (operations with events only). */
  event_id?: string | null;
}

function toTicket(r: Row): Ticket {
  const t: Ticket = {
    id: String(r.id),
    number: r.number,
    serviceId: r.service_id,
    groupId: r.group_id,
    status: r.status,
    seq: Number(r.id),
    priority: r.priority,
    weight: Number(r.weight),
    score: Number(r.score),
    issuedAt: Number(r.issued_at),
    enqueuedAt: Number(r.enqueued_at),
    recalls: r.recalls,
    transfers: r.transfers,
  };
  if (r.appointment_id !== null) t.appointmentId = r.appointment_id;
  if (r.counter_id !== null) t.counterId = r.counter_id;
  if (r.call_seq !== null) t.callSeq = Number(r.call_seq);
  if (r.called_at !== null) t.calledAt = Number(r.called_at);
  if (r.serving_at !== null) t.servingAt = Number(r.serving_at);
  if (r.done_at !== null) t.doneAt = Number(r.done_at);
  return t;
}

/**
 * Applies pending queue migrations to `schema` under an advisory lock (concurrent processes
 * migrate once). Versions are recorded in `<schema>.sc_queue_migrations`.
 * @returns the versions applied now
 * @throws SmartCitizenError `queue/schema-too-new` when the database is ahead of this adapter
 */
export async function migratePostgresQueue(pool: pg.Pool, schema = 'public'): Promise<number[]> {
  return runPostgresMigrations(pool, schema, { table: 'sc_queue_migrations', codes: queueErrors }, queueMigrations);
}

/**
 * A queue backend on PostgreSQL. Each operation is one server-side function call in its own
 * transaction: issue locks the service's number series row (numbers never repeat or skip), and
 * call-next takes its ticket with `SELECT … FOR UPDATE SKIP LOCKED`, so counters never wait for
 * each other and no ticket is called twice. Under concurrency a caller may skip a ticket that a
 * concurrent caller holds locked: the order is the policy's up to the number of concurrent
 * callers (see the conformance suite's `within-concurrency`).
 *
 * A lost connection or a server restart rolls the open transaction back and the operation fails
 * with `queue/backend-unavailable`; committed tickets are durable (WAL). A call-next whose reply
 * was lost after commit has taken its ticket: the counter finds it with
 * `listTickets({ status: ['called'], counterId })`.
 *
 * @param options - connection, schema, queue id
 * @returns a {@link QueueBackend} named `postgres`
 */
export async function createPostgresQueueBackend(options: PostgresQueueBackendOptions): Promise<QueueBackend> {
  const schema = options.schema ?? 'public';
  const s = quoteSchema(schema, queueErrors);
  const queueId = options.queueId ?? 'default';
  if (queueId.length === 0 || queueId.length > 128) {
    throw new SmartCitizenError('queue/invalid-config', 'queueId must be 1–128 characters', { pkg: PKG });
  }
  const channelKey = options.notify === false ? null : `${schema}/${queueId}`;
  // An idle client that lost its connection is dropped by the pool; the next query reconnects.
  const { pool, owned } = openPool(options, {
    max: 8,
    applicationName: 'smart-citizen-queue',
    ...(options.synchronousCommit === false ? { options: '-c synchronous_commit=off' } : {}),
  });
  if (options.migrate !== false) {
    try {
      await migratePostgresQueue(pool, schema);
    } catch (err) {
      if (owned) await pool.end().catch(() => {});
      throw err;
    }
  }
  let closed = false;
  let listenClient: pg.PoolClient | undefined;
  const listeners = new Set<QueueEventListener>();

  // Delivery marks the outbox row and notifies in one transaction, so of a live publisher and a
  // sweep racing for the same row exactly one sends it.
  const deliver = async (eventId: string | null | undefined): Promise<void> => {
    if (channelKey === null || eventId === null || eventId === undefined) return;
    try {
      await pool.query(
        `WITH d AS (UPDATE ${s}.sc_queue_events SET delivered_at = clock_timestamp()
           WHERE id = $2 AND delivered_at IS NULL RETURNING id, queue_id, event)
         SELECT set_config('synchronous_commit', 'off', true),
           count(pg_notify('sc_queue_events', (jsonb_build_object('q', $1::text || '/' || d.queue_id, 'id', d.id::text) || d.event)::text))
         FROM d`,
        [schema, eventId],
      );
    } catch {
      // The event stays in the outbox: a sweep delivers it. The operation itself has committed.
    }
  };
  /** Delivers events left undelivered for over `graceMs` (their process died), oldest first. */
  const sweep = async (graceMs: number): Promise<number> => {
    const { rows } = await pool.query<{ n: string }>(
      `WITH d AS (UPDATE ${s}.sc_queue_events SET delivered_at = clock_timestamp()
         WHERE id IN (SELECT id FROM ${s}.sc_queue_events
           WHERE delivered_at IS NULL AND created_at < clock_timestamp() - make_interval(secs => $2::double precision / 1000)
           ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED)
         RETURNING id, queue_id, event)
       SELECT count(pg_notify('sc_queue_events', (jsonb_build_object('q', $1::text || '/' || d.queue_id, 'id', d.id::text) || d.event)::text)) AS n
       FROM (SELECT * FROM d ORDER BY id) d`,
      [schema, graceMs],
    );
    return Number(rows[0]?.n ?? 0);
  };
  const q = async <R extends pg.QueryResultRow>(text: string, values: unknown[], action?: string) => {
    if (closed) throw new SmartCitizenError('queue/closed', 'the queue backend is closed', { pkg: PKG });
    try {
      return await pool.query<R>(text, values);
    } catch (err) {
      throw toError(err, action);
    }
  };
  /**
   * One operation and its outbox row in one statement (one transaction). `op` returns the
   * ticket row; `$base` is the event without its ticket fields; `extra` adds more fields.
   */
  const withEvent = (op: string, base: number, extra = '', pre = ''): string =>
    channelKey === null
      ? op
      : `WITH ${pre}t AS MATERIALIZED (${op}),
         e AS (INSERT INTO ${s}.sc_queue_events (queue_id, event)
           SELECT $1, $${base}::jsonb || jsonb_build_object('ticketId', t.id::text, 'number', t.number, 'serviceId', t.service_id)${extra}
           FROM t RETURNING id)
         SELECT t.*, (SELECT id FROM e) AS event_id FROM t`;
  const eventParam = (event: Omit<QueueEvent, 'ticketId' | 'number' | 'serviceId'>): string[] =>
    channelKey === null ? [] : [JSON.stringify(event)];
  const idOf = (ticketId: string): string | undefined => (/^\d{1,18}$/.test(ticketId) ? ticketId : undefined);

  // Listener side: a dedicated LISTEN connection (its state must not return to the pool). When
  // it drops (server restart, terminated backend) it reconnects with back-off and re-reads what
  // was delivered meanwhile; the ids seen recently make the catch-up deliver nothing twice.
  const seen = new Set<string>();
  let lostAt: number | undefined;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let attempts = 0;
  const emit = (id: string, event: QueueEvent): void => {
    if (seen.has(id)) return;
    seen.add(id);
    if (seen.size > 20_000) for (const old of [...seen].slice(0, 10_000)) seen.delete(old);
    const withId: QueueEvent = { ...event, id };
    for (const l of listeners) {
      try {
        l(withId);
      } catch {
        // A failing display must not stop the others.
      }
    }
  };
  const scheduleReconnect = (): void => {
    if (closed || reconnectTimer) return;
    const delay = Math.min(100 * 2 ** attempts, 2000);
    attempts++;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      listen().catch(() => scheduleReconnect());
    }, delay);
    reconnectTimer.unref?.();
  };
  const listen = async (): Promise<void> => {
    const client = await pool.connect().catch((err: unknown) => {
      throw toError(err);
    });
    const lost = (): void => {
      if (listenClient !== client) return;
      listenClient = undefined;
      lostAt ??= Date.now();
      client.release(true);
      scheduleReconnect();
    };
    client.on('notification', (msg) => {
      if (msg.channel !== 'sc_queue_events' || !msg.payload) return;
      let parsed: QueueEvent & { q?: string; id?: string };
      try {
        parsed = JSON.parse(msg.payload) as QueueEvent & { q?: string; id?: string };
      } catch {
        return;
      }
      if (parsed.q !== channelKey || parsed.id === undefined) return;
      const { q: _q, id, ...event } = parsed;
      emit(id, event);
    });
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.query('LISTEN sc_queue_events');
    } catch (err) {
      client.release(true);
      throw toError(err);
    }
    listenClient = client;
    attempts = 0;
    if (lostAt !== undefined) {
      // Events delivered while this listener was away (a minute of margin for clock skew).
      const since = lostAt - 60_000;
      lostAt = undefined;
      const { rows } = await pool
        .query<{ id: string; event: QueueEvent }>(
          `SELECT id::text AS id, event FROM ${s}.sc_queue_events
            WHERE queue_id = $1 AND delivered_at >= to_timestamp($2::double precision / 1000) ORDER BY id`,
          [queueId, since],
        )
        .catch(() => ({ rows: [] as { id: string; event: QueueEvent }[] }));
      for (const r of rows) emit(r.id, r.event);
    }
  };
  let sweepTimer: ReturnType<typeof setInterval> | undefined;
  if (channelKey !== null) {
    // At start: deliver what a process that died after its commit left behind.
    await sweep(1000).catch(() => 0);
    const every = options.eventSweepMs ?? 1000;
    if (every > 0) {
      let running = false;
      sweepTimer = setInterval(() => {
        if (running || closed) return;
        running = true;
        sweep(1000)
          .catch(() => 0)
          .finally(() => {
            running = false;
          });
      }, every);
      sweepTimer.unref?.();
    }
  }

  return {
    name: 'postgres',
    async issue(r) {
      const { rows } = await q<Row>(
        withEvent(`SELECT * FROM ${s}.sc_queue_issue($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, 14),
        [
          queueId,
          r.serviceId,
          r.prefix,
          r.digits,
          r.seriesKey,
          r.groupId,
          r.priority,
          r.weight,
          r.policy.kind,
          r.policy.agingMsPerLevel ?? 600_000,
          r.now,
          r.enqueuedAt ?? r.now,
          r.appointmentId ?? null,
          ...eventParam({ type: 'ticket.issued', at: r.now }),
        ],
      );
      await deliver(rows[0]!.event_id);
      return toTicket(rows[0]!);
    },
    async callNext(r) {
      const { rows } = await q<Row>(
        withEvent(
          `SELECT * FROM ${s}.sc_queue_call_next($1, $2, $3, $4, $5, $6)`,
          7,
          " || jsonb_build_object('counterId', t.counter_id)",
        ),
        [
          queueId,
          r.counterId,
          r.services,
          r.mode,
          r.policy.starvationBoundMs ?? null,
          r.now,
          ...eventParam({ type: 'ticket.called', at: r.now }),
        ],
      );
      if (!rows[0]) return null;
      await deliver(rows[0].event_id);
      return toTicket(rows[0]);
    },
    async transition(r) {
      const id = idOf(r.ticketId);
      if (id === undefined)
        throw new SmartCitizenError('queue/ticket-not-found', 'no ticket with this id', { pkg: PKG });
      const rule = ticketTransitions[r.action];
      const transfer = r.action === 'transfer';
      // Every CTE sees the statement's snapshot: `pre` is the ticket before the transfer.
      const { rows } = await q<Row>(
        withEvent(
          `SELECT * FROM ${s}.sc_queue_transition($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          11,
          ` || CASE WHEN t.counter_id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('counterId', t.counter_id) END${
            transfer ? " || jsonb_build_object('fromServiceId', (SELECT service_id FROM pre))" : ''
          }`,
          transfer ? `pre AS (SELECT service_id FROM ${s}.sc_queue_tickets WHERE queue_id = $1 AND id = $2), ` : '',
        ),
        [
          queueId,
          id,
          r.action,
          rule.from,
          rule.to,
          r.now,
          r.action === 'start' ? (r.counterId ?? null) : null,
          transfer ? r.toServiceId : null,
          transfer ? r.policy.kind : null,
          transfer ? (r.policy.agingMsPerLevel ?? 600_000) : null,
          ...eventParam({ type: rule.event, at: r.now }),
        ],
        r.action,
      );
      await deliver(rows[0]!.event_id);
      return toTicket(rows[0]!);
    },
    async getTicket(ticketId) {
      const id = idOf(ticketId);
      if (id === undefined) return undefined;
      const { rows } = await q<Row>(`SELECT * FROM ${s}.sc_queue_tickets WHERE queue_id = $1 AND id = $2`, [
        queueId,
        id,
      ]);
      return rows[0] ? toTicket(rows[0]) : undefined;
    },
    async listTickets(f = {}) {
      const where = ['queue_id = $1'];
      const values: unknown[] = [queueId];
      const add = (sql: string, v: unknown) => {
        values.push(v);
        where.push(sql.replace('?', `$${values.length}`));
      };
      if (f.status) add('status = ANY (?)', f.status);
      if (f.serviceIds) add('service_id = ANY (?)', f.serviceIds);
      if (f.since !== undefined) add('issued_at >= ?', f.since);
      if (f.until !== undefined) add('issued_at < ?', f.until);
      if (f.counterId !== undefined) add('counter_id = ?', f.counterId);
      const { rows } = await q<Row>(
        `SELECT * FROM ${s}.sc_queue_tickets WHERE ${where.join(' AND ')} ORDER BY id`,
        values,
      );
      return rows.map(toTicket);
    },
    async waitingCounts(serviceIds) {
      const { rows } = await q<{ service_id: string; group_id: string; priority: number; count: string }>(
        `SELECT service_id, group_id, priority, count(*) AS count FROM ${s}.sc_queue_tickets
          WHERE queue_id = $1 AND status = 'waiting' AND ($2::text[] IS NULL OR service_id = ANY ($2))
          GROUP BY service_id, group_id, priority`,
        [queueId, serviceIds ?? null],
      );
      return rows.map((r) => ({
        serviceId: r.service_id,
        groupId: r.group_id,
        priority: r.priority,
        count: Number(r.count),
      }));
    },
    async recentHandlingTimes(serviceId, limit) {
      if (limit <= 0) return [];
      const { rows } = await q<{ ms: string }>(
        `SELECT done_at - serving_at AS ms FROM ${s}.sc_queue_tickets
          WHERE queue_id = $1 AND service_id = $2 AND status = 'done'
          ORDER BY done_at DESC, id DESC LIMIT $3`,
        [queueId, serviceId, limit],
      );
      return rows.map((r) => Number(r.ms));
    },
    async setCounterOpen(counterId, open, now) {
      const upsert = `INSERT INTO ${s}.sc_queue_counters VALUES ($1, $2, $3, $4)
         ON CONFLICT (queue_id, counter_id) DO UPDATE SET open = excluded.open, updated_at = excluded.updated_at`;
      if (channelKey === null) {
        await q(upsert, [queueId, counterId, open, now]);
        return;
      }
      const { rows } = await q<{ event_id: string }>(
        `WITH c AS (${upsert}),
           e AS (INSERT INTO ${s}.sc_queue_events (queue_id, event) VALUES ($1, $5::jsonb) RETURNING id)
         SELECT id AS event_id FROM e`,
        [
          queueId,
          counterId,
          open,
          now,
          JSON.stringify({ type: open ? 'counter.opened' : 'counter.closed', at: now, counterId }),
        ],
      );
      await deliver(rows[0]?.event_id);
    },
    async openCounters() {
      const { rows } = await q<{ counter_id: string }>(
        `SELECT counter_id FROM ${s}.sc_queue_counters WHERE queue_id = $1 AND open`,
        [queueId],
      );
      return rows.map((r) => r.counter_id).sort();
    },
    async purge(issuedBefore) {
      const { rowCount } = await q(
        `DELETE FROM ${s}.sc_queue_tickets WHERE queue_id = $1 AND issued_at < $2 AND status IN ('done', 'no-show')`,
        [queueId, issuedBefore],
      );
      await q(
        `DELETE FROM ${s}.sc_queue_events WHERE queue_id = $1 AND delivered_at IS NOT NULL AND (event->>'at')::bigint < $2`,
        [queueId, issuedBefore],
      );
      return rowCount ?? 0;
    },
    async subscribe(fn) {
      if (closed) throw new SmartCitizenError('queue/closed', 'the queue backend is closed', { pkg: PKG });
      if (channelKey === null) {
        throw new SmartCitizenError('queue/events-disabled', 'this backend was created with notify: false', {
          pkg: PKG,
        });
      }
      if (!listenClient) await listen();
      listeners.add(fn);
      return async () => {
        listeners.delete(fn);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      if (sweepTimer) clearInterval(sweepTimer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      listeners.clear();
      listenClient?.release(true);
      listenClient = undefined;
      if (owned) await pool.end().catch(() => {});
    },
  };
}
