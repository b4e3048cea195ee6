import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type BackendSimulationResult,
  QueueError,
  type QueueBackend,
  type SimulationConfig,
  type SimulationResult,
  simulateOnBackend,
  simulateQueue,
  vietnamPriorityPolicy,
} from '@smart-citizen/queue';
import { type CliIO, CliUsageError, type Command, parseOptions, printJson } from '../command.js';
import { cliError } from '../errors.js';

const usage = `Usage: smart-citizen queue <subcommand> [options]

Smart queue tools.

  simulate --config FILE [--seed N] [--days N] [--json]
      Discrete-event simulation of a day (or --days days) at a one-stop-shop centre:
      Poisson arrivals per service and citizen group (rates per opening hour), counters with
      work profiles, handling-time distributions (exponential, lognormal, fixed, uniform).
      Compares routing policies (fifo, strict-priority, weighted-interleave, aging, any with a
      starvation guard) on mean / p90 / max wait per group and counter utilisation, on the
      same arrivals. Example config: examples/queue/ward-centre.json
  simulate --config FILE --backend redis://…|postgres://… [--speed N] [--policy NAME] [--json]
      Plays the same day through a real queue backend, time compressed --speed times
      (default 600: an 8-hour day in 48 s): a kiosk issues each ticket, every counter works
      concurrently, failed operations are retried as a kiosk app should. Reports, besides the
      tables, the tickets served, lost and served twice (served / lost / duplicated) and the
      errors seen, so a server restart can be rehearsed during the day. Each policy's day uses
      its own queue id (PostgreSQL) or key prefix (Redis), removed at the end.
  groups [--json]
      Print the default citizen groups (Vietnamese law template) with their legal basis.

Exit codes: 0 ok, 2 bad usage or invalid configuration.`;

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

