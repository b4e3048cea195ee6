import { createRng, type Rng } from '@smart-citizen/core';
import { QueueError } from './errors.js';
import { parseRoutingPolicy } from './policies.js';
import { vietnamPriorityPolicy } from './priorityPolicy.js';
import { QueueState } from './QueueState.js';
import { sampleExponential, sampleLognormal } from './rng.js';
import { quantile } from './stats.js';
import { serviceCapacity, ticketsAhead, waitRange } from './waitRange.js';
import type { CounterProfileMode, RoutingPolicy } from './types.js';

/** Distribution of handling times, in minutes. */
export type HandlingDistribution =
  | { kind: 'exponential'; meanMinutes: number }
  | { kind: 'lognormal'; meanMinutes: number; sdMinutes: number }
  | { kind: 'fixed'; minutes: number }
  | { kind: 'uniform'; minMinutes: number; maxMinutes: number };

/** A day at a centre, to simulate. Times in minutes from opening. */
export interface SimulationConfig {
  /** @default 1 */
  seed?: number;
  /** Independent days simulated per policy (results pool all days). @default 1 */
  days?: number;
  /** Minutes the doors are open to new arrivals; counters then finish everyone inside. */
  openMinutes: number;
  services: { id: string; handling: HandlingDistribution }[];
  /** Citizen groups. @default the groups of vietnamPriorityPolicy */
  groups?: { id: string; priority: number; weight?: number }[];
  /**
   * Arrival streams (Poisson). `perHour` is a rate, or one rate per opening hour (the last
   * applies to any remaining time).
   */
  arrivals: { serviceId: string; groupId?: string; perHour: number | number[] }[];
  counters: { id: string; services: string[]; mode?: CounterProfileMode }[];
  /** Policies to compare. @default fifo, strict-priority, weighted-interleave, aging */
  policies?: (RoutingPolicy & { name?: string })[];
  /** Probability that a called citizen does not come; the counter then loses `noShowMinutes`. @default 0 */
  noShowProbability?: number;
  /** @default 1 */
  noShowMinutes?: number;
}

/** Waits of one group (minutes). */
export interface SimulatedGroup {
  groupId: string;
  served: number;
  meanWaitMinutes: number;
  p90WaitMinutes: number;
  maxWaitMinutes: number;
}

/** Results of one policy. */
export interface SimulatedPolicy {
  policy: string;
  routing: RoutingPolicy;
  overall: SimulatedGroup;
  groups: SimulatedGroup[];
  services: (Omit<SimulatedGroup, 'groupId'> & { serviceId: string })[];
  /** Busy time / (time from opening until the counter's last service ended, at least `openMinutes`). */
  counters: { counterId: string; served: number; utilisation: number }[];
  /** Minutes after the doors closed until the last citizen was served (mean over days). */
  overtimeMinutes: number;
  noShows: number;
  /**
   * How the wait range a kiosk shows at issue ({@link waitRange}, all counters open) compared
   * with the real wait: shares of served tickets whose wait fell within, below and above it, and
   * the mean absolute error of the range's midpoint.
   */
  waitEstimate: {
    tickets: number;
    withinRange: number;
    belowRange: number;
    aboveRange: number;
    meanAbsErrorMinutes: number;
  };
}

/** Result of {@link simulateQueue}. */
export interface SimulationResult {
  seed: number;
  days: number;
  arrivals: number;
  policies: SimulatedPolicy[];
}

/** @internal One citizen of a simulated day. */
export interface Arrival {
  t: number;
  serviceId: string;
  groupId: string;
  handling: number;
  noShow: boolean;
}

/** @internal */
export const defaultPolicies: (RoutingPolicy & { name: string })[] = [
  { name: 'fifo', kind: 'fifo' },
  { name: 'strict-priority', kind: 'strict-priority' },
  { name: 'weighted-interleave', kind: 'weighted-interleave' },
  { name: 'aging', kind: 'aging', agingMsPerLevel: 600_000, starvationBoundMs: 2_700_000 },
];

