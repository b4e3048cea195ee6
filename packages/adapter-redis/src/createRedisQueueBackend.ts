import { SmartCitizenError } from '@smart-citizen/core';
import {
  HANDLING_SAMPLES_KEPT,
  QueueError,
  type QueueErrorCode,
  type QueueBackend,
  type QueueEvent,
  type QueueEventListener,
  type Ticket,
  type TicketStatus,
  type WaitingCount,
} from '@smart-citizen/queue';
import { Redis, type RedisOptions } from 'ioredis';
import { callNextLua, counterLua, issueLua, purgeLua, transitionLua } from './luaScripts.js';

/** Options of {@link createRedisQueueBackend}. */
export interface RedisQueueBackendOptions {
  /**
   * A Redis URL (`redis://host:6379/0`), ioredis options, or a client you own (it is not closed
   * by `close()`; give it `enableOfflineQueue: false` and `autoResendUnfulfilledCommands: false`
   * to get the fail-fast behaviour described below).
   * @default 'redis://127.0.0.1:6379'
   */
  redis?: string | RedisOptions | Redis;
  /**
   * Prefix of every key and of the events channel. Several queues (centres) can share one Redis
   * with different prefixes. For Redis Cluster put a hash tag in it (`{sc:queue:ward-1}:`) so
   * that every key of a queue lives in one slot.
   * @default 'sc:queue:'
   */
  keyPrefix?: string;
}

const ERRORS: Record<string, [QueueErrorCode, string]> = {
  QUEUE_APPOINTMENT_DUPLICATE: ['queue/appointment-duplicate', 'this appointment already has a ticket'],
  QUEUE_NOT_FOUND: ['queue/ticket-not-found', 'no ticket with this id'],
  QUEUE_INVALID_TRANSITION: ['queue/invalid-transition', 'this step is not allowed from the ticket status'],
  QUEUE_BAD_ACTION: ['queue/invalid-transition', 'unknown lifecycle action'],
};

