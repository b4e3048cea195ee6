import { createHash } from 'node:crypto';
import {
  AUDIT_GENESIS_HASH,
  type AuditDetailValue,
  type AuditEntry,
  type AuditLog,
  type Clock,
  SmartCitizenError,
  auditHashInput,
  checkAuditEvent,
  systemClock,
} from '@smart-citizen/core';
import type { Database } from 'better-sqlite3';
import { auditMigrations, runSqliteMigrations } from './migrations.js';
import { type SqliteTarget, backendError, openDatabase } from './openDatabase.js';

const PKG = 'adapter-sqlite';

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

interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  purpose: string;
  details: string;
  prev_hash: string;
  hash: string;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  action: r.action,
  subject: r.subject,
  purpose: r.purpose,
  details: JSON.parse(r.details) as Record<string, AuditDetailValue>,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/**
 * Append-only, SHA-256 hash-chained audit log in SQLite. Appends are serialised by an
 * immediate transaction; triggers refuse UPDATE and DELETE on `sc_audit_log`.
 * @param options - file path or database, clock
 * @returns the audit log
 */
export function createSqliteAuditLog(options: SqliteAuditLogOptions): SqliteAuditLog {
  const clock = options.clock ?? systemClock;
  const { db, owned } = openDatabase(options);
  try {
    runSqliteMigrations(db, 'audit', auditMigrations);
  } catch (err) {
    if (owned) db.close();
    throw backendError(err);
  }
  const last = db.prepare('SELECT seq, hash FROM sc_audit_log ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(
    `INSERT INTO sc_audit_log (seq, at, actor, action, subject, purpose, details, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const list = db.prepare('SELECT * FROM sc_audit_log WHERE seq > ? ORDER BY seq LIMIT ?');
  const listSubject = db.prepare('SELECT * FROM sc_audit_log WHERE seq > ? AND subject = ? ORDER BY seq LIMIT ?');
  let closed = false;
  const appendTx = db.transaction((base: Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>): AuditEntry => {
    const head = last.get() as { seq: number; hash: string } | undefined;
    const entry = { ...base, seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? AUDIT_GENESIS_HASH };
    const hash = createHash('sha256').update(auditHashInput(entry), 'utf8').digest('hex');
    insert.run(
      entry.seq,
      entry.at,
      entry.actor,
      entry.action,
      entry.subject,
      entry.purpose,
      JSON.stringify(entry.details),
      entry.prevHash,
      hash,
    );
    return { ...entry, hash };
  });
  const guard = <T>(fn: () => T): T => {
    if (closed) throw new SmartCitizenError('audit/closed', 'the audit log is closed', { pkg: PKG });
    try {
      return fn();
    } catch (err) {
      throw backendError(err);
    }
  };
  return {
    database: db,
    async append(event) {
      const details = checkAuditEvent(event, PKG);
      return guard(() =>
        appendTx.immediate({
          at: event.at ?? clock.now(),
          actor: event.actor,
          action: event.action,
          subject: event.subject ?? null,
          purpose: event.purpose,
          details,
        }),
      );
    },
    async list(opts = {}) {
      return guard(() =>
        (
          (opts.subject === undefined
            ? list.all(opts.afterSeq ?? 0, opts.limit ?? 1000)
            : listSubject.all(opts.afterSeq ?? 0, opts.subject, opts.limit ?? 1000)) as AuditRow[]
        ).map(toEntry),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      if (owned) db.close();
    },
  };
}
