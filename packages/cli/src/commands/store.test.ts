import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  createManualClock,
  createStaticKeyProvider,
  decideFromRawEvidence,
  verifyAuditChain,
} from '@smart-citizen/core';
import { createSqliteAuditLog, createSqliteIdentityStore } from '@smart-citizen/adapter-sqlite';
import { qrEvidenceVerifiers } from '@smart-citizen/qr';
import { createPostgresIdentityStore } from '@smart-citizen/adapter-postgres/store';
import { hasPostgres, postgresUrl, repoRoot } from '@smart-citizen/test-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLines, runCaptured, tempDir } from '../testing/runCaptured.js';

const dir = tempDir('sc-cli-store-');
const example = resolve(repoRoot, 'examples/data/citizens.jsonl');

/** `smart-citizen store <argv>` in `dir`; with `--json`, `json` is the last JSON line printed. */
async function run(...argv: string[]) {
  const r = await runCaptured(['store', ...argv], dir);
  return { ...r, json: argv.includes('--json') ? jsonLines(r.out).at(-1) : undefined };
}

const mixed = [
  JSON.stringify({ idNumber: '001099012345', fullName: 'Nguyễn Văn Thử', dateOfBirth: '07/03/1999', sex: 'Nam' }),
  '',
  '{not json',
  JSON.stringify({ idNumber: '12345', fullName: 'Số Ngắn' }),
  JSON.stringify({ idNumber: '079185000111', fullName: 'Trần Thị Mẫu', dateOfBirth: { year: 1985 }, sex: 'F' }),
  JSON.stringify({ idNumber: '001099012346', dateOfBirth: '07/03/1988', sex: 'Nam' }),
  JSON.stringify({ idNumber: '048203004567', dateOfBirth: '31/02/2003' }),
  JSON.stringify(['array']),
  JSON.stringify({
    idNumber: '001099012345',
    fullName: 'Nguyễn Văn Thử',
    dateOfBirth: '07/03/1999',
    sex: 'M',
    oldIdNumber: '013456789',
  }),
].join('\n');

describe('smart-citizen store (SQLite)', () => {
  it('imports the example file completely', async () => {
    const db = join(dir, 'example.db');
    const r = await run('import', example, '--store', `sqlite:${db}`, '--json');
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ ok: true, lines: 10, imported: 10, rejectedCount: 0, rejected: [] });
    expect(r.err).toMatch(/10 lines read, 10 imported, 0 rejected/);
    const g = await run('get', '079185000111', '--store', `sqlite:${db}`, '--json');
    expect(g.code).toBe(0);
    expect(g.json.record.identity).toMatchObject({
      fullName: 'Trần Thị Bình',
      sex: 'F',
      dateOfBirth: { year: 1985, month: 11, day: 2 },
    });
  });

  it('reports every rejected line with its number and issue codes, and loses nothing', async () => {
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(file, mixed);
    const db = join(dir, 'mixed.db');
    const r = await run('import', file, '--store', `sqlite:${db}`, '--json');
    expect(r.code).toBe(1);
    expect(r.json.lines).toBe(9);
    expect(r.json.blank).toBe(1);
    expect(r.json.imported + r.json.rejectedCount + r.json.blank).toBe(r.json.lines);
    expect(r.json.imported).toBe(3);
    expect(r.json.duplicates).toBe(1);
    expect(r.json.rejected).toEqual([
      { line: 3, codes: ['import/bad-json'] },
      { line: 4, codes: ['store/invalid-identity'] },
      { line: 6, codes: ['id/birth-year-mismatch'] },
      { line: 7, codes: ['date/invalid'] },
      { line: 8, codes: ['import/not-an-object'] },
    ]);
    // The last line for a repeated number wins.
    const g = await run('get', '013456789', '--store', `sqlite:${db}`, '--json');
    expect(g.json.record.identity.oldIdNumber).toBe('013456789');
    const human = await run('get', '001099012345', '--store', `sqlite:${db}`);
    expect(human.out).toMatch(/Full name\s+Nguyễn Văn Thử/);
    expect(human.out).toMatch(/Date of birth\s+07\/03\/1999/);
    // Every read is audited, and the chain holds.
    const audit = createSqliteAuditLog({ path: db });
    const entries = await audit.list();
    expect(entries.map((e) => e.action)).toEqual(['identity.import', 'identity.read', 'identity.read']);
    expect(entries[1]?.purpose).toBe('cli-lookup');
    expect(await verifyAuditChain(audit)).toMatchObject({ ok: true, count: 3 });
    await audit.close();
  });

  it('exits 1 for an unknown citizen and 2 for bad usage or a missing file', async () => {
    const db = `sqlite:${join(dir, 'empty.db')}`;
    const miss = await run('get', '001099099999', '--store', db, '--json');
    expect(miss.code).toBe(1);
    expect(miss.json).toMatchObject({ ok: false, error: { code: 'store/not-found' } });
    expect((await run('get', '12ab', '--store', db)).code).toBe(2);
    expect((await run('import', join(dir, 'nope.jsonl'), '--store', db, '--json')).json.error.code).toBe(
      'cli/unreadable-input',
    );
    expect((await run('frobnicate')).code).toBe(2);
    expect((await run('get', '001099012345', '--store', 'mysql://x')).code).toBe(2);
  });
});

