import { describe, expect, it } from 'vitest';

describe('package entry points', () => {
  it('/store and /queue each load one half; the root loads both', async () => {
    const store = await import('@smart-citizen/adapter-postgres/store');
    const queue = await import('@smart-citizen/adapter-postgres/queue');
    const root = await import('@smart-citizen/adapter-postgres');
    expect(Object.keys(store)).toEqual(
      expect.arrayContaining(['createPostgresIdentityStore', 'createPostgresAuditLog', 'createPostgresIdentityDriver']),
    );
    expect(Object.keys(store)).not.toContain('createPostgresQueueBackend');
    expect(Object.keys(queue)).toEqual(expect.arrayContaining(['createPostgresQueueBackend', 'migratePostgresQueue']));
    expect(Object.keys(queue)).not.toContain('createPostgresIdentityStore');
    expect(root.createPostgresIdentityStore).toBe(store.createPostgresIdentityStore);
    expect(root.createPostgresQueueBackend).toBe(queue.createPostgresQueueBackend);
  });
});
