import {
  issue as makeIssue,
  silentLogger,
  systemClock,
  type Issue,
  type Clock,
  type Logger,
} from '@smart-citizen/core';
import { QueueError } from './errors.js';
import { createInMemoryQueueBackend } from './createInMemoryQueueBackend.js';
import { agingPolicy } from './policies.js';
import type { CitizenAttributes, Classification, PriorityPolicy } from './priorityPolicy.js';
import { classifyCitizen, validatePriorityPolicy, vietnamPriorityPolicy } from './priorityPolicy.js';
import type { QueueBackend, TransitionRequest } from './QueueBackend.js';
import { computeQueueStats } from './stats.js';
import { serviceCapacity, ticketsAhead, waitRange } from './waitRange.js';
import type { QueueStats } from './stats.js';
import type { Appointment, QueueCounter, QueueEventListener, QueueService, RoutingPolicy, Ticket } from './types.js';

/** Check-in windows of appointments. */
export interface AppointmentWindow {
  /** How early before the slot a citizen may check in (ms). @default 1800000 (30 min) */
  earlyMs?: number;
  /** How late after the slot start the appointment still counts (ms). @default 900000 (15 min) */
  lateMs?: number;
  /**
   * Head start of an appointment: its wait counts from `slotStart − creditMs`, so it is served
   * around its slot ahead of walk-ins who arrived at the same time. @default 900000 (15 min)
   */
  creditMs?: number;
}

/** The layout of a centre: what it serves, where, and for whom first. */
export interface SmartQueueConfig {
  services: QueueService[];
  counters: QueueCounter[];
  /** Citizen groups and their criteria. @default vietnamPriorityPolicy */
  priorityPolicy?: PriorityPolicy;
  /** Routing policy. @default agingPolicy() (10 min per level, 45 min starvation bound) */
  routing?: RoutingPolicy;
  appointments?: AppointmentWindow;
  /** Offset of the centre's local time from UTC, for the daily number series. @default 420 (UTC+7) */
  utcOffsetMinutes?: number;
}

/** Options of {@link createSmartQueue}. */
export interface SmartQueueOptions extends SmartQueueConfig {
  /** Storage. @default createInMemoryQueueBackend() */
  backend?: QueueBackend;
  /** @default systemClock */
  clock?: Clock;
  /** @default silentLogger */
  logger?: Logger;
}

/** Who is being issued a ticket: an explicit group (staff decision) or facts to classify. */
export type TicketHolder = { groupId: string } | { attributes: CitizenAttributes } | Record<string, never>;

/** A wait estimate for a new ticket, as a range. */
export interface WaitEstimate {
  serviceId: string;
  /** Tickets that would be called before a new ticket of this group. */
  ahead: number;
  /** Open counters serving the service, weighted by its place in their profiles. */
  capacity: number;
  /** Median and 90th percentile of recent handling times (ms). */
  handlingMedianMs: number;
  handlingP90Ms: number;
  /** Handling samples used (0 → the service's expected handling time). */
  samples: number;
  /** The range; `null` when no counter is open for the service. */
  lowMs: number | null;
  highMs: number | null;
  issues: Issue[];
}

/** Result of issuing a ticket. */
export interface IssueResult {
  ticket: Ticket;
  classification: Classification | undefined;
  issues: Issue[];
}

const ID = /^[A-Za-z0-9_.-]{1,64}$/;

function invalid(message: string): QueueError {
  return new QueueError('queue/invalid-config', message);
}

