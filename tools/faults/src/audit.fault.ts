// Audit log: rows edited, deleted, inserted and reordered behind the SDK's back (by someone with
// write access to the database, who first drops the append-only triggers) are each detected;
// when the audit write fails for real, the session returns no decision (fail closed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresAuditLog } from '@smart-citizen/adapter-postgres/store';
import { createSqliteAuditLog } from '@smart-citizen/adapter-sqlite';
import {
  type AuditEntry,
  type AuditLog,
  type DocumentEvidence,
  IdentificationSession,
  createMemoryIdentityStore,
  hashAuditEntry,
  isSmartCitizenError,
  verifyAuditChain,
} from '@smart-citizen/core';
import { conformanceCitizens } from '@smart-citizen/core/testing';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFault } from './report.js';
import { type PrivateServer, canStartServers, startPostgres } from './servers.js';

const available = canStartServers();
const dir = mkdtempSync(join(tmpdir(), 'sc-faults-audit-'));

/** Raw SQL on the log's table, as an attacker with database access would run it. */
interface RawTable {
  run(sql: string, params?: unknown[]): Promise<void>;
  rows(): Promise<AuditEntry[]>;
}

type Tamper = { name: string; apply: (t: RawTable) => Promise<void>; expected: Record<string, unknown> };

const forge = async (seq: number, prevHash: string): Promise<AuditEntry> => {
  const e = {
    seq,
    at: Date.UTC(2026, 0, 1),
    actor: 'desk-9',
    action: 'identity.read',
    subject: '079185000111',
    purpose: 'forged',
    details: {},
    prevHash,
  };
  return { ...e, hash: await hashAuditEntry(e) };
};

const cols = '(seq, at, actor, action, subject, purpose, details, prev_hash, hash)';
const values = (e: AuditEntry, json: (v: unknown) => unknown) => [
  e.seq,
  e.at,
  e.actor,
  e.action,
  e.subject,
  e.purpose,
  json(e.details),
  e.prevHash,
  e.hash,
];

function tampers(json: (v: unknown) => unknown, p: (i: number) => string): Tamper[] {
  const ins = `INSERT INTO sc_audit_log ${cols} VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9].map(p).join(', ')})`;
  return [
    {
      name: 'edited: subject of row 4 changed',
      apply: (t) => t.run(`UPDATE sc_audit_log SET subject = '079185000111' WHERE seq = 4`),
      expected: { ok: false, brokenAt: 4, reason: 'hash-mismatch' },
    },
    {
      name: 'edited: time of row 7 moved back an hour',
      apply: (t) => t.run('UPDATE sc_audit_log SET at = at - 3600000 WHERE seq = 7'),
      expected: { ok: false, brokenAt: 7, reason: 'hash-mismatch' },
    },
    {
      name: 'deleted: row 5',
      apply: (t) => t.run('DELETE FROM sc_audit_log WHERE seq = 5'),
      expected: { ok: false, brokenAt: 6, reason: 'seq-gap' },
    },
    {
      name: 'inserted: a forged row with a valid own hash at 5, later rows renumbered',
      apply: async (t) => {
        const rows = await t.rows();
        await t.run('UPDATE sc_audit_log SET seq = seq + 1000 WHERE seq >= 5');
        await t.run('UPDATE sc_audit_log SET seq = seq - 999 WHERE seq >= 1000');
        const f = await forge(5, rows[3]!.hash);
        await t.run(ins, values(f, json));
      },
      expected: { ok: false, brokenAt: 6, reason: 'prev-hash-mismatch' },
    },
    {
      name: 'inserted: a forged row appended with a correct chain (needs the anchored head hash)',
      apply: async (t) => {
        const rows = await t.rows();
        const f = await forge(rows.length + 1, rows.at(-1)!.hash);
        await t.run(ins, values(f, json));
      },
      expected: { ok: false, count: 11, reason: 'head-mismatch' },
    },
    {
      name: 'reordered: rows 3 and 4 swapped',
      apply: async (t) => {
        await t.run('UPDATE sc_audit_log SET seq = 1003 WHERE seq = 3');
        await t.run('UPDATE sc_audit_log SET seq = 3 WHERE seq = 4');
        await t.run('UPDATE sc_audit_log SET seq = 4 WHERE seq = 1003');
      },
      expected: { ok: false, brokenAt: 3, reason: 'prev-hash-mismatch' },
    },
  ];
}

