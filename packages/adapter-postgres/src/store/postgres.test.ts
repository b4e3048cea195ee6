import {
  createStaticKeyProvider,
  encodeEmbedding,
  isSmartCitizenError,
  normalizeVector,
  verifyAuditChain,
} from '@smart-citizen/core';
import { describeAuditLogConformance, describeIdentityStoreConformance } from '@smart-citizen/core/testing';
import { postgresUrl } from '@smart-citizen/test-kit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresQueueBackend } from '../queue/createPostgresQueueBackend.js';
import { createPostgresAuditLog } from './createPostgresAuditLog.js';
import { openTestServer } from '../../test/pgTestSchemas.js';
import { createPostgresIdentityStore, vectorBinary, vectorLiteral } from './createPostgresIdentityStore.js';

const server = await openTestServer();
const { available, admin, vector, newSchema, drop } = server;
afterAll(() => server.end());

describe.skipIf(!available)('PostgreSQL identity store', () => {
  for (const faceSearch of vector ? (['pgvector', 'scan'] as const) : (['scan'] as const)) {
    describeIdentityStoreConformance(`postgres (${faceSearch})`, async (ctx) => {
      const schema = newSchema();
      const store = await createPostgresIdentityStore({
        connectionString: postgresUrl,
        schema,
        faceSearch,
        clock: ctx.clock,
        faceDimension: ctx.faceDimension,
        indexes: ctx.indexes,
        maxConnections: 2,
        ...(ctx.keys ? { keys: ctx.keys } : {}),
      });
      expect(store.faceSearchMode).toBe(faceSearch);
      return {
        store,
        rawTemplateBytes: async (id) => {
          const r = await admin?.query(`SELECT ciphertext FROM "${schema}".sc_identity_templates WHERE id = $1`, [id]);
          const row = r?.rows[0] as { ciphertext: Uint8Array } | undefined;
          return row ? new Uint8Array(row.ciphertext) : undefined;
        },
        cleanup: () => drop(schema),
      };
    });
  }

  describeAuditLogConformance('postgres', async ({ clock }) => {
    const schema = newSchema();
    const log = await createPostgresAuditLog({ connectionString: postgresUrl, schema, clock, maxConnections: 3 });
    return {
      log,
      tamper: async (seq, change) => {
        // An attacker with table-owner rights can switch the triggers off: the chain still tells.
        const c = await admin?.connect();
        try {
          await c?.query(`ALTER TABLE "${schema}".sc_audit_log DISABLE TRIGGER USER`);
          if (change.delete) await c?.query(`DELETE FROM "${schema}".sc_audit_log WHERE seq = $1`, [seq]);
          if (change.patch?.subject !== undefined) {
            await c?.query(`UPDATE "${schema}".sc_audit_log SET subject = $2 WHERE seq = $1`, [
              seq,
              change.patch.subject,
            ]);
          }
          await c?.query(`ALTER TABLE "${schema}".sc_audit_log ENABLE TRIGGER USER`);
        } finally {
          c?.release();
        }
      },
      cleanup: () => drop(schema),
    };
  });

  describe('PostgreSQL specifics', () => {
    const keys = () => createStaticKeyProvider({ keys: [{ id: 'k1', key: new Uint8Array(32).fill(2) }] });
    /** A store with keys and 8-d face vectors in its own schema (pgvector when available). */
    const openVectorStore = (sch: string) =>
      createPostgresIdentityStore({ connectionString: postgresUrl, schema: sch, faceDimension: 8, keys: keys() });
    let schema: string;
    beforeAll(() => {
      schema = newSchema();
    });

    it('records versioned migrations once and refuses a newer schema', async () => {
      const s1 = await createPostgresIdentityStore({ connectionString: postgresUrl, schema, faceDimension: 8 });
      const s2 = await createPostgresIdentityStore({ connectionString: postgresUrl, schema, faceDimension: 8 });
      const r = await admin?.query(`SELECT component, version FROM "${schema}".sc_store_migrations ORDER BY 1, 2`);
      expect(r?.rows).toEqual([
        { component: 'identity', version: 1 },
        { component: 'identity', version: 2 },
        ...(vector ? [{ component: 'identity-pgvector', version: 1 }] : []),
      ]);
      expect(s1.faceSearchMode).toBe(vector ? 'pgvector' : 'scan');
      await s1.close();
      await s2.close();
      let err: unknown;
      if (vector) {
        try {
          await createPostgresIdentityStore({ connectionString: postgresUrl, schema, faceDimension: 16 });
        } catch (e) {
          err = e;
        }
        expect(isSmartCitizenError(err, 'store/face-dimension-mismatch')).toBe(true);
      }
      await admin?.query(
        `INSERT INTO "${schema}".sc_store_migrations (component, version, name) VALUES ('identity', 42, 'x')`,
      );
      err = undefined;
      try {
        await createPostgresIdentityStore({ connectionString: postgresUrl, schema, faceDimension: 8 });
      } catch (e) {
        err = e;
      }
      expect(isSmartCitizenError(err, 'store/schema-too-new')).toBe(true);
    });

    it.skipIf(!vector)('uses the HNSW index for approximate search and a scan for exact search', async () => {
      const sch = newSchema();
      const store = await openVectorStore(sch);
      expect(store.faceSearchMode).toBe('pgvector');
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const id = `0010990${String(i).padStart(5, '0')}`;
        ids.push(id);
        await store.upsert({ idNumber: id });
        const v = new Float32Array(8).map((_, j) => Math.sin(i * 7.1 + j * 1.3));
        await store.enrolTemplate(id, { kind: 'face', format: 'f32', data: encodeEmbedding(v) });
      }
      const probe = new Float32Array(8).map((_, j) => Math.sin(13 * 7.1 + j * 1.3) + 0.01);
      const approx = await store.searchFaces(probe, { k: 3 });
      const exact = await store.searchFaces(probe, { k: 3, exact: true });
      expect(exact[0]?.idNumber).toBe(ids[13]);
      expect(approx[0]?.idNumber).toBe(ids[13]);
      const c = await admin?.connect();
      try {
        await c?.query('BEGIN');
        await c?.query('SET LOCAL enable_seqscan = off');
        const plan = await c?.query(
          `EXPLAIN SELECT template_id FROM "${sch}".sc_identity_face_vectors ORDER BY embedding <=> '[1,0,0,0,0,0,0,0]'::vector LIMIT 3`,
        );
        expect(JSON.stringify(plan?.rows)).toContain('sc_identity_face_vectors_hnsw');
        await c?.query('ROLLBACK');
      } finally {
        c?.release();
      }
      // The searchable copy is unit length; the template itself stays encrypted.
      const raw = await admin?.query(`SELECT count(*)::int AS n FROM "${sch}".sc_identity_face_vectors`);
      expect(raw?.rows[0]).toEqual({ n: 40 });
      await store.close();
    });

    it.skipIf(!vector)(
      'sends vectors in pgvector binary form: same value as the text literal, unit length',
      async () => {
        const v = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i * 0.37) * (i % 7) - 0.2);
        // Exact text of the same unit float32 values (every float32 prints and parses back exactly).
        const exact = `[${Array.from(normalizeVector(v)).join(',')}]`;
        const r = await admin?.query<{ same: boolean; close: boolean; norm: number; dims: number }>(
          `SELECT $1::vector = $2::vector AS same, ($1::vector <=> $3::vector) < 1e-6 AS close,
                vector_norm($1::vector) AS norm, vector_dims($1::vector) AS dims`,
          [vectorBinary(v), exact, vectorLiteral(v)],
        );
        expect(r?.rows[0]?.same).toBe(true);
        expect(r?.rows[0]?.close).toBe(true);
        expect(r?.rows[0]?.dims).toBe(512);
        expect(r?.rows[0]?.norm).toBeCloseTo(1, 5);
      },
    );

    it.skipIf(!vector)(
      'enrols a batch of face templates across several INSERT chunks, each searchable and encrypted',
      async () => {
        const sch = newSchema();
        const store = await openVectorStore(sch);
        const n = 1_234;
        const id = (i: number) => `0020990${String(i).padStart(5, '0')}`;
        // Distinct directions: a hashed pseudo-random vector per i.
        const vec = (i: number) =>
          new Float32Array(8).map((_, j) => {
            const x = Math.sin((i + 1) * 12.9898 + (j + 1) * 78.233) * 43758.5453;
            return x - Math.floor(x) - 0.5;
          });
        await store.upsertMany(Array.from({ length: n }, (_, i) => ({ idNumber: id(i) })));
        const out = await store.enrolTemplates(
          Array.from({ length: n }, (_, i) => ({
            idNumber: id(i),
            template: { kind: 'face' as const, format: 'f32', data: encodeEmbedding(vec(i)) },
          })),
        );
        expect(out.map((t) => t.idNumber)).toEqual(Array.from({ length: n }, (_, i) => id(i)));
        const counts = await admin?.query<{ v: number; t: number; c: number }>(
          `SELECT (SELECT count(*)::int FROM "${sch}".sc_identity_face_vectors) AS v,
                (SELECT count(*)::int FROM "${sch}".sc_identity_templates) AS t,
                (SELECT count(*)::int FROM "${sch}".sc_identity_changes WHERE op = 'template-enrol') AS c`,
        );
        expect(counts?.rows[0]).toEqual({ v: n, t: n, c: n });
        for (const i of [0, 499, 500, 1_233]) {
          const hits = await store.searchFaces(vec(i), { k: 1, exact: true });
          expect(hits[0]?.idNumber).toBe(id(i));
          expect(hits[0]?.templateId).toBe(out[i]?.id);
          expect(hits[0]?.similarity).toBeCloseTo(1, 5);
          const [t] = await store.getTemplates(id(i), 'face');
          expect(t?.data).toEqual(encodeEmbedding(vec(i)));
        }
        // Ciphertext is incompressible: stored MAIN (inline), not in TOAST.
        const st = await admin?.query<{ attstorage: string }>(
          `SELECT attstorage FROM pg_attribute WHERE attrelid = '"${sch}".sc_identity_templates'::regclass AND attname = 'ciphertext'`,
        );
        expect(st?.rows[0]?.attstorage).toBe('m');
        // All or nothing: one unknown owner and the batch leaves no row.
        await expect(
          store.enrolTemplates([
            { idNumber: id(1), template: { kind: 'face', format: 'f32', data: encodeEmbedding(vec(1)) } },
            { idNumber: '099999999999', template: { kind: 'face', format: 'f32', data: encodeEmbedding(vec(2)) } },
          ]),
        ).rejects.toSatisfy((e: unknown) => isSmartCitizenError(e, 'store/not-found'));
        const after = await admin?.query<{ v: number }>(
          `SELECT count(*)::int AS v FROM "${sch}".sc_identity_face_vectors`,
        );
        expect(after?.rows[0]?.v).toBe(n);
        await store.close();
      },
    );

    /** A store on one named connection in a fresh schema, so a test can find its backend and terminate it. */
    const openOneConnectionStore = async (appPrefix: string) => {
      const sch = newSchema();
      const app = `${appPrefix}${sch}`;
      const store = await createPostgresIdentityStore({
        connectionString: postgresUrl,
        schema: sch,
        faceSearch: 'scan',
        applicationName: app,
        maxConnections: 1,
      });
      return { sch, app, store };
    };

    it('gives store/connection-lost and writes nothing when the backend is terminated mid-import', async () => {
      const { sch, app, store } = await openOneConnectionStore('sc-test-');
      const many = Array.from({ length: 120_000 }, (_, i) => ({
        idNumber: `0${String(10_000_000_000 + i).slice(-11)}`,
        fullName: 'Người Thử',
      }));
      const started = store.upsertMany(many).then(() => undefined);
      let terminated = 0;
      const killer = (async () => {
        for (let i = 0; i < 1000 && terminated === 0; i++) {
          const r = await admin?.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND xact_start IS NOT NULL
             AND now() - xact_start > interval '150 milliseconds'`,
            [app],
          );
          for (const row of r?.rows ?? []) {
            await admin?.query('SELECT pg_terminate_backend($1)', [row.pid]);
            terminated++;
          }
          await new Promise((res) => setTimeout(res, 20));
        }
      })();
      let err: unknown;
      try {
        await started;
      } catch (e) {
        err = e;
      }
      await killer;
      expect(terminated).toBeGreaterThan(0);
      expect(isSmartCitizenError(err, 'store/connection-lost')).toBe(true);
      const left = await admin?.query(`SELECT count(*)::int AS n FROM "${sch}".sc_identity_citizens`);
      expect(left?.rows[0]).toEqual({ n: 0 });
      const changes = await admin?.query(`SELECT count(*)::int AS n FROM "${sch}".sc_identity_changes`);
      expect(changes?.rows[0]).toEqual({ n: 0 });
      // The pool recovers with a new connection.
      await store.upsert({ idNumber: '001099012345' });
      expect(await store.count()).toBe(1);
      await store.close();
    });

    it('gives store/connection-lost on a single write when the connection is gone', async () => {
      const { sch, app, store } = await openOneConnectionStore('sc-test-single-');
      await store.upsert({ idNumber: '001099012345' });
      // Lock the row from another session so the next upsert waits, then kill the waiting backend.
      const blocker = await admin?.connect();
      await blocker?.query('BEGIN');
      await blocker?.query(`SELECT 1 FROM "${sch}".sc_identity_citizens WHERE id_number = '001099012345' FOR UPDATE`);
      const pending = store.upsert({ idNumber: '001099012345', fullName: 'Tên Mới' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      for (let i = 0; i < 200; i++) {
        const r = await admin?.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
          [app],
        );
        if (r?.rows[0]) {
          await admin?.query('SELECT pg_terminate_backend($1)', [r.rows[0].pid]);
          break;
        }
        await new Promise((res) => setTimeout(res, 20));
      }
      expect(isSmartCitizenError(await pending, 'store/connection-lost')).toBe(true);
      await blocker?.query('ROLLBACK');
      blocker?.release();
      expect((await store.get('001099012345'))?.identity.fullName).toBeUndefined();
      await store.close();
    });

    it('refuses a bad schema name with a typed error in the store, the audit log and the queue alike', async () => {
      for (const schema of ['Bad-Name', 'x; DROP TABLE y', '']) {
        const tries = [
          createPostgresIdentityStore({ connectionString: postgresUrl, schema }),
          createPostgresAuditLog({ connectionString: postgresUrl, schema }),
        ];
        for (const t of tries) {
          expect(isSmartCitizenError(await t.catch((e: unknown) => e), 'store/invalid-config')).toBe(true);
        }
        const q = await createPostgresQueueBackend({ connectionString: postgresUrl, schema }).catch((e: unknown) => e);
        expect(isSmartCitizenError(q, 'queue/invalid-config')).toBe(true);
      }
    });

    it('refuses UPDATE, DELETE and TRUNCATE on the audit log', async () => {
      const sch = newSchema();
      const log = await createPostgresAuditLog({ connectionString: postgresUrl, schema: sch });
      await log.append({ actor: 'desk-1', action: 'identity.read', subject: '001099012345', purpose: 'test' });
      for (const sql of [
        `UPDATE "${sch}".sc_audit_log SET actor = 'x'`,
        `DELETE FROM "${sch}".sc_audit_log`,
        `TRUNCATE "${sch}".sc_audit_log`,
      ]) {
        await expect(admin?.query(sql)).rejects.toThrow(/append-only/);
      }
      expect(await verifyAuditChain(log)).toMatchObject({ ok: true, count: 1 });
      await log.close();
    });

    it('shares one pool between the store and the audit log', async () => {
      const sch = newSchema();
      const pool = new pg.Pool({ connectionString: postgresUrl, max: 2 });
      const store = await createPostgresIdentityStore({ pool, schema: sch, faceSearch: 'auto', faceDimension: 4 });
      const log = await createPostgresAuditLog({ pool, schema: sch });
      await store.upsert({ idNumber: '001099012345' });
      await log.append({ actor: 'a', action: 'identity.upsert', subject: '001099012345', purpose: 'test' });
      await store.close();
      await log.close();
      expect((await pool.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
      await pool.end();
    });
  });
});
