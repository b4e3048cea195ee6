import { QueueError } from './errors.js';
import type { QueueBackend } from './QueueBackend.js';
import { QueueState } from './QueueState.js';
import type { QueueEventListener } from './types.js';

/**
 * The default backend: one process, state in memory (lost on restart). Operations are atomic
 * because JavaScript runs them to completion. Use Redis or PostgreSQL for several kiosks and
 * counters on several machines.
 * @returns a {@link QueueBackend} named `memory`
 */
export function createInMemoryQueueBackend(): QueueBackend {
  const state = new QueueState();
  const listeners = new Set<QueueEventListener>();
  let closed = false;
  state.onEvent = (e) => {
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        // A failing display must not break the queue operation that emitted the event.
      }
    }
  };
  const run = <T>(fn: () => T): Promise<T> => {
    if (closed) return Promise.reject(new QueueError('queue/closed', 'the queue backend is closed'));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err);
    }
  };
  return {
    name: 'memory',
    issue: (r) => run(() => state.issue(r)),
    callNext: (r) => run(() => state.callNext(r)),
    transition: (r) => run(() => state.transition(r)),
    getTicket: (id) => run(() => state.getTicket(id)),
    listTickets: (f) => run(() => state.listTickets(f)),
    waitingCounts: (ids) => run(() => state.waitingCounts(ids)),
    recentHandlingTimes: (id, limit) => run(() => state.recentHandlingTimes(id, limit)),
    setCounterOpen: (id, open, now) => run(() => state.setCounterOpen(id, open, now)),
    openCounters: () => run(() => state.openCounters()),
    purge: (before) => run(() => state.purge(before)),
    subscribe: (listener) =>
      run(() => {
        listeners.add(listener);
        return async () => {
          listeners.delete(listener);
        };
      }),
    close: async () => {
      closed = true;
      listeners.clear();
    },
  };
}
