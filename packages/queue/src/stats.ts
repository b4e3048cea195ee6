import type { Ticket } from './types.js';

/** Quantile (0–1) by linear interpolation of a list; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const idx = q * (s.length - 1);
  const lo = Math.floor(idx);
  const a = s[lo]!;
  const b = s[Math.ceil(idx)]!;
  return a + (b - a) * (idx - lo);
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((s, v) => s + v, 0) / values.length;
}

/** Figures of one service over a period. Waits run from issue to (last) call. */
export interface ServiceStats {
  serviceId: string;
  issued: number;
  served: number;
  noShows: number;
  waiting: number;
  meanWaitMs: number;
  medianWaitMs: number;
  p90WaitMs: number;
  meanHandlingMs: number;
  medianHandlingMs: number;
}

/** Figures of one citizen group over a period. */
export interface GroupStats {
  groupId: string;
  issued: number;
  served: number;
  meanWaitMs: number;
  p90WaitMs: number;
  maxWaitMs: number;
}

/** Figures of one counter over a period; `utilisation` = time serving / period length. */
export interface CounterStats {
  counterId: string;
  called: number;
  served: number;
  noShows: number;
  busyMs: number;
  utilisation: number;
}

/** Statistics per service, group and counter. */
export interface QueueStats {
  since: number;
  until: number;
  services: ServiceStats[];
  groups: GroupStats[];
  counters: CounterStats[];
}

function groupBy<K>(tickets: readonly Ticket[], key: (t: Ticket) => K | undefined): Map<K, Ticket[]> {
  const m = new Map<K, Ticket[]>();
  for (const t of tickets) {
    const k = key(t);
    if (k === undefined) continue;
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  }
  return m;
}

const waitOf = (t: Ticket): number | undefined => (t.calledAt === undefined ? undefined : t.calledAt - t.issuedAt);
const handlingOf = (t: Ticket): number | undefined =>
  t.doneAt === undefined || t.servingAt === undefined ? undefined : t.doneAt - t.servingAt;

/**
 * Computes statistics from tickets (e.g. `backend.listTickets({ since, until })`).
 * @param tickets - tickets issued in the period
 * @param since - start of the period (ms)
 * @param until - end of the period (ms), used for utilisation
 */
export function computeQueueStats(tickets: readonly Ticket[], since: number, until: number): QueueStats {
  const period = Math.max(1, until - since);
  const nums = (list: Ticket[], f: (t: Ticket) => number | undefined) =>
    list.map(f).filter((v): v is number => v !== undefined);
  const services = [...groupBy(tickets, (t) => t.serviceId)].map(([serviceId, list]): ServiceStats => {
    const waits = nums(list, waitOf);
    const handling = nums(list, handlingOf);
    return {
      serviceId,
      issued: list.length,
      served: list.filter((t) => t.status === 'done').length,
      noShows: list.filter((t) => t.status === 'no-show').length,
      waiting: list.filter((t) => t.status === 'waiting').length,
      meanWaitMs: mean(waits),
      medianWaitMs: quantile(waits, 0.5),
      p90WaitMs: quantile(waits, 0.9),
      meanHandlingMs: mean(handling),
      medianHandlingMs: quantile(handling, 0.5),
    };
  });
  const groups = [...groupBy(tickets, (t) => t.groupId)].map(([groupId, list]): GroupStats => {
    const waits = nums(list, waitOf);
    return {
      groupId,
      issued: list.length,
      served: list.filter((t) => t.status === 'done').length,
      meanWaitMs: mean(waits),
      p90WaitMs: quantile(waits, 0.9),
      maxWaitMs: waits.length ? Math.max(...waits) : Number.NaN,
    };
  });
  const counters = [...groupBy(tickets, (t) => t.counterId)].map(([counterId, list]): CounterStats => {
    const busyMs = nums(list, handlingOf).reduce((s, v) => s + v, 0);
    return {
      counterId,
      called: list.filter((t) => t.calledAt !== undefined).length,
      served: list.filter((t) => t.status === 'done').length,
      noShows: list.filter((t) => t.status === 'no-show').length,
      busyMs,
      utilisation: busyMs / period,
    };
  });
  const byId =
    <T>(key: (x: T) => string) =>
    (a: T, b: T) =>
      key(a).localeCompare(key(b));
  return {
    since,
    until,
    services: services.sort(byId((s) => s.serviceId)),
    groups: groups.sort(byId((g) => g.groupId)),
    counters: counters.sort(byId((c) => c.counterId)),
  };
}
