import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AssurancePolicyInput,
  IdentificationSession,
  type Issue,
  createManualClock,
  createMemoryAuditLog,
  createMemoryIdentityStore,
  createStaticKeyProvider,
  decideFromRawEvidence,
  decisionReason,
} from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import { ChipReader } from './ChipReader.js';
import { chipEvidenceVerifiers, chipReadingEvidence } from './evidence.js';
import { SoftwareCard, buildDg13, createTestDocument, createTestPki, testHolder } from './testing.js';

const pki = createTestPki();
const doc = createTestDocument({ pki });
const otherPki = createTestPki({ cscaName: 'Test CSCA Elsewhere' });
const lookalikePki = createTestPki();
// The chip is the level-3 document: level 1 here asks for it, so each test decides on the chip alone.
const chipLevel = [['document'], ['in-store'], ['chip-authenticated']] as const;
const policy: AssurancePolicyInput = {
  level: 1,
  levels: { 1: chipLevel, 2: [...chipLevel, ['face-match']], 3: [...chipLevel, ['face-match']] },
};

async function setup() {
  const clock = createManualClock(Date.now());
  const keys = createStaticKeyProvider({ keys: [{ id: 'k1', key: new Uint8Array(32).fill(7) }] });
  const store = createMemoryIdentityStore({ clock, keys });
  const identity = chipReadingEvidence(await readCard(new SoftwareCard(doc))).fields;
  await store.upsert({ ...(identity as { idNumber: string }), idNumber: testHolder.idNumber });
  return { clock, store, audit: createMemoryAuditLog({ clock }) };
}

async function readCard(card: SoftwareCard, cscas: Uint8Array[] = [pki.csca.der]) {
  const reader = await ChipReader.create({ transport: card, timeoutMs: 2000 });
  try {
    return await reader.read({ key: { can: doc.can }, cscas });
  } finally {
    await reader.close();
  }
}

const rawChip = (files: Partial<typeof doc.files> = doc.files) => {
  const { DG1, DG2, DG13, DG14, DG15, SOD } = files;
  return { DG1, DG2, DG13, DG14, DG15, SOD } as Record<string, Uint8Array>;
};
const codes = (issues: readonly Issue[]) => issues.map((i) => i.code);
/** `issues` hold every one of `expected` (and maybe more). */
const expectCodes = (issues: readonly Issue[], expected: readonly string[]) =>
  expect(codes(issues)).toEqual(expect.arrayContaining([...expected]));
/** What a decision says when the chip's data did not authenticate. */
const chipNotAuthenticated = ['chip/not-authenticated', 'requirement/chip-authenticated-missing'];

