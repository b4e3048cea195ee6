import { type AuditEntry, type AuditLog, type AuditLogDriver, type Clock, createAuditLog } from '@smart-citizen/core';
import type pg from 'pg';
import { PKG, type PostgresTarget, openStorePool, query, quoteSchema, withTransaction } from '../pgSupport.js';
import { auditMigrations, migrateStoreComponent } from './migrations.js';

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

/** A row as listed (columns aliased to the entry's names); bigint columns come as text. */
type AuditRow = Omit<AuditEntry, 'seq' | 'at'> & { seq: string; at: string };

const toEntry = (r: AuditRow): AuditEntry => ({ ...r, seq: Number(r.seq), at: Number(r.at) });

/** The PostgreSQL audit driver, with its pool. */
export interface PostgresAuditDriver extends AuditLogDriver {
  readonly pool: pg.Pool;
  readonly schema: string;
}

/**
 * The audit-log driver on PostgreSQL: rows in `sc_audit_log`; an append takes a table lock that
 * serialises writers across processes; triggers refuse UPDATE, DELETE and TRUNCATE. The chain is
 * computed by core ({@link createAuditLog}).
 * @param options - connection, schema
 * @returns the driver, migrated
 */
export async function createPostgresAuditDriver(
  options: PostgresTarget & { schema?: string },
): Promise<PostgresAuditDriver> {
  const schema = options.schema ?? 'public';
  const s = quoteSchema(schema);
  const { pool, close } = await openStorePool(options, (pool) =>
    migrateStoreComponent(pool, schema, 'audit', auditMigrations),
  );
  return {
    pkg: PKG,
    pool,
    schema,
    append: (next) =>
      withTransaction(pool, async (c) => {
        await c.query(`LOCK TABLE ${s}.sc_audit_log IN SHARE ROW EXCLUSIVE MODE`);
        const last = await c.query<{ seq: string; hash: string }>(
          `SELECT seq, hash FROM ${s}.sc_audit_log ORDER BY seq DESC LIMIT 1`,
        );
        const head = last.rows[0];
        const e = await next(head && { seq: Number(head.seq), hash: head.hash });
        await c.query(
          `INSERT INTO ${s}.sc_audit_log (seq, at, actor, action, subject, purpose, details, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [e.seq, e.at, e.actor, e.action, e.subject, e.purpose, JSON.stringify(e.details), e.prevHash, e.hash],
        );
        return e;
      }),
    async list({ afterSeq, limit, subject }) {
      const r = await query<AuditRow>(
        pool,
        `SELECT seq, at, actor, action, subject, purpose, details, prev_hash AS "prevHash", hash
         FROM ${s}.sc_audit_log WHERE seq > $1 AND ($2::text IS NULL OR subject = $2) ORDER BY seq LIMIT $3`,
        [afterSeq, subject ?? null, limit],
      );
      return r.rows.map(toEntry);
    },
    close,
  };
}

/**
 * Append-only, SHA-256 hash-chained audit log in PostgreSQL: the core log over
 * {@link createPostgresAuditDriver}.
 * @param options - connection, schema, clock
 * @returns the log, migrated
 */
export async function createPostgresAuditLog(options: PostgresAuditLogOptions): Promise<PostgresAuditLog> {
  const driver = await createPostgresAuditDriver(options);
  const log = createAuditLog({ driver, ...(options.clock ? { clock: options.clock } : {}) });
  return { ...log, pool: driver.pool, schema: driver.schema };
}