function printSimulation(io: CliIO, r: SimulationResult): void {
  io.stdout(`Simulated ${r.days} day(s), ${r.arrivals} arrivals, seed ${r.seed}\n\n`);
  const groups = [...new Set(r.policies.flatMap((p) => p.groups.map((g) => g.groupId)))];
  const head = ['policy', 'all mean', 'all p90', 'all max', ...groups.map((g) => `${g} mean/p90`), 'overtime'];
  const rows = r.policies.map((p) => [
    p.policy,
    fmt(p.overall.meanWaitMinutes),
    fmt(p.overall.p90WaitMinutes),
    fmt(p.overall.maxWaitMinutes),
    ...groups.map((g) => {
      const x = p.groups.find((y) => y.groupId === g);
      return x ? `${fmt(x.meanWaitMinutes)}/${fmt(x.p90WaitMinutes)}` : '–';
    }),
    fmt(p.overtimeMinutes),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`;
  io.stdout('Waits in minutes (from issue to call); overtime = minutes after closing to serve everyone inside\n');
  io.stdout(line(head));
  for (const row of rows) io.stdout(line(row));
  io.stdout('\nWait estimate shown at issue vs real wait (share within / below / above the range, mean error)\n');
  for (const p of r.policies) {
    const e = p.waitEstimate;
    const pct = (v: number) => `${Number.isFinite(v) ? (v * 100).toFixed(0) : '–'}%`;
    io.stdout(
      `  ${p.policy}: ${pct(e.withinRange)} / ${pct(e.belowRange)} / ${pct(e.aboveRange)}, ${fmt(e.meanAbsErrorMinutes)} min\n`,
    );
  }
  io.stdout('\nCounter utilisation\n');
  for (const p of r.policies) {
    io.stdout(
      `  ${p.policy}: ${p.counters.map((c) => `${c.counterId} ${(c.utilisation * 100).toFixed(0)}%`).join(', ')}\n`,
    );
  }
}

function printDelivery(io: CliIO, r: BackendSimulationResult, target: string): void {
  io.stdout(`\nThrough ${target} at ${r.speed}× speed: served / lost / duplicated, errors retried, longest outage\n`);
  for (const p of r.policies) {
    const d = p.delivery;
    const errors = Object.entries(d.errors)
      .map(([code, n]) => `${code} ×${n}`)
      .join(', ');
    io.stdout(
      `  ${p.policy}: ${d.served} / ${d.lost} / ${d.duplicated}, ${errors || 'no errors'}, ${(d.longestOutageMs / 1000).toFixed(1)} s\n`,
    );
  }
}

/** Opens an empty queue for one simulated day on the server at `url`; removes it on close. */
async function backendOpener(url: URL): Promise<(run: { policy: string; day: number }) => Promise<QueueBackend>> {
  const runId = `sim-${Date.now().toString(36)}`;
  if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') {
    const { createPostgresQueueBackend } = await import('@smart-citizen/adapter-postgres/queue');
    return async ({ policy, day }) => {
      const backend = await createPostgresQueueBackend({
        connectionString: url.href,
        queueId: `${runId}-${policy}-${day}`.slice(0, 128),
        maxConnections: 24,
      });
      const close = backend.close.bind(backend);
      // Every ticket is finished when the day ends: purge removes them all.
      backend.close = async () => {
        await backend.purge?.(Number.MAX_SAFE_INTEGER).catch(() => 0);
        await close();
      };
      return backend;
    };
  }
  if (url.protocol === 'redis:' || url.protocol === 'rediss:') {
    const { createRedisQueueBackend, deleteRedisQueue } = await import('@smart-citizen/adapter-redis');
    const { Redis } = await import('ioredis');
    return async ({ policy, day }) => {
      const keyPrefix = `sc:${runId}:${policy}:${day}:`;
      const backend = await createRedisQueueBackend({ redis: url.href, keyPrefix });
      const close = backend.close.bind(backend);
      backend.close = async () => {
        await close();
        const admin = new Redis(url.href, { lazyConnect: true, maxRetriesPerRequest: 1 });
        admin.on('error', () => undefined);
        await deleteRedisQueue(admin, keyPrefix).catch(() => 0);
        admin.disconnect();
      };
      return backend;
    };
  }
  throw new CliUsageError('--backend must be a redis:// or postgres:// URL');
}

function intOption(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliUsageError(`${flag} must be an integer in ${min}–${max}`);
  return n;
}

/** `smart-citizen queue`: simulate a centre's day under several routing policies; list citizen groups. */
export const queueCommand: Command = {
  name: 'queue',
  summary: 'smart queue: simulate a centre and compare routing policies; list priority groups',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const [sub, ...rest] = argv;
    const { values } = parseOptions(
      rest,
      { config: 'string', seed: 'string', days: 'string', backend: 'string', speed: 'string', policy: 'string' },
      false,
    );
    if (sub === 'groups') {
      const groups = vietnamPriorityPolicy.groups.map(({ criteria, ...g }) => ({ ...g, criteria }));
      if (values.json) printJson(io, { ok: true, defaultGroupId: vietnamPriorityPolicy.defaultGroupId, groups });
      else {
        for (const g of groups) {
          io.stdout(`${g.id} (priority ${g.priority}, weight ${g.weight ?? 1}): ${g.name}\n`);
          for (const b of g.legalBasis ?? []) io.stdout(`    ${b}\n`);
        }
      }
      return 0;
    }
    if (sub !== 'simulate') throw new CliUsageError(sub ? `unknown subcommand '${sub}'` : 'missing subcommand');
    if (!values.config) throw new CliUsageError('--config FILE is required');
    const path = resolve(io.cwd, values.config);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw cliError('cli/unreadable-file', `cannot read ${values.config}`);
    }
    let config: SimulationConfig;
    try {
      config = JSON.parse(text) as SimulationConfig;
    } catch {
      throw cliError('cli/invalid-json', `${values.config} is not valid JSON`);
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new QueueError('queue/invalid-simulation', 'the configuration must be a JSON object', { pkg: 'cli' });
    }
    const seed = intOption(values.seed, '--seed', -(2 ** 31), 2 ** 31 - 1);
    const days = intOption(values.days, '--days', 1, 1000);
    const merged: SimulationConfig = {
      ...config,
      ...(seed === undefined ? {} : { seed }),
      ...(days === undefined ? {} : { days }),
    };
    if (values.policy !== undefined) {
      const chosen = (merged.policies ?? []).filter((p) => p.name === values.policy);
      if (chosen.length === 0) throw new CliUsageError(`no policy named '${values.policy}' in the configuration`);
      merged.policies = chosen;
    }
    if (values.backend === undefined) {
      if (values.speed !== undefined) throw new CliUsageError('--speed needs --backend');
      const result = simulateQueue(merged);
      if (values.json) printJson(io, { ok: true, ...result });
      else printSimulation(io, result);
      return 0;
    }
    let url: URL;
    try {
      url = new URL(values.backend);
    } catch {
      throw new CliUsageError('--backend must be a redis:// or postgres:// URL');
    }
    const speed = values.speed === undefined ? 600 : Number(values.speed);
    if (!(speed >= 1 && speed <= 1_000_000)) throw new CliUsageError('--speed must be a number in 1–1000000');
    const result = await simulateOnBackend(merged, { openBackend: await backendOpener(url), speed });
    const sum = (k: 'served' | 'lost' | 'duplicated') => result.policies.reduce((s, p) => s + p.delivery[k], 0);
    // The target without credentials, for the report.
    const target = `${url.protocol}//${url.host}`;
    if (values.json) {
      printJson(io, {
        ok: true,
        backend: target,
        served: sum('served'),
        lost: sum('lost'),
        duplicated: sum('duplicated'),
        ...result,
      });
    } else {
      printSimulation(io, result);
      printDelivery(io, result, target);
    }
    return 0;
  },
};
