// The kiosk server: the app's static files, the self-hosted model and WASM files, the HTTP API
// (routes.ts) and Server-Sent Events for the display board. Embedded defaults (SQLite in
// memory, in-memory queue, generated citizens) or PostgreSQL / Redis by configuration.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSqliteAuditLog, createSqliteIdentityStore } from '@smart-citizen/adapter-sqlite';
import { createStaticKeyProvider, systemClock } from '@smart-citizen/core';
import type { AuditLog, Clock, IdentityStore, KeyProvider } from '@smart-citizen/core';
import { FaceVerifier, defaultProfile, profileModelFiles } from '@smart-citizen/face';
import { IdCardReader } from '@smart-citizen/idcard';
import {
  createInMemoryQueueBackend,
  createSmartQueue,
  emptyDisplayBoard,
  reduceDisplayBoard,
} from '@smart-citizen/queue';
import type { DisplayBoardState, QueueBackend, SmartQueue } from '@smart-citizen/queue';
import { createCardOcrReader } from './cardOcr.js';
import { type KioskCentre, defaultCentre } from './centre.js';
import { type KioskChipOption, openChipStation } from './chipStation.js';
import { chipRoutes } from './chipRoutes.js';
import { type RateLimits, type Route, createRouter, defaultRateLimits, openApiDocument } from './http.js';
import { type KioskChallenge, createKioskService } from './kioskService.js';
import { kioskRoutes } from './routes.js';
import { generateCitizens, seedCitizens } from './seed.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** The built app (vite build). */
export const defaultAppDir = resolve(here, '../../dist');

/** Options of {@link createKioskServer}; every field has an embedded default. */
export interface KioskServerOptions {
  /** @default 8080 (0 picks a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /**
   * Identity store: `:memory:` or a SQLite file path, or `postgres://…`.
   * @default ':memory:'
   */
  store?: string;
  /** Queue: `memory`, `redis://…` or `postgres://…` (several servers then share one queue). @default 'memory' */
  queue?: string;
  /**
   * Where this queue lives in a shared backend: the Redis key prefix or the PostgreSQL schema
   * (created when missing). Servers of one centre use the same; centres sharing a Redis or a
   * database use different ones.
   * @default 'sc:queue:' (Redis), 'public' (PostgreSQL)
   */
  queueNamespace?: string;
  /** Template-sealing key. @default a random key for this process (fine for `:memory:`) */
  keys?: KeyProvider;
  /** Generated citizens enrolled at start (skipped when already there). @default 200 */
  seedCitizens?: number;
  /** Centre layout. @default defaultCentre */
  centre?: KioskCentre;
  /** Load the face verifier (and card portrait reader). @default true */
  face?: boolean;
  /**
   * Read cards without a QR code by OCR (one shared IdCardReader, tesseract.js workers started on
   * the first photo). @default true
   */
  idcard?: boolean;
  /** tesseract.js workers per language for card OCR. @default one per two cores, at most 2 */
  idcardWorkers?: number;
  /**
   * The chip reader: `off`, `pcsc` (a PC/SC reader, required), `auto` (PC/SC when pcscd answers),
   * or `{ slot }` (a software slot in tests). See chipStation.ts.
   * @default 'off'
   */
  chip?: KioskChipOption;
  /** Chip reader name filter (case-insensitive substring). @default the first reader */
  chipReader?: string;
  /** CSCA certificates (DER) the chip's passive authentication trusts. @default none (no chip is authenticated) */
  chipCscas?: readonly Uint8Array[];
  /** Counters opened at start. @default every counter */
  openCounters?: readonly string[];
  /** @default defaultRateLimits */
  rateLimits?: RateLimits;
  /** Built app directory. @default examples/kiosk/dist */
  appDir?: string;
  /** Where log lines go (JSON, no personal data). @default stdout */
  log?: (line: string) => void;
  clock?: Clock;
  /** Fixed liveness challenge (tests). */
  challenge?: KioskChallenge;
  /** Kiosk id in the audit log. @default 'kiosk-1' */
  actor?: string;
}

