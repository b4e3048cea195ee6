// What the store, the audit log and the queue backend share on PostgreSQL: the pool, schema
// quoting, error mapping, transactions and versioned migrations. One module, so that every
// adapter here fails the same way for the same cause.
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
       * @default 4 for the store and audit log, 8 for the queue
       */
      maxConnections?: number;
      /**
       * `application_name` of the connections (shows in `pg_stat_activity`).
       * @default 'smart-citizen-store' or 'smart-citizen-queue'
       */
      applicationName?: string;
      /**
       * How long to wait for a new connection (server down, network black hole, pool full)
       * before the operation fails with the port's connection-lost code instead of hanging.
       * @default 10_000
       */
      connectTimeoutMs?: number;
      pool?: never;
    }
  | { /** A pool you own (not closed by `close()`). */ pool: pg.Pool; connectionString?: never };

/**
 * The error codes of one port. The store and the queue map the same causes the same way; the
 * prefix names the port, as every error of that port does.
 */
export interface PgErrorCodes {
  /** A bad option (schema name, queue id). */
  invalidConfig: 'store/invalid-config' | 'queue/invalid-config';
  /** The schema was migrated by a newer adapter version. */
  schemaTooNew: 'store/schema-too-new' | 'queue/schema-too-new';
  /** The connection dropped; the open transaction was rolled back by the server. */
  connectionLost: 'store/connection-lost' | 'queue/backend-unavailable';
  /** Any other server error (with its SQLSTATE in `details`). */
  backendError: 'store/backend-error' | 'queue/backend-error';
}

/** Codes of the identity store and the audit log. */
export const storeErrors: PgErrorCodes = {
  invalidConfig: 'store/invalid-config',
  schemaTooNew: 'store/schema-too-new',
  connectionLost: 'store/connection-lost',
  backendError: 'store/backend-error',
};

/** Codes of the queue backend (`queue/backend-unavailable` is the queue port's name for a lost connection). */
export const queueErrors: PgErrorCodes = {
  invalidConfig: 'queue/invalid-config',
  schemaTooNew: 'queue/schema-too-new',
  connectionLost: 'queue/backend-unavailable',
  backendError: 'queue/backend-error',
};

/**
 * Open or adopt a pool. An error on an idle pooled client (server restart, terminated backend)
 * is caught here so it cannot crash the process; the next query gets a fresh connection.
 * @param defaults - pool size, application name and connection options when the target does not say
 * @internal
 */
export function openPool(
  target: PostgresTarget,
  defaults: { max: number; applicationName: string; options?: string },
  onIdleError: (err: Error) => void = () => undefined,
): { pool: pg.Pool; owned: boolean } {
  if (target.pool) return { pool: target.pool, owned: false };
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: target.maxConnections ?? defaults.max,
    application_name: target.applicationName ?? defaults.applicationName,
    connectionTimeoutMillis: target.connectTimeoutMs ?? 10_000,
    ...(defaults.options ? { options: defaults.options } : {}),
  });
  pool.on('error', onIdleError);
  return { pool, owned: true };
}

/**
 * Open (or adopt) the store's pool and prepare it (migrations, checks): when preparing fails, a
 * pool the adapter opened is ended again and the error typed by {@link backendError}.
 * @returns the pool, what `prepare` returned, and an idempotent `close` that ends the pool only
 *   when the adapter opened it
 * @internal shared by the identity store and the audit log
 */
export async function openStorePool<T>(
  target: PostgresTarget,
  prepare: (pool: pg.Pool) => Promise<T>,
  onIdleError?: (err: Error) => void,
): Promise<{ pool: pg.Pool; prepared: T; close: () => Promise<void> }> {
  const { pool, owned } = openPool(target, { max: 4, applicationName: 'smart-citizen-store' }, onIdleError);
  let prepared: T;
  try {
    prepared = await prepare(pool);
  } catch (err) {
    if (owned) await pool.end().catch(() => undefined);
    throw backendError(err);
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    if (owned) await pool.end();
  };
  return { pool, prepared, close };
}

/**
 * A schema name safe to splice into SQL (validated, then double-quoted).
 * @throws SmartCitizenError `codes.invalidConfig`
 * @internal
 */
export function quoteSchema(schema: string, codes: PgErrorCodes = storeErrors): string {
  if (typeof schema !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new SmartCitizenError(codes.invalidConfig, 'schema must match [a-z_][a-z0-9_]* (at most 63 characters)', {
      pkg: PKG,
    });
  }
  return `"${schema}"`;
}

const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '08007']);
const CONNECTION_MESSAGES =
  /Connection terminated|connection error|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|not queryable|Client was closed|terminating connection|timeout exceeded/i;

