// Identity-store inputs with SQL and JSON metacharacters, overlong strings and invalid Unicode
// in every field: stored and read back exactly (after the store's documented NFC) or refused
// with a typed error, and nothing else in the database changes. Memory, SQLite, PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresIdentityStore } from '@smart-citizen/adapter-postgres/store';
import { createSqliteIdentityStore } from '@smart-citizen/adapter-sqlite';
import {
  type IdentityStore,
  type StoredIdentity,
  citizenIdentityFields,
  createMemoryIdentityStore,
  isSmartCitizenError,
} from '@smart-citizen/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFault } from './report.js';
import { type PrivateServer, canStartServers, startPostgres } from './servers.js';

const available = canStartServers();
const dir = mkdtempSync(join(tmpdir(), 'sc-faults-identity-'));

// Every free-text field of the identity (the typed ones are attacked below).
const typedFields = new Set([
  'idNumber',
  'oldIdNumber',
  'dateOfBirth',
  'sex',
  'issueDate',
  'expiryDate',
  'noExpiry',
  'cardType',
]);
const textFields = citizenIdentityFields.filter((f) => !typedFields.has(f));

/** Hostile text: each is either stored exactly (NFC) or refused with store/invalid-identity. */
const hostileText: [string, string][] = [
  ['SQL quote and comment', "'; DROP TABLE sc_identity_citizens; --"],
  ['SQL tautology', '" OR "1"="1" -- '],
  ['SQL backslash escapes', "\\'\\\\'\\x00\\n"],
  ['SQL placeholders and LIKE wildcards', '$1 $2 ? %_ %%'],
  ['PostgreSQL dollar quoting', '$$; SELECT pg_sleep(10); $$'],
  ['JSON object text', '{"idNumber":"079185000111","sex":"F"}'],
  ['JSON breakout', '"},{"fullName":"x'],
  ['JSON escapes as text', '\\u0000 \\ud800 \\"'],
  ['line and paragraph separators', 'a\u2028b\u2029c'],
  ['control characters', 'tab\there\r\nbell\u0007esc\u001b'],
  ['HTML/script', '</script><img src=x onerror=alert(1)>'],
  ['emoji and flag', 'Nguyễn 🇻🇳 👨‍👩‍👧'],
  ['decomposed Vietnamese (stored as NFC)', 'Nguye\u0302\u0303n Va\u0306n A\u0300'],
  ['right-to-left override, zero-width, BOM', '\u202Eabc\u200B\u200D\uFEFF'],
  ['exactly 1000 characters', 'ơ'.repeat(1000)],
  ['1001 characters (overlong)', 'a'.repeat(1001)],
  ['100,000 characters (overlong)', 'x'.repeat(100_000)],
  ['lone high surrogate (invalid UTF-16)', 'abc\uD800def'],
  ['lone low surrogate (invalid UTF-16)', '\uDC00abc'],
  ['NUL character', 'a\u0000b'],
];

/** Hostile values of the typed fields: always refused. */
const hostileTyped: [string, Record<string, unknown>][] = [
  ['idNumber with SQL', { idNumber: "001099012345' OR '1'='1" }],
  ['idNumber as JSON', { idNumber: '{"$gt":""}' }],
  ['idNumber overlong', { idNumber: '0'.repeat(10_000) }],
  ['oldIdNumber with SQL', { oldIdNumber: "012345678'--" }],
  ['sex as SQL', { sex: "M' OR 1=1" }],
  ['cardType unknown', { cardType: 'cccd"; DROP' }],
  ['dateOfBirth as string', { dateOfBirth: "1999-01-01'; --" }],
  ['dateOfBirth with month 13', { dateOfBirth: { year: 1999, month: 13 } }],
  ['dateOfBirth with a JSON year', { dateOfBirth: { year: '{"a":1}' } }],
  ['noExpiry as a string', { noExpiry: 'true; DROP' }],
];

const base: StoredIdentity = {
  idNumber: '001099012345',
  fullName: 'Nguyễn Văn Thử',
  dateOfBirth: { year: 1999, month: 3, day: 7 },
  sex: 'M',
};
const sentinel: StoredIdentity = {
  idNumber: '079185000111',
  fullName: 'Trần Thị Mẫu',
  dateOfBirth: { year: 1985 },
  sex: 'F',
};

interface Tally {
  exact: number;
  refused: number;
  wrong: string[];
}

