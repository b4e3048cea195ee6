import { QueueError } from './errors.js';
import type { RoutingPolicy } from './types.js';

/** Score offset of one priority level under strict priority (≈ 317 years in ms). */
export const STRICT_PRIORITY_STEP_MS = 1e13;

/** First come, first served. */
export function fifoPolicy(options: { starvationBoundMs?: number } = {}): RoutingPolicy {
  return withGuard({ kind: 'fifo' }, options.starvationBoundMs);
}

/**
 * A higher-priority group is always called first; FIFO inside a group.
 * @param options.starvationBoundMs - optional guard: tickets waiting this long jump the queue
 */
export function strictPriorityPolicy(options: { starvationBoundMs?: number } = {}): RoutingPolicy {
  return withGuard({ kind: 'strict-priority' }, options.starvationBoundMs);
}

/**
 * Interleaves groups in proportion to their weights (start-time fair queueing per service).
 * @param options.starvationBoundMs - optional guard
 */
export function weightedInterleavePolicy(options: { starvationBoundMs?: number } = {}): RoutingPolicy {
  return withGuard({ kind: 'weighted-interleave' }, options.starvationBoundMs);
}

/**
 * Priority as a head start: one priority level is worth `agingMsPerLevel` of waiting, and no
 * ticket waits past `starvationBoundMs` while a counter of its service calls.
 * @param options.agingMsPerLevel - @default 600000 (10 minutes per level)
 * @param options.starvationBoundMs - @default 2700000 (45 minutes)
 */
export function agingPolicy(options: { agingMsPerLevel?: number; starvationBoundMs?: number } = {}): RoutingPolicy {
  const agingMsPerLevel = options.agingMsPerLevel ?? 600_000;
  if (!(agingMsPerLevel >= 0) || !Number.isFinite(agingMsPerLevel)) {
    throw new QueueError('queue/invalid-policy', 'agingMsPerLevel must be a finite number ≥ 0');
  }
  return withGuard({ kind: 'aging', agingMsPerLevel }, options.starvationBoundMs ?? 2_700_000);
}

function withGuard(policy: RoutingPolicy, bound: number | undefined): RoutingPolicy {
  if (bound === undefined) return policy;
  if (!(bound > 0) || !Number.isFinite(bound)) {
    throw new QueueError('queue/invalid-policy', 'starvationBoundMs must be a finite number > 0');
  }
  return { ...policy, starvationBoundMs: bound };
}

/** Validates a policy read from configuration; throws `queue/invalid-policy`. */
export function parseRoutingPolicy(value: unknown): RoutingPolicy {
  if (typeof value !== 'object' || value === null) {
    throw new QueueError('queue/invalid-policy', 'a routing policy must be an object with a kind');
  }
  const v = value as Record<string, unknown>;
  const bound = v.starvationBoundMs;
  if (bound !== undefined && typeof bound !== 'number') {
    throw new QueueError('queue/invalid-policy', 'starvationBoundMs must be a number');
  }
  switch (v.kind) {
    case 'fifo':
      return fifoPolicy(bound === undefined ? {} : { starvationBoundMs: bound });
    case 'strict-priority':
      return strictPriorityPolicy(bound === undefined ? {} : { starvationBoundMs: bound });
    case 'weighted-interleave':
      return weightedInterleavePolicy(bound === undefined ? {} : { starvationBoundMs: bound });
    case 'aging': {
      const a = v.agingMsPerLevel;
      if (a !== undefined && typeof a !== 'number') {
        throw new QueueError('queue/invalid-policy', 'agingMsPerLevel must be a number');
      }
      return agingPolicy({
        ...(a === undefined ? {} : { agingMsPerLevel: a }),
        ...(bound === undefined ? {} : { starvationBoundMs: bound }),
      });
    }
    default:
      throw new QueueError('queue/invalid-policy', `unknown routing policy kind: ${String(v.kind).slice(0, 40)}`);
  }
}

/**
 * Score of a ticket entering a service's queue under a time-based policy (fifo, strict, aging).
 * Weighted interleave needs the service's state: see {@link fairShareScore}. Every backend
 * computes exactly this (Lua and PL/pgSQL mirror it); a new backend must too.
 * @param policy - the routing policy
 * @param priority - the group's priority
 * @param enqueuedAt - when the wait counts from (ms)
 * @returns the score; lower is called first
 */
export function timeScore(policy: RoutingPolicy, priority: number, enqueuedAt: number): number {
  switch (policy.kind) {
    case 'strict-priority':
      return enqueuedAt - priority * STRICT_PRIORITY_STEP_MS;
    case 'aging':
      return enqueuedAt - priority * (policy.agingMsPerLevel ?? 600_000);
    default:
      return enqueuedAt;
  }
}

/**
 * Start-time fair queueing tag: `max(V, last) + 1/weight`.
 * @param virtualTime - lowest waiting score in the service, or the highest score given when none waits
 * @param lastTag - the group's last score in the service (undefined when none yet)
 * @param weight - the group's weight (> 0)
 * @returns the ticket's score, which becomes the group's new last tag
 */
export function fairShareScore(virtualTime: number, lastTag: number | undefined, weight: number): number {
  return Math.max(virtualTime, lastTag ?? Number.NEGATIVE_INFINITY) + 1 / weight;
}

/** Formats the display number of a ticket: prefix + zero-padded number, wrapping after 10^digits − 1. */
export function formatTicketNumber(prefix: string, n: number, digits: number): string {
  const mod = 10 ** digits - 1;
  const k = ((n - 1) % mod) + 1;
  return `${prefix}${String(k).padStart(digits, '0')}`;
}