function bad(message: string): QueueError {
  return new QueueError('queue/invalid-simulation', message);
}

function positive(v: unknown, what: string): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw bad(`${what} must be a number > 0`);
  return v;
}

function sampler(d: HandlingDistribution, what: string): (rng: Rng) => number {
  switch (d?.kind) {
    case 'exponential': {
      const m = positive(d.meanMinutes, `${what}.meanMinutes`);
      return (r) => sampleExponential(r, m);
    }
    case 'lognormal': {
      const m = positive(d.meanMinutes, `${what}.meanMinutes`);
      const s = positive(d.sdMinutes, `${what}.sdMinutes`);
      return (r) => sampleLognormal(r, m, s);
    }
    case 'fixed': {
      const m = positive(d.minutes, `${what}.minutes`);
      return () => m;
    }
    case 'uniform': {
      const a = positive(d.minMinutes, `${what}.minMinutes`);
      const b = positive(d.maxMinutes, `${what}.maxMinutes`);
      if (b < a) throw bad(`${what}: maxMinutes < minMinutes`);
      return (r) => a + (b - a) * r.next();
    }
    default:
      throw bad(`${what}: unknown distribution kind`);
  }
}

/** Mean of a handling-time distribution, in minutes. */
function distributionMean(d: HandlingDistribution): number {
  switch (d.kind) {
    case 'exponential':
    case 'lognormal':
      return d.meanMinutes;
    case 'fixed':
      return d.minutes;
    case 'uniform':
      return (d.minMinutes + d.maxMinutes) / 2;
  }
}

/** Validates a simulation config read from JSON; throws `queue/invalid-simulation`. */
export function parseSimulationConfig(value: unknown): SimulationConfig {
  if (typeof value !== 'object' || value === null) throw bad('the configuration must be an object');
  const c = value as SimulationConfig;
  positive(c.openMinutes, 'openMinutes');
  if (c.openMinutes > 60 * 24 * 365) throw bad('openMinutes is too large');
  if (c.days !== undefined && !(Number.isInteger(c.days) && c.days >= 1 && c.days <= 1000))
    throw bad('days must be 1–1000');
  if (c.seed !== undefined && !Number.isInteger(c.seed)) throw bad('seed must be an integer');
  if (!Array.isArray(c.services) || c.services.length === 0) throw bad('services must be a non-empty list');
  const services = new Set<string>();
  for (const s of c.services) {
    if (typeof s?.id !== 'string') throw bad('every service needs an id');
    services.add(s.id);
    sampler(s.handling, `service ${s.id}.handling`);
  }
  const groups = c.groups ?? vietnamPriorityPolicy.groups;
  if (!Array.isArray(groups) || groups.length === 0) throw bad('groups must be a non-empty list');
  const groupIds = new Set<string>();
  for (const g of groups) {
    if (typeof g?.id !== 'string' || !Number.isFinite(g.priority)) throw bad('every group needs an id and a priority');
    if (g.weight !== undefined) positive(g.weight, `group ${g.id}.weight`);
    groupIds.add(g.id);
  }
  if (!Array.isArray(c.arrivals) || c.arrivals.length === 0) throw bad('arrivals must be a non-empty list');
  for (const a of c.arrivals) {
    if (!services.has(a?.serviceId)) throw bad(`arrivals: unknown service ${String(a?.serviceId).slice(0, 40)}`);
    if (a.groupId !== undefined && !groupIds.has(a.groupId))
      throw bad(`arrivals: unknown group ${a.groupId.slice(0, 40)}`);
    const rates = Array.isArray(a.perHour) ? a.perHour : [a.perHour];
    if (rates.length === 0) throw bad('arrivals: perHour is empty');
    for (const r of rates)
      if (typeof r !== 'number' || !(r >= 0) || r > 10_000) throw bad('arrivals: perHour must be in [0, 10000]');
  }
  if (!Array.isArray(c.counters) || c.counters.length === 0) throw bad('counters must be a non-empty list');
  for (const k of c.counters) {
    if (typeof k?.id !== 'string' || !Array.isArray(k.services) || k.services.length === 0) {
      throw bad('every counter needs an id and a non-empty list of services');
    }
    for (const s of k.services)
      if (!services.has(s)) throw bad(`counter ${k.id}: unknown service ${String(s).slice(0, 40)}`);
    if (k.mode !== undefined && k.mode !== 'ordered' && k.mode !== 'merged') throw bad(`counter ${k.id}: bad mode`);
  }
  if (c.policies !== undefined) {
    if (!Array.isArray(c.policies) || c.policies.length === 0) throw bad('policies must be a non-empty list');
    for (const p of c.policies) parseRoutingPolicy(p);
  }
  const p = c.noShowProbability;
  if (p !== undefined && !(typeof p === 'number' && p >= 0 && p < 1)) throw bad('noShowProbability must be in [0, 1)');
  if (c.noShowMinutes !== undefined) positive(c.noShowMinutes, 'noShowMinutes');
  return c;
}

