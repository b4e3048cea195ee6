import {
  type BiometricCipher,
  type BiometricTemplate,
  type ChangeEntry,
  type ChangeOp,
  type CitizenRecord,
  type Clock,
  type ConsentRecord,
  FaceScanIndex,
  type IdentityStore,
  type KeyProvider,
  type Logger,
  SmartCitizenError,
  type StoredIdentity,
  type TemplateInfo,
  type TemplateKind,
  newConsentRecord,
  checkTemplateInput,
  createBiometricCipher,
  decodeEmbedding,
  normalizeStoredIdentity,
  silentLogger,
  systemClock,
  templateAad,
} from '@smart-citizen/core';
import type { Database } from 'better-sqlite3';
import { identityMigrations, runSqliteMigrations } from './migrations.js';
import { type SqliteTarget, backendError, openDatabase } from './openDatabase.js';

const PKG = 'adapter-sqlite';

/** Options of {@link createSqliteIdentityStore}. */
export type SqliteIdentityStoreOptions = SqliteTarget & {
  /** Keys for biometric data; without them biometric operations throw `store/encryption-required`. */
  keys?: KeyProvider;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Logger (counts and codes only).
   * @default silentLogger
   */
  logger?: Logger;
  /** When set, face embeddings must have this many dimensions. */
  faceDimension?: number;
};

/** The SQLite identity store: an {@link IdentityStore} with access to its database. */
export interface SqliteIdentityStore extends IdentityStore {
  /** The underlying better-sqlite3 database (share it with `createSqliteAuditLog`). */
  readonly database: Database;
  upsertMany: NonNullable<IdentityStore['upsertMany']>;
  searchFaces: NonNullable<IdentityStore['searchFaces']>;
  enrolTemplates: NonNullable<IdentityStore['enrolTemplates']>;
  rotateKeys: NonNullable<IdentityStore['rotateKeys']>;
  count: NonNullable<IdentityStore['count']>;
}