async function attack(store: IdentityStore): Promise<Tally> {
  const tally: Tally = { exact: 0, refused: 0, wrong: [] };
  await store.upsert(sentinel);
  await store.upsert(base);
  const snapshot = async () =>
    JSON.stringify({
      count: await store.count?.(),
      changes: (await store.listChanges()).length,
      sentinel: (await store.get(sentinel.idNumber))?.identity,
    });
  const cases: [string, Record<string, unknown>][] = [
    ...textFields.flatMap((f) =>
      hostileText.map(([name, v]) => [`${f}: ${name}`, { [f]: v }] as [string, Record<string, unknown>]),
    ),
    ...hostileTyped,
  ];
  for (const [name, patch] of cases) {
    const before = await snapshot();
    const current = (await store.get(base.idNumber))?.identity;
    const input = { ...base, ...patch } as StoredIdentity;
    let error: unknown;
    try {
      await store.upsert(input);
    } catch (err) {
      error = err;
    }
    if (error !== undefined) {
      const typed = isSmartCitizenError(error, 'store/invalid-identity');
      const unchanged =
        (await snapshot()) === before &&
        JSON.stringify((await store.get(base.idNumber))?.identity) === JSON.stringify(current);
      if (typed && unchanged) tally.refused++;
      else
        tally.wrong.push(
          `${name}: ${typed ? 'database changed' : `untyped or other error ${String(error).slice(0, 80)}`}`,
        );
      continue;
    }
    const got = (await store.get(base.idNumber))?.identity as Record<string, unknown> | undefined;
    const [field, value] = Object.entries(patch)[0]!;
    const expected = typeof value === 'string' ? value.normalize('NFC') : value;
    const after = JSON.parse(await snapshot());
    const prior = JSON.parse(before);
    const othersSame =
      after.count === prior.count &&
      after.changes === prior.changes + 1 &&
      JSON.stringify(after.sentinel) === JSON.stringify(prior.sentinel);
    if (got && JSON.stringify(got[field]) === JSON.stringify(expected) && othersSame) tally.exact++;
    else
      tally.wrong.push(
        `${name}: stored ${JSON.stringify(String(got?.[field]).slice(0, 40))}${othersSame ? '' : ', other rows changed'}`,
      );
    await store.upsert(base);
  }
  // Lookups with hostile keys find nothing and throw nothing untyped.
  for (const key of ["001099012345' OR '1'='1", '%', '\uD800', 'x'.repeat(100_000)]) {
    expect(await store.get(key)).toBeUndefined();
    expect(await store.findByOldIdNumber(key)).toEqual([]);
  }
  return tally;
}

const results: Record<string, Tally> = {};
const cases = textFields.length * hostileText.length + hostileTyped.length;

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  const drivers = Object.keys(results);
  if (drivers.length === 0) return;
  recordFault({
    fault: `Identity-store hostile inputs (SQL/JSON metacharacters, overlong, invalid Unicode) in every field — ${drivers.join(', ')}`,
    injected: cases * drivers.length,
    survived: drivers
      .map((d) => `${d}: ${results[d]!.exact} stored exactly, ${results[d]!.refused} refused (typed, nothing changed)`)
      .join('; '),
    lost: drivers.reduce((s, d) => s + results[d]!.wrong.length, 0),
    recoveryMs: undefined,
  });
});

describe('identity store under hostile input', () => {
  it('memory', async () => {
    const store = createMemoryIdentityStore();
    results.memory = await attack(store);
    expect(results.memory.wrong).toEqual([]);
    expect(results.memory.exact + results.memory.refused).toBe(cases);
  });

  it('SQLite', async () => {
    const store = await createSqliteIdentityStore({ path: join(dir, 'hostile.db') });
    try {
      results.sqlite = await attack(store);
    } finally {
      await store.close();
    }
    expect(results.sqlite.wrong).toEqual([]);
    expect(results.sqlite.exact + results.sqlite.refused).toBe(cases);
    // Same decisions as the memory store: the driver adds nothing and loses nothing.
    expect(results.sqlite.exact).toBe(results.memory?.exact);
  });

  describe.skipIf(!available)('PostgreSQL', () => {
    let server: PrivateServer;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(async () => {
      await server?.destroy();
    });
    it('PostgreSQL', async () => {
      const store = await createPostgresIdentityStore({ connectionString: server.url, schema: 'hostile' });
      try {
        results.postgres = await attack(store);
      } finally {
        await store.close();
      }
      expect(results.postgres.wrong).toEqual([]);
      expect(results.postgres.exact + results.postgres.refused).toBe(cases);
      expect(results.postgres.exact).toBe(results.memory?.exact);
    });
  });
});