/** Validates a centre configuration; throws `queue/invalid-config`. */
export function validateQueueConfig(config: SmartQueueConfig): void {
  if (!Array.isArray(config.services) || config.services.length === 0) throw invalid('at least one service is needed');
  if (!Array.isArray(config.counters)) throw invalid('counters must be a list');
  const services = new Set<string>();
  const prefixes = new Set<string>();
  for (const s of config.services) {
    if (typeof s?.id !== 'string' || !ID.test(s.id))
      throw invalid('a service id must be 1–64 letters, digits, -, _ or .');
    if (services.has(s.id)) throw invalid(`duplicate service id ${s.id}`);
    services.add(s.id);
    if (typeof s.prefix !== 'string' || !/^[A-Z0-9]{1,4}$/.test(s.prefix)) {
      throw invalid(`service ${s.id}: prefix must be 1–4 capital letters or digits`);
    }
    if (prefixes.has(s.prefix)) throw invalid(`service ${s.id}: prefix ${s.prefix} is used twice`);
    prefixes.add(s.prefix);
    if (
      !(typeof s.expectedHandlingMs === 'number' && s.expectedHandlingMs > 0 && Number.isFinite(s.expectedHandlingMs))
    ) {
      throw invalid(`service ${s.id}: expectedHandlingMs must be > 0`);
    }
    if (s.digits !== undefined && !(Number.isInteger(s.digits) && s.digits >= 1 && s.digits <= 6)) {
      throw invalid(`service ${s.id}: digits must be an integer in 1–6`);
    }
  }
  const counters = new Set<string>();
  for (const c of config.counters) {
    if (typeof c?.id !== 'string' || !ID.test(c.id))
      throw invalid('a counter id must be 1–64 letters, digits, -, _ or .');
    if (counters.has(c.id)) throw invalid(`duplicate counter id ${c.id}`);
    counters.add(c.id);
    if (!Array.isArray(c.services) || c.services.length === 0) throw invalid(`counter ${c.id}: its profile is empty`);
    for (const sid of c.services) if (!services.has(sid)) throw invalid(`counter ${c.id}: unknown service ${sid}`);
    if (new Set(c.services).size !== c.services.length) throw invalid(`counter ${c.id}: a service appears twice`);
    if (c.mode !== undefined && c.mode !== 'ordered' && c.mode !== 'merged') throw invalid(`counter ${c.id}: bad mode`);
  }
  validatePriorityPolicy(config.priorityPolicy ?? vietnamPriorityPolicy);
}

/**
 * The smart queue of a centre: issues tickets routed by service and citizen group, lets
 * counters call the next citizen, tracks each ticket's lifecycle, estimates waits and reports
 * statistics. State lives in the backend; several `SmartQueue`s (kiosks, counters, boards on
 * different machines) sharing a Redis or PostgreSQL backend and the same config form one queue.
 */
export class SmartQueue {
  readonly backend: QueueBackend;
  readonly routing: RoutingPolicy;
  readonly priorityPolicy: PriorityPolicy;
  private readonly services: Map<string, QueueService>;
  private readonly counters: Map<string, QueueCounter>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly window: Required<AppointmentWindow>;
  private readonly utcOffsetMs: number;

  /** Use {@link createSmartQueue}. @internal */
  constructor(options: SmartQueueOptions) {
    validateQueueConfig(options);
    this.backend = options.backend ?? createInMemoryQueueBackend();
    this.routing = options.routing ?? agingPolicy();
    this.priorityPolicy = options.priorityPolicy ?? vietnamPriorityPolicy;
    this.services = new Map(options.services.map((s) => [s.id, s]));
    this.counters = new Map(options.counters.map((c) => [c.id, c]));
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.window = {
      earlyMs: options.appointments?.earlyMs ?? 1_800_000,
      lateMs: options.appointments?.lateMs ?? 900_000,
      creditMs: options.appointments?.creditMs ?? 900_000,
    };
    this.utcOffsetMs = (options.utcOffsetMinutes ?? 420) * 60_000;
  }

  private service(id: string): QueueService {
    const s = this.services.get(id);
    if (!s) throw new QueueError('queue/unknown-service', 'no such service in this centre', { details: { id } });
    return s;
  }

  private counter(id: string): QueueCounter {
    const c = this.counters.get(id);
    if (!c) throw new QueueError('queue/unknown-counter', 'no such counter in this centre', { details: { id } });
    return c;
  }

  private group(id: string) {
    const g = this.priorityPolicy.groups.find((x) => x.id === id);
    if (!g) throw new QueueError('queue/unknown-group', 'no such citizen group', { details: { id } });
    return g;
  }

  /** The local date of the centre, key of the daily number series. */
  seriesKey(now: number): string {
    return new Date(now + this.utcOffsetMs).toISOString().slice(0, 10);
  }

  private resolveGroup(
    holder: TicketHolder,
    now: number,
  ): { groupId: string; classification: Classification | undefined } {
    if ('groupId' in holder && typeof holder.groupId === 'string') {
      this.group(holder.groupId);
      return { groupId: holder.groupId, classification: undefined };
    }
    if ('attributes' in holder && holder.attributes) {
      const c = classifyCitizen(holder.attributes, new Date(now), this.priorityPolicy);
      return { groupId: c.groupId, classification: c };
    }
    return { groupId: this.priorityPolicy.defaultGroupId, classification: undefined };
  }

