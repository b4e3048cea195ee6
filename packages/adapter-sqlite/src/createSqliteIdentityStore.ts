import {
  type CitizenRecord,
  type ConsentRecord,
  type ChangeEntry,
  type FullIdentityStore,
  type IdentityStoreDriver,
  type IdentityStoreOptions,
  type IdentityStoreTransaction,
  type Logger,
  type SealedTemplateRow,
  type StoredIdentity,
  createIdentityStore,
} from '@smart-citizen/core';
import type { Database } from 'better-sqlite3';
import { identityMigrations } from './migrations.js';
import { type SqliteTarget, inTransaction, openMigratedDatabase, readRows } from './openDatabase.js';

/** Options of {@link createSqliteIdentityDriver}. */
export type SqliteIdentityDriverOptions = SqliteTarget & {
  /** Receives the migrations applied (counts only). */
  logger?: Logger;
};

/** Options of {@link createSqliteIdentityStore}: where the file is, plus the store's options. */
export type SqliteIdentityStoreOptions = SqliteTarget & IdentityStoreOptions;

/** The SQLite identity driver, with its database. */
export interface SqliteIdentityDriver extends IdentityStoreDriver {
  /** The underlying better-sqlite3 database (share it with `createSqliteAuditLog`). */
  readonly database: Database;
}

/** The SQLite identity store: an {@link IdentityStore} with access to its database. */
export interface SqliteIdentityStore extends FullIdentityStore {
  /** The underlying better-sqlite3 database (share it with `createSqliteAuditLog`). */
  readonly database: Database;
}

interface CitizenRow {
  data: string;
  created_at: number;
  updated_at: number;
}
interface ConsentRow {
  id: string;
  id_number: string;
  purpose: string;
  scope: string;
  granted_at: number;
  expires_at: number | null;
  withdrawn_at: number | null;
  reference: string | null;
}

