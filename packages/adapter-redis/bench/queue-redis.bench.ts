import { defineBench } from '@smart-citizen/bench';
import { hasRedis, redisUrl } from '@smart-citizen/test-kit';
import { Redis } from 'ioredis';
import { benchQueueBackend, openQueueInstance } from '@smart-citizen/queue/bench';
import { createRedisQueueBackend, deleteRedisQueue } from '../src/index.js';

export const bench = defineBench({
  name: 'queue-redis',
  pkg: 'adapter-redis',
  description:
    'smart queue on Redis (Lua scripts): tickets issued and called per second, p50/p99 latency, order fidelity',
  async run(ctx) {
    if (!(await hasRedis())) return { tables: [], notes: [`SKIPPED: no Redis at ${redisUrl}`] };
    const admin = new Redis(redisUrl);
    const tickets = ctx.quick ? 2000 : 10_000;
    ctx.progress(`Redis, ${tickets} tickets, 20 counters over 4 connections`);
    try {
      const { rows, fidelity } = await benchQueueBackend(
        () => {
          const keyPrefix = `sc:bench:queue:${process.pid}:${Date.now()}:`;
          return openQueueInstance(
            () => createRedisQueueBackend({ redis: redisUrl, keyPrefix }),
            () => deleteRedisQueue(admin, keyPrefix),
          );
        },
        { tickets, counters: 20, issuers: 8, clients: 4, sequentialOps: ctx.quick ? 500 : 2000 },
      );
      const rtt: number[] = [];
      for (let i = 0; i < 300; i++) {
        const t = performance.now();
        await admin.ping();
        rtt.push(performance.now() - t);
      }
      rtt.sort((a, b) => a - b);
      const info = await admin.info('server');
      const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
      return {
        tables: [
          {
            title: 'Baseline: PING round trip (same machine)',
            rows: [
              {
                ops: rtt.length,
                p50Ms: rtt[Math.floor(rtt.length * 0.5)]!,
                p99Ms: rtt[Math.floor(rtt.length * 0.99)]!,
              },
            ],
          },
          { title: `Redis ${version} queue backend (localhost)`, rows },
          { title: 'Order fidelity under concurrent call-next (Redis)', rows: [fidelity] },
        ],
        notes: ['Contended rows: 8 issuers, then 20 counters, spread over 4 ioredis connections (4 "machines").'],
      };
    } finally {
      await admin.quit();
    }
  },
});
