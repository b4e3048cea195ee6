import {
  type ChangeEntry,
  type ChangeOp,
  type CitizenRecord,
  type ConsentRecord,
  type DriverVectorSearch,
  type FullIdentityStore,
  type IdentityStoreDriver,
  type IdentityStoreOptions,
  type IdentityStoreTransaction,
  type Logger,
  SmartCitizenError,
  type SealedTemplateRow,
  type StoredIdentity,
  type TemplateKind,
  createIdentityStore,
  normalizeVector,
  silentLogger,
} from '@smart-citizen/core';
import type pg from 'pg';
import {
  PKG,
  type PostgresTarget,
  backendError,
  openStorePool,
  query,
  quoteSchema,
  withTransaction,
} from '../pgSupport.js';
import {
  type FaceIndexOptions,
  type FaceIndexPlan,
  faceIndexMigrations,
  faceSearchSql,
  planFaceIndex,
} from './faceIndex.js';
import { faceVectorMigrations, identityMigrations, migrateStoreComponent } from './migrations.js';

/** How 1:N face search runs. */
export type FaceSearchMode = 'pgvector' | 'scan';

/** Options of {@link createPostgresIdentityDriver}. */
export type PostgresIdentityDriverOptions = PostgresTarget & {
  /**
   * Schema holding the tables (created when missing).
   * @default 'public'
   */
  schema?: string;
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
   * created) and the store's in-process exact scan otherwise; `pgvector` requires it; `scan` never uses it.
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
  /**
   * The index that answers approximate face search: HNSW or IVFFlat, over the float vector, a
   * `halfvec` copy or binary sign codes, with exact re-ranking of the candidates by the full
   * embedding, and pgvector's iterative scans. Created (once, recorded in `sc_store_migrations`)
   * when the store opens. The full embedding is what is searchable in clear either way.
   * @default { type: 'hnsw', quantization: 'none' } (the float HNSW index)
   */
  faceIndex?: FaceIndexOptions;
};

/** Options of {@link createPostgresIdentityStore}: the driver's options plus the store's. */
export type PostgresIdentityStoreOptions = PostgresIdentityDriverOptions & IdentityStoreOptions;

/** The PostgreSQL identity driver, with its pool. */
export interface PostgresIdentityDriver extends IdentityStoreDriver {
  /** The pool (share it with `createPostgresAuditLog`). */
  readonly pool: pg.Pool;
  /** The schema the tables live in. */
  readonly schema: string;
  /** How face search runs: the driver's pgvector index, or the store's in-process scan. */
  readonly faceSearchMode: FaceSearchMode;
}

/** The PostgreSQL identity store. */
export interface PostgresIdentityStore extends FullIdentityStore {
  /** The pool (share it with `createPostgresAuditLog`). */
  readonly pool: pg.Pool;
  /** The schema the tables live in. */
  readonly schema: string;
  /** How {@link IdentityStore.searchFaces} runs. */
  readonly faceSearchMode: FaceSearchMode;
}