interface CitizenRow {
  id_number: string;
  data: string;
  created_at: number;
  updated_at: number;
}
interface TemplateRow {
  id: string;
  id_number: string;
  kind: TemplateKind;
  format: string;
  label: string | null;
  key_id: string;
  iv: Uint8Array;
  ciphertext: Uint8Array;
  created_at: number;
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
const toInfo = (r: TemplateRow): TemplateInfo => ({
  id: r.id,
  idNumber: r.id_number,
  kind: r.kind,
  format: r.format,
  label: r.label,
  createdAt: r.created_at,
  keyId: r.key_id,
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
const bytes = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/**
 * The embedded identity store on SQLite (better-sqlite3): one file, WAL journal, versioned
 * migrations applied on open, every write in a transaction. 1:N face search is an exact scan
 * over embeddings decrypted into memory on first use and kept in sync with the change feed.
 * @param options - file path or database, keys, clock, logger
 * @returns the store
 * @example
 * const store = createSqliteIdentityStore({ path: 'citizens.db', keys });
 * await store.upsert({ idNumber: '001099012345', fullName: 'Nguyễn Văn A' });
 */
export function createSqliteIdentityStore(options: SqliteIdentityStoreOptions): SqliteIdentityStore {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const cipher: BiometricCipher | undefined = options.keys ? createBiometricCipher(options.keys) : undefined;
  const { db, owned } = openDatabase(options);
  let closed = false;
  try {
    const applied = runSqliteMigrations(db, 'identity', identityMigrations);
    if (applied.length) logger.info('identity store migrated', { versions: applied.join(',') });
  } catch (err) {
    if (owned) db.close();
    throw backendError(err);
  }

  const q = {
    get: db.prepare('SELECT id_number, data, created_at, updated_at FROM sc_identity_citizens WHERE id_number = ?'),
    byOld: db.prepare(
      'SELECT id_number, data, created_at, updated_at FROM sc_identity_citizens WHERE old_id_number = ? ORDER BY id_number',
    ),
    upsert: db.prepare(
      `INSERT INTO sc_identity_citizens (id_number, old_id_number, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id_number) DO UPDATE SET old_id_number = excluded.old_id_number, data = excluded.data, updated_at = excluded.updated_at`,
    ),
    change: db.prepare('INSERT INTO sc_identity_changes (id_number, op, at) VALUES (?, ?, ?)'),
    maxSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM sc_identity_changes'),
    changes: db.prepare(
      'SELECT seq, id_number AS idNumber, op, at FROM sc_identity_changes WHERE seq > ? AND at >= ? ORDER BY seq LIMIT ?',
    ),
    exists: db.prepare('SELECT 1 FROM sc_identity_citizens WHERE id_number = ?'),
    insertTemplate: db.prepare(
      `INSERT INTO sc_identity_templates (id, id_number, kind, format, label, key_id, iv, ciphertext, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    templates: db.prepare('SELECT * FROM sc_identity_templates WHERE id_number = ? ORDER BY created_at, rowid'),
    templatesOfKind: db.prepare(
      'SELECT * FROM sc_identity_templates WHERE id_number = ? AND kind = ? ORDER BY created_at, rowid',
    ),
    template: db.prepare('SELECT * FROM sc_identity_templates WHERE id = ?'),
    deleteTemplate: db.prepare('DELETE FROM sc_identity_templates WHERE id = ?'),
    faceTemplates: db.prepare(
      "SELECT rowid AS rid, * FROM sc_identity_templates WHERE kind = 'face' AND rowid > ? ORDER BY rowid LIMIT ?",
    ),
    staleTemplates: db.prepare(
      'SELECT rowid AS rid, * FROM sc_identity_templates WHERE key_id <> ? AND rowid > ? ORDER BY rowid LIMIT ?',
    ),
    reseal: db.prepare(
      'UPDATE sc_identity_templates SET key_id = ?, iv = ?, ciphertext = ? WHERE id = ? AND key_id = ?',
    ),
    eraseTemplates: db.prepare('DELETE FROM sc_identity_templates WHERE id_number = ?'),
    eraseConsents: db.prepare('DELETE FROM sc_consent_records WHERE id_number = ?'),
    eraseCitizen: db.prepare('DELETE FROM sc_identity_citizens WHERE id_number = ?'),
    insertConsent: db.prepare(
      `INSERT INTO sc_consent_records (id, id_number, purpose, scope, granted_at, expires_at, withdrawn_at, reference)
       VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
    ),
    consent: db.prepare('SELECT * FROM sc_consent_records WHERE id = ?'),
    withdraw: db.prepare('UPDATE sc_consent_records SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL'),
    consents: db.prepare('SELECT * FROM sc_consent_records WHERE id_number = ? ORDER BY granted_at, rowid'),
    count: db.prepare('SELECT COUNT(*) AS n FROM sc_identity_citizens'),
  };

  // Exact-scan face index and the change-feed position it reflects.
  let index: FaceScanIndex | undefined;
  let indexSeq = 0;

  const guard = <T>(fn: () => T): T => {
    if (closed) throw new SmartCitizenError('store/closed', 'the identity store is closed', { pkg: PKG });
    try {
      return fn();
    } catch (err) {
      throw backendError(err);
    }
  };
  const needCipher = (): BiometricCipher => {
    if (!cipher) {
      throw new SmartCitizenError(
        'store/encryption-required',
        'this store has no key provider: biometric data refused',
        {
          pkg: PKG,
        },
      );
    }
    return cipher;
  };
  /** Append to the change feed and keep the face index in step with our own writes. */
  const change = (idNumber: string, op: ChangeOp, at: number, face?: (ix: FaceScanIndex) => void): void => {
    const seq = Number(q.change.run(idNumber, op, at).lastInsertRowid);
    if (!index) return;
    if (seq === indexSeq + 1) {
      indexSeq = seq;
      face?.(index);
    } else {
      index = undefined;
    }
  };
  const put = (clean: StoredIdentity, now: number): void => {
    q.upsert.run(clean.idNumber, clean.oldIdNumber ?? null, JSON.stringify(clean), now, now);
    change(clean.idNumber, 'upsert', now);
  };
  const putOne = db.transaction((clean: StoredIdentity, now: number) => put(clean, now));
  const putMany = db.transaction((all: StoredIdentity[], now: number) => {
    for (const c of all) put(c, now);
  });
  const eraseTx = db.transaction((idNumber: string, now: number): boolean => {
    q.eraseTemplates.run(idNumber);
    q.eraseConsents.run(idNumber);
    const existed = q.eraseCitizen.run(idNumber).changes > 0;
    if (existed) change(idNumber, 'erase', now, (ix) => ix.removeOwner(idNumber));
    return existed;
  });
  const enrolTx = db.transaction((row: TemplateRow, plain: Uint8Array) => {
    if (!q.exists.get(row.id_number)) {
      throw new SmartCitizenError('store/not-found', 'no citizen with that ID number', { pkg: PKG });
    }
    q.insertTemplate.run(
      row.id,
      row.id_number,
      row.kind,
      row.format,
      row.label,
      row.key_id,
      row.iv,
      row.ciphertext,
      row.created_at,
    );
    change(row.id_number, 'template-enrol', row.created_at, (ix) => {
      if (row.kind === 'face') ix.add(row.id, row.id_number, decodeEmbedding(plain));
    });
  });
  const deleteTx = db.transaction((id: string, now: number): boolean => {
    const row = q.template.get(id) as TemplateRow | undefined;
    if (!row) return false;
    q.deleteTemplate.run(id);
    change(row.id_number, 'template-delete', now, (ix) => ix.remove(id));
    return true;
  });
  const consentTx = db.transaction((rec: ConsentRecord, now: number) => {
    q.insertConsent.run(
      rec.id,
      rec.idNumber,
      rec.purpose,
      JSON.stringify(rec.scope),
      rec.grantedAt,
      rec.expiresAt,
      rec.reference,
    );
    change(rec.idNumber, 'consent', now);
  });
  const withdrawTx = db.transaction((id: string, at: number, now: number): ConsentRow | undefined => {
    const row = q.consent.get(id) as ConsentRow | undefined;
    if (!row) return undefined;
    if (q.withdraw.run(at, id).changes > 0) change(row.id_number, 'consent', now);
    return q.consent.get(id) as ConsentRow;
  });

  const store: SqliteIdentityStore = {
    database: db,
    async get(idNumber) {
      return guard(() => {
        const r = q.get.get(idNumber) as CitizenRow | undefined;
        return r ? toRecord(r) : undefined;
      });
    },
    async findByOldIdNumber(oldIdNumber) {
      return guard(() => (q.byOld.all(oldIdNumber) as CitizenRow[]).map(toRecord));
    },
    async upsert(identity) {
      const clean = normalizeStoredIdentity(identity, PKG);
      return guard(() => {
        putOne.immediate(clean, clock.now());
        return toRecord(q.get.get(clean.idNumber) as CitizenRow);
      });
    },
    async upsertMany(identities) {
      const clean = identities.map((i) => normalizeStoredIdentity(i, PKG));
      return guard(() => {
        putMany.immediate(clean, clock.now());
        logger.debug('identity store bulk upsert', { count: clean.length });
        return { written: clean.length };
      });
    },
    async erase(idNumber) {
      return guard(() => eraseTx.immediate(idNumber, clock.now()));
    },
    async listChanges(opts = {}) {
      return guard(
        () =>
          q.changes.all(opts.afterSeq ?? 0, opts.since ?? Number.MIN_SAFE_INTEGER, opts.limit ?? 1000) as ChangeEntry[],
      );
    },
    async enrolTemplate(idNumber, template) {
      checkTemplateInput(template, PKG, options.faceDimension);
      const c = needCipher();
      guard(() => {
        if (!q.exists.get(idNumber)) {
          throw new SmartCitizenError('store/not-found', 'no citizen with that ID number', { pkg: PKG });
        }
      });
      const id = globalThis.crypto.randomUUID();
      const sealed = await c.seal(template.data, templateAad(id, idNumber, template.kind));
      const row: TemplateRow = {
        id,
        id_number: idNumber,
        kind: template.kind,
        format: template.format,
        label: template.label ?? null,
        key_id: sealed.keyId,
        iv: sealed.iv,
        ciphertext: sealed.ciphertext,
        created_at: clock.now(),
      };
      guard(() => enrolTx.immediate(row, template.data));
      return toInfo(row);
    },
    async enrolTemplates(items) {
      for (const it of items) checkTemplateInput(it.template, PKG, options.faceDimension);
      const c = needCipher();
      const now = clock.now();
      const rows = await Promise.all(
        items.map(async (it): Promise<[TemplateRow, Uint8Array]> => {
          const id = globalThis.crypto.randomUUID();
          const sealed = await c.seal(it.template.data, templateAad(id, it.idNumber, it.template.kind));
          return [
            {
              id,
              id_number: it.idNumber,
              kind: it.template.kind,
              format: it.template.format,
              label: it.template.label ?? null,
              key_id: sealed.keyId,
              iv: sealed.iv,
              ciphertext: sealed.ciphertext,
              created_at: now,
            },
            it.template.data,
          ];
        }),
      );
      guard(() =>
        db
          .transaction(() => {
            for (const [row, plain] of rows) enrolTx(row, plain);
          })
          .immediate(),
      );
      return rows.map(([r]) => toInfo(r));
    },
    async getTemplates(idNumber, kind) {
      const rows = guard(
        () => (kind ? q.templatesOfKind.all(idNumber, kind) : q.templates.all(idNumber)) as TemplateRow[],
      );
      if (rows.length === 0) return [];
      const c = needCipher();
      const out: BiometricTemplate[] = [];
      for (const r of rows) {
        const data = await c.open(
          { keyId: r.key_id, iv: bytes(r.iv), ciphertext: bytes(r.ciphertext) },
          templateAad(r.id, r.id_number, r.kind),
        );
        out.push({ ...toInfo(r), data });
      }
      return out;
    },
    async deleteTemplate(templateId) {
      return guard(() => deleteTx.immediate(templateId, clock.now()));
    },
    async recordConsent(input) {
      const now = clock.now();
      const rec = newConsentRecord(input, now, PKG);
      guard(() => consentTx.immediate(rec, now));
      return rec;
    },
    async withdrawConsent(consentId, at) {
      return guard(() => {
        const now = clock.now();
        const row = withdrawTx.immediate(consentId, at ?? now, now);
        return row ? toConsent(row) : undefined;
      });
    },
    async listConsents(idNumber) {
      return guard(() => (q.consents.all(idNumber) as ConsentRow[]).map(toConsent));
    },
    async searchFaces(embedding, opts = {}) {
      const head = guard(() => (q.maxSeq.get() as { seq: number }).seq);
      if (!index || index.dimension !== embedding.length || head !== indexSeq) {
        const c = needCipher();
        const fresh = new FaceScanIndex(embedding.length);
        let after = 0;
        for (;;) {
          const rows = guard(() => q.faceTemplates.all(after, 2000) as (TemplateRow & { rid: number })[]);
          if (rows.length === 0) break;
          for (const r of rows) {
            const plain = await c.open(
              { keyId: r.key_id, iv: bytes(r.iv), ciphertext: bytes(r.ciphertext) },
              templateAad(r.id, r.id_number, r.kind),
            );
            fresh.add(r.id, r.id_number, decodeEmbedding(plain));
            after = r.rid;
          }
          if (rows.length < 2000) break;
        }
        // Writes made while decrypting are caught by the next search (head moves on).
        index = fresh;
        indexSeq = head;
        logger.debug('face scan index loaded', { size: fresh.size });
      }
      return index.search(embedding, opts);
    },
    async rotateKeys() {
      const c = needCipher();
      const current = await c.currentKeyId();
      let n = 0;
      let after = 0;
      for (;;) {
        const rows = guard(() => q.staleTemplates.all(current, after, 500) as (TemplateRow & { rid: number })[]);
        if (rows.length === 0) break;
        const updates: { id: string; old: string; keyId: string; iv: Uint8Array; ct: Uint8Array }[] = [];
        for (const r of rows) {
          const aad = templateAad(r.id, r.id_number, r.kind);
          const plain = await c.open({ keyId: r.key_id, iv: bytes(r.iv), ciphertext: bytes(r.ciphertext) }, aad);
          const s = await c.seal(plain, aad);
          updates.push({ id: r.id, old: r.key_id, keyId: s.keyId, iv: s.iv, ct: s.ciphertext });
          after = r.rid;
        }
        guard(() =>
          db
            .transaction(() => {
              for (const u of updates) n += q.reseal.run(u.keyId, u.iv, u.ct, u.id, u.old).changes;
            })
            .immediate(),
        );
      }
      logger.info('identity store keys rotated', { reencrypted: n });
      return { reencrypted: n };
    },
    async count() {
      return guard(() => (q.count.get() as { n: number }).n);
    },
    async close() {
      if (closed) return;
      closed = true;
      index = undefined;
      if (owned) db.close();
    },
  };
  return store;
}
