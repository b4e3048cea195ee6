import { describeQueueBackendConformance, openQueueInstance } from '@smart-citizen/queue/testing';
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
    open() {
      const keyPrefix = uniquePrefix();
      return openQueueInstance(
        () => createRedisQueueBackend({ redis: redisUrl, keyPrefix }),
        () => deleteRedisQueue(admin!, keyPrefix),
      );
    },
    openUnreachable: () =>
      createRedisQueueBackend({ redis: { host: '127.0.0.1', port: 1, retryStrategy: () => null } }),
    async openDroppable() {
      const keyPrefix = uniquePrefix();
      const name = `sc-kill-${process.pid}-${n++}`;
      const url = new URL(redisUrl);
      const backend = await createRedisQueueBackend({
        redis: { host: url.hostname, port: Number(url.port || 6379), connectionName: name },
        keyPrefix,
      });
      return {
        backend,
        // Kill exactly our connections (by their name), as a Redis restart or a network cut would.
        async dropConnections() {
          const list = (await admin!.client('LIST')) as string;
          for (const line of list.split('\n').filter((l) => l.includes(`name=${name}`))) {
            const id = line.match(/id=(\d+)/)?.[1];
            if (id) await admin!.client('KILL', 'ID', id).catch(() => undefined);
          }
        },
        async cleanup() {
          await backend.close();
          await deleteRedisQueue(admin!, keyPrefix);
        },
      };
    },
  });

  it('refuses to wipe with a too-short prefix', async () => {
    await expect(deleteRedisQueue(admin!, 'sc')).rejects.toThrow(/prefix/);
  });
});
