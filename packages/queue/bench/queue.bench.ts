import { defineBench } from '@smart-citizen/bench';
import { createInMemoryQueueBackend } from '../src/createInMemoryQueueBackend.js';
import { simulateQueue } from '../src/simulate.js';
import { benchQueueBackend } from '../src/bench.js';

export const bench = defineBench({
  name: 'queue-memory',
  pkg: 'queue',
  description: 'smart queue, in-memory backend: tickets issued and called per second, p50/p99 latency; simulator speed',
  async run(ctx) {
    const tickets = ctx.quick ? 2000 : 10_000;
    ctx.progress(`in-memory backend, ${tickets} tickets, 20 counters`);
    const { rows, fidelity } = await benchQueueBackend(
      async () => {
        const backend = createInMemoryQueueBackend();
        return { backend, connect: async () => backend, cleanup: () => backend.close() };
      },
      { tickets, counters: 20, issuers: 8, clients: 1, sequentialOps: ctx.quick ? 1000 : 5000 },
    );
    ctx.progress('simulator: M/M/1 with 100 000 minutes of arrivals');
    const t = performance.now();
    const sim = simulateQueue({
      seed: 1,
      openMinutes: 100_000,
      services: [{ id: 's', handling: { kind: 'exponential', meanMinutes: 1 } }],
      groups: [{ id: 'g', priority: 0 }],
      arrivals: [{ serviceId: 's', groupId: 'g', perHour: 30 }],
      counters: [{ id: 'c', services: ['s'] }],
      policies: [{ kind: 'fifo' }],
    });
    const ms = performance.now() - t;
    return {
      tables: [
        { title: 'In-memory queue backend', rows },
        { title: 'Order fidelity under concurrent call-next (in-memory)', rows: [fidelity] },
        {
          title: 'Simulator (M/M/1, ρ = 0.5, analytic Wq = 1 min)',
          rows: [
            {
              arrivals: sim.arrivals,
              seconds: ms / 1000,
              ticketsPerSec: Math.round(sim.arrivals / (ms / 1000)),
              meanWaitMin: sim.policies[0]!.overall.meanWaitMinutes,
            },
          ],
        },
      ],
    };
  },
});
