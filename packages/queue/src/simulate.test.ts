import { describe, expect, it } from 'vitest';
import { createRng, isSmartCitizenError } from '@smart-citizen/core';
import { sampleLognormal } from './rng.js';
import { parseSimulationConfig, simulateQueue } from './simulate.js';
import type { SimulationConfig } from './simulate.js';

/** Erlang C: probability of waiting in M/M/c, and the mean wait in queue. */
function erlangCWait(lambda: number, mu: number, c: number): number {
  const a = lambda / mu;
  const rho = a / c;
  let sum = 0;
  let term = 1;
  for (let k = 0; k < c; k++) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const last = (term * a) / c / (1 - rho);
  const pWait = last / (sum + last);
  return pWait / (c * mu - lambda);
}

const single = (perHour: number, counters: number, seed: number): SimulationConfig => ({
  seed,
  openMinutes: 60_000,
  services: [{ id: 's', handling: { kind: 'exponential', meanMinutes: 1 } }],
  groups: [{ id: 'g', priority: 0 }],
  arrivals: [{ serviceId: 's', groupId: 'g', perHour }],
  counters: Array.from({ length: counters }, (_, i) => ({ id: `c${i}`, services: ['s'] })),
  policies: [{ kind: 'fifo' }],
});

describe('simulateQueue', () => {
  it('matches the M/M/1 mean wait Wq = ρ/(μ−λ) and utilisation ρ', () => {
    const r = simulateQueue(single(30, 1, 7));
    const p = r.policies[0]!;
    expect(r.arrivals).toBeGreaterThan(28_000);
    // λ = 0.5/min, μ = 1/min → Wq = 1 min, ρ = 0.5
    expect(p.overall.meanWaitMinutes).toBeGreaterThan(0.92);
    expect(p.overall.meanWaitMinutes).toBeLessThan(1.08);
    expect(p.counters[0]!.utilisation).toBeGreaterThan(0.48);
    expect(p.counters[0]!.utilisation).toBeLessThan(0.52);
  });

  it('matches the M/M/3 mean wait from the Erlang C formula', () => {
    const r = simulateQueue(single(126, 3, 11));
    const expected = erlangCWait(2.1, 1, 3); // ρ = 0.7 → ≈ 0.5 min
    const got = r.policies[0]!.overall.meanWaitMinutes;
    expect(Math.abs(got - expected) / expected).toBeLessThan(0.1);
  });

  it('samples a log-normal with the requested mean and standard deviation', () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 50_000 }, () => sampleLognormal(rng, 8, 4));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(8, 0);
    expect(Math.abs(sd - 4)).toBeLessThan(0.2);
  });

  const centre: SimulationConfig = {
    seed: 5,
    days: 3,
    openMinutes: 480,
    services: [
      { id: 'civil', handling: { kind: 'lognormal', meanMinutes: 8, sdMinutes: 4 } },
      { id: 'land', handling: { kind: 'lognormal', meanMinutes: 15, sdMinutes: 8 } },
    ],
    arrivals: [
      { serviceId: 'civil', groupId: 'general', perHour: [10, 14, 12, 8, 6, 10, 12, 8] },
      { serviceId: 'civil', groupId: 'elderly', perHour: 2 },
      { serviceId: 'civil', groupId: 'severe-disability', perHour: 0.5 },
      { serviceId: 'land', groupId: 'general', perHour: 3 },
    ],
    counters: [
      { id: 'q1', services: ['civil'] },
      { id: 'q2', services: ['civil', 'land'] },
      { id: 'q3', services: ['land', 'civil'], mode: 'merged' },
    ],
  };

  it('compares policies on the same arrivals: priority groups wait less under strict priority than FIFO', () => {
    const r = simulateQueue(centre);
    expect(r.policies.map((p) => p.policy)).toEqual(['fifo', 'strict-priority', 'weighted-interleave', 'aging']);
    const wait = (policy: string, group: string) =>
      r.policies.find((p) => p.policy === policy)!.groups.find((g) => g.groupId === group)!.meanWaitMinutes;
    expect(wait('strict-priority', 'elderly')).toBeLessThan(wait('fifo', 'elderly'));
    expect(wait('strict-priority', 'severe-disability')).toBeLessThanOrEqual(wait('strict-priority', 'elderly') + 0.5);
    expect(wait('strict-priority', 'general')).toBeGreaterThanOrEqual(wait('fifo', 'general'));
    for (const p of r.policies) {
      const served = p.counters.reduce((s, c) => s + c.served, 0);
      expect(served).toBe(r.arrivals);
      for (const c of p.counters) {
        expect(c.utilisation).toBeGreaterThan(0);
        expect(c.utilisation).toBeLessThanOrEqual(1);
      }
    }
    for (const p of r.policies) {
      const e = p.waitEstimate;
      expect(e.tickets).toBeGreaterThan(0.9 * r.arrivals);
      expect(e.withinRange + e.belowRange + e.aboveRange).toBeCloseTo(1, 9);
      expect(e.meanAbsErrorMinutes).toBeGreaterThan(0);
    }
    // same seed, same result
    expect(simulateQueue(centre)).toEqual(r);
    expect(simulateQueue({ ...centre, seed: 6 })).not.toEqual(r);
  });

  it('bounds the wait with the starvation guard under overload', () => {
    const overloaded: SimulationConfig = {
      seed: 9,
      openMinutes: 240,
      services: [{ id: 's', handling: { kind: 'fixed', minutes: 5 } }],
      groups: [
        { id: 'general', priority: 0 },
        { id: 'vip', priority: 1 },
      ],
      arrivals: [
        { serviceId: 's', groupId: 'general', perHour: 6 },
        { serviceId: 's', groupId: 'vip', perHour: 18 },
      ],
      counters: [
        { id: 'c', services: ['s'] },
        { id: 'd', services: ['s'] },
      ],
      policies: [
        { name: 'strict', kind: 'strict-priority' },
        { name: 'guarded', kind: 'strict-priority', starvationBoundMs: 20 * 60_000 },
      ],
    };
    const r = simulateQueue(overloaded);
    const general = (n: string) => r.policies.find((p) => p.policy === n)!.groups.find((g) => g.groupId === 'general')!;
    // with the guard, a general ticket waits at most the bound plus the time until a counter frees
    expect(general('guarded').maxWaitMinutes).toBeLessThan(general('strict').maxWaitMinutes);
  });

  it('rejects bad configurations with typed errors, never a crash (fuzz)', () => {
    const bad: unknown[] = [
      null,
      42,
      {},
      { ...centre, openMinutes: -1 },
      { ...centre, services: [] },
      { ...centre, arrivals: [{ serviceId: 'nope', perHour: 1 }] },
      { ...centre, counters: [{ id: 'x', services: ['nope'] }] },
      { ...centre, policies: [{ kind: 'lottery' }] },
      { ...centre, services: [{ id: 'civil', handling: { kind: 'lognormal', meanMinutes: 5 } }] },
      { ...centre, noShowProbability: 1.5 },
    ];
    const rng = createRng(99);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
    const values: unknown[] = [null, -1, 0, 1e308, 'x', [], {}, Number.NaN, true, [1, 2]];
    for (let i = 0; i < 300; i++) {
      const c = JSON.parse(JSON.stringify(centre)) as Record<string, unknown>;
      const key = pick(['openMinutes', 'services', 'arrivals', 'counters', 'policies', 'days', 'seed', 'groups']);
      c[key] = pick(values);
      bad.push(c);
    }
    for (const c of bad) {
      try {
        parseSimulationConfig(c);
      } catch (err) {
        expect(isSmartCitizenError(err)).toBe(true);
      }
    }
    for (const c of bad.slice(0, 10)) expect(() => simulateQueue(c as SimulationConfig)).toThrow(/smart-citizen/);
  });
});
