import type { SimulationConfig } from '@smart-citizen/queue';

/** A centre with 20 counters, about 400 citizens in two hours. */
export const twentyCounters: SimulationConfig = {
  seed: 19,
  openMinutes: 120,
  services: [
    { id: 'cert', handling: { kind: 'lognormal', meanMinutes: 5, sdMinutes: 2 } },
    { id: 'civil', handling: { kind: 'lognormal', meanMinutes: 8, sdMinutes: 3 } },
    { id: 'land', handling: { kind: 'uniform', minMinutes: 6, maxMinutes: 14 } },
  ],
  arrivals: [
    { serviceId: 'cert', perHour: 110 },
    { serviceId: 'cert', groupId: 'elderly', perHour: 20 },
    { serviceId: 'civil', perHour: 45 },
    { serviceId: 'land', perHour: 25 },
  ],
  counters: Array.from({ length: 20 }, (_, i) => ({
    id: `quay-${i + 1}`,
    services: i < 10 ? ['cert', 'civil'] : i < 16 ? ['civil', 'cert', 'land'] : ['land', 'cert'],
  })),
  policies: [{ name: 'aging', kind: 'aging', agingMsPerLevel: 600_000, starvationBoundMs: 2_700_000 }],
  noShowProbability: 0.02,
};