describe('chip evidence in the identification session', () => {
  it('server path: the data groups the client sent pass passive authentication and meet chip-authenticated', async () => {
    const { store, clock, audit } = await setup();
    const d = await decideFromRawEvidence(
      { chip: rawChip() },
      chipEvidenceVerifiers({ cscas: [pki.csca.der] }),
      store,
      {
        policy,
        clock,
        audit,
      },
    );
    expect(d.outcome).toBe('verified');
    expect(d.achievedLevel).toBe(1);
    expect(d.evaluated).toEqual(['chip']);
    expect(codes(d.reasons)).toEqual([]);
  });

  it('without a CSCA the chip does not count, and the reasons say why', async () => {
    const { store, clock } = await setup();
    const d = await decideFromRawEvidence({ chip: rawChip() }, chipEvidenceVerifiers(), store, { policy, clock });
    expect(d.outcome).toBe('needs_review');
    expectCodes(d.reasons, ['chip/no-trust-anchor', ...chipNotAuthenticated]);
  });

  it('an altered DG13 (hash mismatch), an unknown CSCA, a look-alike CSCA and a bad SOD signature fail with their own codes', async () => {
    const { store, clock } = await setup();
    const verifiers = chipEvidenceVerifiers({ cscas: [pki.csca.der] });
    const altered = rawChip({
      ...doc.files,
      DG13: buildDg13({ ...testHolder, placeOfResidence: 'Số 9 Phố Khác, Hà Nội' }),
    });
    const tampered = await decideFromRawEvidence({ chip: altered }, verifiers, store, { policy, clock });
    expect(tampered.outcome).not.toBe('verified');
    expectCodes(tampered.reasons, ['chip/dg-hash-mismatch', 'chip/not-authenticated']);

    const foreign = createTestDocument({ pki: otherPki });
    const unknown = await decideFromRawEvidence({ chip: rawChip(foreign.files) }, verifiers, store, { policy, clock });
    expect(codes(unknown.reasons)).toContain('chip/unknown-csca');
    // A CSCA of the same name but another key: the document signer's certificate signature fails.
    const lookalike = createTestDocument({ pki: lookalikePki });
    const forged = await decideFromRawEvidence({ chip: rawChip(lookalike.files) }, verifiers, store, { policy, clock });
    expect(codes(forged.reasons)).toContain('chip/ds-bad-signature');

    const sod = doc.files.SOD.slice();
    sod[sod.length - 5] = (sod[sod.length - 5] as number) ^ 0x55; // inside the ECDSA signature
    const badSig = await decideFromRawEvidence({ chip: rawChip({ ...doc.files, SOD: sod }) }, verifiers, store, {
      policy,
      clock,
    });
    expect(badSig.outcome).not.toBe('verified');
    expect(codes(badSig.reasons).some((c) => c.startsWith('chip/sod-') || c === 'chip/malformed-file')).toBe(true);
  });

  it('a record that is not a chip is evidence/chip-unreadable, not a crash', async () => {
    const { store, clock } = await setup();
    const verifiers = chipEvidenceVerifiers({ cscas: [pki.csca.der] });
    for (const chip of [{}, { DG1: 'not bytes' as unknown as Uint8Array }, { DG13: Uint8Array.of(1, 2, 3) }]) {
      const d = await decideFromRawEvidence({ chip }, verifiers, store, { policy, clock });
      expect(d.outcome).not.toBe('verified');
      if (Object.keys(chip).includes('DG13') && chip.DG13 instanceof Uint8Array)
        expect(codes(d.reasons)).toContain('chip/malformed-file');
      else expect(codes(d.reasons)).toContain('evidence/chip-unreadable');
    }
  });

  it('desk path: a genuine chip read counts with chip and active authentication passed', async () => {
    const { store, clock } = await setup();
    const r = await readCard(new SoftwareCard(doc));
    const { portrait, ...reading } = chipReadingEvidence(r);
    expect(reading.authenticated).toBe(true);
    expect(portrait).toEqual(r.portrait?.bytes);
    const session = new IdentificationSession({ store, clock, policy });
    session.addEvidence({ kind: 'document', source: 'chip', ...reading });
    expect((await session.decide()).outcome).toBe('verified');
  });

  it('desk path: a clone passes passive authentication but is flagged and does not count', async () => {
    const { store, clock } = await setup();
    const r = await readCard(new SoftwareCard(doc, { clone: true }));
    expect(r.authentication.passive.status).toBe('passed');
    const { portrait: _portrait, ...reading } = chipReadingEvidence(r);
    expect(reading.authenticated).toBe(false);
    expectCodes(reading.issues, ['chip/ca-failed', 'chip/aa-bad-signature', 'chip/clone-suspected']);
    const session = new IdentificationSession({ store, clock, policy });
    session.addEvidence({ kind: 'document', source: 'chip', ...reading });
    const d = await session.decide();
    expect(d.outcome).toBe('needs_review');
    expectCodes(d.reasons, ['chip/clone-suspected', ...chipNotAuthenticated]);
  });

  it('fills fields DG13 lacks from a valid DG1, never the name', () => {
    const fields = chipReadingEvidence({
      identity: {},
      mrzData: { valid: true, personalNumber: '001099012345', sex: 'M', fullName: 'NGUYEN VAN THU' } as never,
      issues: [],
      authentication: {
        passive: {
          status: 'failed',
          dataGroups: [],
          notRead: [],
          signature: 'invalid',
          signer: 'no-trust-anchor',
          issues: [],
        },
        chip: { status: 'not-available', issues: [] },
        active: { status: 'not-available', issues: [] },
      },
    }).fields;
    expect(fields).toEqual({ idNumber: '001099012345', sex: 'M' });
  });
});

describe("chip issue codes in core's reason catalogue", () => {
  it('lists every code the chip package emits, with the severity it is emitted with', () => {
    const src = dirname(fileURLToPath(import.meta.url));
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('testing'),
    );
    const found: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(src, f), 'utf8');
      for (const m of text.matchAll(/\bissue\(\s*'(chip\/[a-z0-9-]+)',\s*('(?:error|warning|info)'|[^,]+),/g)) {
        const code = m[1] as string;
        const sev = /^'(\w+)'$/.exec((m[2] as string).trim())?.[1];
        const row = decisionReason(code);
        expect(row, `${code} (${f}) is missing from decisionReasons`).toBeDefined();
        if (sev) expect(row?.severities, `${code}: ${sev}`).toContain(sev);
        found.push(code);
      }
    }
    expect(new Set(found).size).toBeGreaterThanOrEqual(35);
  });
});
