/**
 * Private PostgreSQL and Redis servers for fault injection. Each test file starts its own
 * servers on free ports in a temporary directory and stops, kills and restarts them at will;
 * the shared servers on 5432 / 6379 that other tests use are never touched.
 *
 * PostgreSQL comes from the Debian packages `.ci/run` installs (`/usr/lib/postgresql/N/bin`);
 * as root it runs as the `postgres` user (initdb refuses root). Redis is `redis-server`.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resourceMissing } from '@smart-citizen/test-kit';

const run = promisify(execFile);

/** A free TCP port on 127.0.0.1 (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Directory of the newest PostgreSQL server binaries, or undefined. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/** True when this machine can start private servers; otherwise reports the missing piece (throws under CI). */
export function canStartServers(): boolean {
  if (!postgresBinDir()) return resourceMissing('PostgreSQL server binaries (/usr/lib/postgresql/N/bin)');
  if (!existsSync('/usr/bin/redis-server')) return resourceMissing('redis-server');
  return true;
}

const asRoot = process.getuid?.() === 0;

function pgCommand(bin: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A private PostgreSQL cluster. */
export interface PrivateServer {
  /** Connection URL (database `postgres` / Redis db 0). */
  url: string;
  port: number;
  /** Stops the server: `fast` is a clean shutdown, `immediate` (or `kill`) a crash needing WAL recovery. */
  stop(mode?: 'fast' | 'immediate' | 'kill'): Promise<void>;
  /** Starts it again on the same port and data; resolves when it accepts connections. */
  start(): Promise<void>;
  /** Stops it and deletes its directory. */
  destroy(): Promise<void>;
}

/**
 * Creates and starts a PostgreSQL cluster (trust auth, UTF-8, fsync on) in a temp directory.
 * @param settings - extra `-c name=value` server settings
 */
export async function startPostgres(settings: Record<string, string> = {}): Promise<PrivateServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL server binaries');
  const dir = mkdtempSync(join(tmpdir(), 'sc-faults-pg-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const [c, a] = pgCommand(join(bin, 'initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  await run(c, a);
  const port = await freePort();
  const opts = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=120',
    '-c shared_buffers=32MB',
    ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`),
  ].join(' ');
  const ctl = async (args: string[]) => {
    const [cc, aa] = pgCommand(join(bin, 'pg_ctl'), ['-D', data, ...args]);
    await run(cc, aa);
  };
  const start = async () => {
    await ctl(['-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  };
  await start();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop(mode = 'fast') {
      if (!running) return;
      running = false;
      if (mode === 'kill') {
        // SIGKILL the postmaster: like a power cut for the server process tree.
        const pid = Number((await run('head', ['-1', join(data, 'postmaster.pid')])).stdout.trim());
        process.kill(pid, 'SIGKILL');
        // Its backends notice the postmaster is gone and exit; wait until the port is free.
        for (let i = 0; i < 100; i++) {
          await sleep(100);
          try {
            process.kill(pid, 0);
          } catch {
            break;
          }
        }
        await sleep(300);
        rmSync(join(data, 'postmaster.pid'), { force: true });
        return;
      }
      await ctl(['-m', mode, '-w', 'stop']);
    },
    async start() {
      if (running) return;
      await start();
      running = true;
    },
    async destroy() {
      if (running) await ctl(['-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a private Redis with the given persistence.
 * @param persistence - `aof-always`, `aof-everysec` (the docs' recommendation), `rdb` (snapshots
 *   only, `save 1 1`) or `none`
 */
export async function startRedis(
  persistence: 'aof-always' | 'aof-everysec' | 'rdb' | 'none' = 'aof-everysec',
): Promise<PrivateServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sc-faults-redis-'));
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--logfile', join(dir, 'log')];
  if (persistence.startsWith('aof')) {
    args.push('--appendonly', 'yes', '--appendfsync', persistence === 'aof-always' ? 'always' : 'everysec');
    args.push('--save', '');
  } else if (persistence === 'rdb') {
    args.push('--appendonly', 'no', '--save', '1 1');
  } else {
    args.push('--appendonly', 'no', '--save', '');
  }
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    for (let i = 0; i < 200; i++) {
      try {
        await run('redis-cli', ['-p', String(port), 'ping']);
        return;
      } catch {
        await sleep(50);
      }
    }
    throw new Error(`redis-server on ${port} did not start`);
  };
  await start();
  const exited = (c: ChildProcess) =>
    new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop(mode = 'fast') {
      const c = child;
      if (!c) return;
      child = undefined;
      if (mode === 'fast') await run('redis-cli', ['-p', String(port), 'shutdown']).catch(() => undefined);
      else c.kill('SIGKILL');
      await exited(c);
    },
    async start() {
      if (!child) await start();
    },
    async destroy() {
      const c = child;
      child = undefined;
      if (c) {
        c.kill('SIGKILL');
        await exited(c);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
