import {
  type AuditDetailValue,
  type AuditEntry,
  type AuditHead,
  type AuditLog,
  type AuditLogDriver,
  type Clock,
  createAuditLog,
} from '@smart-citizen/core';
import type { Database } from 'better-sqlite3';
import { auditMigrations } from './migrations.js';
import { type SqliteTarget, inTransaction, openMigratedDatabase, readRows } from './openDatabase.js';

/** Options of {@link createSqliteAuditLog}. */
export type SqliteAuditLogOptions = SqliteTarget & {
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
};

/** The SQLite audit log, with its database. */
export interface SqliteAuditLog extends AuditLog {
  readonly database: Database;
}

/** A row as listed (columns aliased to the entry's names); `details` is JSON text. */
type AuditRow = Omit<AuditEntry, 'details'> & { details: string };

const toEntry = (r: AuditRow): AuditEntry => ({
  ...r,
  details: JSON.parse(r.details) as Record<string, AuditDetailValue>,
});

/** The SQLite audit driver, with its database. */
export interface SqliteAuditDriver extends AuditLogDriver {
  readonly database: Database;
}

/**
 * The audit-log driver on SQLite: rows in `sc_audit_log`, appends serialised by an immediate
 * transaction, UPDATE and DELETE refused by triggers. The chain is computed by core
 * ({@link createAuditLog}).
 * @param options - file path or database
 * @returns the driver
 */
export function createSqliteAuditDriver(options: SqliteTarget): SqliteAuditDriver {
  const { db, close } = openMigratedDatabase(options, 'audit', auditMigrations);
  const last = db.prepare('SELECT seq, hash FROM sc_audit_log ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(
    `INSERT INTO sc_audit_log (seq, at, actor, action, subject, purpose, details, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const list = db.prepare(
    `SELECT seq, at, actor, action, subject, purpose, details, prev_hash AS prevHash, hash
     FROM sc_audit_log WHERE seq > @afterSeq AND (@subject IS NULL OR subject = @subject) ORDER BY seq LIMIT @limit`,
  );
  return {
    pkg: 'adapter-sqlite',
    database: db,
    append: (next) =>
      inTransaction(db, async () => {
        const e = await next(last.get() as AuditHead | undefined);
        insert.run(e.seq, e.at, e.actor, e.action, e.subject, e.purpose, JSON.stringify(e.details), e.prevHash, e.hash);
        return e;
      }),
    list: ({ afterSeq, limit, subject }) =>
      readRows(db, () => (list.all({ afterSeq, limit, subject: subject ?? null }) as AuditRow[]).map(toEntry)),
    close,
  };
}

/**
 * Append-only, SHA-256 hash-chained audit log in SQLite: the core log over
 * {@link createSqliteAuditDriver}.
 * @param options - file path or database, clock
 * @returns the audit log
 */
export function createSqliteAuditLog(options: SqliteAuditLogOptions): SqliteAuditLog {
  const driver = createSqliteAuditDriver(options);
  return {
    ...createAuditLog({ driver, ...(options.clock ? { clock: options.clock } : {}) }),
    database: driver.database,
  };
}
