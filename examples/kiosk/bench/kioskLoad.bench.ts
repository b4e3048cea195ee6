// Load test of the kiosk server on 127.0.0.1: 20 kiosks and 20 counters at once through a
// compressed "day" of citizens. Kiosks walk the API path (session → card → consent declined →
// ticket → form → end; face verification is not in this loop: it is CPU-bound model work,
// measured by the face bench); counters call, recall, transfer, serve, mark no-shows and
// complete; a board follows the SSE stream. Checked: every issued ticket ends done or
// no-show exactly once, no ticket is called by two counters at once, no request fails.
// Reported: p50/p99 latency per route, requests/s, CPU time of the process.
import { loadavg } from 'node:os';
import { defineBench } from '@smart-citizen/bench';
import { createRng } from '@smart-citizen/core';
import { quantile } from '@smart-citizen/queue';
import { type KioskCentre, defaultCentre } from '../src/server/centre.js';
import { createKioskServer } from '../src/server/createKioskServer.js';
import { generateCitizens } from '../src/server/seed.js';

const KIOSKS = 20;
const COUNTERS = 20;

/** The default centre's services with 20 counters, each serving every service in a rotated order. */
function twentyCounterCentre(): KioskCentre {
  const ids = defaultCentre.services.map((s) => s.id);
  return {
    ...defaultCentre,
    counters: Array.from({ length: COUNTERS }, (_, i) => ({
      id: `quay-${i + 1}`,
      label: `Quầy ${i + 1}`,
      services: ids.map((_, k) => ids[(i + k) % ids.length] as string),
    })),
  };
}

