import { type ExclusiveLock, SmartCitizenError, createExclusiveLock, isSmartCitizenError } from '@smart-citizen/core';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { type SqliteMigration, runSqliteMigrations } from './migrations.js';

/** Where a SQLite adapter keeps its data: a file path (`:memory:` for a private in-memory database) or an open database. */
export type SqliteTarget = { path: string; database?: never } | { database: Database; path?: never };

/**
 * Open (or adopt) a database with the pragmas the adapters rely on: WAL for files (readers do
 * not block the writer), `synchronous=NORMAL`, foreign keys, a busy timeout.
 * @internal
 * @returns the database and whether the adapter owns it (and must close it)
 */
export function openDatabase(target: SqliteTarget): { db: Database; owned: boolean } {
  try {
    if (target.database) return { db: target.database, owned: false };
    const db = new BetterSqlite3(target.path);
    if (target.path !== ':memory:' && target.path !== '') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    return { db, owned: true };
  } catch (cause) {
    throw new SmartCitizenError('store/open-failed', 'could not open the SQLite database', {
      pkg: 'adapter-sqlite',
      cause,
    });
  }
}

/**
 * Open (or adopt) a database and apply a component's migrations; when they fail, a database the
 * adapter opened is closed again and the error typed by {@link backendError}.
 * @internal
 * @returns the database, the versions applied now, and an idempotent `close` that closes the
 *   database only when the adapter opened it
 */
export function openMigratedDatabase(
  target: SqliteTarget,
  component: string,
  migrations: readonly SqliteMigration[],
): { db: Database; applied: number[]; close: () => Promise<void> } {
  const { db, owned } = openDatabase(target);
  let applied: number[];
  try {
    applied = runSqliteMigrations(db, component, migrations);
  } catch (err) {
    if (owned) db.close();
    throw backendError(err);
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    if (owned) db.close();
  };
  return { db, applied, close };
}

/**
 * Wrap a backend failure in a typed error (the SQLite message names tables, never values).
 * @internal
 */
export function backendError(cause: unknown): SmartCitizenError {
  if (isSmartCitizenError(cause)) return cause;
  const code = (cause as { code?: unknown })?.code;
  const busy = code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
  return new SmartCitizenError(busy ? 'store/busy' : 'store/backend-error', 'SQLite operation failed', {
    pkg: 'adapter-sqlite',
    cause,
    details: { sqliteCode: typeof code === 'string' ? code : 'unknown' },
  });
}

const locks = new WeakMap<Database, ExclusiveLock>();

/**
 * The one lock of a database connection, shared by every adapter on it (the store and the
 * audit log may share a file): transactions that span `await`s run one at a time, and reads wait
 * for an open one so that they never see uncommitted rows.
 * @internal
 */
export function lockOf(db: Database): ExclusiveLock {
  let lock = locks.get(db);
  if (!lock) {
    lock = createExclusiveLock();
    locks.set(db, lock);
  }
  return lock;
}

/**
 * Run `fn` in an immediate transaction under the connection's lock: COMMIT when it resolves,
 * ROLLBACK when it throws (the error typed by {@link backendError}).
 * @internal
 */
export function inTransaction<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  return lockOf(db).run(async () => {
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      throw backendError(err);
    }
    try {
      const out = await fn();
      db.exec('COMMIT');
      return out;
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw backendError(err);
    }
  });
}

/**
 * Run a read once no transaction is open on the connection, with errors typed.
 * @internal
 */
export async function readRows<T>(db: Database, fn: () => T): Promise<T> {
  const lock = lockOf(db);
  if (lock.busy) await lock.idle();
  try {
    return fn();
  } catch (err) {
    throw backendError(err);
  }
}