const pgUp = await hasPostgres();
describe.skipIf(!pgUp)('smart-citizen store (PostgreSQL)', () => {
  const schema = `sc_test_cli_${Math.random().toString(36).slice(2, 8)}`;
  afterAll(async () => {
    const s = await createPostgresIdentityStore({ connectionString: postgresUrl, schema, faceSearch: 'scan' });
    await s.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await s.close();
  });

  it('imports and gets against postgres://', async () => {
    const r = await run('import', example, '--store', postgresUrl, '--schema', schema, '--json');
    expect(r.json).toMatchObject({ ok: true, imported: 10, rejectedCount: 0 });
    expect(r.json.store).not.toContain('@127');
    const g = await run('get', '031190007788', '--store', postgresUrl, '--schema', schema, '--json');
    expect(g.json.record.identity.fullName).toBe('Phạm Thị Thu Hà');
  });
});

describe('server-side decision wiring: @smart-citizen/qr qrEvidenceVerifiers + SQLite store', () => {
  const verifiers = qrEvidenceVerifiers({ today: new Date(Date.UTC(2026, 10, 29)) });

  it('verifies the imported citizen from the raw QR text, and rejects a payload that contradicts the record', async () => {
    const db = join(dir, 'wiring.db');
    expect((await run('import', example, '--store', `sqlite:${db}`, '--json')).code).toBe(0);
    const store = createSqliteIdentityStore({
      path: db,
      keys: createStaticKeyProvider({ keys: [{ id: 'k', key: new Uint8Array(32).fill(8) }] }),
    });
    const audit = createSqliteAuditLog({ database: store.database });
    const clock = createManualClock(Date.UTC(2026, 10, 29, 9));
    const payload =
      '031190007788|031234567|Phạm Thị Thu Hà|15061990|Nữ|8 Đường Lạch Tray, Phường Ngô Quyền, Hải Phòng|10052021';
    const ok = await decideFromRawEvidence({ qrPayload: payload }, verifiers, store, { clock, audit, actor: 'desk-1' });
    expect(ok.outcome).toBe('verified');
    expect(ok.idNumber).toBe('031190007788');
    const forged = payload.replace('Phạm Thị Thu Hà', 'Phạm Thị Thu Hằng').replace('15061990', '15061991');
    const bad = await decideFromRawEvidence({ qrPayload: forged }, verifiers, store, { clock, audit, actor: 'desk-1' });
    expect(bad.outcome).toBe('rejected');
    expect(bad.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['store/date-mismatch']));
    const junk = await decideFromRawEvidence({ qrPayload: 'https://example.com' }, verifiers, store, { clock });
    expect(junk.reasons.map((r) => r.code)).toContain('evidence/qr-unreadable');
    expect(await verifyAuditChain(audit)).toMatchObject({ ok: true });
    await audit.close();
    await store.close();
  });
});
