// Load test of the kiosk server on 127.0.0.1: 20 kiosks and 20 counters at once through a
// compressed "day" of citizens, once per queue backend: `memory` (one server process, the
// embedded default), `redis` and `postgres` (three server processes sharing one queue under this
// run's own key prefix / schema, removed afterwards). Kiosks walk the API path (session → card →
// consent declined → ticket → form → end; face verification is not in this loop: it is CPU-bound
// model work, measured by the face benches); counters call, recall, transfer, serve, mark
// no-shows and complete; a board follows the SSE stream of the first server. Checked: every
// issued ticket ends done or no-show exactly once, no ticket is called by two counters at once,
// no request fails, and the queue's own figures (issued, served, no-shows, waiting) agree.
// Reported: p50/p99 latency per route, requests/s, CPU time of the servers and of the clients.
// `pnpm bench kiosk-load [memory] [redis] [postgres] [--quick]` (all three by default).
import { type ChildProcess, fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineBench } from '@smart-citizen/bench';
import { createRng } from '@smart-citizen/core';
import { quantile } from '@smart-citizen/queue';
import { hasPostgres, hasRedis, postgresUrl, redisUrl } from '@smart-citizen/test-kit';
import { Redis } from 'ioredis';
import pg from 'pg';
import { defaultCentre } from '../src/server/centre.js';
import { generateCitizens } from '../src/server/seed.js';
import type { LoadServerConfig, LoadServerMessage } from './loadServer.js';

const here = dirname(fileURLToPath(import.meta.url));
const KIOSKS = 20;
const COUNTERS = 20;
type Mode = 'memory' | 'redis' | 'postgres';
const MODES: readonly Mode[] = ['memory', 'redis', 'postgres'];

interface Proc {
  child: ChildProcess;
  url: string;
}

/** Starts one server process and waits for its URL. */
function startServer(cfg: LoadServerConfig): Promise<Proc> {
  const child = fork(join(here, 'loadServer.ts'), [JSON.stringify(cfg)], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`server process exited with ${code} before it was ready`)));
    child.on('message', (m: LoadServerMessage) => {
      if (m.type === 'ready') ok({ child, url: m.url });
    });
  });
}

function stopServer(p: Proc): Promise<Extract<LoadServerMessage, { type: 'stopped' }>> {
  return new Promise((ok, fail) => {
    p.child.removeAllListeners('exit');
    p.child.once('exit', (code) => fail(new Error(`server process exited with ${code} before reporting`)));
    p.child.on('message', (m: LoadServerMessage) => {
      if (m.type === 'stopped') ok(m);
    });
    p.child.send('stop');
  });
}

