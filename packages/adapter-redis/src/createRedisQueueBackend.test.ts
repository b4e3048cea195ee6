import { createManualClock, isSmartCitizenError } from '@smart-citizen/core';
import {
  createSmartQueue,
  fifoPolicy,
  type IssueRequest,
  type QueueBackend,
  type QueueEvent,
  type SmartQueueConfig,
  strictPriorityPolicy,
} from '@smart-citizen/queue';
import { describeQueueBackendConformance } from '@smart-citizen/queue/testing';
import { hasRedis, redisUrl } from '@smart-citizen/test-kit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisQueueBackend, deleteRedisQueue } from './createRedisQueueBackend.js';

const available = await hasRedis();
const admin = available ? new Redis(redisUrl) : undefined;
afterAll(async () => {
  await admin?.quit();
});

let n = 0;
const uniquePrefix = () => `sc:test:queue:${process.pid}:${Date.now()}:${n++}:`;

describe.skipIf(!available)('createRedisQueueBackend (real Redis)', () => {
  describeQueueBackendConformance('redis', {
    async open() {
      const keyPrefix = uniquePrefix();
      const clients: QueueBackend[] = [];
      const connect = async () => {
        const b = await createRedisQueueBackend({ redis: redisUrl, keyPrefix });
        clients.push(b);
        return b;
      };
      const backend = await connect();
      return {
        backend,
        connect,
        async cleanup() {
          for (const c of clients) await c.close();
          await deleteRedisQueue(admin!, keyPrefix);
        },
      };
    },
  });

  const issue = (now: number): IssueRequest => ({
    serviceId: 's',
    prefix: 'S',
    digits: 3,
    seriesKey: 'd',
    groupId: 'general',
    priority: 0,
    weight: 1,
    policy: fifoPolicy(),
    now,
  });

  it('gives queue/backend-unavailable when its connection is killed, then recovers without losing tickets', async () => {
    const keyPrefix = uniquePrefix();
    const name = `sc-kill-${process.pid}-${n++}`;
    const backend = await createRedisQueueBackend({
      redis: { host: new URL(redisUrl).hostname, port: Number(new URL(redisUrl).port || 6379), connectionName: name },
      keyPrefix,
    });
    try {
      const first = await backend.issue(issue(1));
      // Kill exactly our connection (by its name), as a Redis restart or a network cut would.
      const list = (await admin!.client('LIST')) as string;
      const id = list
        .split('\n')
        .find((l) => l.includes(`name=${name}`))
        ?.match(/id=(\d+)/)?.[1];
      expect(id).toBeDefined();
      await admin!.client('KILL', 'ID', id!);
      // Until ioredis has reconnected, operations fail fast with a typed error.
      let typed: unknown;
      for (let i = 0; i < 200 && typed === undefined; i++) {
        try {
          await backend.issue(issue(2 + i));
          await new Promise((r) => setTimeout(r, 1));
        } catch (err) {
          typed = err;
        }
      }
      expect(isSmartCitizenError(typed, 'queue/backend-unavailable')).toBe(true);
      // After the reconnect every ticket that was acknowledged is there, and the queue works.
      let after: Awaited<ReturnType<QueueBackend['listTickets']>> = [];
      for (let i = 0; i < 100; i++) {
        try {
          after = await backend.listTickets();
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      expect(after.map((t) => t.id)).toContain(first.id);
      const numbers = after.map((t) => t.number);
      expect(new Set(numbers).size).toBe(numbers.length);
      const called = await backend.callNext({
        counterId: 'c',
        services: ['s'],
        mode: 'ordered',
        policy: fifoPolicy(),
        now: 1000,
      });
      expect(called?.id).toBe(first.id);
    } finally {
      await backend.close();
      await deleteRedisQueue(admin!, keyPrefix);
    }
  });

  it('runs a centre across machines: kiosk, counter and display board on separate connections', async () => {
    const keyPrefix = uniquePrefix();
    const clock = createManualClock(Date.UTC(2026, 10, 30, 1, 0));
    const config: SmartQueueConfig = {
      services: [{ id: 'civil', name: 'Hộ tịch', prefix: 'A', expectedHandlingMs: 600_000 }],
      counters: [{ id: 'quay-1', label: 'Quầy 1', services: ['civil'] }],
      routing: strictPriorityPolicy(),
    };
    const machine = async () =>
      createSmartQueue({ ...config, clock, backend: await createRedisQueueBackend({ redis: redisUrl, keyPrefix }) });
    const [kiosk, counter, board] = [await machine(), await machine(), await machine()];
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
      const estimate = await kiosk.estimateWait('civil');
      expect(estimate).toMatchObject({ ahead: 1, capacity: 1 });
    } finally {
      await kiosk.close();
      await counter.close();
      await board.close();
      await deleteRedisQueue(admin!, keyPrefix);
    }
  });

  it('fails with a typed error when Redis cannot be reached', async () => {
    const err = await createRedisQueueBackend({
      redis: { host: '127.0.0.1', port: 1, retryStrategy: () => null },
    }).catch((e: unknown) => e);
    expect(isSmartCitizenError(err, 'queue/backend-unavailable')).toBe(true);
  });

  it('refuses to wipe with a too-short prefix', async () => {
    await expect(deleteRedisQueue(admin!, 'sc')).rejects.toThrow(/prefix/);
  });
});
