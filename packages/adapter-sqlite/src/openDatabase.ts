import { SmartCitizenError, isSmartCitizenError } from '@smart-citizen/core';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';

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
