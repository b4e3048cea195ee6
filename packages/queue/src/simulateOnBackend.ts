import { isSmartCitizenError } from '@smart-citizen/core';
import type { QueueBackend } from './QueueBackend.js';
import {
  type Arrival,
  type SimulatedPolicy,
  type SimulationConfig,
  type SimulationResult,
  emptyWaitSamples,
  prepareSimulation,
  recordWait,
  waitTables,
} from './simulate.js';
import type { RoutingPolicy, Ticket } from './types.js';

/** Options of {@link simulateOnBackend}. */
export interface BackendSimulationOptions {
  /**
   * Opens an empty backend for one policy's day (its own queue id or key prefix). It is closed
   * when that day ends.
   */
  openBackend: (run: { policy: string; day: number }) => Promise<QueueBackend>;
  /**
   * Simulated time per wall-clock time: 600 plays an 8-hour day in 48 s. Counters really wait
   * the (compressed) handling time, so they work concurrently as at a centre.
   * @default 600
   */
  speed?: number;
  /**
   * How long one operation may keep failing with `queue/backend-unavailable` or
   * `queue/backend-error` (a server down or restarting) before the day is given up, wall ms.
   * @default 60_000
   */
  outageTimeoutMs?: number;
  /** Pause between retries of a failed operation, wall ms. @default 100 */
  retryMs?: number;
  /** Called with the share of the day's arrivals issued so far (0–1), e.g. to inject a fault. */
  onProgress?: (share: number, run: { policy: string; day: number }) => void;
}

/** How the real backend held up during the simulated days of one policy. */
export interface BackendDelivery {
  /** Tickets served (status `done`), over all days. */
  served: number;
  /** Citizens given a ticket whose ticket was never served nor marked no-show, or is missing. Goal: 0. */
  lost: number;
  /** Extra calls or services of a ticket already called, plus extra tickets for one citizen. Goal: 0. */
  duplicated: number;
  /** Tickets marked no-show. */
  noShows: number;
  /** Failed attempts by error code (all retried until they succeeded). */
  errors: Record<string, number>;
  /** Longest time one failed attempt took to fail, wall ms (how long a call can hang). */
  slowestFailureMs: number;
  /** Longest time an operation kept failing before it succeeded, wall ms (the outage as a kiosk saw it). */
  longestOutageMs: number;
  /** Wall time of the days, ms. */
  wallMs: number;
}

/** Result of {@link simulateOnBackend}: today's tables plus `delivery` per policy. */
export interface BackendSimulationResult extends SimulationResult {
  speed: number;
  policies: (SimulatedPolicy & { delivery: BackendDelivery })[];
}

const RETRIED = new Set(['queue/backend-unavailable', 'queue/backend-error']);
const SIM_START = Date.UTC(2026, 0, 5, 0, 30);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Plays the simulated day (or days) of {@link simulateQueue} through a real backend: a kiosk
 * issues each arrival's ticket at its (compressed) time, every counter runs its own loop
 * (call, start, wait the handling time, complete) against the backend concurrently, and every
 * failed operation is retried the way a kiosk or counter app should: issue with the arrival's
 * appointment id (a retry after a lost reply finds the ticket instead of issuing a second), a
 * counter whose call-next reply was lost finds its ticket with
 * `listTickets({ status: ['called'], counterId })`, and a step already applied is recognised.
 * At the end the backend's tickets are checked against what the kiosk handed out: `served`,
 * `lost` and `duplicated` (the goal is none lost, none duplicated), so an operator can rehearse
 * a server restart during a day.
 *
 * Waits are read from the tickets' own times (simulated ms), so the tables compare with
 * {@link simulateQueue}'s; the wait estimate at issue is not measured here.
 *
 * @param config - the centre and its demand (validated)
 * @param options - how to open a backend, the speed-up and the retry limits
 * @throws the operation's error when it kept failing longer than `outageTimeoutMs`, and any
 *   error other than `queue/backend-unavailable` / `queue/backend-error`
 */