  private async issueFor(
    serviceId: string,
    holder: TicketHolder,
    enqueuedAt: number | undefined,
    appointmentId?: string,
  ) {
    const service = this.service(serviceId);
    const now = this.clock.now();
    const { groupId, classification } = this.resolveGroup(holder, now);
    const g = this.group(groupId);
    const ticket = await this.backend.issue({
      serviceId,
      prefix: service.prefix,
      digits: service.digits ?? 3,
      seriesKey: this.seriesKey(now),
      groupId,
      priority: g.priority,
      weight: g.weight ?? 1,
      policy: this.routing,
      now,
      ...(enqueuedAt === undefined ? {} : { enqueuedAt }),
      ...(appointmentId === undefined ? {} : { appointmentId }),
    });
    // No group in logs: membership such as a disability is sensitive personal data.
    this.logger.debug('queue: ticket issued', { serviceId, number: ticket.number });
    return { ticket, classification };
  }

  /**
   * Issues a walk-in ticket.
   * @param serviceId - the procedure the citizen came for
   * @param holder - `{ attributes }` to classify (age from the identity's date of birth), or `{ groupId }`
   * @returns the ticket, the classification and its issues
   */
  async issue(serviceId: string, holder: TicketHolder = {}): Promise<IssueResult> {
    const { ticket, classification } = await this.issueFor(serviceId, holder, undefined);
    return { ticket, classification, issues: classification?.issues ?? [] };
  }

  /**
   * Checks in an appointment: inside `[slotStart − earlyMs, slotStart + lateMs]` the ticket's wait
   * counts from `slotStart − creditMs`; after the window it becomes a walk-in ticket with the
   * issue `queue/appointment-missed-window`. Too early throws `queue/check-in-too-early`; a second
   * check-in throws `queue/appointment-duplicate`.
   */
  async checkIn(appointment: Appointment, holder: TicketHolder = {}): Promise<IssueResult> {
    const now = this.clock.now();
    if (typeof appointment?.id !== 'string' || appointment.id.length === 0 || appointment.id.length > 128) {
      throw new QueueError('queue/invalid-appointment', 'an appointment needs an id of 1–128 characters');
    }
    if (!Number.isFinite(appointment.slotStart)) {
      throw new QueueError('queue/invalid-appointment', 'slotStart must be a time in ms');
    }
    const issues: Issue[] = [];
    let enqueuedAt: number | undefined;
    if (now < appointment.slotStart - this.window.earlyMs) {
      throw new QueueError('queue/check-in-too-early', 'check-in opens before the appointment slot', {
        details: { opensAt: appointment.slotStart - this.window.earlyMs },
      });
    }
    if (now <= appointment.slotStart + this.window.lateMs) {
      enqueuedAt = appointment.slotStart - this.window.creditMs;
    } else {
      issues.push(
        makeIssue(
          'queue/appointment-missed-window',
          'warning',
          'checked in after the appointment window: queued as a walk-in',
        ),
      );
    }
    const { ticket, classification } = await this.issueFor(appointment.serviceId, holder, enqueuedAt, appointment.id);
    return { ticket, classification, issues: [...issues, ...(classification?.issues ?? [])] };
  }

  /** The counter takes its next ticket, or `null` when nobody waits for its profile. */
  async callNext(counterId: string): Promise<Ticket | null> {
    const c = this.counter(counterId);
    return this.backend.callNext({
      counterId,
      services: c.services,
      mode: c.mode ?? 'ordered',
      policy: this.routing,
      now: this.clock.now(),
    });
  }

  private step(req: TransitionRequest): Promise<Ticket> {
    return this.backend.transition(req);
  }