/** Arrivals of a day: a non-homogeneous Poisson process per stream, piecewise constant by hour. @internal */
export function generateArrivals(c: SimulationConfig, rng: Rng, defaultGroup: string): Arrival[] {
  const samplers = new Map(c.services.map((s) => [s.id, sampler(s.handling, s.id)]));
  const out: Arrival[] = [];
  const pNoShow = c.noShowProbability ?? 0;
  for (const a of c.arrivals) {
    const rates = Array.isArray(a.perHour) ? a.perHour : [a.perHour];
    const peak = Math.max(...rates);
    if (peak <= 0) continue;
    let t = 0;
    for (;;) {
      t += sampleExponential(rng, 60 / peak);
      if (t >= c.openMinutes) break;
      const rate = rates[Math.min(rates.length - 1, Math.floor(t / 60))]!;
      if (rng.next() * peak >= rate) continue; // thinning
      out.push({
        t,
        serviceId: a.serviceId,
        groupId: a.groupId ?? defaultGroup,
        handling: samplers.get(a.serviceId)!(rng),
        noShow: pNoShow > 0 && rng.next() < pNoShow,
      });
    }
  }
  return out.sort((x, y) => x.t - y.t);
}

/** Binary min-heap of completion events. */
class EventHeap {
  private readonly h: { t: number; counter: number }[] = [];
  get size(): number {
    return this.h.length;
  }
  peek(): { t: number; counter: number } | undefined {
    return this.h[0];
  }
  push(e: { t: number; counter: number }): void {
    const h = this.h;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.t < e.t || (h[p]!.t === e.t && h[p]!.counter <= e.counter)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }
  pop(): { t: number; counter: number } | undefined {
    const h = this.h;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        const better = (a: number, b: { t: number; counter: number }) =>
          h[a]!.t < b.t || (h[a]!.t === b.t && h[a]!.counter < b.counter);
        if (l < h.length && better(l, m === i ? last : h[m]!)) m = l;
        if (r < h.length && better(r, m === i ? last : h[m]!)) m = r;
        if (m === i) break;
        h[i] = h[m]!;
        i = m;
      }
      h[i] = last;
    }
    return top;
  }
}

/** @internal */
export function summarise(waits: number[]): Omit<SimulatedGroup, 'groupId'> {
  let sum = 0;
  let max = 0;
  for (const w of waits) {
    sum += w;
    if (w > max) max = w;
  }
  return {
    served: waits.length,
    meanWaitMinutes: waits.length ? sum / waits.length : Number.NaN,
    p90WaitMinutes: quantile(waits, 0.9),
    maxWaitMinutes: waits.length ? max : Number.NaN,
  };
}

/** What a simulated day measured, gathered per policy. @internal */
export interface WaitSamples {
  /** Waits in minutes: all, by group, by service. */
  all: number[];
  waitsByGroup: Map<string, number[]>;
  waitsByService: Map<string, number[]>;
  /** Per counter (config order): busy ms, tickets served, ms from opening to its last service. */
  busy: number[];
  served: number[];
  span: number[];
}