/** True when `err` means the connection to the server was lost. @internal */
export function isConnectionLoss(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (!e) return false;
  if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || e.code.startsWith('ECONN'))) return true;
  return typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message);
}

/**
 * Wrap a driver failure: `codes.connectionLost` when the connection dropped (the server rolled
 * the transaction back, nothing was written), otherwise `codes.backendError` with the SQLSTATE.
 * Messages never carry values.
 * @internal
 */
export function backendError(cause: unknown, codes: PgErrorCodes = storeErrors): SmartCitizenError {
  if (isSmartCitizenError(cause)) return cause;
  if (isConnectionLoss(cause)) {
    return new SmartCitizenError(
      codes.connectionLost,
      'the connection to PostgreSQL was lost; the operation was not applied unless it had committed',
      { pkg: PKG, cause },
    );
  }
  const code = (cause as { code?: unknown })?.code;
  return new SmartCitizenError(codes.backendError, 'PostgreSQL operation failed', {
    pkg: PKG,
    cause,
    details: { sqlstate: typeof code === 'string' ? code : 'unknown' },
  });
}

/**
 * Run `fn` in a transaction on one pooled client: COMMIT on success, ROLLBACK otherwise. A client
 * whose connection broke is destroyed, not returned to the pool.
 * @param toError - how failures are typed
 * @internal
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (c: pg.PoolClient) => Promise<T>,
  toError: (err: unknown) => SmartCitizenError = backendError,
): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw toError(err);
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
    throw toError(broken !== undefined && !isSmartCitizenError(err) ? broken : err);
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
  toError: (err: unknown) => SmartCitizenError = backendError,
): Promise<pg.QueryResult<R>> {
  try {
    return await pool.query<R>(text, values);
  } catch (err) {
    throw toError(err);
  }
}

/** One schema step; `sql` receives the quoted schema name. A released step is never edited, only followed. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: (schema: string) => string;
}

/** Where {@link runPostgresMigrations} records what it applied. */
export interface MigrationLedger {
  /**
   * Ledger table in the schema: `sc_store_migrations (component, version)` for the store's
   * components, `sc_queue_migrations (version)` for the queue.
   */
  table: 'sc_store_migrations' | 'sc_queue_migrations';
  /** Component whose versions these are, in a ledger shared by several (store), or none. */
  component?: string;
  /** Codes of the port that migrates. */
  codes: PgErrorCodes;
}

/**
 * Apply the migrations not yet recorded in the ledger, in version order, in one transaction
 * under a transaction-scoped advisory lock on the schema, so concurrent processes migrate once.
 * A schema already migrated past the newest step is refused.
 * @param pool - the pool
 * @param schema - unquoted schema name (created when missing)
 * @param ledger - the ledger table, component and error codes
 * @param migrations - the steps
 * @returns the versions applied now
 * @throws SmartCitizenError `schemaTooNew` of the ledger's codes
 */
export async function runPostgresMigrations(
  pool: pg.Pool,
  schema: string,
  ledger: MigrationLedger,
  migrations: readonly PostgresMigration[],
): Promise<number[]> {
  const s = quoteSchema(schema, ledger.codes);
  const t = `${s}.${ledger.table}`;
  const { component } = ledger;
  // With a component the ledger is shared: its rows carry the component's name.
  const mine = component === undefined ? '' : ' WHERE component = $1';
  const params = component === undefined ? [] : [component];
  return withTransaction(
    pool,
    async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${ledger.table}:${schema}`]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await c.query(`CREATE TABLE IF NOT EXISTS ${t} (
        ${component === undefined ? '' : 'component text NOT NULL,'}
        version integer NOT NULL,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (${component === undefined ? '' : 'component, '}version)
      )`);
      const { rows } = await c.query<{ version: number }>(`SELECT version FROM ${t}${mine}`, params);
      const seen = new Set(rows.map((r) => r.version));
      const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
      const newest = rows.reduce((m, x) => Math.max(m, x.version), 0);
      if (newest > latest) {
        throw new SmartCitizenError(ledger.codes.schemaTooNew, 'the schema was migrated by a newer adapter version', {
          pkg: PKG,
          details: { component: component ?? ledger.table, databaseVersion: newest, adapterVersion: latest },
        });
      }
      const applied: number[] = [];
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (seen.has(m.version)) continue;
        await c.query(m.sql(s));
        await c.query(
          component === undefined
            ? `INSERT INTO ${t} (version, name) VALUES ($1, $2)`
            : `INSERT INTO ${t} (component, version, name) VALUES ($3, $1, $2)`,
          [m.version, m.name, ...params],
        );
        applied.push(m.version);
      }
      return applied;
    },
    (err) => backendError(err, ledger.codes),
  );
}