async function fill(log: AuditLog): Promise<string> {
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = (
      await log.append({
        actor: `desk-${i % 3}`,
        action: i % 2 ? 'session.decide' : 'identity.read',
        subject: conformanceCitizens[i % 3]!.idNumber,
        purpose: 'cấp lại căn cước',
        details: { outcome: 'verified', level: i },
      })
    ).hash;
  }
  return head;
}

/** A document that verifies at level 1 for the store's first citizen. */
function verifiedSession(store: ReturnType<typeof createMemoryIdentityStore>, audit: AuditLog) {
  const c = conformanceCitizens[0]!;
  const s = new IdentificationSession({ store, audit, actor: 'desk-1' });
  s.addEvidence({
    kind: 'document',
    source: 'qr',
    fields: { idNumber: c.idNumber, fullName: c.fullName, dateOfBirth: c.dateOfBirth, sex: c.sex },
    confidence: 0.95,
    issues: [],
  } as DocumentEvidence);
  return s;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audit log tampering and failure', () => {
  let n = 0;
  const detected: Record<string, number> = {};
  const total: Record<string, number> = {};

  it('SQLite: every edit, deletion, insertion and reordering is detected', async () => {
    for (const t of tampers(JSON.stringify, () => '?')) {
      const path = join(dir, `audit-${n++}.db`);
      const log = createSqliteAuditLog({ path });
      const head = await fill(log);
      expect(await verifyAuditChain(log, { expectedHeadHash: head })).toMatchObject({ ok: true, count: 10 });
      const db = new Database(path);
      // The triggers refuse the change; an attacker with the file drops them first.
      expect(() => db.prepare('UPDATE sc_audit_log SET actor = ? WHERE seq = 1').run('x')).toThrow(/append-only/);
      db.exec('DROP TRIGGER sc_audit_log_no_update; DROP TRIGGER sc_audit_log_no_delete');
      await t.apply({
        run: async (sql, params = []) => {
          db.prepare(sql).run(...(params as unknown[]));
        },
        rows: async () => log.list(),
      });
      db.close();
      const v = await verifyAuditChain(log, { expectedHeadHash: head });
      expect(v, t.name).toMatchObject(t.expected);
      total.sqlite = (total.sqlite ?? 0) + 1;
      if (!v.ok) detected.sqlite = (detected.sqlite ?? 0) + 1;
      await log.close();
    }
  });

  describe.skipIf(!available)('on a private PostgreSQL', () => {
    let server: PrivateServer;
    let admin: pg.Pool;
    beforeAll(async () => {
      server = await startPostgres();
      admin = new pg.Pool({ connectionString: server.url, max: 2 });
      admin.on('error', () => undefined);
    });
    afterAll(async () => {
      await admin?.end();
      await server?.destroy();
      recordFault({
        fault:
          'Audit log rows edited (2 ways), deleted, inserted (mid-chain; appended with a valid chain), reordered — SQLite and PostgreSQL',
        injected: (total.sqlite ?? 0) + (total.postgres ?? 0),
        survived: `${(detected.sqlite ?? 0) + (detected.postgres ?? 0)} detected by verifyAuditChain (the appended, re-chained row only against the anchored head hash)`,
        lost: 0,
        recoveryMs: undefined,
      });
    });

    it('PostgreSQL: every edit, deletion, insertion and reordering is detected', async () => {
      for (const t of tampers(
        (v) => JSON.stringify(v),
        (i) => `$${i}`,
      )) {
        const schema = `audit_${n++}`;
        const log = await createPostgresAuditLog({ connectionString: server.url, schema });
        const head = await fill(log);
        await expect(admin.query(`UPDATE ${schema}.sc_audit_log SET actor = 'x' WHERE seq = 1`)).rejects.toThrow();
        await admin.query(`ALTER TABLE ${schema}.sc_audit_log DISABLE TRIGGER USER`);
        await t.apply({
          run: async (sql, params = []) => {
            await admin.query(sql.replaceAll('sc_audit_log', `${schema}.sc_audit_log`), params);
          },
          rows: async () => log.list(),
        });
        const v = await verifyAuditChain(log, { expectedHeadHash: head });
        expect(v, t.name).toMatchObject(t.expected);
        total.postgres = (total.postgres ?? 0) + 1;
        if (!v.ok) detected.postgres = (detected.postgres ?? 0) + 1;
        await log.close();
      }
    });

    it('fails closed on PostgreSQL: server stopped, or the decision row refused: no decision; with it back, verified', async () => {
      const store = createMemoryIdentityStore();
      await store.upsert(conformanceCitizens[0]!);
      const audit = await createPostgresAuditLog({ connectionString: server.url, schema: 'session_audit' });
      try {
        const ok = await verifiedSession(store, audit).decide();
        expect(ok.outcome).toBe('verified');
        await server.stop('fast');
        const t0 = performance.now();
        const err = await verifiedSession(store, audit)
          .decide()
          .then(
            (d) => d,
            (e: unknown) => e,
          );
        const failedIn = performance.now() - t0;
        // The session's first audit write (the identity read) already fails: a typed error, no decision.
        expect(isSmartCitizenError(err), String(err)).toBe(true);
        await server.start();
        const after = await verifiedSession(store, audit).decide();
        expect(after.outcome).toBe('verified');
        // Only the decision's own write refused by the database (as a full disk or a constraint would).
        await admin.query(
          `ALTER TABLE session_audit.sc_audit_log ADD CONSTRAINT refuse_decisions CHECK (action <> 'session.decide') NOT VALID`,
        );
        const refused = await verifiedSession(store, audit)
          .decide()
          .then(
            (d) => d,
            (e: unknown) => e,
          );
        expect(isSmartCitizenError(refused, 'session/audit-failed'), String(refused)).toBe(true);
        await admin.query('ALTER TABLE session_audit.sc_audit_log DROP CONSTRAINT refuse_decisions');
        const decisions = (await audit.list()).filter((e) => e.action === 'session.decide');
        expect(decisions).toHaveLength(2);
        expect(await verifyAuditChain(audit)).toMatchObject({ ok: true });
        recordFault({
          fault: 'Audit write fails during a verified decision (PostgreSQL: server stopped; decision row refused)',
          injected: 2,
          survived: `no decision returned either time (typed error after ${(failedIn / 1000).toFixed(2)} s; session/audit-failed); audited decisions before/after, chain ok`,
          lost: 0,
          recoveryMs: undefined,
        });
      } finally {
        await audit.close();
      }
    });
  });

  it('fails closed on SQLite: audit file locked by another process, or the decision row refused: no decision', async () => {
    const path = join(dir, 'locked.db');
    const store = createMemoryIdentityStore();
    await store.upsert(conformanceCitizens[0]!);
    const audit = createSqliteAuditLog({ path });
    expect((await verifiedSession(store, audit).decide()).outcome).toBe('verified');
    const other = new Database(path);
    other.exec('BEGIN EXCLUSIVE');
    const err = await verifiedSession(store, audit)
      .decide()
      .then(
        (d) => d,
        (e: unknown) => e,
      );
    expect(isSmartCitizenError(err), String(err)).toBe(true);
    other.exec('ROLLBACK');
    // Only the decision's row refused (a trigger standing in for a full disk on that write).
    other.exec(
      `CREATE TRIGGER refuse_decisions BEFORE INSERT ON sc_audit_log WHEN NEW.action = 'session.decide'
       BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`,
    );
    const refused = await verifiedSession(store, audit)
      .decide()
      .then(
        (d) => d,
        (e: unknown) => e,
      );
    expect(isSmartCitizenError(refused, 'session/audit-failed'), String(refused)).toBe(true);
    other.exec('DROP TRIGGER refuse_decisions');
    other.close();
    expect((await verifiedSession(store, audit).decide()).outcome).toBe('verified');
    expect(await verifyAuditChain(audit)).toMatchObject({ ok: true });
    await audit.close();
  }, 60_000);
});
