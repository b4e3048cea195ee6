import {
  type BiometricCipher,
  type BiometricTemplate,
  type ChangeEntry,
  type ChangeOp,
  type CitizenRecord,
  type Clock,
  type ConsentRecord,
  FaceScanIndex,
  type FaceSearchHit,
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
  normalizeVector,
  silentLogger,
  systemClock,
  templateAad,
} from '@smart-citizen/core';
import type pg from 'pg';
import { faceVectorMigrations, identityMigrations } from './migrations.js';
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

/** How 1:N face search runs. */
export type FaceSearchMode = 'pgvector' | 'scan';

/** Options of {@link createPostgresIdentityStore}. */
export type PostgresIdentityStoreOptions = PostgresTarget & {
  /**
   * Schema holding the tables (created when missing).
   * @default 'public'
   */
  schema?: string;
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
  /**
   * Length of face embeddings (pgvector columns have a fixed dimension).
   * @default 512
   */
  faceDimension?: number;
  /**
   * 1:N face search: `auto` uses pgvector when the `vector` extension is installed (or can be
   * created) and an in-process exact scan otherwise; `pgvector` requires it; `scan` never uses it.
   * With pgvector a unit-length copy of each face embedding is kept unencrypted in
   * `sc_identity_face_vectors` so the database can index it — see the README's privacy note.
   * @default 'auto'
   */
  faceSearch?: 'auto' | FaceSearchMode;
  /**
   * HNSW parameters (used when the index is first created) and the search-time candidate list size.
   * @default { m: 16, efConstruction: 64, efSearch: 400 } (efSearch 400 reached recall@1 0.98 on 100,000 unstructured 512-d vectors; 100 only 0.78)
   */
  hnsw?: { m?: number; efConstruction?: number; efSearch?: number };
};

/** The PostgreSQL identity store. */
export interface PostgresIdentityStore extends IdentityStore {
  /** The pool (share it with `createPostgresAuditLog`). */
  readonly pool: pg.Pool;
  /** The schema the tables live in. */
  readonly schema: string;
  /** How {@link IdentityStore.searchFaces} runs. */
  readonly faceSearchMode: FaceSearchMode;
  upsertMany: NonNullable<IdentityStore['upsertMany']>;
  searchFaces: NonNullable<IdentityStore['searchFaces']>;
  enrolTemplates: NonNullable<IdentityStore['enrolTemplates']>;
  rotateKeys: NonNullable<IdentityStore['rotateKeys']>;
  count: NonNullable<IdentityStore['count']>;
}

interface CitizenRow {
  id_number: string;
  data: StoredIdentity;
  created_at: string;
  updated_at: string;
}
interface TemplateRow {
  seq: string;
  id: string;
  id_number: string;
  kind: TemplateKind;
  format: string;
  label: string | null;
  key_id: string;
  iv: Uint8Array;
  ciphertext: Uint8Array;
  created_at: string;
}
interface ConsentRow {
  id: string;
  id_number: string;
  purpose: string;
  scope: ConsentRecord['scope'];
  granted_at: string;
  expires_at: string | null;
  withdrawn_at: string | null;
  reference: string | null;
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));
const toRecord = (r: CitizenRow): CitizenRecord => ({
  identity: r.data,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});
const toInfo = (r: TemplateRow): TemplateInfo => ({
  id: r.id,
  idNumber: r.id_number,
  kind: r.kind,
  format: r.format,
  label: r.label,
  createdAt: Number(r.created_at),
  keyId: r.key_id,
});
const toConsent = (r: ConsentRow): ConsentRecord => ({
  id: r.id,
  idNumber: r.id_number,
  purpose: r.purpose,
  scope: r.scope,
  grantedAt: Number(r.granted_at),
  expiresAt: num(r.expires_at),
  withdrawnAt: num(r.withdrawn_at),
  reference: r.reference,
});
const u8 = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** pgvector text literal of a unit-length vector. @internal */
export function vectorLiteral(v: Float32Array): string {
  const unit = normalizeVector(v);
  let s = '[';
  for (let i = 0; i < unit.length; i++) s += (i ? ',' : '') + (unit[i] as number).toPrecision(7);
  return `${s}]`;
}

/**
 * pgvector binary wire format (`vector_recv`) of a unit-length vector: int16 dimension, int16
 * unused, then big-endian float4s. Sent as a binary parameter it skips the text formatting in
 * JS and the text parsing on the server (≈ 1 ms per 512-d vector each). @internal
 */
