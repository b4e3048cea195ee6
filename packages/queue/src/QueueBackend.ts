import type { CounterProfileMode, QueueEventListener, RoutingPolicy, Ticket, TicketStatus } from './types.js';

/** Everything a backend needs to issue a ticket atomically. */
export interface IssueRequest {
  serviceId: string;
  /** Number prefix of the service, e.g. `A`. */
  prefix: string;
  /** Digits after the prefix. */
  digits: number;
  /** Key of the number series (e.g. the centre's local date); numbers restart at 1 for a new key. */
  seriesKey: string;
  groupId: string;
  priority: number;
  weight: number;
  policy: RoutingPolicy;
  /** Current time, ms since epoch. */
  now: number;
  /** When the wait counts from; defaults to `now`. */
  enqueuedAt?: number;
  /** Appointment id; a backend refuses a second ticket for the same appointment. */
  appointmentId?: string;
}

/** Everything a backend needs to take the next ticket for a counter atomically. */
export interface CallNextRequest {
  counterId: string;
  /** The counter's work profile: service ids in order of preference. */
  services: string[];
  mode: CounterProfileMode;
  policy: RoutingPolicy;
  now: number;
}

/** A lifecycle step on one ticket. */
export type TransitionRequest =
  /** called → serving. */
  | { action: 'start'; ticketId: string; now: number; counterId?: string }
  /** serving → done (the handling time is recorded for wait estimates). */
  | { action: 'complete'; ticketId: string; now: number }
  /** called → no-show. */
  | { action: 'no-show'; ticketId: string; now: number }
  /** called → called: re-announce the ticket at its counter. */
  | { action: 'recall'; ticketId: string; now: number }
  /** waiting | called | serving → on-hold (e.g. the citizen fetches a missing paper). */
  | { action: 'hold'; ticketId: string; now: number }
  /** on-hold → waiting, keeping its place (its score). */
  | { action: 'resume'; ticketId: string; now: number }
  /** no-show → waiting, keeping its place: the citizen came back. */
  | { action: 'requeue'; ticketId: string; now: number }
  /**
   * waiting | called | serving | on-hold → waiting in another service. The ticket keeps its
   * number and its `enqueuedAt` (time already waited counts) and gets a new score there.
   */
  | { action: 'transfer'; ticketId: string; now: number; toServiceId: string; policy: RoutingPolicy };

/** Which action names exist. */
export type TransitionAction = TransitionRequest['action'];

/** Filter for {@link QueueBackend.listTickets}. */
export interface TicketFilter {
  status?: TicketStatus[];
  serviceIds?: string[];
  /** Issued at or after (ms since epoch). */
  since?: number;
  /** Issued before (ms since epoch). */
  until?: number;
  /** Last called by this counter (a counter finds its current ticket after a lost reply). */
  counterId?: string;
}

/** Waiting tickets of one service and group. */
export interface WaitingCount {
  serviceId: string;
  groupId: string;
  priority: number;
  count: number;
}

/**
 * The storage port of the smart queue. A backend makes `issue`, `callNext` and `transition`
 * atomic: across processes and machines, no ticket is issued twice with the same number and
 * no ticket is called by two counters. Every backend passes the conformance suite in
 * `@smart-citizen/queue/testing`.
 *
 * Errors: `queue/ticket-not-found`, `queue/invalid-transition`, `queue/appointment-duplicate`,
 * `queue/backend-unavailable` (lost connection, restart: the operation may be retried).
 */
export interface QueueBackend {
  /** Name for logs and benchmarks, e.g. `memory`, `redis`, `postgres`. */
  readonly name: string;
  issue(request: IssueRequest): Promise<Ticket>;
  /** Takes the next ticket for the counter, or `null` when none is waiting for its profile. */
  callNext(request: CallNextRequest): Promise<Ticket | null>;
  transition(request: TransitionRequest): Promise<Ticket>;
  getTicket(ticketId: string): Promise<Ticket | undefined>;
  listTickets(filter?: TicketFilter): Promise<Ticket[]>;
  /** Waiting tickets per service and group (for wait estimates and boards). */
  waitingCounts(serviceIds?: string[]): Promise<WaitingCount[]>;
  /** The most recent handling times (ms) of a service, newest first. */
  recentHandlingTimes(serviceId: string, limit: number): Promise<number[]>;
  setCounterOpen(counterId: string, open: boolean, now: number): Promise<void>;
  openCounters(): Promise<string[]>;
  /**
   * Optional capability: deletes finished tickets (`done`, `no-show`) issued before a time, with
   * their appointment records, so the backend does not grow without end. Waiting, called,
   * serving and held tickets are never touched. Export statistics first.
   * @returns the number of tickets deleted
   */
  purge?(issuedBefore: number): Promise<number>;
  /** Receives events of every process sharing the backend. Returns an unsubscribe function. */
  subscribe(listener: QueueEventListener): Promise<() => Promise<void>>;
  /** Releases connections; idempotent. */
  close(): Promise<void>;
}
