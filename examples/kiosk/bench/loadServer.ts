// One kiosk server process of `pnpm bench kiosk-load`, spawned with an IPC channel: starts the
// server on a free port with the load test's centre (20 counters, rate limits lifted: every
// simulated client is 127.0.0.1), enrols its share of the generated citizens (the kiosks sent to
// this process present only those), sends its URL, and on 'stop' sends the queue's figures as
// this process sees them and its own CPU time since it was ready, then closes.
import { defaultCentre } from '../src/server/centre.js';
import type { KioskCentre } from '../src/server/centre.js';
import { createKioskServer } from '../src/server/createKioskServer.js';
import { generateCitizens, seedCitizens } from '../src/server/seed.js';

/** What the bench passes to each server process (argv[2], JSON). */
export interface LoadServerConfig {
  queue: string;
  namespace?: string;
  /** Citizens of the whole day, and which share (`index % parts === part`) this process enrols. */
  citizens: number;
  part: number;
  parts: number;
  counters: number;
}

/** Messages a server process sends to the bench. */
export type LoadServerMessage =
  | { type: 'ready'; url: string }
  | { type: 'stopped'; cpuMs: number; issued: number; served: number; noShows: number; waiting: number };

/** The default centre's services with `n` counters, each serving every service in a rotated order. */
export function loadCentre(n: number): KioskCentre {
  const ids = defaultCentre.services.map((s) => s.id);
  return {
    ...defaultCentre,
    counters: Array.from({ length: n }, (_, i) => ({
      id: `quay-${i + 1}`,
      label: `Quầy ${i + 1}`,
      services: ids.map((_, k) => ids[(i + k) % ids.length] as string),
    })),
  };
}

async function main(cfg: LoadServerConfig): Promise<void> {
  const unlimited = { burst: 1e9, perMinute: 1e9 };
  const server = await createKioskServer({
    port: 0,
    face: false,
    seedCitizens: 0,
    queue: cfg.queue,
    ...(cfg.namespace ? { queueNamespace: cfg.namespace } : {}),
    centre: loadCentre(cfg.counters),
    log: () => undefined,
    actor: `kiosk-server-${cfg.part + 1}`,
    rateLimits: { kiosk: unlimited, biometric: unlimited, counter: unlimited, read: unlimited },
  });
  const mine = (await generateCitizens(cfg.citizens)).filter((_, i) => i % cfg.parts === cfg.part);
  await seedCitizens(server.store, mine, new Date());
  const cpu0 = process.cpuUsage();
  const send = (m: LoadServerMessage) => new Promise<void>((ok) => process.send?.(m, () => ok()));
  process.on('message', (m) => {
    if (m !== 'stop') return;
    void (async () => {
      const cpu = process.cpuUsage(cpu0);
      const stats = await server.queue.stats(0);
      const sum = (k: 'issued' | 'served' | 'noShows' | 'waiting') => stats.services.reduce((n, s) => n + s[k], 0);
      await server.close();
      await send({
        type: 'stopped',
        cpuMs: (cpu.user + cpu.system) / 1e3,
        issued: sum('issued'),
        served: sum('served'),
        noShows: sum('noShows'),
        waiting: sum('waiting'),
      });
      process.exit(0);
    })();
  });
  await send({ type: 'ready', url: server.url });
}

if (process.send) await main(JSON.parse(process.argv[2] ?? '{}') as LoadServerConfig);
