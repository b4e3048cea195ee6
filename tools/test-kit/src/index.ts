/**
 * Test helpers shared by every package: where the real test data lives, and whether the
 * real services (PostgreSQL, Redis, Chromium) are there.
 *
 * Outside CI a missing resource makes the real-data tests skip with a plain message.
 * Under CI (`CI=true`) nothing may skip: a missing resource fails the run.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root. */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Absolute path of `../shared/data` beside the repository (may not exist). */
export const sharedDataRoot: string = resolve(repoRoot, '../shared/data');

/** True when running under CI, where nothing may skip. */
export const isCI: boolean = process.env.CI === 'true' || process.env.CI === '1';

const announced = new Set<string>();

/**
 * Report a missing real resource: outside CI prints one `SKIPPED:` line per resource and returns
 * false (the caller skips its tests); under CI throws, since nothing may skip there.
 * @param what - what is missing, e.g. `the pgvector extension in PostgreSQL`
 */
export function resourceMissing(what: string): false {
  if (isCI) {
    throw new Error(`CI=true but ${what} is missing: real-resource tests may not skip under CI`);
  }
  if (!announced.has(what)) {
    announced.add(what);
    console.warn(`[smart-citizen tests] SKIPPED: ${what} is not available; real-resource tests were skipped`);
  }
  return false;
}

/**
 * Path of a file or folder under `../shared/data`, or `undefined` when the folder is absent
 * (a fresh clone). Under CI a missing path throws.
 */
export function sharedData(relativePath: string): string | undefined {
  const full = join(sharedDataRoot, relativePath);
  if (existsSync(full)) return full;
  resourceMissing(`../shared/data/${relativePath}`);
  return undefined;
}

/** True when `../shared/data/<relativePath>` exists; under CI throws when it does not. */
export function hasSharedData(relativePath = ''): boolean {
  return sharedData(relativePath) !== undefined;
}

function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** PostgreSQL connection string used by tests (`TEST_POSTGRES_URL` or the local trust-auth `test` database). */
export const postgresUrl: string = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Redis URL used by tests (`TEST_REDIS_URL` or the local default). */
export const redisUrl: string = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Resolves true when PostgreSQL answers on its port; under CI rejects when it does not. */
export async function hasPostgres(): Promise<boolean> {
  const url = new URL(postgresUrl);
  return (await canConnect(url.hostname, Number(url.port || 5432))) || resourceMissing(`PostgreSQL at ${url.host}`);
}

/** Resolves true when Redis answers on its port; under CI rejects when it does not. */
export async function hasRedis(): Promise<boolean> {
  const url = new URL(redisUrl);
  return (await canConnect(url.hostname, Number(url.port || 6379))) || resourceMissing(`Redis at ${url.host}`);
}

/** Port of vsmartcard's virtual reader (vpcd) in pcscd, where the chip tests plug the software card. */
export const vpcdPort: number = Number(process.env.TEST_VPCD_PORT ?? 35963);

/** Resolves true when pcscd's vpcd driver listens for a virtual card; under CI rejects when it does not. */
export async function hasVpcd(): Promise<boolean> {
  return (
    (await canConnect('127.0.0.1', vpcdPort)) ||
    resourceMissing(`pcscd with vsmartcard-vpcd on 127.0.0.1:${vpcdPort} (.ci/install-chip.sh)`)
  );
}

/**
 * Take one vpcd slot for this process: vpcd has two (ports 35963 and 35964) and several test
 * files plug cards into them (chip, CLI, kiosk), possibly from parallel workers. A lock folder
 * per port, holding the owner's pid; a lock whose owner died is taken over.
 * @param port - the slot's vpcd port
 * @param timeoutMs - how long to wait for the slot. @default 180000
 * @returns the release function (idempotent)
 * @throws Error when the slot stays taken for `timeoutMs`
 */
export async function lockVpcdSlot(port: number, timeoutMs = 180_000): Promise<() => void> {
  const dir = join(tmpdir(), `smart-citizen-vpcd-${port}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      let held = true;
      return () => {
        if (held) rmSync(dir, { recursive: true, force: true });
        held = false;
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner = Number.NaN; // not written yet: the owner is still taking it
    try {
      owner = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    } catch {}
    let alive = true;
    try {
      if (Number.isInteger(owner)) process.kill(owner, 0);
    } catch {
      alive = false;
    }
    if (!alive) rmSync(dir, { recursive: true, force: true });
    else if (Date.now() > deadline) throw new Error(`vpcd slot ${port} is held by process ${owner}`);
    else await new Promise((r) => setTimeout(r, 250));
  }
}

/** Path of a Chromium executable for browser tests, or `undefined` (throws under CI). */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  resourceMissing('Chromium (/usr/bin/chromium)');
  return undefined;
}

/** Launch flags that work as root on a machine with no network. */
export const chromiumArgs: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The source files (not tests) below `dir`, recursively: what the tests that scan a package's
 * throw and issue sites read.
 * @param dir - absolute path, e.g. the package's `src`
 * @param skip - relative paths to leave out (the code list itself, test-only folders)
 */
export function sourceFiles(dir: string, skip: (relativePath: string) => boolean = () => false): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !skip(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Every code `pattern` captures in the files (the first capture group that matched, per match). */
export function codesIn(files: readonly string[], pattern: RegExp): Set<string> {
  const codes = new Set<string>();
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(pattern)) {
      const code = m.slice(1).find((g) => g !== undefined);
      if (code !== undefined) codes.add(code);
    }
  }
  return codes;
}
