import { createRng } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import { createInMemoryQueueBackend } from './createInMemoryQueueBackend.js';
import { QueueError } from './errors.js';
import type { QueueBackend } from './QueueBackend.js';
import type { SimulationConfig } from './simulate.js';
import { simulateOnBackend } from './simulateOnBackend.js';

const config: SimulationConfig = {
  seed: 7,
  openMinutes: 60,
  services: [
    { id: 'a', handling: { kind: 'fixed', minutes: 3 } },
    { id: 'b', handling: { kind: 'uniform', minMinutes: 2, maxMinutes: 6 } },
  ],
  arrivals: [
    { serviceId: 'a', perHour: 40 },
    { serviceId: 'b', groupId: 'elderly', perHour: 20 },
  ],
  counters: [
    { id: 'c1', services: ['a', 'b'] },
    { id: 'c2', services: ['b', 'a'] },
    { id: 'c3', services: ['a'] },
  ],
  policies: [{ name: 'fifo', kind: 'fifo' }],
  noShowProbability: 0.05,
};

/**
 * A backend whose replies get lost: a share of operations fail with queue/backend-unavailable,
 * half of them after they were applied (the reply lost on the way back), as when a server
 * restarts or a connection is cut mid-operation.
 */
function lossy(inner: QueueBackend, share: number, seed: number): QueueBackend & { failures: number } {
  const rng = createRng(seed);
  const out = {
    ...inner,
    failures: 0,
  } as QueueBackend & { failures: number };
  for (const name of ['issue', 'callNext', 'transition', 'listTickets', 'getTicket'] as const) {
    const fn = inner[name].bind(inner) as (...a: unknown[]) => Promise<unknown>;
    (out as unknown as Record<string, unknown>)[name] = async (...a: unknown[]) => {
      const roll = rng.next();
      const lost = () => {
        out.failures++;
        return new QueueError('queue/backend-unavailable', 'connection lost (injected)');
      };
      if (roll < share / 2) throw lost();
      const v = await fn(...a);
      if (roll < share) throw lost();
      return v;
    };
  }
  return out;
}

describe('simulateOnBackend', () => {
  it('plays the day through a backend: every citizen served once, tables like the simulator', async () => {
    const r = await simulateOnBackend(config, { openBackend: async () => createInMemoryQueueBackend(), speed: 6000 });
    const p = r.policies[0]!;
    expect(r.arrivals).toBeGreaterThan(40);
    expect(p.delivery.served + p.delivery.noShows).toBe(r.arrivals);
    expect(p.delivery).toMatchObject({ lost: 0, duplicated: 0, errors: {} });
    expect(p.overall.served).toBe(p.delivery.served);
    expect(p.groups.map((g) => g.groupId).sort()).toEqual(['elderly', 'general']);
    expect(p.counters.reduce((s, c) => s + c.served, 0)).toBe(p.delivery.served);
  });

  it('loses and duplicates nothing when a fifth of the replies are lost, half after the change applied', async () => {
    let injected = 0;
    const r = await simulateOnBackend(config, {
      openBackend: async ({ day }) => {
        const b = lossy(createInMemoryQueueBackend(), 0.2, 100 + day);
        const close = b.close;
        b.close = async () => {
          injected += b.failures;
          await close();
        };
        return b;
      },
      speed: 6000,
      retryMs: 1,
    });
    const d = r.policies[0]!.delivery;
    expect(injected).toBeGreaterThan(20);
    expect(d.errors['queue/backend-unavailable']).toBe(injected);
    expect(d.served + d.noShows).toBe(r.arrivals);
    expect(d.lost).toBe(0);
    expect(d.duplicated).toBe(0);
  });

  it('gives up with the typed error when the backend stays down longer than outageTimeoutMs', async () => {
    const down = createInMemoryQueueBackend();
    down.issue = async () => {
      throw new QueueError('queue/backend-unavailable', 'down');
    };
    await expect(
      simulateOnBackend(config, { openBackend: async () => down, speed: 6000, outageTimeoutMs: 200, retryMs: 20 }),
    ).rejects.toMatchObject({ code: 'queue/backend-unavailable' });
  });
});
