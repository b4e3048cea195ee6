import { SmartCitizenError, isSmartCitizenError } from '@smart-citizen/core';
import pg from 'pg';

export const PKG = 'adapter-postgres';

/** How a PostgreSQL adapter reaches the database: a connection string (the adapter owns a pool) or your pool. */
export type PostgresTarget =
  | {
      /** e.g. `postgres://user@host:5432/db`. */
      connectionString: string;
      /**
       * Pool size.
       * @default 4
       */
      maxConnections?: number;
      /**
       * `application_name` of the connections (shows in `pg_stat_activity`).
       * @default 'smart-citizen-store'
       */
      applicationName?: string;
      pool?: never;
    }
  | { pool: pg.Pool; connectionString?: never };

/**
 * Open or adopt a pool. An error on an idle pooled client (server restart, terminated backend)
 * is caught here so it cannot crash the process; the next query gets a fresh connection.
 * @internal
 */
export function openPool(target: PostgresTarget, onIdleError: (err: Error) => void): { pool: pg.Pool; owned: boolean } {
  if (target.pool) return { pool: target.pool, owned: false };
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: target.maxConnections ?? 4,
    application_name: target.applicationName ?? 'smart-citizen-store',
  });
  pool.on('error', onIdleError);
  return { pool, owned: true };
}

/** A schema name safe to splice into SQL (validated, then double-quoted). @internal */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new TypeError(`[@smart-citizen/${PKG}] schema must match [a-z_][a-z0-9_]* (at most 63 characters)`);
  }
  return `"${schema}"`;
}

const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '08007']);
const CONNECTION_MESSAGES =
  /Connection terminated|connection error|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|not queryable|Client was closed|terminating connection/i;

/** True when `err` means the connection to the server was lost. @internal */
export function isConnectionLoss(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (!e) return false;
  if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || e.code.startsWith('ECONN'))) return true;
  return typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message);
}

/**
 * Wrap a driver failure: `store/connection-lost` when the connection dropped (the transaction
 * was rolled back by the server, nothing was written), otherwise `store/backend-error` with the
 * SQLSTATE. Messages never carry values.
 * @internal
 */
export function backendError(cause: unknown): SmartCitizenError {
  if (isSmartCitizenError(cause)) return cause;
  if (isConnectionLoss(cause)) {
    return new SmartCitizenError(
      'store/connection-lost',
      'the connection to PostgreSQL was lost; the operation was not applied',
      { pkg: PKG, cause },
    );
  }
  const code = (cause as { code?: unknown })?.code;
  return new SmartCitizenError('store/backend-error', 'PostgreSQL operation failed', {
    pkg: PKG,
    cause,
    details: { sqlstate: typeof code === 'string' ? code : 'unknown' },
  });
}

/**
 * Run `fn` in a transaction on one pooled client: COMMIT on success, ROLLBACK otherwise. A client
 * whose connection broke is destroyed, not returned to the pool.
 * @internal
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw backendError(err);
  }
  let broken: unknown;
  // A backend terminated while the client sits between queries emits 'error' on the client.
  const onError = (err: unknown) => {
    broken = err;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    if (!isConnectionLoss(err) && broken === undefined) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        broken = rollbackErr;
      }
    } else {
      broken ??= err;
    }
    throw backendError(broken !== undefined && !isSmartCitizenError(err) ? broken : err);
  } finally {
    client.off('error', onError);
    client.release(broken !== undefined ? (broken as Error) : undefined);
  }
}

/** Run one statement outside an explicit transaction. @internal */
export async function query<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  text: string,
  values?: unknown[],
): Promise<pg.QueryResult<R>> {
  try {
    return await pool.query<R>(text, values);
  } catch (err) {
    throw backendError(err);
  }
}

/** One schema step; `sql` receives the quoted schema name. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: (schema: string) => string;
}

/**
 * Apply the migrations of `component` not yet recorded in `<schema>.sc_store_migrations`, under
 * a transaction-scoped advisory lock so concurrent processes migrate once.
 * @param pool - the pool
 * @param schema - unquoted schema name (created when missing)
 * @param component - e.g. `identity`, `audit`
 * @param migrations - ordered steps
 * @returns the versions applied now
 */
export async function runPostgresMigrations(
  pool: pg.Pool,
  schema: string,
  component: string,
  migrations: readonly PostgresMigration[],
): Promise<number[]> {
  const s = quoteSchema(schema);
  return withTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sc_store_migrations:${schema}`]);
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await c.query(`CREATE TABLE IF NOT EXISTS ${s}.sc_store_migrations (
      component text NOT NULL,
      version integer NOT NULL,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version)
    )`);
    const { rows } = await c.query<{ version: number }>(
      `SELECT version FROM ${s}.sc_store_migrations WHERE component = $1`,
      [component],
    );
    const seen = new Set(rows.map((r) => r.version));
    const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
    const newest = rows.reduce((m, x) => Math.max(m, x.version), 0);
    if (newest > latest) {
      throw new SmartCitizenError('store/schema-too-new', 'the database was migrated by a newer adapter version', {
        pkg: PKG,
        details: { component, databaseVersion: newest, adapterVersion: latest },
      });
    }
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (seen.has(m.version)) continue;
      await c.query(m.sql(s));
      await c.query(`INSERT INTO ${s}.sc_store_migrations (component, version, name) VALUES ($1, $2, $3)`, [
        component,
        m.version,
        m.name,
      ]);
      applied.push(m.version);
    }
    return applied;
  });
}