const toRecord = (r: CitizenRow): CitizenRecord => ({
  identity: JSON.parse(r.data) as StoredIdentity,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const toConsent = (r: ConsentRow): ConsentRecord => ({
  id: r.id,
  idNumber: r.id_number,
  purpose: r.purpose,
  scope: JSON.parse(r.scope) as ConsentRecord['scope'],
  grantedAt: r.granted_at,
  expiresAt: r.expires_at,
  withdrawnAt: r.withdrawn_at,
  reference: r.reference,
});

/**
 * The identity-store driver on SQLite (better-sqlite3): one file, WAL journal, versioned
 * migrations applied on open, every write in an immediate transaction. It only keeps rows;
 * {@link createSqliteIdentityStore} puts the core store over it.
 * @param options - file path or database, logger
 * @returns the driver
 */
export function createSqliteIdentityDriver(options: SqliteIdentityDriverOptions): SqliteIdentityDriver {
  const { db, applied, close } = openMigratedDatabase(options, 'identity', identityMigrations);
  if (applied.length) options.logger?.info('identity store migrated', { versions: applied.join(',') });
  const citizen = 'SELECT data, created_at, updated_at FROM sc_identity_citizens';
  // Template rows come out under SealedTemplateRow's names (blobs as Buffers, which are Uint8Arrays).
  const template =
    'id, id_number AS idNumber, kind, format, label, key_id AS keyId, iv, ciphertext, created_at AS createdAt';
  const q = {
    get: db.prepare(`${citizen} WHERE id_number = ?`),
    byOld: db.prepare(`${citizen} WHERE old_id_number = ? ORDER BY id_number`),
    count: db.prepare('SELECT COUNT(*) AS n FROM sc_identity_citizens'),
    upsert: db.prepare(
      `INSERT INTO sc_identity_citizens (id_number, old_id_number, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id_number) DO UPDATE SET old_id_number = excluded.old_id_number, data = excluded.data, updated_at = excluded.updated_at`,
    ),
    exists: db.prepare('SELECT 1 FROM sc_identity_citizens WHERE id_number = ?'),
    eraseTemplates: db.prepare('DELETE FROM sc_identity_templates WHERE id_number = ?'),
    eraseConsents: db.prepare('DELETE FROM sc_consent_records WHERE id_number = ?'),
    eraseCitizen: db.prepare('DELETE FROM sc_identity_citizens WHERE id_number = ?'),
    change: db.prepare('INSERT INTO sc_identity_changes (id_number, op, at) VALUES (?, ?, ?)'),
    maxSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM sc_identity_changes'),
    changes: db.prepare(
      'SELECT seq, id_number AS idNumber, op, at FROM sc_identity_changes WHERE seq > ? AND at >= ? ORDER BY seq LIMIT ?',
    ),
    insertTemplate: db.prepare(
      `INSERT INTO sc_identity_templates (id, id_number, kind, format, label, key_id, iv, ciphertext, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    templates: db.prepare(
      `SELECT ${template} FROM sc_identity_templates WHERE id_number = @idNumber AND (@kind IS NULL OR kind = @kind) ORDER BY created_at, rowid`,
    ),
    scan: db.prepare(
      `SELECT rowid AS rid, ${template} FROM sc_identity_templates WHERE rowid > @after AND (@kind IS NULL OR kind = @kind)
       AND (@notKeyId IS NULL OR key_id <> @notKeyId) ORDER BY rowid LIMIT @limit`,
    ),
    deleteTemplate: db.prepare('DELETE FROM sc_identity_templates WHERE id = ? RETURNING id_number'),
    reseal: db.prepare(
      'UPDATE sc_identity_templates SET key_id = ?, iv = ?, ciphertext = ? WHERE id = ? AND key_id = ?',
    ),
    insertConsent: db.prepare(
      `INSERT INTO sc_consent_records (id, id_number, purpose, scope, granted_at, expires_at, withdrawn_at, reference)
       VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
    ),
    consent: db.prepare('SELECT * FROM sc_consent_records WHERE id = ?'),
    withdraw: db.prepare('UPDATE sc_consent_records SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL'),
    consents: db.prepare('SELECT * FROM sc_consent_records WHERE id_number = ? ORDER BY granted_at, rowid'),
  };
  const getCitizen = (idNumber: string) => {
    const r = q.get.get(idNumber) as CitizenRow | undefined;
    return r ? toRecord(r) : undefined;
  };
  // Every method runs synchronously inside the open transaction (see inTransaction).
  const tx: IdentityStoreTransaction = {
    getCitizen: async (idNumber) => getCitizen(idNumber),
    async putCitizens(identities, now) {
      for (const c of identities) q.upsert.run(c.idNumber, c.oldIdNumber ?? null, JSON.stringify(c), now, now);
    },
    async deleteCitizen(idNumber) {
      q.eraseTemplates.run(idNumber);
      q.eraseConsents.run(idNumber);
      return q.eraseCitizen.run(idNumber).changes > 0;
    },
    missingCitizens: async (idNumbers) => idNumbers.filter((id) => !q.exists.get(id)),
    async insertTemplates(rows) {
      for (const r of rows) {
        q.insertTemplate.run(r.id, r.idNumber, r.kind, r.format, r.label, r.keyId, r.iv, r.ciphertext, r.createdAt);
      }
    },
    deleteTemplate: async (templateId) =>
      (q.deleteTemplate.get(templateId) as { id_number: string } | undefined)?.id_number,
    resealTemplate: async (templateId, fromKeyId, s) =>
      q.reseal.run(s.keyId, s.iv, s.ciphertext, templateId, fromKeyId).changes > 0,
    async insertConsent(r) {
      q.insertConsent.run(r.id, r.idNumber, r.purpose, JSON.stringify(r.scope), r.grantedAt, r.expiresAt, r.reference);
    },
    async withdrawConsent(consentId, at) {
      const changed = q.withdraw.run(at, consentId).changes > 0;
      const row = q.consent.get(consentId) as ConsentRow | undefined;
      return row && { record: toConsent(row), changed };
    },
    appendChanges: async (entries) => entries.map((e) => Number(q.change.run(e.idNumber, e.op, e.at).lastInsertRowid)),
  };
  return {
    name: 'sqlite',
    pkg: 'adapter-sqlite',
    database: db,
    getCitizen: (idNumber) => readRows(db, () => getCitizen(idNumber)),
    findByOldIdNumber: (oldIdNumber) => readRows(db, () => (q.byOld.all(oldIdNumber) as CitizenRow[]).map(toRecord)),
    countCitizens: () => readRows(db, () => (q.count.get() as { n: number }).n),
    listChanges: ({ afterSeq, since, limit }) =>
      readRows(db, () => q.changes.all(afterSeq, since, limit) as ChangeEntry[]),
    headSeq: () => readRows(db, () => (q.maxSeq.get() as { seq: number }).seq),
    listTemplates: (idNumber, kind) =>
      readRows(db, () => q.templates.all({ idNumber, kind: kind ?? null }) as SealedTemplateRow[]),
    scanTemplates: ({ kind, notKeyId, after, limit }) =>
      readRows(db, () => {
        const filter = { after, kind: kind ?? null, notKeyId: notKeyId ?? null, limit };
        const rows = q.scan.all(filter) as (SealedTemplateRow & { rid: number })[];
        return { rows, next: rows[rows.length - 1]?.rid ?? after };
      }),
    listConsents: (idNumber) => readRows(db, () => (q.consents.all(idNumber) as ConsentRow[]).map(toConsent)),
    transaction: (fn) => inTransaction(db, () => fn(tx)),
    close,
  };
}

/**
 * The embedded identity store on SQLite: the core store ({@link createIdentityStore}) over
 * {@link createSqliteIdentityDriver}. 1:N face search is an exact scan over embeddings decrypted
 * into memory on first use and kept in step with the change feed.
 * @param options - file path or database, keys, clock, logger
 * @returns the store
 * @example
 * const store = createSqliteIdentityStore({ path: 'citizens.db', keys });
 * await store.upsert({ idNumber: '001099012345', fullName: 'Nguyễn Văn A' });
 */
export function createSqliteIdentityStore(options: SqliteIdentityStoreOptions): SqliteIdentityStore {
  const driver = createSqliteIdentityDriver(options);
  return { ...createIdentityStore({ ...options, driver }), database: driver.database };
}
