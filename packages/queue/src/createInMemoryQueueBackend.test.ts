import { describe, expect, it } from 'vitest';
import { isSmartCitizenError } from '@smart-citizen/core';
import { createInMemoryQueueBackend } from './createInMemoryQueueBackend.js';
import { fifoPolicy } from './policies.js';
import { describeQueueBackendConformance, testIssueRequest } from './testing/conformance.js';

describeQueueBackendConformance('memory', {
  async open() {
    const backend = createInMemoryQueueBackend();
    return { backend, connect: async () => backend, cleanup: () => backend.close() };
  },
});

describe('createInMemoryQueueBackend', () => {
  const request = testIssueRequest('s', 'g', 0, 0, fifoPolicy());

  it('refuses work after close with queue/closed, and close is idempotent', async () => {
    const b = createInMemoryQueueBackend();
    await b.close();
    await b.close();
    const err = await b.issue(request).catch((e: unknown) => e);
    expect(isSmartCitizenError(err, 'queue/closed')).toBe(true);
  });

  it('keeps serving when a subscriber throws', async () => {
    const b = createInMemoryQueueBackend();
    await b.subscribe(() => {
      throw new Error('display crashed');
    });
    const t = await b.issue(request);
    expect(t.number).toBe('S001');
  });
});