export const bench = defineBench({
  name: 'kiosk-load',
  pkg: 'example-kiosk',
  description:
    'kiosk server on 127.0.0.1: 20 kiosks + 20 counters through a simulated day; nothing lost; p99 per route',
  async run(ctx) {
    const citizensPerDay = ctx.quick ? 400 : 2000;
    // Kiosks stop issuing at `deadline`; counters then drain the queue until `drainDeadline`.
    const deadline = performance.now() + (ctx.quick ? 60_000 : 240_000);
    const drainDeadline = deadline + 120_000;
    const unlimited = { burst: 1e9, perMinute: 1e9 };
    ctx.progress(`starting the server (SQLite in memory, ${citizensPerDay} citizens, in-memory queue)`);
    const citizens = await generateCitizens(citizensPerDay);
    const server = await createKioskServer({
      port: 0,
      face: false,
      seedCitizens: citizensPerDay,
      centre: twentyCounterCentre(),
      log: () => undefined,
      // Every client shares 127.0.0.1: the per-address limits would throttle the test itself.
      rateLimits: { kiosk: unlimited, biometric: unlimited, counter: unlimited, read: unlimited },
    });
    const lat = new Map<string, number[]>();
    const failures: string[] = [];
    let networkRetries = 0;
    const call = async (route: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
      const t0 = performance.now();
      const send = () =>
        fetch(new URL(path, server.url), {
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
      (lat.get(`${method} ${route}`) ?? lat.set(`${method} ${route}`, []).get(`${method} ${route}`))?.push(ms);
      if (!r.ok) failures.push(`${method} ${route} → ${r.status}`);
      const type = r.headers.get('content-type') ?? '';
      return type.includes('json') ? (JSON.parse(new TextDecoder().decode(buf)) as Record<string, unknown>) : {};
    };

    // Board: count SSE events.
    const ctrl = new AbortController();
    let boardEvents = 0;
    const boardDone = (async () => {
      const r = await fetch(new URL('/api/board/events', server.url), { signal: ctrl.signal });
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
    const issued = new Map<string, string>(); // ticket id → number
    const finished = new Map<string, string>(); // ticket id → done | no-show
    const atCounter = new Map<string, string>(); // ticket id → counter holding it now
    let doubleCalls = 0;
    let next = 0;
    let kiosksDone = 0;
    const procedures = defaultCentre.procedures.map((p) => p.id);

    const kiosk = async (k: number) => {
      const rng = createRng(1000 + k);
      while (performance.now() < deadline) {
        const i = next++;
        const c = citizens[i];
        if (!c) break;
        const { sessionId } = (await call('/api/sessions', 'POST', '/api/sessions')) as { sessionId: string };
        const s = `/api/sessions/${sessionId}`;
        const card = await call('/api/sessions/{sessionId}/card', 'POST', `${s}/card`, { qrText: c.qrText });
        if (card.known !== true) failures.push('card not known');
        await call('/api/sessions/{sessionId}/consent', 'POST', `${s}/consent`, { accepted: false, scope: ['face'] });
        const t = (await call('/api/sessions/{sessionId}/ticket', 'POST', `${s}/ticket`, {
          procedureId: rng.pick(procedures),
        })) as { ticketId?: string; number?: string };
        if (t.ticketId) issued.set(t.ticketId, t.number ?? '');
        await call('/api/sessions/{sessionId}/form', 'GET', `${s}/form`);
        await call('/api/sessions/{sessionId}/end', 'POST', `${s}/end`);
      }
      kiosksDone++;
    };

    const counter = async (n: number) => {
      const rng = createRng(2000 + n);
      const id = `quay-${n + 1}`;
      for (;;) {
        if (performance.now() > drainDeadline) break;
        const r = (await call('/api/counters/{counterId}/call-next', 'POST', `/api/counters/${id}/call-next`)) as {
          ticket: { id: string } | null;
        };
        if (!r.ticket) {
          if (kiosksDone === KIOSKS && finished.size === issued.size) break;
          await new Promise((res) => setTimeout(res, 5));
          continue;
        }
        const tid = r.ticket.id;
        if (atCounter.has(tid)) doubleCalls++;
        atCounter.set(tid, id);
        const x = rng.next();
        const tp = `/api/tickets/${tid}`;
        if (x < 0.05) {
          await call('/api/tickets/{ticketId}/recall', 'POST', `${tp}/recall`);
          await call('/api/tickets/{ticketId}/no-show', 'POST', `${tp}/no-show`);
          finished.set(tid, 'no-show');
        } else if (x < 0.08) {
          await call('/api/tickets/{ticketId}/transfer', 'POST', `${tp}/transfer`, {
            serviceId: rng.pick(defaultCentre.services).id,
          });
        } else {
          await call('/api/tickets/{ticketId}/serve', 'POST', `${tp}/serve`);
          await call('/api/tickets/{ticketId}/complete', 'POST', `${tp}/complete`);
          finished.set(tid, 'done');
        }
        atCounter.delete(tid);
      }
    };

    await Promise.all([
      ...Array.from({ length: KIOSKS }, (_, k) => kiosk(k)),
      ...Array.from({ length: COUNTERS }, (_, n) => counter(n)),
    ]);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    ctrl.abort();
    await boardDone;
    const stats = await server.queue.stats(0);
    await server.close();

    const lost = [...issued.keys()].filter((id) => !finished.has(id)).length;
    const requests = [...lat.values()].reduce((n, v) => n + v.length, 0);
    const rows = [...lat.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([route, v]) => {
        const sorted = [...v].sort((a, b) => a - b);
        return {
          route,
          requests: v.length,
          p50_ms: quantile(sorted, 0.5),
          p99_ms: quantile(sorted, 0.99),
          max_ms: sorted[sorted.length - 1] ?? 0,
        };
      });
    const summary = {
      citizens: Math.min(next, citizens.length),
      tickets_issued: issued.size,
      done: [...finished.values()].filter((v) => v === 'done').length,
      no_shows: [...finished.values()].filter((v) => v === 'no-show').length,
      unfinished: lost,
      double_calls: doubleCalls,
      failed_requests: failures.length,
      network_retries: networkRetries,
      board_events: boardEvents,
      requests,
      requests_per_s: (requests / wallMs) * 1000,
      wall_s: wallMs / 1000,
      cpu_s: (cpu.user + cpu.system) / 1e6,
      cpu_ms_per_request: (cpu.user + cpu.system) / 1e3 / Math.max(1, requests),
      load_avg_1m: `${load0.toFixed(1)}→${(loadavg()[0] ?? 0).toFixed(1)}`,
    };
    return {
      tables: [
        { title: `Kiosk server, ${KIOSKS} kiosks + ${COUNTERS} counters, one simulated day`, rows: [summary] },
        { title: 'Latency per route (client side, 127.0.0.1)', rows },
      ],
      data: { summary, failures: failures.slice(0, 20), queueStats: stats },
      notes: [
        'Kiosks and counters run in the server process (one Node process: the CPU time covers both sides).',
        'Face verification is not in this loop (level-1 path: card + record); its cost is in the face bench.',
        `Rate limits were lifted for the run: every simulated client comes from 127.0.0.1.`,
      ],
    };
  },
});