export function vectorBinary(v: Float32Array): Buffer {
  const unit = normalizeVector(v);
  const b = Buffer.allocUnsafe(4 + 4 * unit.length);
  b.writeInt16BE(unit.length, 0);
  b.writeInt16BE(0, 2);
  for (let i = 0; i < unit.length; i++) b.writeFloatBE(unit[i] as number, 4 + 4 * i);
  return b;
}

async function pgvectorAvailable(pool: pg.Pool, create: boolean, logger: Logger): Promise<boolean> {
  const have = await query<{ n: string }>(pool, "SELECT count(*) AS n FROM pg_extension WHERE extname = 'vector'");
  if (Number(have.rows[0]?.n) > 0) return true;
  if (!create) return false;
  try {
    await withTransaction(pool, async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtext('sc_create_extension_vector'))");
      await c.query('CREATE EXTENSION IF NOT EXISTS vector');
    });
    return true;
  } catch (err) {
    logger.info('pgvector not available; face search uses an in-process scan', {
      code: (err as { code?: string }).code ?? 'unknown',
    });
    return false;
  }
}

/**
 * The identity store on PostgreSQL (`pg`): versioned migrations in `sc_store_migrations`, every
 * write in a transaction, typed `store/connection-lost` when the server goes away mid-operation
 * (the server rolls the open transaction back, so nothing is half-written). 1:N face search uses
 * pgvector HNSW when available, else an exact in-process scan.
 * @param options - connection, schema, keys, face search mode
 * @returns the store, migrated and ready
 * @example
 * const store = await createPostgresIdentityStore({ connectionString: 'postgres://postgres@127.0.0.1/test', keys });
 */