function toError(err: unknown, action?: string): SmartCitizenError {
  if (err instanceof SmartCitizenError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const m = /\b(QUEUE_[A-Z_]+)(?: ([a-z-]+))?/.exec(message);
  const known = m ? ERRORS[m[1]!] : undefined;
  const status = m?.[2];
  if (known) {
    return new QueueError(known[0], status && action ? `cannot ${action} a ticket that is ${status}` : known[1], {
      pkg: 'adapter-redis',
      ...(status ? { details: { status, action } } : {}),
    });
  }
  return new QueueError('queue/backend-unavailable', 'Redis did not complete the queue operation; it may be retried', {
    pkg: 'adapter-redis',
    cause: err,
  });
}

const NUMERIC = new Set([
  'seq',
  'priority',
  'weight',
  'score',
  'issuedAt',
  'enqueuedAt',
  'callSeq',
  'calledAt',
  'servingAt',
  'doneAt',
  'recalls',
  'transfers',
]);

/** Decodes an HGETALL reply (flat field/value list) into a ticket. @internal */
export function decodeTicket(flat: unknown): Ticket {
  const arr = flat as string[];
  const t: Record<string, string | number> = {};
  for (let i = 0; i + 1 < arr.length; i += 2) {
    const k = arr[i]!;
    t[k] = NUMERIC.has(k) ? Number(arr[i + 1]) : arr[i + 1]!;
  }
  return t as unknown as Ticket;
}

type ScriptClient = Redis & {
  scIssue(...args: (string | number)[]): Promise<string[]>;
  scCallNext(...args: (string | number)[]): Promise<string[] | null>;
  scTransition(...args: (string | number)[]): Promise<string[]>;
  scCounter(...args: (string | number)[]): Promise<number>;
  scPurge(...args: (string | number)[]): Promise<[number, number]>;
};

/**
 * A queue backend on Redis. Issue, call-next and every lifecycle step are Lua scripts, so they
 * are atomic across any number of kiosks and counters on any number of machines: a call-next
 * takes exactly the ticket the policy says, no ticket is called twice.
 *
 * Connection loss: the client is created with the offline queue and the automatic resending of
 * unanswered commands switched off, so an operation during an outage fails at once with
 * `queue/backend-unavailable` instead of hanging or running twice; ioredis keeps reconnecting
 * in the background. A call-next whose reply was lost has still taken its ticket: the counter
 * finds it with `listTickets({ status: ['called'], counterId })`.
 * Durability is Redis's: enable AOF (`appendonly yes`, `appendfsync everysec` or `always`) if
 * tickets must survive a Redis restart (docs/faults.md says what each setting can lose).
 *
 * Events: each script appends its event to the stream `<prefix>eventlog` in the same atomic
 * step as the change (there is no window between commit and delivery), and publishes it. A
 * subscriber reads the stream from the last id it saw, so after a dropped connection or a Redis
 * restart it reads on without a gap; every event carries its stream id as `id`.
 *
 * @param options - connection and key prefix
 * @returns a connected {@link QueueBackend} named `redis`
 * @throws SmartCitizenError `queue/backend-unavailable` when Redis cannot be reached
 */
export async function createRedisQueueBackend(options: RedisQueueBackendOptions = {}): Promise<QueueBackend> {
  const prefix = options.keyPrefix ?? 'sc:queue:';
  if (prefix.length === 0 || prefix.length > 200) {
    throw new QueueError('queue/invalid-config', 'keyPrefix must be 1–200 characters', { pkg: 'adapter-redis' });
  }
  const owned = !(options.redis instanceof Redis);
  const failFast: RedisOptions = {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    retryStrategy: (times) => Math.min(50 * times, 2000),
  };
  const client: Redis =
    options.redis instanceof Redis
      ? options.redis
      : typeof options.redis === 'object'
        ? new Redis({ ...failFast, ...options.redis })
        : new Redis(options.redis ?? 'redis://127.0.0.1:6379', failFast);
  client.on('error', () => {
    // Errors surface as rejected operations; the listener keeps ioredis from throwing.
  });
  if (owned) {
    try {
      await client.connect();
    } catch (err) {
      client.disconnect();
      throw new QueueError('queue/backend-unavailable', 'cannot connect to Redis', {
        pkg: 'adapter-redis',
        cause: err,
      });
    }
  }
  client.defineCommand('scIssue', { numberOfKeys: 0, lua: issueLua });
  client.defineCommand('scCallNext', { numberOfKeys: 0, lua: callNextLua });
  client.defineCommand('scTransition', { numberOfKeys: 0, lua: transitionLua });
  client.defineCommand('scCounter', { numberOfKeys: 0, lua: counterLua });
  client.defineCommand('scPurge', { numberOfKeys: 0, lua: purgeLua });
  const r = client as ScriptClient;
  let reader: Redis | undefined;
  const listeners = new Set<QueueEventListener>();
  let closed = false;
  const readEvents = async (conn: Redis, from: string): Promise<void> => {
    let last = from;
    while (!closed) {
      let reply: [string, [string, string[]][]][] | null;
      try {
        reply = (await conn.xread('COUNT', 500, 'BLOCK', 2000, 'STREAMS', `${prefix}eventlog`, last)) as typeof reply;
      } catch {
        if (closed) return;
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      for (const [id, fields] of reply?.[0]?.[1] ?? []) {
        last = id;
        let e: QueueEvent;
        try {
          e = JSON.parse(fields[1] ?? '') as QueueEvent;
        } catch {
          continue;
        }
        e.id = id;
        for (const l of listeners) {
          try {
            l(e);
          } catch {
            // A failing display must not stop the others.
          }
        }
      }
    }
  };
  const guard = async <T>(fn: () => Promise<T>, action?: string): Promise<T> => {
    if (closed) throw new QueueError('queue/closed', 'the queue backend is closed', { pkg: 'adapter-redis' });
    try {
      return await fn();
    } catch (err) {
      throw toError(err, action);
    }
  };
  const allServices = async (ids?: string[]) => ids ?? (await r.smembers(`${prefix}services`));

  return {
    name: 'redis',
    issue: (q) =>
      guard(async () =>
        decodeTicket(
          await r.scIssue(
            prefix,
            q.serviceId,
            q.prefix,
            q.digits,
            q.seriesKey,
            q.groupId,
            q.priority,
            q.weight,
            q.policy.kind,
            q.policy.agingMsPerLevel ?? 600_000,
            q.now,
            q.enqueuedAt ?? q.now,
            q.appointmentId ?? '',
          ),
        ),
      ),
    callNext: (q) =>
      guard(async () => {
        const res = await r.scCallNext(
          prefix,
          q.counterId,
          q.mode,
          q.policy.starvationBoundMs ?? '',
          q.now,
          ...q.services,
        );
        return res ? decodeTicket(res) : null;
      }),
    transition: (q) =>
      guard(
        async () =>
          decodeTicket(
            await r.scTransition(
              prefix,
              q.action,
              q.ticketId,
              q.now,
              q.action === 'start' ? (q.counterId ?? '') : '',
              q.action === 'transfer' ? q.toServiceId : '',
              q.action === 'transfer' ? q.policy.kind : '',
              q.action === 'transfer' ? (q.policy.agingMsPerLevel ?? 600_000) : '',
              HANDLING_SAMPLES_KEPT,
            ),
          ),
        q.action,
      ),
    getTicket: (id) =>
      guard(async () => {
        const flat = await r.call('HGETALL', `${prefix}t:${id}`);
        return Array.isArray(flat) && flat.length > 0 ? decodeTicket(flat) : undefined;
      }),
    listTickets: (f = {}) =>
      guard(async () => {
        const ids = await r.zrangebyscore(
          `${prefix}all`,
          f.since ?? '-inf',
          f.until === undefined ? '+inf' : `(${f.until}`,
        );
        const out: Ticket[] = [];
        for (let i = 0; i < ids.length; i += 500) {
          const p = r.pipeline();
          for (const id of ids.slice(i, i + 500)) p.call('HGETALL', `${prefix}t:${id}`);
          for (const [err, flat] of (await p.exec()) ?? []) {
            if (err) throw err;
            const t = decodeTicket(flat);
            if (f.status && !f.status.includes(t.status as TicketStatus)) continue;
            if (f.serviceIds && !f.serviceIds.includes(t.serviceId)) continue;
            if (f.counterId !== undefined && t.counterId !== f.counterId) continue;
            out.push(t);
          }
        }
        return out.sort((a, b) => a.seq - b.seq);
      }),
    waitingCounts: (serviceIds) =>
      guard(async () => {
        const out: WaitingCount[] = [];
        for (const serviceId of await allServices(serviceIds)) {
          const h = await r.hgetall(`${prefix}wc:${serviceId}`);
          for (const [k, v] of Object.entries(h)) {
            const count = Number(v);
            if (count <= 0) continue;
            const cut = k.lastIndexOf('|');
            out.push({ serviceId, groupId: k.slice(0, cut), priority: Number(k.slice(cut + 1)), count });
          }
        }
        return out;
      }),
    recentHandlingTimes: (serviceId, limit) =>
      guard(async () =>
        limit <= 0 ? [] : (await r.lrange(`${prefix}handling:${serviceId}`, 0, limit - 1)).map(Number),
      ),
    setCounterOpen: (counterId, open, now) =>
      guard(async () => {
        await r.scCounter(prefix, counterId, open ? '1' : '0', now);
      }),
    openCounters: () => guard(async () => (await r.smembers(`${prefix}open`)).sort()),
    purge: (issuedBefore) =>
      guard(async () => {
        // Batches of 500 (one script each) so Redis is never blocked for long.
        let removed = 0;
        let kept = 0;
        for (;;) {
          const [n, scanned] = await r.scPurge(prefix, issuedBefore, kept, 500);
          removed += n;
          kept += scanned - n;
          if (scanned < 500) return removed;
        }
      }),
    subscribe: (listener) =>
      guard(async () => {
        if (!reader) {
          // A dedicated connection reads the event stream from the last id it saw, so a board
          // whose connection dropped (or whose Redis restarted) reads on where it stopped.
          // Fail-fast like the main client: a read pending when the connection drops is
          // rejected (not parked forever), and the loop reads again from its last id.
          const conn = client.duplicate({
            enableOfflineQueue: false,
            maxRetriesPerRequest: 0,
            autoResendUnfulfilledCommands: false,
            lazyConnect: true,
          });
          conn.on('error', () => {});
          await conn.connect();
          const last = (await conn.xrevrange(`${prefix}eventlog`, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
          reader = conn;
          void readEvents(conn, last);
        }
        listeners.add(listener);
        return async () => {
          listeners.delete(listener);
        };
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      listeners.clear();
      reader?.disconnect();
      if (owned) {
        try {
          await client.quit();
        } catch {
          client.disconnect();
        }
      }
    },
  };
}

/**
 * Deletes every key of a queue (all keys under the prefix), e.g. at the end of a test or to
 * reset a centre. Uses SCAN, never KEYS.
 * @returns the number of keys deleted
 */
export async function deleteRedisQueue(redis: Redis, keyPrefix: string): Promise<number> {
  if (keyPrefix.length < 3) {
    throw new QueueError('queue/invalid-config', 'refusing to delete with a prefix this short', {
      pkg: 'adapter-redis',
    });
  }
  let cursor = '0';
  let deleted = 0;
  const pattern = `${keyPrefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