/** Empty samples for `counters` counters. @internal */
export function emptyWaitSamples(counters: number): WaitSamples {
  const zeros = () => Array.from({ length: counters }, () => 0);
  return { all: [], waitsByGroup: new Map(), waitsByService: new Map(), busy: zeros(), served: zeros(), span: zeros() };
}

/** Record one wait (minutes) of a ticket of `groupId` at `serviceId`. @internal */
export function recordWait(m: WaitSamples, w: number, groupId: string, serviceId: string): void {
  m.all.push(w);
  for (const [map, key] of [
    [m.waitsByGroup, groupId],
    [m.waitsByService, serviceId],
  ] as const) {
    const list = map.get(key);
    if (list) list.push(w);
    else map.set(key, [w]);
  }
}

/** The wait and utilisation tables of one policy. @internal */
export function waitTables(
  c: SimulationConfig,
  groups: Map<string, unknown>,
  m: WaitSamples,
): Pick<SimulatedPolicy, 'overall' | 'groups' | 'services' | 'counters'> {
  return {
    overall: { groupId: '*', ...summarise(m.all) },
    groups: [...groups.keys()]
      .filter((g) => m.waitsByGroup.has(g))
      .map((g) => ({ groupId: g, ...summarise(m.waitsByGroup.get(g)!) })),
    services: c.services
      .filter((sv) => m.waitsByService.has(sv.id))
      .map((sv) => ({ serviceId: sv.id, ...summarise(m.waitsByService.get(sv.id)!) })),
    counters: c.counters.map((k, i) => ({
      counterId: k.id,
      served: m.served[i]!,
      utilisation: m.busy[i]! / m.span[i]!,
    })),
  };
}

/**
 * The validated config, its groups and policies, and the arrivals of every day (one seeded
 * stream, so every policy and every backend sees the same citizens). @internal
 */
export function prepareSimulation(config: SimulationConfig) {
  const c = parseSimulationConfig(config);
  const seed = c.seed ?? 1;
  const days = c.days ?? 1;
  const groups = new Map((c.groups ?? vietnamPriorityPolicy.groups).map((g) => [g.id, g]));
  const defaultGroup = c.groups
    ? (c.groups.find((g) => g.priority === 0)?.id ?? c.groups[0]!.id)
    : vietnamPriorityPolicy.defaultGroupId;
  const policies = (c.policies ?? defaultPolicies).map((p, i) => ({
    name: p.name ?? `${p.kind}-${i + 1}`,
    routing: parseRoutingPolicy(p),
  }));
  const rng = createRng(seed);
  const dayArrivals = Array.from({ length: days }, () => generateArrivals(c, rng, defaultGroup));
  return { c, seed, days, groups, policies, dayArrivals };
}

/**
 * Discrete-event simulation of a centre's day under several routing policies, driving the same
 * queue engine as the in-memory backend. Every policy sees the same arrivals and handling times
 * (common random numbers), so differences come from the policy alone.
 *
 * @param config - the centre and its demand (see {@link SimulationConfig}); validated
 * @returns mean / p90 / max wait per group and service, and counter utilisation, per policy
 * @throws QueueError `queue/invalid-simulation`, `queue/invalid-policy`
 */
