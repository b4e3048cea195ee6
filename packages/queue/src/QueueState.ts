import { QueueError } from './errors.js';
import { fairShareScore, formatTicketNumber, timeScore } from './policies.js';
import type { CallNextRequest, IssueRequest, TicketFilter, TransitionRequest, WaitingCount } from './QueueBackend.js';
import type { QueueEvent, QueueEventType, RoutingPolicy, Ticket, TicketStatus } from './types.js';

/** Which statuses each action accepts, and where it leads. */
export const ticketTransitions: Readonly<
  Record<TransitionRequest['action'], { from: readonly TicketStatus[]; to: TicketStatus; event: QueueEventType }>
> = {
  start: { from: ['called'], to: 'serving', event: 'ticket.serving' },
  complete: { from: ['serving'], to: 'done', event: 'ticket.done' },
  'no-show': { from: ['called'], to: 'no-show', event: 'ticket.no-show' },
  recall: { from: ['called'], to: 'called', event: 'ticket.recalled' },
  hold: { from: ['waiting', 'called', 'serving'], to: 'on-hold', event: 'ticket.on-hold' },
  resume: { from: ['on-hold'], to: 'waiting', event: 'ticket.resumed' },
  requeue: { from: ['no-show'], to: 'waiting', event: 'ticket.resumed' },
  transfer: { from: ['waiting', 'called', 'serving', 'on-hold'], to: 'waiting', event: 'ticket.transferred' },
};

/** How many handling times are kept per service. */
export const HANDLING_SAMPLES_KEPT = 500;

interface Entry {
  key: number;
  seq: number;
  id: string;
}

function cmp(a: Entry, b: Entry): number {
  return a.key - b.key || a.seq - b.seq;
}

/** A sorted array with binary-search insert and removal. @internal */
class SortedIndex {
  readonly items: Entry[] = [];
  private find(e: Entry): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(this.items[mid]!, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  insert(e: Entry): void {
    this.items.splice(this.find(e), 0, e);
  }
  remove(e: Entry): void {
    const i = this.find(e);
    if (this.items[i]?.id === e.id) this.items.splice(i, 1);
  }
  head(): Entry | undefined {
    return this.items[0];
  }
}

interface ServiceQueue {
  byScore: SortedIndex;
  byTime: SortedIndex;
  lastTag: Map<string, number>;
  maxTag: number;
  handling: number[];
}

/**
 * The queue engine as a synchronous state machine. It is the in-memory backend's engine, the
 * simulator's engine and the reference model the conformance suite replays other backends
 * against; exported for backend authors and custom simulations. One process only: it is not a
 * backend by itself (wrap it as `createInMemoryQueueBackend` does).
 */
export class QueueState {
  private readonly tickets = new Map<string, Ticket>();
  private readonly services = new Map<string, ServiceQueue>();
  private readonly series = new Map<string, number>();
  private readonly appointments = new Set<string>();
  private readonly open = new Set<string>();
  private seq = 0;
  private callSeq = 0;
  /** Called with every event. */
  onEvent: ((event: QueueEvent) => void) | undefined;

  private svc(id: string): ServiceQueue {
    let s = this.services.get(id);
    if (!s) {
      s = { byScore: new SortedIndex(), byTime: new SortedIndex(), lastTag: new Map(), maxTag: 0, handling: [] };
      this.services.set(id, s);
    }
    return s;
  }

  private emit(type: QueueEventType, t: Ticket, at: number, extra: Partial<QueueEvent> = {}): void {
    if (!this.onEvent) return;
    const e: QueueEvent = { type, at, ticketId: t.id, number: t.number, serviceId: t.serviceId, ...extra };
    if (t.counterId !== undefined && e.counterId === undefined && type !== 'ticket.issued') e.counterId = t.counterId;
    this.onEvent(e);
  }

  private scoreFor(
    serviceId: string,
    groupId: string,
    priority: number,
    weight: number,
    enqueuedAt: number,
    policy: RoutingPolicy,
  ): number {
    if (policy.kind !== 'weighted-interleave') return timeScore(policy, priority, enqueuedAt);
    const s = this.svc(serviceId);
    const v = s.byScore.head()?.key ?? s.maxTag;
    const tag = fairShareScore(v, s.lastTag.get(groupId), weight);
    s.lastTag.set(groupId, tag);
    if (tag > s.maxTag) s.maxTag = tag;
    return tag;
  }

