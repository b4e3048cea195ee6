import { SmartCitizenError } from '@smart-citizen/core';
import type { Database } from 'better-sqlite3';

/** One schema step. Versions are applied in order, each in its own transaction, once. */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Apply the migrations of `component` that the database has not seen yet, recording them in
 * `sc_store_migrations`. A database migrated by a newer version of the adapter is refused.
 * @param db - open database
 * @param component - e.g. `identity`, `audit`
 * @param migrations - ordered steps
 * @returns the versions applied now
 */
export function runSqliteMigrations(db: Database, component: string, migrations: readonly SqliteMigration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS sc_store_migrations (
    component TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL,
    PRIMARY KEY (component, version)
  )`);
  const applied: number[] = [];
  const step = db.transaction((m: SqliteMigration) => {
    const seen = db
      .prepare('SELECT 1 FROM sc_store_migrations WHERE component = ? AND version = ?')
      .get(component, m.version);
    if (seen) return;
    db.exec(m.sql);
    db.prepare('INSERT INTO sc_store_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)').run(
      component,
      m.version,
      m.name,
      Date.now(),
    );
    applied.push(m.version);
  });
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const row = db.prepare('SELECT MAX(version) AS v FROM sc_store_migrations WHERE component = ?').get(component) as {
    v: number | null;
  };
  if ((row.v ?? 0) > latest) {
    throw new SmartCitizenError('store/schema-too-new', 'the database was migrated by a newer adapter version', {
      pkg: 'adapter-sqlite',
      details: { component, databaseVersion: row.v, adapterVersion: latest },
    });
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) step.immediate(m);
  return applied;
}

/** Identity store schema. */
export const identityMigrations: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'citizens, templates, changes, consents',
    sql: `
      CREATE TABLE sc_identity_citizens (
        id_number TEXT PRIMARY KEY,
        old_id_number TEXT,
        data TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX sc_identity_citizens_old ON sc_identity_citizens (old_id_number) WHERE old_id_number IS NOT NULL;
      CREATE TABLE sc_identity_templates (
        id TEXT PRIMARY KEY,
        id_number TEXT NOT NULL REFERENCES sc_identity_citizens (id_number) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        format TEXT NOT NULL,
        label TEXT,
        key_id TEXT NOT NULL,
        iv BLOB NOT NULL,
        ciphertext BLOB NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX sc_identity_templates_owner ON sc_identity_templates (id_number, kind);
      CREATE TABLE sc_identity_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id_number TEXT NOT NULL,
        op TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX sc_identity_changes_at ON sc_identity_changes (at);
      CREATE TABLE sc_consent_records (
        id TEXT PRIMARY KEY,
        id_number TEXT NOT NULL,
        purpose TEXT NOT NULL,
        scope TEXT NOT NULL,
        granted_at INTEGER NOT NULL,
        expires_at INTEGER,
        withdrawn_at INTEGER,
        reference TEXT
      );
      CREATE INDEX sc_consent_records_owner ON sc_consent_records (id_number);
    `,
  },
];

/** Audit log schema: append-only is enforced by triggers. */
export const auditMigrations: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'hash-chained audit log',
    sql: `
      CREATE TABLE sc_audit_log (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        purpose TEXT NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
      );
      CREATE INDEX sc_audit_log_subject ON sc_audit_log (subject);
      CREATE TRIGGER sc_audit_log_no_update BEFORE UPDATE ON sc_audit_log
        BEGIN SELECT RAISE(ABORT, 'sc_audit_log is append-only'); END;
      CREATE TRIGGER sc_audit_log_no_delete BEFORE DELETE ON sc_audit_log
        BEGIN SELECT RAISE(ABORT, 'sc_audit_log is append-only'); END;
    `,
  },
];