/** A running kiosk server. */
export interface KioskServer {
  url: string;
  store: IdentityStore;
  audit: AuditLog;
  queue: SmartQueue;
  close(): Promise<void>;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** Root folder of an installed package (walks up from its entry: not every package exports package.json). */
function packageDir(name: string, entry = name): string {
  let dir = dirname(require.resolve(entry));
  while (!existsSync(join(dir, 'package.json')) || !dir.endsWith(`${sep}${name}`)) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of ${name}`);
    dir = up;
  }
  return dir;
}

/** Self-hosted runtime files: URL prefix → folder, and the single files allowed from it. */
function assetFolders(): { prefix: string; dir: string; files: Set<string> }[] {
  const ortDist = join(packageDir('onnxruntime-web'), 'dist');
  const zxingDir = join(packageDir('zxing-wasm', 'zxing-wasm/reader'), 'dist', 'reader');
  return [
    {
      prefix: '/runtime/ort/',
      dir: ortDist,
      files: new Set(['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs']),
    },
    { prefix: '/runtime/zxing/', dir: zxingDir, files: new Set(['zxing_reader.wasm']) },
    {
      prefix: '/runtime/models/',
      // The default profile's files as @smart-citizen/face-models ships them (SHA-256-checked).
      dir: join(dirname(require.resolve('@smart-citizen/face-models/package.json')), 'models'),
      files: new Set(profileModelFiles(defaultProfile).map((m) => m.file)),
    },
  ];
}

/**
 * The queue backend named by `spec` (`memory`, `redis://…`, `postgres://…`), in `namespace`
 * (Redis key prefix / PostgreSQL schema) when given.
 * @internal
 */
export async function openQueueBackend(spec: string, namespace?: string): Promise<QueueBackend> {
  if (spec === 'memory') return createInMemoryQueueBackend();
  if (spec.startsWith('redis://') || spec.startsWith('rediss://')) {
    const { createRedisQueueBackend } = await import('@smart-citizen/adapter-redis');
    return createRedisQueueBackend({ redis: spec, ...(namespace ? { keyPrefix: namespace } : {}) });
  }
  if (spec.startsWith('postgres://') || spec.startsWith('postgresql://')) {
    const { createPostgresQueueBackend } = await import('@smart-citizen/adapter-postgres/queue');
    return createPostgresQueueBackend({ connectionString: spec, ...(namespace ? { schema: namespace } : {}) });
  }
  throw new RangeError(`queue: expected memory, redis://… or postgres://…, got ${spec.split(':')[0]}`);
}

async function openStore(
  spec: string,
  keys: KeyProvider,
  clock: Clock,
): Promise<{ store: IdentityStore; audit: AuditLog }> {
  if (spec.startsWith('postgres://') || spec.startsWith('postgresql://')) {
    const { createPostgresIdentityStore, createPostgresAuditLog } = await import(
      '@smart-citizen/adapter-postgres/store'
    );
    const store = await createPostgresIdentityStore({ connectionString: spec, keys, clock });
    const audit = await createPostgresAuditLog({ connectionString: spec, clock });
    return { store, audit };
  }
  const store = createSqliteIdentityStore({ path: spec, keys, clock });
  const audit = createSqliteAuditLog({ database: store.database, clock });
  return { store, audit };
}

/**
 * Start the kiosk server.
 * @param options - {@link KioskServerOptions}
 * @returns The running server; `close()` stops it and releases the store, queue and models.
 */
export async function createKioskServer(options: KioskServerOptions = {}): Promise<KioskServer> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const centre = options.centre ?? defaultCentre;
  const keys =
    options.keys ??
    createStaticKeyProvider({ keys: [{ id: 'kiosk-process', key: crypto.getRandomValues(new Uint8Array(32)) }] });
  const { store, audit } = await openStore(options.store ?? ':memory:', keys, clock);
  const seedCount = options.seedCitizens ?? 200;
  if (seedCount > 0) await seedCitizens(store, await generateCitizens(seedCount), new Date(clock.now()));
  const queue = createSmartQueue({
    services: centre.services,
    counters: centre.counters,
    backend: await openQueueBackend(options.queue ?? 'memory', options.queueNamespace),
    clock,
  });
  for (const c of options.openCounters ?? centre.counters.map((x) => x.id)) await queue.openCounter(c);
  const useFace = options.face ?? true;
  const face = useFace ? await FaceVerifier.create({ profile: 'default' }) : undefined;
  const cardReader = useFace ? await IdCardReader.create() : undefined;
  const cardOcr =
    options.idcard === false
      ? undefined
      : await createCardOcrReader(options.idcardWorkers ? { workers: options.idcardWorkers } : {});
  const chip = await openChipStation(options.chip ?? 'off', {
    ...(options.chipReader ? { reader: options.chipReader } : {}),
    ...(options.chipCscas ? { cscas: options.chipCscas } : {}),
  });
  const service = createKioskService({
    store,
    audit,
    queue,
    centre,
    ...(face ? { face } : {}),
    ...(cardReader ? { cardReader } : {}),
    ...(cardOcr ? { cardOcr } : {}),
    ...(chip ? { chip } : {}),
    clock,
    actor: options.actor ?? 'kiosk-1',
    ...(options.challenge ? { challenge: options.challenge } : {}),
  });

  // The board: folded from the queue's events (from every server sharing the backend).
  let board: DisplayBoardState = { ...emptyDisplayBoard(), openCounters: await queueOpenCounters() };
  async function queueOpenCounters(): Promise<string[]> {
    return [...(options.openCounters ?? centre.counters.map((x) => x.id))];
  }
  const listeners = new Set<(data: string) => void>();
  const boardView = () => ({
    ...board,
    counters: Object.fromEntries(centre.counters.map((c) => [c.id, c.label])),
  });
  const unsubscribe = await queue.subscribe((event) => {
    board = reduceDisplayBoard(board, event);
    const data = JSON.stringify(boardView());
    for (const l of listeners) l(data);
  });
  const sse: Route['handler'] = async ({ req, res }) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const write = (data: string) => res.write(`event: board\ndata: ${data}\n\n`);
    write(JSON.stringify(boardView()));
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    listeners.add(write);
    req.on('close', () => {
      clearInterval(ping);
      listeners.delete(write);
    });
    return undefined;
  };