  private enqueue(t: Ticket): void {
    const s = this.svc(t.serviceId);
    s.byScore.insert({ key: t.score, seq: t.seq, id: t.id });
    s.byTime.insert({ key: t.enqueuedAt, seq: t.seq, id: t.id });
  }

  private dequeue(t: Ticket): void {
    const s = this.svc(t.serviceId);
    s.byScore.remove({ key: t.score, seq: t.seq, id: t.id });
    s.byTime.remove({ key: t.enqueuedAt, seq: t.seq, id: t.id });
  }

  issue(r: IssueRequest): Ticket {
    if (r.appointmentId !== undefined) {
      if (this.appointments.has(r.appointmentId)) {
        throw new QueueError('queue/appointment-duplicate', 'this appointment already has a ticket');
      }
      this.appointments.add(r.appointmentId);
    }
    const seriesKey = `${r.serviceId}|${r.seriesKey}`;
    const n = (this.series.get(seriesKey) ?? 0) + 1;
    this.series.set(seriesKey, n);
    const seq = ++this.seq;
    const enqueuedAt = r.enqueuedAt ?? r.now;
    const t: Ticket = {
      id: String(seq).padStart(12, '0'),
      number: formatTicketNumber(r.prefix, n, r.digits),
      serviceId: r.serviceId,
      groupId: r.groupId,
      status: 'waiting',
      seq,
      priority: r.priority,
      weight: r.weight,
      score: this.scoreFor(r.serviceId, r.groupId, r.priority, r.weight, enqueuedAt, r.policy),
      issuedAt: r.now,
      enqueuedAt,
      recalls: 0,
      transfers: 0,
    };
    if (r.appointmentId !== undefined) t.appointmentId = r.appointmentId;
    this.tickets.set(t.id, t);
    this.enqueue(t);
    this.emit('ticket.issued', t, r.now);
    return { ...t };
  }

  callNext(r: CallNextRequest): Ticket | null {
    let pick: Entry | undefined;
    const bound = r.policy.starvationBoundMs;
    if (bound !== undefined) {
      for (const sid of r.services) {
        const h = this.services.get(sid)?.byTime.head();
        if (h && r.now - h.key >= bound && (!pick || cmp(h, pick) < 0)) pick = h;
      }
    }
    if (!pick) {
      for (const sid of r.services) {
        const h = this.services.get(sid)?.byScore.head();
        if (!h) continue;
        if (r.mode === 'ordered') {
          pick = h;
          break;
        }
        if (!pick || cmp(h, pick) < 0) pick = h;
      }
    }
    if (!pick) return null;
    const t = this.tickets.get(pick.id)!;
    this.dequeue(t);
    t.status = 'called';
    t.counterId = r.counterId;
    t.calledAt = r.now;
    t.callSeq = ++this.callSeq;
    this.emit('ticket.called', t, r.now);
    return { ...t };
  }

  /**
   * The first `n` tickets a call-next for this request would take, in order, without taking
   * them (the reference order the conformance suite checks backends against).
   */
  peekCandidates(r: CallNextRequest, n: number): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const bound = r.policy.starvationBoundMs;
    if (bound !== undefined) {
      const starving: Entry[] = [];
      for (const sid of r.services) {
        for (const e of this.services.get(sid)?.byTime.items ?? []) {
          if (r.now - e.key < bound) break;
          starving.push(e);
          if (starving.length >= n * r.services.length) break;
        }
      }
      for (const e of starving.sort(cmp).slice(0, n)) {
        out.push(e.id);
        seen.add(e.id);
      }
    }
    const rest: Entry[] = [];
    for (const sid of r.services) {
      const items = this.services.get(sid)?.byScore.items ?? [];
      let taken = 0;
      for (const e of items) {
        if (taken >= n) break;
        if (seen.has(e.id)) continue;
        rest.push(e);
        taken++;
      }
    }
    if (r.mode === 'merged') rest.sort(cmp);
    for (const e of rest) {
      if (out.length >= n) break;
      out.push(e.id);
    }
    return out.slice(0, n);
  }

