import {
  AUDIT_GENESIS_HASH,
  type AuditDetailValue,
  type AuditEntry,
  type AuditLog,
  type Clock,
  SmartCitizenError,
  checkAuditEvent,
  hashAuditEntry,
  systemClock,
} from '@smart-citizen/core';
import type pg from 'pg';
import { auditMigrations } from './migrations.js';
import {
  PKG,
  type PostgresTarget,
  backendError,
  openPool,
  query,
  quoteSchema,
  runPostgresMigrations,
  withTransaction,
} from './pgSupport.js';

/** Options of {@link createPostgresAuditLog}. */
export type PostgresAuditLogOptions = PostgresTarget & {
  /**
   * Schema of `sc_audit_log`.
   * @default 'public'
   */
  schema?: string;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
};

/** The PostgreSQL audit log. */
export interface PostgresAuditLog extends AuditLog {
  readonly pool: pg.Pool;
  readonly schema: string;
}

interface AuditRow {
  seq: string;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  purpose: string;
  details: Record<string, AuditDetailValue>;
  prev_hash: string;
  hash: string;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  seq: Number(r.seq),
  at: Number(r.at),
  actor: r.actor,
  action: r.action,
  subject: r.subject,
  purpose: r.purpose,
  details: r.details,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/**
 * Append-only, SHA-256 hash-chained audit log in PostgreSQL. Appends take a table lock that
 * serialises writers across processes; triggers refuse UPDATE, DELETE and TRUNCATE.
 * @param options - connection, schema, clock
 * @returns the log, migrated
 */
export async function createPostgresAuditLog(options: PostgresAuditLogOptions): Promise<PostgresAuditLog> {
  const clock = options.clock ?? systemClock;
  const schema = options.schema ?? 'public';
  const s = quoteSchema(schema);
  const { pool, owned } = openPool(options, () => undefined);
  try {
    await runPostgresMigrations(pool, schema, 'audit', auditMigrations);
  } catch (err) {
    if (owned) await pool.end().catch(() => undefined);
    throw backendError(err);
  }
  let closed = false;
  const open = () => {
    if (closed) throw new SmartCitizenError('audit/closed', 'the audit log is closed', { pkg: PKG });
  };
  return {
    pool,
    schema,
    async append(event) {
      open();
      const details = checkAuditEvent(event, PKG);
      return withTransaction(pool, async (c) => {
        await c.query(`LOCK TABLE ${s}.sc_audit_log IN SHARE ROW EXCLUSIVE MODE`);
        const last = await c.query<{ seq: string; hash: string }>(
          `SELECT seq, hash FROM ${s}.sc_audit_log ORDER BY seq DESC LIMIT 1`,
        );
        const head = last.rows[0];
        const base = {
          seq: head ? Number(head.seq) + 1 : 1,
          at: event.at ?? clock.now(),
          actor: event.actor,
          action: event.action,
          subject: event.subject ?? null,
          purpose: event.purpose,
          details,
          prevHash: head?.hash ?? AUDIT_GENESIS_HASH,
        };
        const hash = await hashAuditEntry(base);
        await c.query(
          `INSERT INTO ${s}.sc_audit_log (seq, at, actor, action, subject, purpose, details, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            base.seq,
            base.at,
            base.actor,
            base.action,
            base.subject,
            base.purpose,
            JSON.stringify(details),
            base.prevHash,
            hash,
          ],
        );
        return { ...base, hash };
      });
    },
    async list(opts = {}) {
      open();
      const r = await query<AuditRow>(
        pool,
        `SELECT * FROM ${s}.sc_audit_log WHERE seq > $1 AND ($2::text IS NULL OR subject = $2) ORDER BY seq LIMIT $3`,
        [opts.afterSeq ?? 0, opts.subject ?? null, opts.limit ?? 1000],
      );
      return r.rows.map(toEntry);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (owned) await pool.end();
    },
  };
}