  const info = {
    title: 'Smart Citizen kiosk API',
    version: '0.1.0',
    description:
      'Reception kiosk server: every piece of evidence is re-verified here with the SDK; the browser only captures. Requests are validated against the schemas of this document, size- and rate-limited.',
  };
  let doc: unknown;
  const routes: Route[] = [
    ...kioskRoutes({ service, queue, centre, board: boardView, openApi: () => doc, sse }),
    ...chipRoutes({ station: chip, read: (id, key) => service.chip(id, key) }),
  ];
  doc = openApiDocument(routes, info);
  const router = createRouter(routes, { limits: options.rateLimits ?? defaultRateLimits, log });

  const appDir = resolve(options.appDir ?? defaultAppDir);
  const assets = assetFolders();
  const serveFile = (path: string, res: import('node:http').ServerResponse, cache: string) => {
    const body = readFileSync(path);
    res.writeHead(200, {
      'content-type': types[extname(path)] ?? 'application/octet-stream',
      'content-length': String(body.length),
      'cache-control': cache,
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  };

  const server: Server = createServer((req, res) => {
    // No page of the kiosk loads anything from another origin.
    res.setHeader(
      'content-security-policy',
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'self'; frame-ancestors 'none'",
    );
    res.setHeader('referrer-policy', 'no-referrer');
    router
      .handle(req, res)
      .then((handled) => {
        if (handled) return;
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.writeHead(405).end();
          return;
        }
        const url = new URL(req.url ?? '/', 'http://kiosk.invalid');
        const path = decodeURIComponent(url.pathname);
        for (const a of assets) {
          if (path.startsWith(a.prefix)) {
            const name = path.slice(a.prefix.length);
            if (!a.files.has(name)) break;
            serveFile(join(a.dir, name), res, 'public, max-age=86400');
            return;
          }
        }
        if (path === '/favicon.ico') {
          res.writeHead(204).end();
          return;
        }
        const rel = path === '/' ? 'index.html' : path.replace(/^\/+/, '');
        const file = normalize(join(appDir, rel));
        const candidates = [file, `${file}.html`];
        for (const f of candidates) {
          if (f.startsWith(appDir + sep) && existsSync(f) && statSync(f).isFile()) {
            serveFile(f, res, f.endsWith('.html') ? 'no-store' : 'public, max-age=3600');
            return;
          }
        }
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
  });
  // Generous against a loaded machine; keep-alive outlives the clients' own (undici: 4 s) so
  // the server never closes a socket a client is about to reuse.
  server.requestTimeout = 120_000;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 30_000;
  server.maxHeadersCount = 50;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 8080, host, () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}/`,
    store,
    audit,
    queue,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await unsubscribe();
      await queue.close();
      await face?.close();
      await cardReader?.close();
      await cardOcr?.close();
      await chip?.close();
      await audit.close();
      await store.close();
    },
  };
}