export function simulateQueue(config: SimulationConfig): SimulationResult {
  const { c, seed, days, groups, policies, dayArrivals } = prepareSimulation(config);
  const noShowMs = (c.noShowMinutes ?? 1) * 60_000;
  const results: SimulatedPolicy[] = [];

  const meanHandlingMs = new Map(c.services.map((sv) => [sv.id, distributionMean(sv.handling) * 60_000]));
  for (const { name, routing } of policies) {
    const m = emptyWaitSamples(c.counters.length);
    const { busy, served, span } = m;
    let overtime = 0;
    let noShows = 0;
    let inRange = 0;
    let belowRange = 0;
    let estimated = 0;
    let absError = 0;
    for (const arrivals of dayArrivals) {
      const q = new QueueState();
      const byTicket = new Map<string, Arrival>();
      const estimate = new Map<string, [number, number]>();
      const serving: (string | undefined)[] = c.counters.map(() => undefined);
      const idle = c.counters.map(() => true);
      const horizon = c.counters.map(() => 0);
      const events = new EventHeap();
      const tryCall = (k: number, now: number) => {
        const counter = c.counters[k]!;
        const t = q.callNext({
          counterId: counter.id,
          services: counter.services,
          mode: counter.mode ?? 'ordered',
          policy: routing,
          now,
        });
        if (!t) return;
        const a = byTicket.get(t.id)!;
        idle[k] = false;
        if (a.noShow) {
          q.transition({ action: 'no-show', ticketId: t.id, now });
          noShows++;
          events.push({ t: now + noShowMs, counter: k });
          return;
        }
        const waitMs = now - t.enqueuedAt;
        const range = estimate.get(t.id);
        if (range) {
          estimated++;
          if (waitMs < range[0]) belowRange++;
          else if (waitMs <= range[1]) inRange++;
          absError += Math.abs(waitMs - (range[0] + range[1]) / 2);
        }
        recordWait(m, waitMs / 60_000, a.groupId, a.serviceId);
        q.transition({ action: 'start', ticketId: t.id, now });
        serving[k] = t.id;
        const h = a.handling * 60_000;
        busy[k]! += h;
        served[k]!++;
        events.push({ t: now + h, counter: k });
      };
      let i = 0;
      let last = 0;
      while (i < arrivals.length || events.size > 0) {
        const nextArrival = arrivals[i];
        const nextDone = events.peek();
        if (nextArrival && (!nextDone || nextArrival.t * 60_000 < nextDone.t)) {
          const now = nextArrival.t * 60_000;
          const g = groups.get(nextArrival.groupId)!;
          // the estimate a kiosk would print for this ticket, from what is known at this moment
          const range = waitRange(
            ticketsAhead(q.waitingCounts([nextArrival.serviceId]), routing, g.priority),
            serviceCapacity(nextArrival.serviceId, c.counters),
            q.recentHandlingTimes(nextArrival.serviceId, 50),
            meanHandlingMs.get(nextArrival.serviceId)!,
          );
          const t = q.issue({
            serviceId: nextArrival.serviceId,
            prefix: 'S',
            digits: 6,
            seriesKey: 'day',
            groupId: nextArrival.groupId,
            priority: g.priority,
            weight: g.weight ?? 1,
            policy: routing,
            now,
          });
          byTicket.set(t.id, nextArrival);
          if (range.lowMs !== null && range.highMs !== null) estimate.set(t.id, [range.lowMs, range.highMs]);
          i++;
          for (let k = 0; k < c.counters.length; k++) if (idle[k]) tryCall(k, now);
        } else if (nextDone) {
          events.pop();
          const now = nextDone.t;
          const k = nextDone.counter;
          last = Math.max(last, now);
          horizon[k] = Math.max(horizon[k]!, now);
          const done = serving[k];
          if (done !== undefined) {
            q.transition({ action: 'complete', ticketId: done, now });
            serving[k] = undefined;
          }
          idle[k] = true;
          tryCall(k, now);
        }
      }
      overtime += Math.max(0, last / 60_000 - c.openMinutes);
      for (let k = 0; k < c.counters.length; k++) span[k]! += Math.max(c.openMinutes * 60_000, horizon[k]!);
    }
    results.push({
      ...waitTables(c, groups, m),
      policy: name,
      routing,
      overtimeMinutes: overtime / days,
      noShows,
      waitEstimate: {
        tickets: estimated,
        withinRange: estimated ? inRange / estimated : Number.NaN,
        belowRange: estimated ? belowRange / estimated : Number.NaN,
        aboveRange: estimated ? (estimated - inRange - belowRange) / estimated : Number.NaN,
        meanAbsErrorMinutes: estimated ? absError / estimated / 60_000 : Number.NaN,
      },
    });
  }
  return { seed, days, arrivals: dayArrivals.reduce((s, d) => s + d.length, 0), policies: results };
}