export async function createPostgresIdentityStore(
  options: PostgresIdentityStoreOptions,
): Promise<PostgresIdentityStore> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const schema = options.schema ?? 'public';
  const s = quoteSchema(schema);
  const dimension = options.faceDimension ?? 512;
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > 16000) {
    throw new RangeError(`[@smart-citizen/${PKG}] faceDimension must be an integer in 1..16000`);
  }
  const hnswM = options.hnsw?.m ?? 16;
  const hnswEfc = options.hnsw?.efConstruction ?? 64;
  const efSearch = options.hnsw?.efSearch ?? 400;
  const cipher: BiometricCipher | undefined = options.keys ? createBiometricCipher(options.keys) : undefined;
  const { pool, owned } = openPool(options, (err) =>
    logger.warn('idle PostgreSQL connection failed', { code: (err as { code?: string }).code ?? 'unknown' }),
  );

  let mode: FaceSearchMode;
  try {
    const applied = await runPostgresMigrations(pool, schema, 'identity', identityMigrations);
    if (applied.length) logger.info('identity store migrated', { versions: applied.join(',') });
    const wanted = options.faceSearch ?? 'auto';
    mode = wanted !== 'scan' && (await pgvectorAvailable(pool, true, logger)) ? 'pgvector' : 'scan';
    if (wanted === 'pgvector' && mode !== 'pgvector') {
      throw new SmartCitizenError('store/pgvector-unavailable', 'the pgvector extension is not available', {
        pkg: PKG,
      });
    }
    if (mode === 'pgvector') {
      await runPostgresMigrations(pool, schema, 'identity-pgvector', faceVectorMigrations(dimension, hnswM, hnswEfc));
      const t = await query<{ t: string }>(
        pool,
        `SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute
         WHERE attrelid = '${s}.sc_identity_face_vectors'::regclass AND attname = 'embedding'`,
      );
      if (t.rows[0]?.t !== `vector(${dimension})`) {
        throw new SmartCitizenError('store/face-dimension-mismatch', 'the face vector table has another dimension', {
          pkg: PKG,
          details: { expected: dimension, found: t.rows[0]?.t ?? 'none' },
        });
      }
    }
  } catch (err) {
    if (owned) await pool.end().catch(() => undefined);
    throw backendError(err);
  }

  let closed = false;
  let index: FaceScanIndex | undefined;
  let indexSeq = 0;
  const open = () => {
    if (closed) throw new SmartCitizenError('store/closed', 'the identity store is closed', { pkg: PKG });
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
  const change = async (c: pg.PoolClient, idNumber: string, op: ChangeOp, at: number): Promise<number> => {
    const r = await c.query<{ seq: string }>(
      `INSERT INTO ${s}.sc_identity_changes (id_number, op, at) VALUES ($1, $2, $3) RETURNING seq`,
      [idNumber, op, at],
    );
    return Number(r.rows[0]?.seq);
  };
  /** After our own committed write: keep the scan index in step, or drop it if others wrote meanwhile. */
  const followIndex = (seqs: number[], apply?: (ix: FaceScanIndex) => void) => {
    if (!index || seqs.length === 0) return;
    const sorted = [...seqs].sort((a, b) => a - b);
    if (sorted[0] === indexSeq + 1 && sorted.every((v, i) => i === 0 || v === (sorted[i - 1] as number) + 1)) {
      indexSeq = sorted[sorted.length - 1] as number;
      apply?.(index);
    } else {
      index = undefined;
    }
  };
  const get = async (idNumber: string) => {
    const r = await query<CitizenRow>(
      pool,
      `SELECT id_number, data, created_at, updated_at FROM ${s}.sc_identity_citizens WHERE id_number = $1`,
      [idNumber],
    );
    return r.rows[0] ? toRecord(r.rows[0]) : undefined;
  };
  const writeBatch = async (c: pg.PoolClient, batch: StoredIdentity[], now: number): Promise<number[]> => {
    await c.query(
      `INSERT INTO ${s}.sc_identity_citizens (id_number, old_id_number, data, created_at, updated_at)
       SELECT id, old, data, $4, $4 FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS t(id, old, data)
       ON CONFLICT (id_number) DO UPDATE SET old_id_number = excluded.old_id_number, data = excluded.data,
         updated_at = excluded.updated_at`,
      [batch.map((b) => b.idNumber), batch.map((b) => b.oldIdNumber ?? null), batch.map((b) => JSON.stringify(b)), now],
    );
    const r = await c.query<{ seq: string }>(
      `INSERT INTO ${s}.sc_identity_changes (id_number, op, at)
       SELECT id, 'upsert', $2 FROM unnest($1::text[]) WITH ORDINALITY AS t(id, i) ORDER BY i RETURNING seq`,
      [batch.map((b) => b.idNumber), now],
    );
    return r.rows.map((x) => Number(x.seq));
  };
  const openTemplate = (c: BiometricCipher, r: TemplateRow) =>
    c.open({ keyId: r.key_id, iv: u8(r.iv), ciphertext: u8(r.ciphertext) }, templateAad(r.id, r.id_number, r.kind));

  const store: PostgresIdentityStore = {
    pool,
    schema,
    faceSearchMode: mode,
    async get(idNumber) {
      open();
      return get(idNumber);
    },
    async findByOldIdNumber(oldIdNumber) {
      open();
      const r = await query<CitizenRow>(
        pool,
        `SELECT id_number, data, created_at, updated_at FROM ${s}.sc_identity_citizens
         WHERE old_id_number = $1 ORDER BY id_number`,
        [oldIdNumber],
      );
      return r.rows.map(toRecord);
    },
    async upsert(identity) {
      open();
      const clean = normalizeStoredIdentity(identity, PKG);
      const { rec, seqs } = await withTransaction(pool, async (c) => {
        const seqs = await writeBatch(c, [clean], clock.now());
        const r = await c.query<CitizenRow>(
          `SELECT id_number, data, created_at, updated_at FROM ${s}.sc_identity_citizens WHERE id_number = $1`,
          [clean.idNumber],
        );
        return { rec: toRecord(r.rows[0] as CitizenRow), seqs };
      });
      followIndex(seqs);
      return rec;
    },
    async upsertMany(identities) {
      open();
      // Last one wins within a batch, as if written one by one.
      const byId = new Map<string, StoredIdentity>();
      for (const i of identities) {
        const clean = normalizeStoredIdentity(i, PKG);
        byId.delete(clean.idNumber);
        byId.set(clean.idNumber, clean);
      }
      const all = [...byId.values()];
      const now = clock.now();
      const seqs = await withTransaction(pool, async (c) => {
        const out: number[] = [];
        for (let i = 0; i < all.length; i += 2000) out.push(...(await writeBatch(c, all.slice(i, i + 2000), now)));
        return out;
      });
      followIndex(seqs);
      logger.debug('identity store bulk upsert', { count: all.length });
      return { written: identities.length };
    },
    async erase(idNumber) {
      open();
      const res = await withTransaction(pool, async (c) => {
        await c.query(`DELETE FROM ${s}.sc_consent_records WHERE id_number = $1`, [idNumber]);
        const d = await c.query(`DELETE FROM ${s}.sc_identity_citizens WHERE id_number = $1`, [idNumber]);
        if (!d.rowCount) return { existed: false, seqs: [] as number[] };
        return { existed: true, seqs: [await change(c, idNumber, 'erase', clock.now())] };
      });
      followIndex(res.seqs, (ix) => ix.removeOwner(idNumber));
      return res.existed;
    },
    async listChanges(opts = {}) {
      open();
      const r = await query<{ seq: string; id_number: string; op: ChangeOp; at: string }>(
        pool,
        `SELECT seq, id_number, op, at FROM ${s}.sc_identity_changes
         WHERE seq > $1 AND at >= $2 ORDER BY seq LIMIT $3`,
        [opts.afterSeq ?? 0, opts.since ?? Number.MIN_SAFE_INTEGER, opts.limit ?? 1000],
      );
      return r.rows.map(
        (x): ChangeEntry => ({ seq: Number(x.seq), idNumber: x.id_number, op: x.op, at: Number(x.at) }),
      );
    },
    async enrolTemplate(idNumber, template) {
      open();
      checkTemplateInput(template, PKG, dimension);
      const c = needCipher();
      const id = globalThis.crypto.randomUUID();
      const sealed = await c.seal(template.data, templateAad(id, idNumber, template.kind));
      const now = clock.now();
      const embedding = template.kind === 'face' ? decodeEmbedding(template.data) : undefined;
      const seq = await withTransaction(pool, async (cl) => {
        const ok = await cl.query(`SELECT 1 FROM ${s}.sc_identity_citizens WHERE id_number = $1 FOR SHARE`, [idNumber]);
        if (!ok.rowCount)
          throw new SmartCitizenError('store/not-found', 'no citizen with that ID number', { pkg: PKG });
        await cl.query(
          `INSERT INTO ${s}.sc_identity_templates (id, id_number, kind, format, label, key_id, iv, ciphertext, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            id,
            idNumber,
            template.kind,
            template.format,
            template.label ?? null,
            sealed.keyId,
            sealed.iv,
            sealed.ciphertext,
            now,
          ],
        );
        if (embedding && mode === 'pgvector') {
          await cl.query(
            `INSERT INTO ${s}.sc_identity_face_vectors (template_id, id_number, embedding) VALUES ($1, $2, $3::vector)`,
            [id, idNumber, vectorBinary(embedding)],
          );
        }
        return change(cl, idNumber, 'template-enrol', now);
      });
      followIndex([seq], (ix) => {
        if (embedding) ix.add(id, idNumber, embedding);
      });
      return {
        id,
        idNumber,
        kind: template.kind,
        format: template.format,
        label: template.label ?? null,
        createdAt: now,
        keyId: sealed.keyId,
      };
    },
    async enrolTemplates(items) {
      open();
      for (const it of items) checkTemplateInput(it.template, PKG, dimension);
      const c = needCipher();
      const now = clock.now();
      const prepared = await Promise.all(
        items.map(async (it) => {
          const id = globalThis.crypto.randomUUID();
          const sealed = await c.seal(it.template.data, templateAad(id, it.idNumber, it.template.kind));
          return { id, it, sealed };
        }),
      );
      const owners = [...new Set(items.map((i) => i.idNumber))];
      const seqs = await withTransaction(pool, async (cl) => {
        const found = await cl.query<{ id_number: string }>(
          `SELECT id_number FROM ${s}.sc_identity_citizens WHERE id_number = ANY($1::text[]) FOR SHARE`,
          [owners],
        );
        if (found.rowCount !== owners.length) {
          throw new SmartCitizenError('store/not-found', 'no citizen with that ID number', { pkg: PKG });
        }
        const out: number[] = [];
        for (let i = 0; i < prepared.length; i += 500) {
          const batch = prepared.slice(i, i + 500);
          const values: unknown[] = [];
          const rows = batch.map((p, j) => {
            values.push(p.id, p.it.idNumber, p.it.template.kind, p.it.template.format, p.it.template.label ?? null);
            values.push(p.sealed.keyId, p.sealed.iv, p.sealed.ciphertext, now);
            const b = j * 9;
            return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9})`;
          });
          await cl.query(
            `INSERT INTO ${s}.sc_identity_templates (id, id_number, kind, format, label, key_id, iv, ciphertext, created_at)
             VALUES ${rows.join(', ')}`,
            values,
          );
          const faces = batch.filter((p) => p.it.template.kind === 'face');
          if (faces.length && mode === 'pgvector') {
            // One binary vector parameter per row (no text formatting or parsing).
            await cl.query(
              `INSERT INTO ${s}.sc_identity_face_vectors (template_id, id_number, embedding)
               VALUES ${faces.map((_, j) => `($${3 * j + 1}::uuid, $${3 * j + 2}, $${3 * j + 3}::vector)`).join(', ')}`,
              faces.flatMap((f) => [f.id, f.it.idNumber, vectorBinary(decodeEmbedding(f.it.template.data))]),
            );
          }
          const r = await cl.query<{ seq: string }>(
            `INSERT INTO ${s}.sc_identity_changes (id_number, op, at)
             SELECT o, 'template-enrol', $2 FROM unnest($1::text[]) WITH ORDINALITY AS x(o, i) ORDER BY i RETURNING seq`,
            [batch.map((p) => p.it.idNumber), now],
          );
          out.push(...r.rows.map((x) => Number(x.seq)));
        }
        return out;
      });
      followIndex(seqs, (ix) => {
        for (const p of prepared) {
          if (p.it.template.kind === 'face') ix.add(p.id, p.it.idNumber, decodeEmbedding(p.it.template.data));
        }
      });
      return prepared.map((p) => ({
        id: p.id,
        idNumber: p.it.idNumber,
        kind: p.it.template.kind,
        format: p.it.template.format,
        label: p.it.template.label ?? null,
        createdAt: now,
        keyId: p.sealed.keyId,
      }));
    },
    async getTemplates(idNumber, kind) {
      open();
      const r = await query<TemplateRow>(
        pool,
        `SELECT * FROM ${s}.sc_identity_templates WHERE id_number = $1 AND ($2::text IS NULL OR kind = $2)
         ORDER BY created_at, seq`,
        [idNumber, kind ?? null],
      );
      if (r.rows.length === 0) return [];
      const c = needCipher();
      const out: BiometricTemplate[] = [];
      for (const row of r.rows) out.push({ ...toInfo(row), data: await openTemplate(c, row) });
      return out;
    },
    async deleteTemplate(templateId) {
      open();
      if (!UUID.test(templateId)) return false;
      const res = await withTransaction(pool, async (c) => {
        const d = await c.query<{ id_number: string }>(
          `DELETE FROM ${s}.sc_identity_templates WHERE id = $1 RETURNING id_number`,
          [templateId],
        );
        const owner = d.rows[0]?.id_number;
        if (owner === undefined) return { ok: false, seqs: [] as number[] };
        return { ok: true, seqs: [await change(c, owner, 'template-delete', clock.now())] };
      });
      followIndex(res.seqs, (ix) => ix.remove(templateId));
      return res.ok;
    },
    async recordConsent(input) {
      open();
      const now = clock.now();
      const rec = newConsentRecord(input, now, PKG);
      const seq = await withTransaction(pool, async (c) => {
        await c.query(
          `INSERT INTO ${s}.sc_consent_records (id, id_number, purpose, scope, granted_at, expires_at, reference)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [rec.id, rec.idNumber, rec.purpose, JSON.stringify(rec.scope), rec.grantedAt, rec.expiresAt, rec.reference],
        );
        return change(c, rec.idNumber, 'consent', now);
      });
      followIndex([seq]);
      return rec;
    },
    async withdrawConsent(consentId, at) {
      open();
      if (!UUID.test(consentId)) return undefined;
      const now = clock.now();
      const res = await withTransaction(pool, async (c) => {
        const u = await c.query<ConsentRow>(
          `UPDATE ${s}.sc_consent_records SET withdrawn_at = $2 WHERE id = $1 AND withdrawn_at IS NULL RETURNING *`,
          [consentId, at ?? now],
        );
        if (u.rows[0]) {
          return { row: u.rows[0], seqs: [await change(c, u.rows[0].id_number, 'consent', now)] };
        }
        const r = await c.query<ConsentRow>(`SELECT * FROM ${s}.sc_consent_records WHERE id = $1`, [consentId]);
        return { row: r.rows[0], seqs: [] as number[] };
      });
      followIndex(res.seqs);
      return res.row ? toConsent(res.row) : undefined;
    },
    async listConsents(idNumber) {
      open();
      const r = await query<ConsentRow>(
        pool,
        `SELECT * FROM ${s}.sc_consent_records WHERE id_number = $1 ORDER BY granted_at, seq`,
        [idNumber],
      );
      return r.rows.map(toConsent);
    },
    async searchFaces(embedding, opts = {}) {
      open();
      const k = opts.k ?? 5;
      const min = opts.minSimilarity ?? -1;
      if (k <= 0) return [];
      if (mode === 'pgvector') {
        if (embedding.length !== dimension) return [];
        const vec = vectorBinary(embedding);
        const rows = await withTransaction(pool, async (c) => {
          if (opts.exact) {
            await c.query('SET LOCAL enable_indexscan = off');
          } else {
            await c.query(`SET LOCAL hnsw.ef_search = ${Math.max(efSearch, k)}`);
          }
          const r = await c.query<{ template_id: string; id_number: string; distance: number }>(
            `SELECT template_id, id_number, embedding <=> $1::vector AS distance
             FROM ${s}.sc_identity_face_vectors ORDER BY embedding <=> $1::vector LIMIT $2`,
            [vec, k],
          );
          return r.rows;
        });
        return rows
          .map(
            (r): FaceSearchHit => ({
              idNumber: r.id_number,
              templateId: r.template_id,
              similarity: Math.max(-1, Math.min(1, 1 - Number(r.distance))),
            }),
          )
          .filter((h) => h.similarity >= min);
      }
      const head = Number(
        (await query<{ seq: string }>(pool, `SELECT COALESCE(MAX(seq), 0) AS seq FROM ${s}.sc_identity_changes`))
          .rows[0]?.seq,
      );
      if (!index || index.dimension !== embedding.length || head !== indexSeq) {
        const c = needCipher();
        const fresh = new FaceScanIndex(embedding.length);
        let after = 0;
        for (;;) {
          const r = await query<TemplateRow>(
            pool,
            `SELECT * FROM ${s}.sc_identity_templates WHERE kind = 'face' AND seq > $1 ORDER BY seq LIMIT 2000`,
            [after],
          );
          for (const row of r.rows) {
            fresh.add(row.id, row.id_number, decodeEmbedding(await openTemplate(c, row)));
            after = Number(row.seq);
          }
          if (r.rows.length < 2000) break;
        }
        index = fresh;
        indexSeq = head;
        logger.debug('face scan index loaded', { size: fresh.size });
      }
      return index.search(embedding, opts);
    },
    async rotateKeys() {
      open();
      const c = needCipher();
      const current = await c.currentKeyId();
      let n = 0;
      let after = 0;
      for (;;) {
        const r = await query<TemplateRow>(
          pool,
          `SELECT * FROM ${s}.sc_identity_templates WHERE key_id <> $1 AND seq > $2 ORDER BY seq LIMIT 500`,
          [current, after],
        );
        if (r.rows.length === 0) break;
        const updates: { id: string; old: string; keyId: string; iv: Uint8Array; ct: Uint8Array }[] = [];
        for (const row of r.rows) {
          const aad = templateAad(row.id, row.id_number, row.kind);
          const sealed = await c.seal(await openTemplate(c, row), aad);
          updates.push({ id: row.id, old: row.key_id, keyId: sealed.keyId, iv: sealed.iv, ct: sealed.ciphertext });
          after = Number(row.seq);
        }
        n += await withTransaction(pool, async (cl) => {
          let m = 0;
          for (const u of updates) {
            const res = await cl.query(
              `UPDATE ${s}.sc_identity_templates SET key_id = $1, iv = $2, ciphertext = $3 WHERE id = $4 AND key_id = $5`,
              [u.keyId, u.iv, u.ct, u.id, u.old],
            );
            m += res.rowCount ?? 0;
          }
          return m;
        });
      }
      logger.info('identity store keys rotated', { reencrypted: n });
      return { reencrypted: n };
    },
    async count() {
      open();
      const r = await query<{ n: string }>(pool, `SELECT count(*) AS n FROM ${s}.sc_identity_citizens`);
      return Number(r.rows[0]?.n ?? 0);
    },
    async close() {
      if (closed) return;
      closed = true;
      index = undefined;
      if (owned) await pool.end();
    },
  };
  return store;
}