export async function simulateOnBackend(
  config: SimulationConfig,
  options: BackendSimulationOptions,
): Promise<BackendSimulationResult> {
  const { c, seed, days, groups, policies, dayArrivals } = prepareSimulation(config);
  const speed = options.speed ?? 600;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError('speed must be a number > 0');
  const outageTimeoutMs = options.outageTimeoutMs ?? 60_000;
  const retryMs = options.retryMs ?? 100;
  const noShowMs = (c.noShowMinutes ?? 1) * 60_000;
  const results: (SimulatedPolicy & { delivery: BackendDelivery })[] = [];

  for (const { name, routing } of policies) {
    const delivery: BackendDelivery = {
      served: 0,
      lost: 0,
      duplicated: 0,
      noShows: 0,
      errors: {},
      slowestFailureMs: 0,
      longestOutageMs: 0,
      wallMs: 0,
    };
    const m = emptyWaitSamples(c.counters.length);
    const { busy, served, span } = m;
    let overtime = 0;
    for (const [day, arrivals] of dayArrivals.entries()) {
      const run = { policy: name, day };
      const backend = await options.openBackend(run);
      try {
        const wall0 = performance.now();
        const simNow = () => SIM_START + Math.round((performance.now() - wall0) * speed);
        const day$ = await playDay(backend, arrivals, {
          routing,
          counters: c.counters,
          groups,
          simNow,
          speed,
          noShowMs,
          retryMs,
          outageTimeoutMs,
          delivery,
          onProgress: (share) => options.onProgress?.(share, run),
        });
        delivery.wallMs += performance.now() - wall0;
        let last = SIM_START;
        for (const t of day$.tickets) {
          if (t.status === 'done') delivery.served++;
          if (t.status === 'no-show') delivery.noShows++;
          if (t.calledAt === undefined || t.status === 'no-show') continue;
          const a = day$.arrivalOf.get(t.id);
          recordWait(m, (t.calledAt - t.enqueuedAt) / 60_000, a?.groupId ?? t.groupId, t.serviceId);
          const k = c.counters.findIndex((x) => x.id === t.counterId);
          if (k >= 0 && t.doneAt !== undefined && t.servingAt !== undefined) {
            busy[k]! += t.doneAt - t.servingAt;
            served[k]!++;
          }
          last = Math.max(last, t.doneAt ?? t.calledAt);
        }
        for (let k = 0; k < c.counters.length; k++) span[k]! += Math.max(c.openMinutes * 60_000, last - SIM_START);
        overtime += Math.max(0, (last - SIM_START) / 60_000 - c.openMinutes);
      } finally {
        await backend.close();
      }
    }
    results.push({
      ...waitTables(c, groups, m),
      policy: name,
      routing,
      overtimeMinutes: overtime / days,
      noShows: delivery.noShows,
      waitEstimate: {
        tickets: 0,
        withinRange: Number.NaN,
        belowRange: Number.NaN,
        aboveRange: Number.NaN,
        meanAbsErrorMinutes: Number.NaN,
      },
      delivery,
    });
  }
  return { seed, days, speed, arrivals: dayArrivals.reduce((s, d) => s + d.length, 0), policies: results };
}

interface DayContext {
  routing: RoutingPolicy;
  counters: SimulationConfig['counters'];
  groups: Map<string, { id: string; priority: number; weight?: number }>;
  simNow: () => number;
  speed: number;
  noShowMs: number;
  retryMs: number;
  outageTimeoutMs: number;
  delivery: BackendDelivery;
  onProgress: (share: number) => void;
}

