import { quantile } from './stats.js';
import type { WaitingCount } from './QueueBackend.js';
import type { CounterProfileMode, RoutingPolicy } from './types.js';

/** Fewer recent handling times than this, and the expected handling time is used instead. */
export const MIN_HANDLING_SAMPLES = 5;

/**
 * Tickets that would be called before a new ticket of the given priority: everyone waiting in
 * the service, or under strict priority only those of the same or a higher priority.
 */
export function ticketsAhead(counts: readonly WaitingCount[], policy: RoutingPolicy, priority: number): number {
  let n = 0;
  for (const c of counts) if (policy.kind !== 'strict-priority' || c.priority >= priority) n += c.count;
  return n;
}

/**
 * Capacity of open counters for a service: a counter counts 1 when the service is first in its
 * profile (or its profile is merged) and 1/(k+1) when the service is in place k.
 */
export function serviceCapacity(
  serviceId: string,
  counters: readonly { services: readonly string[]; mode?: CounterProfileMode }[],
): number {
  let capacity = 0;
  for (const c of counters) {
    const k = c.services.indexOf(serviceId);
    if (k < 0) continue;
    capacity += (c.mode ?? 'ordered') === 'merged' ? 1 : 1 / (k + 1);
  }
  return capacity;
}

/** The wait range: `ahead · median / capacity` to `(ahead + 1) · p90 / capacity`. */
export interface WaitRange {
  handlingMedianMs: number;
  handlingP90Ms: number;
  /** True when fewer than {@link MIN_HANDLING_SAMPLES} samples: the expected time was used. */
  fewSamples: boolean;
  lowMs: number | null;
  highMs: number | null;
}

/**
 * Computes the wait range of a new ticket (pure; shared by `SmartQueue.estimateWait` and the
 * simulator, which measures how often real waits fall inside it).
 * @param ahead - tickets that will be called first
 * @param capacity - open capacity for the service ({@link serviceCapacity})
 * @param recentHandlingMs - recent handling times of the service
 * @param expectedHandlingMs - the service's expected handling time (used with few samples; p90 = 1.5×)
 */
export function waitRange(
  ahead: number,
  capacity: number,
  recentHandlingMs: readonly number[],
  expectedHandlingMs: number,
): WaitRange {
  const fewSamples = recentHandlingMs.length < MIN_HANDLING_SAMPLES;
  const median = fewSamples ? expectedHandlingMs : quantile(recentHandlingMs, 0.5);
  const p90 = fewSamples ? expectedHandlingMs * 1.5 : quantile(recentHandlingMs, 0.9);
  return {
    handlingMedianMs: median,
    handlingP90Ms: p90,
    fewSamples,
    lowMs: capacity === 0 ? null : (ahead * median) / capacity,
    highMs: capacity === 0 ? null : ((ahead + 1) * p90) / capacity,
  };
}
