/**
 * Domain types of the smart queue: services (procedures), counters, citizen groups, tickets,
 * routing policies and events. Everything here is plain data so that every backend (in-memory,
 * Redis, PostgreSQL) stores and evaluates it the same way.
 */

/** A procedure citizens queue for (e.g. "Đăng ký khai sinh"), with its own number series. */
export interface QueueService {
  /** Stable id, e.g. `birth-registration`. Letters, digits, `-`, `_`, `.` (1–64 characters). */
  id: string;
  /** Display name (not personal data). */
  name: string;
  /** Prefix of the ticket numbers of this service, e.g. `A` → `A001`. 1–4 letters or digits. */
  prefix: string;
  /** Expected handling time in ms, used for wait estimates until enough real samples exist. */
  expectedHandlingMs: number;
  /**
   * Digits of the ticket number after the prefix; numbers wrap after `10^digits - 1`.
   * @default 3
   */
  digits?: number;
}

/** How a counter chooses among the services of its work profile. */
export type CounterProfileMode =
  /** Services in profile order: the first service with a waiting ticket is served first. */
  | 'ordered'
  /** All profile services form one queue ordered by the routing policy. */
  | 'merged';

/** A service desk (quầy) and its work profile. */
export interface QueueCounter {
  /** Stable id, e.g. `counter-1`. */
  id: string;
  /** Label shown on the display board, e.g. `Quầy 1`. */
  label: string;
  /** Service ids this counter serves, in order of preference. */
  services: string[];
  /** @default 'ordered' */
  mode?: CounterProfileMode;
}

/**
 * A citizen group with its priority. Higher `priority` is served earlier by the strict and
 * aging policies; `weight` is its share under weighted interleave.
 */
export interface CitizenGroup {
  /** Stable id, e.g. `elderly`. */
  id: string;
  /** Display name, e.g. `Người cao tuổi`. */
  name: string;
  /** Integer priority level; `0` is the general public. */
  priority: number;
  /** Share under weighted interleave, > 0. @default 1 */
  weight?: number;
  /** Legal texts the group rests on (for the centre's notice board and audits). */
  legalBasis?: string[];
}

/** Status of a ticket. */
export type TicketStatus = 'waiting' | 'called' | 'serving' | 'done' | 'no-show' | 'on-hold';

/** A queue ticket. Carries no personal data: only the service, the group and timings. */
export interface Ticket {
  /** Opaque id, unique in the queue. */
  id: string;
  /** Number shown to the citizen and on the board, e.g. `A012`. */
  number: string;
  serviceId: string;
  groupId: string;
  status: TicketStatus;
  /** Monotonic issue sequence in the queue (ties in the policy order are broken by it). */
  seq: number;
  /** Priority of the group at issue time. */
  priority: number;
  /** Weight of the group at issue time. */
  weight: number;
  /** Ordering key under the queue's routing policy (lower is served first). */
  score: number;
  /** When the ticket was issued (ms since epoch). */
  issuedAt: number;
  /** The time its wait counts from (an appointment's slot minus its credit, or the issue time). */
  enqueuedAt: number;
  /** Appointment this ticket came from, if any. */
  appointmentId?: string;
  /** Counter that called it last. */
  counterId?: string;
  /** Monotonic sequence of the last call-next that took it (a linearisation witness). */
  callSeq?: number;
  calledAt?: number;
  servingAt?: number;
  doneAt?: number;
  /** How many times it was re-announced. */
  recalls: number;
  /** How many times it was transferred to another service. */
  transfers: number;
}

/** Kinds of routing policy; every backend implements each of them natively. */
export type RoutingPolicyKind = 'fifo' | 'strict-priority' | 'weighted-interleave' | 'aging';

/**
 * A routing policy as data. Tickets get a static score when they enter a service's queue;
 * call-next takes the lowest score (ties: lowest `seq`), after the optional starvation guard.
 *
 * - `fifo`: score = enqueuedAt.
 * - `strict-priority`: score = enqueuedAt − priority·10¹³ (a higher group always goes first).
 * - `aging`: score = enqueuedAt − priority·agingMsPerLevel: one priority level is worth
 *   `agingMsPerLevel` of waiting, so a lower group catches up as it waits.
 * - `weighted-interleave`: start-time fair queueing between groups: score = max(V, L₍g₎) + 1/weight,
 *   where L₍g₎ is the group's last score in the service and V the lowest waiting score (or the
 *   highest score given when nobody waits). While every group has someone waiting, group g gets
 *   weight_g / Σ weight of the calls.
 *
 * The starvation guard (any kind): a ticket that has waited `starvationBoundMs` or more is
 * called before anything else (oldest first).
 */
export interface RoutingPolicy {
  kind: RoutingPolicyKind;
  /** Only for `aging`: ms of waiting one priority level is worth. */
  agingMsPerLevel?: number;
  /** When set, tickets waiting this long (ms) or longer jump the queue, oldest first. */
  starvationBoundMs?: number;
}

/** An appointment booked in advance (e.g. on the DVC portal), checked in at the kiosk. */
export interface Appointment {
  /** Id from the booking system; a given appointment yields at most one ticket. */
  id: string;
  serviceId: string;
  /** Start of the booked slot (ms since epoch). */
  slotStart: number;
}

/** Event types published for display boards and counter screens. */
export type QueueEventType =
  | 'ticket.issued'
  | 'ticket.called'
  | 'ticket.recalled'
  | 'ticket.serving'
  | 'ticket.done'
  | 'ticket.no-show'
  | 'ticket.on-hold'
  | 'ticket.resumed'
  | 'ticket.transferred'
  | 'counter.opened'
  | 'counter.closed';

/**
 * An event. It carries the ticket number and where to go, never the citizen group (group
 * membership such as a disability is sensitive) nor anything personal.
 */
export interface QueueEvent {
  type: QueueEventType;
  /**
   * Id of the event, unique within the queue, on backends that keep events durably (the
   * PostgreSQL outbox, the Redis stream). Such backends deliver at least once: after a
   * reconnect or a process restart a listener may see an event again, so a consumer that must
   * act once per event keeps the ids it has handled.
   */
  id?: string;
  /** ms since epoch. */
  at: number;
  ticketId?: string;
  number?: string;
  serviceId?: string;
  counterId?: string;
  /** For transfers: the service the ticket left. */
  fromServiceId?: string;
}

/** Listener for {@link QueueEvent}s. */
export type QueueEventListener = (event: QueueEvent) => void;