interface CitizenRow {
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
const u8 = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const toTemplate = (r: TemplateRow): SealedTemplateRow => ({
  id: r.id,
  idNumber: r.id_number,
  kind: r.kind,
  format: r.format,
  label: r.label,
  createdAt: Number(r.created_at),
  keyId: r.key_id,
  iv: u8(r.iv),
  ciphertext: u8(r.ciphertext),
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
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Rows per multi-row statement (9 parameters a template row; PostgreSQL takes 65,535). */
const CITIZEN_CHUNK = 2000;
const TEMPLATE_CHUNK = 500;

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

async function pgvectorAvailable(pool: pg.Pool, logger: Logger): Promise<boolean> {
  const have = await query<{ n: string }>(pool, "SELECT count(*) AS n FROM pg_extension WHERE extname = 'vector'");
  if (Number(have.rows[0]?.n) > 0) return true;
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

/** Migrate the schema and settle the face search mode. */
async function prepare(
  pool: pg.Pool,
  options: PostgresIdentityDriverOptions,
  schema: string,
  dimension: number,
  plan: FaceIndexPlan,
) {
  const logger = options.logger ?? silentLogger;
  const applied = await migrateStoreComponent(pool, schema, 'identity', identityMigrations);
  if (applied.length) logger.info('identity store migrated', { versions: applied.join(',') });
  const wanted = options.faceSearch ?? 'auto';
  const mode: FaceSearchMode = wanted !== 'scan' && (await pgvectorAvailable(pool, logger)) ? 'pgvector' : 'scan';
  if (wanted === 'pgvector' && mode !== 'pgvector') {
    throw new SmartCitizenError('store/pgvector-unavailable', 'the pgvector extension is not available', { pkg: PKG });
  }
  if (mode === 'pgvector') {
    await migrateStoreComponent(
      pool,
      schema,
      'identity-pgvector',
      faceVectorMigrations(dimension, plan.m, plan.efConstruction),
    );
    const t = await query<{ t: string }>(
      pool,
      `SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute
       WHERE attrelid = '${quoteSchema(schema)}.sc_identity_face_vectors'::regclass AND attname = 'embedding'`,
    );
    if (t.rows[0]?.t !== `vector(${dimension})`) {
      throw new SmartCitizenError('store/face-dimension-mismatch', 'the face vector table has another dimension', {
        pkg: PKG,
        details: { expected: dimension, found: t.rows[0]?.t ?? 'none' },
      });
    }
    if (plan.iterativeScan !== 'off') {
      // Iterative index scans came with pgvector 0.8.0.
      const v = await query<{ v: string }>(pool, "SELECT extversion AS v FROM pg_extension WHERE extname = 'vector'");
      const [major = 0, minor = 0] = (v.rows[0]?.v ?? '0.0').split('.').map(Number);
      if (major === 0 && minor < 8) {
        throw new SmartCitizenError('store/invalid-config', 'iterative index scans need pgvector 0.8.0 or later', {
          pkg: PKG,
          details: { installed: v.rows[0]?.v ?? 'none' },
        });
      }
    }
    const created = await migrateStoreComponent(pool, schema, plan.component, faceIndexMigrations(plan, dimension));
    if (created.length) logger.info('face search index ready', { index: plan.name });
  }
  return mode;
}

/**
 * The identity-store driver on PostgreSQL (`pg`): versioned migrations in `sc_store_migrations`,
 * every write in a transaction, typed `store/connection-lost` when the server goes away
 * mid-operation (the server rolls the open transaction back, so nothing is half-written). With
 * pgvector it stores a searchable copy of each face embedding and answers face search with HNSW.
 * @param options - connection, schema, face search mode
 * @returns the driver, migrated and ready
 */
export async function createPostgresIdentityDriver(
  options: PostgresIdentityDriverOptions,
): Promise<PostgresIdentityDriver> {
  const logger = options.logger ?? silentLogger;
  const schema = options.schema ?? 'public';
  const s = quoteSchema(schema);
  const dimension = options.faceDimension ?? 512;
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > 16000) {
    throw new SmartCitizenError('store/invalid-config', 'faceDimension must be an integer in 1..16000', { pkg: PKG });
  }
  const plan = planFaceIndex(options.faceIndex, options.hnsw);
  const {
    pool,
    prepared: mode,
    close,
  } = await openStorePool(
    options,
    (pool) => prepare(pool, options, schema, dimension, plan),
    (err) => logger.warn('idle PostgreSQL connection failed', { code: (err as { code?: string }).code ?? 'unknown' }),
  );

  const citizen = `SELECT data, created_at, updated_at FROM ${s}.sc_identity_citizens`;
  const getCitizen = async (c: pg.Pool | pg.PoolClient, idNumber: string) => {
    const r = await c.query<CitizenRow>(`${citizen} WHERE id_number = $1`, [idNumber]);
    return r.rows[0] ? toRecord(r.rows[0]) : undefined;
  };
  const transactionOf = (c: pg.PoolClient): IdentityStoreTransaction => ({
    getCitizen: (idNumber) => getCitizen(c, idNumber),
    async putCitizens(identities, now) {
      for (let i = 0; i < identities.length; i += CITIZEN_CHUNK) {
        const batch = identities.slice(i, i + CITIZEN_CHUNK);
        await c.query(
          `INSERT INTO ${s}.sc_identity_citizens (id_number, old_id_number, data, created_at, updated_at)
           SELECT id, old, data, $4, $4 FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS t(id, old, data)
           ON CONFLICT (id_number) DO UPDATE SET old_id_number = excluded.old_id_number, data = excluded.data,
             updated_at = excluded.updated_at`,
          [
            batch.map((b) => b.idNumber),
            batch.map((b) => b.oldIdNumber ?? null),
            batch.map((b) => JSON.stringify(b)),
            now,
          ],
        );
      }
    },
    async deleteCitizen(idNumber) {
      // Templates and their face vectors go with the citizen (ON DELETE CASCADE).
      await c.query(`DELETE FROM ${s}.sc_consent_records WHERE id_number = $1`, [idNumber]);
      const d = await c.query(`DELETE FROM ${s}.sc_identity_citizens WHERE id_number = $1`, [idNumber]);
      return (d.rowCount ?? 0) > 0;
    },
    async missingCitizens(idNumbers) {
      const found = await c.query<{ id_number: string }>(
        `SELECT id_number FROM ${s}.sc_identity_citizens WHERE id_number = ANY($1::text[]) FOR SHARE`,
        [idNumbers],
      );
      const have = new Set(found.rows.map((r) => r.id_number));
      return idNumbers.filter((id) => !have.has(id));
    },
    async insertTemplates(rows, vectors) {
      for (let i = 0; i < rows.length; i += TEMPLATE_CHUNK) {
        const batch = rows.slice(i, i + TEMPLATE_CHUNK);
        const values = batch.flatMap((r) => [
          r.id,
          r.idNumber,
          r.kind,
          r.format,
          r.label,
          r.keyId,
          r.iv,
          r.ciphertext,
          r.createdAt,
        ]);
        const tuples = batch.map((_, j) => `(${Array.from({ length: 9 }, (_, k) => `$${9 * j + k + 1}`).join(', ')})`);
        await c.query(
          `INSERT INTO ${s}.sc_identity_templates (id, id_number, kind, format, label, key_id, iv, ciphertext, created_at)
           VALUES ${tuples.join(', ')}`,
          values,
        );
        if (mode !== 'pgvector' || !vectors) continue;
        // One binary vector parameter per row (no text formatting or parsing).
        const faces = batch.flatMap((r, j) => {
          const v = vectors[i + j];
          return v ? [[r.id, r.idNumber, vectorBinary(v)]] : [];
        });
        if (faces.length === 0) continue;
        await c.query(
          `INSERT INTO ${s}.sc_identity_face_vectors (template_id, id_number, embedding)
           VALUES ${faces.map((_, j) => `($${3 * j + 1}::uuid, $${3 * j + 2}, $${3 * j + 3}::vector)`).join(', ')}`,
          faces.flat(),
        );
      }
    },
    async deleteTemplate(templateId) {
      if (!UUID.test(templateId)) return undefined;
      const d = await c.query<{ id_number: string }>(
        `DELETE FROM ${s}.sc_identity_templates WHERE id = $1 RETURNING id_number`,
        [templateId],
      );
      return d.rows[0]?.id_number;
    },
    async resealTemplate(templateId, fromKeyId, sealed) {
      const u = await c.query(
        `UPDATE ${s}.sc_identity_templates SET key_id = $1, iv = $2, ciphertext = $3 WHERE id = $4 AND key_id = $5`,
        [sealed.keyId, sealed.iv, sealed.ciphertext, templateId, fromKeyId],
      );
      return (u.rowCount ?? 0) > 0;
    },
    async insertConsent(r) {
      await c.query(
        `INSERT INTO ${s}.sc_consent_records (id, id_number, purpose, scope, granted_at, expires_at, reference)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [r.id, r.idNumber, r.purpose, JSON.stringify(r.scope), r.grantedAt, r.expiresAt, r.reference],
      );
    },
    async withdrawConsent(consentId, at) {
      if (!UUID.test(consentId)) return undefined;
      const u = await c.query<ConsentRow>(
        `UPDATE ${s}.sc_consent_records SET withdrawn_at = $2 WHERE id = $1 AND withdrawn_at IS NULL RETURNING *`,
        [consentId, at],
      );
      if (u.rows[0]) return { record: toConsent(u.rows[0]), changed: true };
      const r = await c.query<ConsentRow>(`SELECT * FROM ${s}.sc_consent_records WHERE id = $1`, [consentId]);
      return r.rows[0] && { record: toConsent(r.rows[0]), changed: false };
    },
    async appendChanges(entries) {
      const seqs: number[] = [];
      for (let i = 0; i < entries.length; i += CITIZEN_CHUNK) {
        const batch = entries.slice(i, i + CITIZEN_CHUNK);
        const r = await c.query<{ seq: string }>(
          `INSERT INTO ${s}.sc_identity_changes (id_number, op, at)
           SELECT id, op, at FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS t(id, op, at, i)
           ORDER BY i RETURNING seq`,
          [batch.map((e) => e.idNumber), batch.map((e) => e.op), batch.map((e) => e.at)],
        );
        seqs.push(...r.rows.map((x) => Number(x.seq)));
      }
      return seqs;
    },
  });

  const vectorSearch: DriverVectorSearch | undefined =
    mode === 'pgvector'
      ? {
          kinds: ['face'],
          dimension,
          async search(_kind, vector, { k, exact }) {
            const vec = vectorBinary(vector);
            const table = `${s}.sc_identity_face_vectors`;
            const rows = await withTransaction(pool, async (c) => {
              type Hit = { template_id: string; id_number: string; distance: number };
              if (exact) {
                // Every index off: a sequential scan computing the exact cosine of each row.
                await c.query('SET LOCAL enable_indexscan = off');
                const r = await c.query<Hit>(
                  `SELECT template_id, id_number, embedding <=> $1::vector AS distance
                   FROM ${table} ORDER BY embedding <=> $1::vector LIMIT $2`,
                  [vec, k],
                );
                return r.rows;
              }
              const q = faceSearchSql(plan, dimension, table, vec, k);
              for (const setting of q.settings) await c.query(setting);
              return (await c.query<Hit>(q.sql, q.params)).rows;
            });
            return rows.map((r) => ({
              idNumber: r.id_number,
              templateId: r.template_id,
              similarity: Math.max(-1, Math.min(1, 1 - Number(r.distance))),
            }));
          },
        }
      : undefined;

  return {
    name: 'postgres',
    pkg: PKG,
    pool,
    schema,
    faceSearchMode: mode,
    getCitizen: (idNumber) => getCitizen(pool, idNumber).catch((err: unknown) => Promise.reject(backendError(err))),
    async findByOldIdNumber(oldIdNumber) {
      const r = await query<CitizenRow>(pool, `${citizen} WHERE old_id_number = $1 ORDER BY id_number`, [oldIdNumber]);
      return r.rows.map(toRecord);
    },
    async countCitizens() {
      const r = await query<{ n: string }>(pool, `SELECT count(*) AS n FROM ${s}.sc_identity_citizens`);
      return Number(r.rows[0]?.n ?? 0);
    },
    async listChanges({ afterSeq, since, limit }) {
      const r = await query<{ seq: string; id_number: string; op: ChangeOp; at: string }>(
        pool,
        `SELECT seq, id_number, op, at FROM ${s}.sc_identity_changes WHERE seq > $1 AND at >= $2 ORDER BY seq LIMIT $3`,
        [afterSeq, since, limit],
      );
      return r.rows.map(
        (x): ChangeEntry => ({ seq: Number(x.seq), idNumber: x.id_number, op: x.op, at: Number(x.at) }),
      );
    },
    async headSeq() {
      const r = await query<{ seq: string }>(pool, `SELECT COALESCE(MAX(seq), 0) AS seq FROM ${s}.sc_identity_changes`);
      return Number(r.rows[0]?.seq ?? 0);
    },
    async listTemplates(idNumber, kind) {
      const r = await query<TemplateRow>(
        pool,
        `SELECT * FROM ${s}.sc_identity_templates WHERE id_number = $1 AND ($2::text IS NULL OR kind = $2)
         ORDER BY created_at, seq`,
        [idNumber, kind ?? null],
      );
      return r.rows.map(toTemplate);
    },
    async scanTemplates({ kind, notKeyId, after, limit }) {
      const r = await query<TemplateRow>(
        pool,
        `SELECT * FROM ${s}.sc_identity_templates WHERE seq > $1 AND ($2::text IS NULL OR kind = $2)
         AND ($3::text IS NULL OR key_id <> $3) ORDER BY seq LIMIT $4`,
        [after, kind ?? null, notKeyId ?? null, limit],
      );
      const last = r.rows[r.rows.length - 1];
      return { rows: r.rows.map(toTemplate), next: last ? Number(last.seq) : after };
    },
    async listConsents(idNumber) {
      const r = await query<ConsentRow>(
        pool,
        `SELECT * FROM ${s}.sc_consent_records WHERE id_number = $1 ORDER BY granted_at, seq`,
        [idNumber],
      );
      return r.rows.map(toConsent);
    },
    transaction: (fn) => withTransaction(pool, (c) => fn(transactionOf(c))),
    ...(vectorSearch ? { vectorSearch } : {}),
    close,
  };
}

/**
 * The identity store on PostgreSQL: the core store ({@link createIdentityStore}) over
 * {@link createPostgresIdentityDriver}. 1:N face search uses pgvector HNSW when available, else
 * the store's exact in-process scan.
 * @param options - connection, schema, keys, face search mode
 * @returns the store, migrated and ready
 * @example
 * const store = await createPostgresIdentityStore({ connectionString: 'postgres://postgres@127.0.0.1/test', keys });
 */
export async function createPostgresIdentityStore(
  options: PostgresIdentityStoreOptions,
): Promise<PostgresIdentityStore> {
  const faceDimension = options.faceDimension ?? 512;
  const driver = await createPostgresIdentityDriver({ ...options, faceDimension });
  return {
    ...createIdentityStore({ ...options, faceDimension, driver }),
    pool: driver.pool,
    schema: driver.schema,
    faceSearchMode: driver.faceSearchMode,
  };
}