async function playDay(
  backend: QueueBackend,
  arrivals: Arrival[],
  x: DayContext,
): Promise<{ tickets: Ticket[]; arrivalOf: Map<string, Arrival> }> {
  const { delivery } = x;
  /** Runs `op` until it succeeds; `recover` may find that a failed attempt did apply. */
  const retry = async <T>(op: () => Promise<T>, recover?: (err: unknown) => Promise<T | undefined>): Promise<T> => {
    let firstFailure: number | undefined;
    for (;;) {
      const started = performance.now();
      try {
        const v = await op();
        if (firstFailure !== undefined) {
          delivery.longestOutageMs = Math.max(delivery.longestOutageMs, performance.now() - firstFailure);
        }
        return v;
      } catch (err) {
        const failedAfter = performance.now() - started;
        const code = isSmartCitizenError(err) ? err.code : 'untyped';
        if (RETRIED.has(code)) {
          delivery.errors[code] = (delivery.errors[code] ?? 0) + 1;
          delivery.slowestFailureMs = Math.max(delivery.slowestFailureMs, failedAfter);
          firstFailure ??= started;
        }
        // The recovery reads the backend too, so it is retried like any operation.
        const found = recover ? await retry(() => recover(err)) : undefined;
        if (found !== undefined) return found;
        if (!RETRIED.has(code)) throw err;
        if (performance.now() - (firstFailure ?? started) > x.outageTimeoutMs) throw err;
        await sleep(x.retryMs);
      }
    }
  };
  const acked = new Map<string, Ticket>();
  const arrivalOf = new Map<string, Arrival>();
  const calls = new Map<string, number>();
  const completions = new Map<string, number>();
  let kioskDone = false;
  // Idle counters wake when the kiosk issues (their poll is only a fallback).
  let wake: () => void = () => undefined;
  let issued = new Promise<void>((r) => {
    wake = r;
  });
  const wallOf = (simMinutes: number) => (simMinutes * 60_000) / x.speed;
  const wall0 = performance.now();

  const kiosk = async () => {
    for (const [i, a] of arrivals.entries()) {
      await sleep(wall0 + wallOf(a.t) - performance.now());
      const g = x.groups.get(a.groupId)!;
      const appointmentId = `sim-${i}`;
      const enqueuedAt = x.simNow();
      const t = await retry(
        () =>
          backend.issue({
            serviceId: a.serviceId,
            prefix: 'S',
            digits: 6,
            seriesKey: 'day',
            groupId: a.groupId,
            priority: g.priority,
            weight: g.weight ?? 1,
            policy: x.routing,
            now: x.simNow(),
            enqueuedAt,
            appointmentId,
          }),
        async (err) => {
          // A retry after a lost reply: the first attempt did issue; find it, never issue twice.
          if (!isSmartCitizenError(err, 'queue/appointment-duplicate')) return undefined;
          return (await backend.listTickets({ since: enqueuedAt })).find((t) => t.appointmentId === appointmentId);
        },
      );
      acked.set(t.id, t);
      arrivalOf.set(t.id, a);
      const woken = wake;
      issued = new Promise<void>((r) => {
        wake = r;
      });
      woken();
      x.onProgress((i + 1) / arrivals.length);
    }
    kioskDone = true;
    wake();
  };

  const step = (ticketId: string, action: 'start' | 'complete' | 'no-show', status: Ticket['status']) =>
    retry(
      () => backend.transition({ action, ticketId, now: x.simNow() }),
      async (err) => {
        // Applied by an attempt whose reply was lost: the ticket is already there.
        if (!isSmartCitizenError(err)) return undefined;
        const t = await backend.getTicket(ticketId);
        return t?.status === status ? t : undefined;
      },
    );

  const counter = async (k: (typeof x.counters)[number]) => {
    const pollMs = Math.max(50, 60_000 / x.speed);
    for (;;) {
      const done = kioskDone;
      const t = await retry(
        () =>
          backend.callNext({
            counterId: k.id,
            services: k.services,
            mode: k.mode ?? 'ordered',
            policy: x.routing,
            now: x.simNow(),
          }),
        async () =>
          // A call whose reply was lost has still taken its ticket: this counter finds it.
          (await backend.listTickets({ status: ['called'], counterId: k.id }))[0],
      );
      if (!t) {
        if (done) return;
        await Promise.race([sleep(pollMs), issued]);
        continue;
      }
      calls.set(t.id, (calls.get(t.id) ?? 0) + 1);
      const a = arrivalOf.get(t.id) ?? arrivals[Number(t.appointmentId?.slice(4))];
      if (a?.noShow) {
        await step(t.id, 'no-show', 'no-show');
        await sleep(x.noShowMs / x.speed);
        continue;
      }
      await step(t.id, 'start', 'serving');
      await sleep(((a?.handling ?? 1) * 60_000) / x.speed);
      await step(t.id, 'complete', 'done');
      completions.set(t.id, (completions.get(t.id) ?? 0) + 1);
    }
  };

  await Promise.all([kiosk(), ...x.counters.map((k) => counter(k))]);
  const tickets = await retry(() => backend.listTickets());
  const byId = new Map(tickets.map((t) => [t.id, t]));
  for (const id of acked.keys()) {
    const t = byId.get(id);
    if (!t || (t.status !== 'done' && t.status !== 'no-show')) delivery.lost++;
  }
  for (const n of calls.values()) delivery.duplicated += n - 1;
  for (const n of completions.values()) delivery.duplicated += n - 1;
  const perCitizen = new Map<string, number>();
  for (const t of tickets) {
    const key = t.appointmentId ?? `no-appointment-${t.id}`;
    perCitizen.set(key, (perCitizen.get(key) ?? 0) + 1);
  }
  for (const n of perCitizen.values()) delivery.duplicated += n - 1;
  return { tickets, arrivalOf };
}
