import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStaticKeyProvider, encodeEmbedding, isSmartCitizenError, verifyAuditChain } from '@smart-citizen/core';
import { describeAuditLogConformance, describeIdentityStoreConformance } from '@smart-citizen/core/testing';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteAuditLog } from './createSqliteAuditLog.js';
import { createSqliteIdentityStore } from './createSqliteIdentityStore.js';
import { identityMigrations, runSqliteMigrations } from './migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'sc-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `db-${++n}.sqlite`);

describeIdentityStoreConformance('sqlite file (WAL)', async (ctx) => {
  const path = freshPath();
  const store = createSqliteIdentityStore({
    path,
    clock: ctx.clock,
    faceDimension: ctx.faceDimension,
    indexes: ctx.indexes,
    ...(ctx.keys ? { keys: ctx.keys } : {}),
  });
  return {
    store,
    rawTemplateBytes: async (id) => {
      const row = store.database.prepare('SELECT ciphertext FROM sc_identity_templates WHERE id = ?').get(id) as
        | { ciphertext: Uint8Array }
        | undefined;
      return row ? new Uint8Array(row.ciphertext) : undefined;
    },
  };
});

describeIdentityStoreConformance('sqlite :memory:', async (ctx) => ({
  store: createSqliteIdentityStore({
    path: ':memory:',
    clock: ctx.clock,
    indexes: ctx.indexes,
    ...(ctx.keys ? { keys: ctx.keys } : {}),
  }),
}));

describeAuditLogConformance('sqlite', async ({ clock }) => {
  const log = createSqliteAuditLog({ path: freshPath(), clock });
  const db = log.database;
  return {
    log,
    tamper: async (seq, change) => {
      // Bypass the append-only triggers the way an attacker with file access would.
      db.exec('DROP TRIGGER IF EXISTS sc_audit_log_no_update; DROP TRIGGER IF EXISTS sc_audit_log_no_delete;');
      if (change.delete) db.prepare('DELETE FROM sc_audit_log WHERE seq = ?').run(seq);
      if (change.patch?.subject !== undefined) {
        db.prepare('UPDATE sc_audit_log SET subject = ? WHERE seq = ?').run(change.patch.subject, seq);
      }
    },
  };
});

describe('SQLite adapter specifics', () => {
  const keys = () => createStaticKeyProvider({ keys: [{ id: 'k1', key: new Uint8Array(32).fill(1) }] });

  it('opens files in WAL mode and keeps data across reopen', async () => {
    const path = freshPath();
    const s1 = createSqliteIdentityStore({ path, keys: keys() });
    expect(s1.database.pragma('journal_mode', { simple: true })).toBe('wal');
    await s1.upsert({ idNumber: '001099012345', fullName: 'Nguyễn Văn Thử' });
    await s1.enrolTemplate('001099012345', { kind: 'fingerprint', format: 'x', data: new Uint8Array([1, 2, 3]) });
    await s1.close();
    const s2 = createSqliteIdentityStore({ path, keys: keys() });
    expect((await s2.get('001099012345'))?.identity.fullName).toBe('Nguyễn Văn Thử');
    expect((await s2.getTemplates('001099012345'))[0]?.data).toEqual(new Uint8Array([1, 2, 3]));
    const versions = s2.database
      .prepare("SELECT version FROM sc_store_migrations WHERE component = 'identity'")
      .all() as { version: number }[];
    expect(versions.map((v) => v.version)).toEqual([1]);
    await s2.close();
  });

  it('applies each migration once and refuses a database from a newer version', () => {
    const db = new BetterSqlite3(':memory:');
    expect(runSqliteMigrations(db, 'identity', identityMigrations)).toEqual([1]);
    expect(runSqliteMigrations(db, 'identity', identityMigrations)).toEqual([]);
    db.prepare("INSERT INTO sc_store_migrations VALUES ('identity', 99, 'future', 0)").run();
    let err: unknown;
    try {
      createSqliteIdentityStore({ database: db });
    } catch (e) {
      err = e;
    }
    expect(isSmartCitizenError(err, 'store/schema-too-new')).toBe(true);
    db.close();
  });

  it('refuses UPDATE and DELETE on the audit log', async () => {
    const log = createSqliteAuditLog({ path: ':memory:' });
    await log.append({ actor: 'desk-1', action: 'identity.read', subject: '001099012345', purpose: 'test' });
    expect(() => log.database.prepare("UPDATE sc_audit_log SET actor = 'x'").run()).toThrow(/append-only/);
    expect(() => log.database.prepare('DELETE FROM sc_audit_log').run()).toThrow(/append-only/);
    expect(await verifyAuditChain(log)).toMatchObject({ ok: true, count: 1 });
    await log.close();
  });

  it('shares one database between the store and the audit log', async () => {
    const path = freshPath();
    const store = createSqliteIdentityStore({ path });
    const log = createSqliteAuditLog({ database: store.database });
    await store.upsert({ idNumber: '001099012345' });
    await log.append({ actor: 'a', action: 'identity.upsert', subject: '001099012345', purpose: 'test' });
    await log.close();
    expect(await store.get('001099012345')).toBeDefined();
    await store.close();
  });

  it('sees face templates enrolled by another connection to the same file', async () => {
    const path = freshPath();
    const k = keys();
    const a = createSqliteIdentityStore({ path, keys: k });
    const b = createSqliteIdentityStore({ path, keys: k });
    const v1 = new Float32Array(8).map((_, i) => (i === 0 ? 1 : 0.01));
    const v2 = new Float32Array(8).map((_, i) => (i === 1 ? 1 : 0.01));
    await a.upsert({ idNumber: '001099012345' });
    await a.upsert({ idNumber: '079185000111' });
    await a.enrolTemplate('001099012345', { kind: 'face', format: 'f32', data: encodeEmbedding(v1) });
    expect((await a.searchFaces(v2, { k: 1, minSimilarity: 0.9 })).length).toBe(0);
    await b.enrolTemplate('079185000111', { kind: 'face', format: 'f32', data: encodeEmbedding(v2) });
    expect((await a.searchFaces(v2, { k: 1 }))[0]?.idNumber).toBe('079185000111');
    await b.erase('079185000111');
    expect((await a.searchFaces(v2, { k: 1 }))[0]?.idNumber).toBe('001099012345');
    await a.close();
    await b.close();
  });

  it('rolls back a failed bulk import completely', async () => {
    const store = createSqliteIdentityStore({ path: ':memory:' });
    const many = Array.from({ length: 500 }, (_, i) => ({ idNumber: `0010990${String(i).padStart(5, '0')}` }));
    many[450] = { idNumber: '0010990x0450' };
    await expect(store.upsertMany(many)).rejects.toMatchObject({ code: 'store/invalid-identity' });
    expect(await store.count()).toBe(0);
    // A constraint failure inside the transaction (after validation) also leaves nothing.
    store.database.exec(
      "CREATE TRIGGER boom BEFORE INSERT ON sc_identity_citizens WHEN NEW.id_number = '001099000400' BEGIN SELECT RAISE(ABORT, 'boom'); END;",
    );
    await expect(
      store.upsertMany(many.map((m, i) => (i === 450 ? { idNumber: '001099000450' } : m))),
    ).rejects.toMatchObject({ code: 'store/backend-error' });
    expect(await store.count()).toBe(0);
    expect(await store.listChanges()).toEqual([]);
    await store.close();
  });

  it('throws a typed error after close', async () => {
    const store = createSqliteIdentityStore({ path: ':memory:' });
    await store.close();
    await expect(store.get('001099012345')).rejects.toMatchObject({ code: 'store/closed' });
  });
});