/** Removes this run's queue from the shared Redis / PostgreSQL (its own prefix / schema only). */
async function dropNamespace(mode: Mode, namespace: string): Promise<void> {
  if (mode === 'redis') {
    const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await r.connect();
    try {
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'MATCH', `${namespace}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await r.del(...keys);
      } while (cursor !== '0');
    } finally {
      r.disconnect();
    }
  } else if (mode === 'postgres') {
    const c = new pg.Client({ connectionString: postgresUrl });
    await c.connect();
    try {
      await c.query(`DROP SCHEMA IF EXISTS "${namespace}" CASCADE`);
    } finally {
      await c.end();
    }
  }
}

interface Day {
  citizens: number;
  issueMs: number;
  drainMs: number;
}

async function runDay(mode: Mode, day: Day, progress: (m: string) => void) {
  const parts = mode === 'memory' ? 1 : 3;
  const run = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const namespace =
    mode === 'redis' ? `sc-bench:kiosk-load:${run}:` : mode === 'postgres' ? `kiosk_load_${run}` : undefined;
  const queue = mode === 'redis' ? redisUrl : mode === 'postgres' ? postgresUrl : 'memory';
  progress(`${mode}: starting ${parts} server process(es), ${day.citizens} citizens`);
  const servers: Proc[] = [];
  try {
    for (let part = 0; part < parts; part++)
      servers.push(
        await startServer({
          queue,
          ...(namespace ? { namespace } : {}),
          citizens: day.citizens,
          part,
          parts,
          counters: COUNTERS,
        }),
      );
    const all = await generateCitizens(day.citizens);
    // Kiosk k talks to server k % parts and presents the citizens that server enrolled.
    const pools = servers.map((_, p) => all.filter((_, i) => i % parts === p));
    const poolNext: number[] = servers.map(() => 0);
    const lat = new Map<string, number[]>();
    const failures: string[] = [];
    let networkRetries = 0;
    const call = async (base: string, route: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
      const t0 = performance.now();
      const send = () =>
        fetch(new URL(path, base), {
          method,
          ...(body !== undefined
            ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
            : {}),
        });
      // A connection reset before any answer is retried once and counted (only reads and
      // session starts are safe to resend blindly; a reset there never reached the handler).
      const r = await send().catch((err: unknown) => {
        networkRetries++;
        if (method === 'GET' || route === '/api/sessions') return send();
        throw err;
      });
      const buf = await r.arrayBuffer();
      const ms = performance.now() - t0;
      const key = `${method} ${route}`;
      (lat.get(key) ?? lat.set(key, []).get(key))?.push(ms);
      const type = r.headers.get('content-type') ?? '';
      const json = type.includes('json') ? (JSON.parse(new TextDecoder().decode(buf)) as Record<string, unknown>) : {};
      if (!r.ok) failures.push(`${key} → ${r.status} ${(json.error as { code?: string } | undefined)?.code ?? ''}`);
      return json;
    };

    // Board on the first server: with a shared backend it shows every server's events.
    const ctrl = new AbortController();
    let boardEvents = 0;
    const boardDone = (async () => {
      const r = await fetch(new URL('/api/board/events', servers[0]?.url), { signal: ctrl.signal });
      const reader = (r.body as ReadableStream<Uint8Array>).getReader();
      const dec = new TextDecoder();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          boardEvents += (dec.decode(value).match(/event: board/g) ?? []).length;
        }
      } catch {}
    })();

    const cpu0 = process.cpuUsage();
    const load0 = loadavg()[0] ?? 0;
    const t0 = performance.now();
    const deadline = t0 + day.issueMs;
    const drainDeadline = deadline + day.drainMs;
    const issued = new Map<string, string>(); // ticket id → number
    const finished = new Map<string, string>(); // ticket id → done | no-show
    // Ticket id → counter that called it; kept after done / no-show, so a finished ticket called
    // again counts as a double call too.
    const atCounter = new Map<string, string>();
    let doubleCalls = 0;
    let kiosksDone = 0;
    let presented = 0;
    const procedures = defaultCentre.procedures.map((p) => p.id);

    const kiosk = async (k: number) => {
      const rng = createRng(1000 + k);
      const p = k % parts;
      const base = servers[p]?.url as string;
      while (performance.now() < deadline) {
        const c = pools[p]?.[poolNext[p] ?? 0];
        poolNext[p] = (poolNext[p] ?? 0) + 1;
        if (!c) break;
        presented++;
        const { sessionId } = (await call(base, '/api/sessions', 'POST', '/api/sessions')) as { sessionId: string };
        const s = `/api/sessions/${sessionId}`;
        const card = await call(base, '/api/sessions/{sessionId}/card', 'POST', `${s}/card`, { qrText: c.qrText });
        if (card.known !== true) failures.push('card not known');
        await call(base, '/api/sessions/{sessionId}/consent', 'POST', `${s}/consent`, {
          accepted: false,
          scope: ['face'],
        });
        const t = (await call(base, '/api/sessions/{sessionId}/ticket', 'POST', `${s}/ticket`, {
          procedureId: rng.pick(procedures),
        })) as { ticketId?: string; number?: string };
        if (t.ticketId) issued.set(t.ticketId, t.number ?? '');
        await call(base, '/api/sessions/{sessionId}/form', 'GET', `${s}/form`);
        await call(base, '/api/sessions/{sessionId}/end', 'POST', `${s}/end`);
      }
      kiosksDone++;
    };

    const counter = async (n: number) => {
      const rng = createRng(2000 + n);
      const id = `quay-${n + 1}`;
      const base = servers[n % parts]?.url as string;
      for (;;) {
        if (performance.now() > drainDeadline) break;
        const r = (await call(
          base,
          '/api/counters/{counterId}/call-next',
          'POST',
          `/api/counters/${id}/call-next`,
        )) as {
          ticket: { id: string } | null;
        };
        if (!r.ticket) {
          // Done when every ticket a kiosk was given has ended (a ticket the queue issued but whose
          // answer a kiosk did not get is served all the same, and shows as queue_agrees false).
          if (kiosksDone === KIOSKS && [...issued.keys()].every((t) => finished.has(t))) break;
          // An empty queue: the counter looks again a moment later (a clerk would wait for the board).
          await new Promise((res) => setTimeout(res, 100));
          continue;
        }
        const tid = r.ticket.id;
        if (atCounter.has(tid)) doubleCalls++;
        atCounter.set(tid, id);
        const x = rng.next();
        const tp = `/api/tickets/${tid}`;
        if (x < 0.05) {
          await call(base, '/api/tickets/{ticketId}/recall', 'POST', `${tp}/recall`);
          await call(base, '/api/tickets/{ticketId}/no-show', 'POST', `${tp}/no-show`);
          finished.set(tid, 'no-show');
        } else if (x < 0.08) {
          // Released before the request: once the transfer commits, another counter may call the
          // ticket before this counter has read the answer (that is no double call).
          atCounter.delete(tid);
          await call(base, '/api/tickets/{ticketId}/transfer', 'POST', `${tp}/transfer`, {
            serviceId: rng.pick(defaultCentre.services).id,
          });
        } else {
          await call(base, '/api/tickets/{ticketId}/serve', 'POST', `${tp}/serve`);
          await call(base, '/api/tickets/{ticketId}/complete', 'POST', `${tp}/complete`);
          finished.set(tid, 'done');
        }
      }
    };

    await Promise.all([
      ...Array.from({ length: KIOSKS }, (_, k) => kiosk(k)),
      ...Array.from({ length: COUNTERS }, (_, n) => counter(n)),
    ]);
    const wallMs = performance.now() - t0;
    const clientCpu = process.cpuUsage(cpu0);
    const load1 = loadavg()[0] ?? 0;
    // Let the board catch the last events before it is closed.
    await new Promise((res) => setTimeout(res, 500));
    ctrl.abort();
    await boardDone;
    const reports = [];
    for (const s of servers.splice(0)) reports.push(await stopServer(s));
    // Every process reads the same shared queue: take the first one's view (the only one in memory).
    const q = reports[0];

    const lost = [...issued.keys()].filter((id) => !finished.has(id)).length;
    const requests = [...lat.values()].reduce((n, v) => n + v.length, 0);
    const serverCpuMs = reports.reduce((n, r) => n + r.cpuMs, 0);
    const rows = [...lat.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([route, v]) => {
        const sorted = [...v].sort((a, b) => a - b);
        return {
          queue: mode,
          route,
          requests: v.length,
          p50_ms: quantile(sorted, 0.5),
          p99_ms: quantile(sorted, 0.99),
          max_ms: sorted[sorted.length - 1] ?? 0,
        };
      });
    const summary = {
      queue: mode,
      servers: parts,
      citizens: presented,
      tickets_issued: issued.size,
      done: [...finished.values()].filter((v) => v === 'done').length,
      no_shows: [...finished.values()].filter((v) => v === 'no-show').length,
      unfinished: lost,
      double_calls: doubleCalls,
      failed_requests: failures.length,
      queue_issued: q?.issued ?? -1,
      queue_waiting: q?.waiting ?? -1,
      queue_agrees:
        q !== undefined &&
        q.issued === issued.size &&
        q.served + q.noShows === issued.size &&
        q.waiting === 0 &&
        reports.every((r) => r.issued === q.issued),
      network_retries: networkRetries,
      board_events: boardEvents,
      requests,
      requests_per_s: (requests / wallMs) * 1000,
      wall_s: wallMs / 1000,
      server_cpu_ms_per_request: serverCpuMs / Math.max(1, requests),
      client_cpu_ms_per_request: (clientCpu.user + clientCpu.system) / 1e3 / Math.max(1, requests),
      load_avg_1m: `${load0.toFixed(1)}→${load1.toFixed(1)}`,
    };
    return { summary, rows, failures: failures.slice(0, 50) };
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
    if (namespace) await dropNamespace(mode, namespace);
  }
}

export const bench = defineBench({
  name: 'kiosk-load',
  pkg: 'example-kiosk',
  description:
    'kiosk server on 127.0.0.1: 20 kiosks + 20 counters through a simulated day, in-memory queue and Redis / PostgreSQL shared by 3 server processes; nothing lost; p99 per route',
  async run(ctx) {
    const asked = ctx.args.filter((a): a is Mode => (MODES as readonly string[]).includes(a));
    const modes = asked.length > 0 ? asked : MODES;
    // A day of a large ward centre: 20 counters × 8 hours × about 6 citizens an hour ≈ 1,000
    // citizens, as fast as the kiosks can go, within at most 8 minutes of issuing (then the
    // counters drain the queue for at most 2 more). --quick: 300 citizens within 1 minute.
    const day: Day = ctx.quick
      ? { citizens: 300, issueMs: 60_000, drainMs: 60_000 }
      : { citizens: 1000, issueMs: 480_000, drainMs: 120_000 };
    const summaries = [];
    const rows = [];
    const failures: Record<string, string[]> = {};
    const notes: string[] = [];
    for (const mode of modes) {
      if (mode === 'redis' && !(await hasRedis())) {
        notes.push('SKIPPED: redis (no Redis on 127.0.0.1:6379)');
        continue;
      }
      if (mode === 'postgres' && !(await hasPostgres())) {
        notes.push('SKIPPED: postgres (no PostgreSQL on 127.0.0.1:5432)');
        continue;
      }
      const r = await runDay(mode, day, ctx.progress);
      summaries.push(r.summary);
      rows.push(...r.rows);
      failures[mode] = r.failures;
    }
    return {
      tables: [
        {
          title: `Kiosk server, ${KIOSKS} kiosks + ${COUNTERS} counters, one simulated day per queue backend`,
          rows: summaries,
        },
        { title: 'Latency per route (client side, 127.0.0.1)', rows },
      ],
      data: { day, failures },
      notes: [
        ...notes,
        'Clients (kiosks, counters, board) run in the bench process, each server in its own process: server and client CPU are measured apart.',
        'redis / postgres: 3 server processes share one queue (this run’s own key prefix / schema, dropped afterwards); each keeps its own SQLite identity store with its share of the citizens. Kiosk k and counter n talk to server k mod 3 / n mod 3.',
        'Face verification is not in this loop (level-1 path: card + record); its cost is in the face benches.',
        'Rate limits were lifted for the run: every simulated client comes from 127.0.0.1.',
      ],
    };
  },
});
