/**
 * Throughput and latency of a {@link QueueBackend}, shared by the queue benchmarks of every
 * backend (dev-only: imported by `bench/*.bench.ts`, not exported by the package).
 */
import { strictPriorityPolicy } from '../policies.js';
import type { CallNextRequest, IssueRequest } from '../QueueBackend.js';
import { QueueState } from '../QueueState.js';
import { quantile } from '../stats.js';
import type { Ticket } from '../types.js';
import type { QueueBackendInstance } from './conformance.js';

/** A fresh namespace on the backend under test: the conformance harness's instance (a type-only import; vitest stays out). */
export type BenchTarget = QueueBackendInstance;

/** One measured phase. */
export interface QueueBenchRow {
  backend: string;
  operation: 'issue' | 'call-next';
  /** Concurrent callers. */
  concurrency: number;
  ops: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  [key: string]: string | number;
}

/** How faithfully concurrent call-next followed the sequential reference order. */
export interface OrderFidelity {
  backend: string;
  calls: number;
  /** Calls that took exactly the reference's next ticket. */
  exactShare: number;
  /** Largest rank (0 = reference's choice) of a ticket taken, among the reference's candidates. */
  maxRank: number;
  [key: string]: string | number;
}

const T0 = Date.UTC(2026, 0, 5, 1, 0, 0);
const services = ['s1', 's2', 's3', 's4'];
const policy = strictPriorityPolicy();

function plan(n: number): IssueRequest[] {
  let x = 777;
  const rnd = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
  return Array.from({ length: n }, (_, i) => {
    const r = rnd();
    const priority = r < 0.7 ? 0 : r < 0.9 ? 1 : 2;
    return {
      serviceId: services[Math.floor(rnd() * services.length)]!,
      prefix: 'S',
      digits: 5,
      seriesKey: 'bench',
      groupId: ['general', 'elderly', 'disabled'][priority]!,
      priority,
      weight: 1,
      policy,
      now: T0 + i * 100,
    };
  });
}

async function timed<T>(latencies: number[], fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const v = await fn();
  latencies.push(performance.now() - t);
  return v;
}

function row(
  backend: string,
  operation: QueueBenchRow['operation'],
  concurrency: number,
  lat: number[],
  wallMs: number,
): QueueBenchRow {
  return {
    backend,
    operation,
    concurrency,
    ops: lat.length,
    opsPerSec: Math.round((lat.length / wallMs) * 1000),
    p50Ms: quantile(lat, 0.5),
    p99Ms: quantile(lat, 0.99),
  };
}

/**
 * Issues `tickets` tickets with `issuers` concurrent clients, then lets `counters` counters call
 * them all concurrently; also a one-client run for the uncontended latency. Replays the calls on
 * the reference engine to measure order fidelity.
 */
export async function benchQueueBackend(
  open: () => Promise<BenchTarget>,
  options: { tickets: number; counters: number; issuers: number; clients: number; sequentialOps: number },
): Promise<{ rows: QueueBenchRow[]; fidelity: OrderFidelity }> {
  const rows: QueueBenchRow[] = [];
  // uncontended: one client, one operation at a time
  {
    const target = await open();
    try {
      const b = target.backend;
      const lat: number[] = [];
      let t = performance.now();
      for (const r of plan(options.sequentialOps)) await timed(lat, () => b.issue(r));
      rows.push(row(b.name, 'issue', 1, lat, performance.now() - t));
      const latCall: number[] = [];
      const req: CallNextRequest = { counterId: 'c', services, mode: 'merged', policy, now: T0 + 1e9 };
      t = performance.now();
      while (await timed(latCall, () => b.callNext(req)));
      latCall.pop();
      rows.push(row(b.name, 'call-next', 1, latCall, performance.now() - t));
    } finally {
      await target.cleanup();
    }
  }
  // contended
  const target = await open();
  try {
    const clients = [target.backend];
    for (let i = 1; i < options.clients; i++) clients.push(await target.connect());
    const name = target.backend.name;
    const issues = plan(options.tickets);
    const lat: number[] = [];
    let next = 0;
    let t = performance.now();
    await Promise.all(
      Array.from({ length: options.issuers }, async (_, w) => {
        const c = clients[w % clients.length]!;
        for (let i = next++; i < issues.length; i = next++) await timed(lat, () => c.issue(issues[i]!));
      }),
    );
    rows.push(row(name, 'issue', options.issuers, lat, performance.now() - t));
    const profiles: { services: string[]; mode: 'ordered' | 'merged' }[] = [
      { services, mode: 'merged' },
      { services: ['s1', 's2'], mode: 'ordered' },
      { services: ['s3', 's4', 's1'], mode: 'ordered' },
      { services: ['s2', 's4'], mode: 'merged' },
    ];
    const requests = Array.from({ length: options.counters }, (_, k): CallNextRequest => {
      const p = profiles[k % profiles.length]!;
      return { counterId: `counter-${k + 1}`, services: p.services, mode: p.mode, policy, now: T0 + 1e9 };
    });
    const latCall: number[] = [];
    const called: Ticket[] = [];
    t = performance.now();
    await Promise.all(
      requests.map(async (r, k) => {
        const c = clients[k % clients.length]!;
        for (;;) {
          const got = await timed(latCall, () => c.callNext(r));
          if (!got) {
            latCall.pop();
            return;
          }
          called.push(got);
        }
      }),
    );
    rows.push(row(name, 'call-next', options.counters, latCall, performance.now() - t));
    // order fidelity against the reference engine
    const all = await target.backend.listTickets();
    const ref = new QueueState();
    const refId = new Map<string, string>();
    for (const x of [...all].sort((a, b) => a.seq - b.seq)) {
      refId.set(
        x.id,
        ref.issue({
          ...issues[0]!,
          serviceId: x.serviceId,
          groupId: x.groupId,
          priority: x.priority,
          now: x.issuedAt,
          enqueuedAt: x.enqueuedAt,
        }).id,
      );
    }
    let exact = 0;
    let maxRank = 0;
    for (const x of [...called].sort((a, b) => a.callSeq! - b.callSeq!)) {
      const r = requests.find((q) => q.counterId === x.counterId)!;
      const id = refId.get(x.id)!;
      const rank = ref.peekCandidates(r, options.counters * 4).indexOf(id);
      if (rank === 0) exact++;
      maxRank = Math.max(maxRank, rank < 0 ? Number.POSITIVE_INFINITY : rank);
      ref.take(id, r);
    }
    for (const c of clients.slice(1)) await c.close();
    return {
      rows,
      fidelity: { backend: name, calls: called.length, exactShare: exact / Math.max(1, called.length), maxRank },
    };
  } finally {
    await target.cleanup();
  }
}