  /** called → serving (the citizen reached the counter). */
  async startServing(ticketId: string, counterId?: string): Promise<Ticket> {
    if (counterId !== undefined) this.counter(counterId);
    return this.step({
      action: 'start',
      ticketId,
      now: this.clock.now(),
      ...(counterId === undefined ? {} : { counterId }),
    });
  }
  /** serving → done. */
  complete(ticketId: string): Promise<Ticket> {
    return this.step({ action: 'complete', ticketId, now: this.clock.now() });
  }
  /** called → no-show. */
  noShow(ticketId: string): Promise<Ticket> {
    return this.step({ action: 'no-show', ticketId, now: this.clock.now() });
  }
  /** Re-announce a called ticket. */
  recall(ticketId: string): Promise<Ticket> {
    return this.step({ action: 'recall', ticketId, now: this.clock.now() });
  }
  /** Put a ticket on hold (it keeps its place for {@link resume}). */
  hold(ticketId: string): Promise<Ticket> {
    return this.step({ action: 'hold', ticketId, now: this.clock.now() });
  }
  /** on-hold → waiting at its old place. */
  resume(ticketId: string): Promise<Ticket> {
    return this.step({ action: 'resume', ticketId, now: this.clock.now() });
  }
  /** no-show → waiting at its old place (the citizen came back). */
  requeue(ticketId: string): Promise<Ticket> {
    return this.step({ action: 'requeue', ticketId, now: this.clock.now() });
  }
  /** Move a ticket to another service; time already waited counts there. */
  async transfer(ticketId: string, toServiceId: string): Promise<Ticket> {
    this.service(toServiceId);
    return this.step({ action: 'transfer', ticketId, toServiceId, policy: this.routing, now: this.clock.now() });
  }

  /**
   * Tickets a counter has called or is serving. After a lost connection (the backend answered
   * `queue/backend-unavailable` to a call-next that may have committed) the counter finds its
   * ticket here, so no citizen is skipped.
   */
  async ticketsAt(counterId: string): Promise<Ticket[]> {
    this.counter(counterId);
    return this.backend.listTickets({ status: ['called', 'serving'], counterId });
  }

  /** Opens a counter (it then counts for wait estimates). */
  async openCounter(counterId: string): Promise<void> {
    this.counter(counterId);
    return this.backend.setCounterOpen(counterId, true, this.clock.now());
  }
  /** Closes a counter. */
  async closeCounter(counterId: string): Promise<void> {
    this.counter(counterId);
    return this.backend.setCounterOpen(counterId, false, this.clock.now());
  }

  /**
   * Estimates the wait of a new ticket as a range: tickets ahead × recent handling times
   * (median → low, 90th percentile → high) ÷ open capacity. A counter counts 1 for a service
   * first in its profile (or in a merged profile) and 1/(k+1) for one in place k.
   * @param serviceId - the service
   * @param groupId - the group of the new ticket. @default the default group
   */
  async estimateWait(serviceId: string, groupId: string = this.priorityPolicy.defaultGroupId): Promise<WaitEstimate> {
    const service = this.service(serviceId);
    const g = this.group(groupId);
    const issues: Issue[] = [];
    const [counts, open, recent] = await Promise.all([
      this.backend.waitingCounts([serviceId]),
      this.backend.openCounters(),
      this.backend.recentHandlingTimes(serviceId, 50),
    ]);
    const ahead = ticketsAhead(counts, this.routing, g.priority);
    const openProfiles = open.map((id) => this.counters.get(id)).filter((c): c is QueueCounter => c !== undefined);
    const capacity = serviceCapacity(serviceId, openProfiles);
    const range = waitRange(ahead, capacity, recent, service.expectedHandlingMs);
    if (range.fewSamples) {
      issues.push(
        makeIssue(
          'queue/few-handling-samples',
          'info',
          'fewer than 5 recent handling times: using the expected handling time',
        ),
      );
    }
    if (capacity === 0) {
      issues.push(makeIssue('queue/no-open-counter', 'warning', 'no open counter serves this service'));
    }
    return {
      serviceId,
      ahead,
      capacity,
      handlingMedianMs: range.handlingMedianMs,
      handlingP90Ms: range.handlingP90Ms,
      samples: recent.length,
      lowMs: range.lowMs,
      highMs: range.highMs,
      issues,
    };
  }

  /** Statistics per service, group and counter over tickets issued in `[since, until)`. */
  async stats(since: number, until: number = this.clock.now()): Promise<QueueStats> {
    return computeQueueStats(await this.backend.listTickets({ since, until }), since, until);
  }

  /** Subscribe to events (from every process sharing the backend). */
  subscribe(listener: QueueEventListener): Promise<() => Promise<void>> {
    return this.backend.subscribe(listener);
  }

  /** Closes the backend. */
  close(): Promise<void> {
    return this.backend.close();
  }
}

/**
 * Creates the smart queue of a centre.
 * @example
 * const queue = createSmartQueue({ services, counters });
 * const { ticket } = await queue.issue('birth-registration', { attributes: { dateOfBirth } });
 * const next = await queue.callNext('counter-1');
 */
export function createSmartQueue(options: SmartQueueOptions): SmartQueue {
  return new SmartQueue(options);
}