  /** Takes a given waiting ticket for a counter as call-next would (used to replay a backend's calls). */
  take(ticketId: string, r: CallNextRequest): Ticket {
    const t = this.tickets.get(ticketId);
    if (!t || t.status !== 'waiting') throw new QueueError('queue/invalid-transition', 'ticket is not waiting');
    this.dequeue(t);
    t.status = 'called';
    t.counterId = r.counterId;
    t.calledAt = r.now;
    t.callSeq = ++this.callSeq;
    return { ...t };
  }

  transition(r: TransitionRequest): Ticket {
    const t = this.tickets.get(r.ticketId);
    if (!t) throw new QueueError('queue/ticket-not-found', 'no ticket with this id');
    const rule = ticketTransitions[r.action];
    if (!rule.from.includes(t.status)) {
      throw new QueueError('queue/invalid-transition', `cannot ${r.action} a ticket that is ${t.status}`, {
        details: { action: r.action, status: t.status },
      });
    }
    const from = t.serviceId;
    if (t.status === 'waiting') this.dequeue(t);
    switch (r.action) {
      case 'start':
        t.servingAt = r.now;
        if (r.counterId !== undefined) t.counterId = r.counterId;
        break;
      case 'complete': {
        t.doneAt = r.now;
        const h = this.svc(t.serviceId).handling;
        h.unshift(r.now - (t.servingAt ?? r.now));
        if (h.length > HANDLING_SAMPLES_KEPT) h.length = HANDLING_SAMPLES_KEPT;
        break;
      }
      case 'recall':
        t.recalls++;
        t.calledAt = r.now;
        break;
      case 'transfer':
        t.serviceId = r.toServiceId;
        t.transfers++;
        t.score = this.scoreFor(t.serviceId, t.groupId, t.priority, t.weight, t.enqueuedAt, r.policy);
        break;
      default:
        break;
    }
    t.status = rule.to;
    if (t.status === 'waiting') this.enqueue(t);
    this.emit(rule.event, t, r.now, r.action === 'transfer' ? { fromServiceId: from } : {});
    return { ...t };
  }

  /** Deletes finished tickets (`done`, `no-show`) issued before `issuedBefore`; returns how many. */
  purge(issuedBefore: number): number {
    let n = 0;
    for (const [id, t] of this.tickets) {
      if (t.issuedAt >= issuedBefore || (t.status !== 'done' && t.status !== 'no-show')) continue;
      this.tickets.delete(id);
      if (t.appointmentId !== undefined) this.appointments.delete(t.appointmentId);
      n++;
    }
    return n;
  }

  getTicket(id: string): Ticket | undefined {
    const t = this.tickets.get(id);
    return t ? { ...t } : undefined;
  }

  listTickets(f: TicketFilter = {}): Ticket[] {
    const out: Ticket[] = [];
    for (const t of this.tickets.values()) {
      if (f.status && !f.status.includes(t.status)) continue;
      if (f.serviceIds && !f.serviceIds.includes(t.serviceId)) continue;
      if (f.since !== undefined && t.issuedAt < f.since) continue;
      if (f.until !== undefined && t.issuedAt >= f.until) continue;
      if (f.counterId !== undefined && t.counterId !== f.counterId) continue;
      out.push({ ...t });
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  waitingCounts(serviceIds?: string[]): WaitingCount[] {
    const counts = new Map<string, WaitingCount>();
    for (const [sid, s] of this.services) {
      if (serviceIds && !serviceIds.includes(sid)) continue;
      for (const e of s.byScore.items) {
        const t = this.tickets.get(e.id)!;
        const k = `${sid}|${t.groupId}|${t.priority}`;
        const c = counts.get(k);
        if (c) c.count++;
        else counts.set(k, { serviceId: sid, groupId: t.groupId, priority: t.priority, count: 1 });
      }
    }
    return [...counts.values()];
  }

  /** Number of waiting tickets in a service. */
  waitingIn(serviceId: string): number {
    return this.services.get(serviceId)?.byScore.items.length ?? 0;
  }

  recentHandlingTimes(serviceId: string, limit: number): number[] {
    return (this.services.get(serviceId)?.handling ?? []).slice(0, Math.max(0, limit));
  }

  setCounterOpen(counterId: string, open: boolean, now: number): void {
    if (open) this.open.add(counterId);
    else this.open.delete(counterId);
    this.onEvent?.({ type: open ? 'counter.opened' : 'counter.closed', at: now, counterId });
  }

  openCounters(): string[] {
    return [...this.open].sort();
  }
}
