import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditLog, ConsentScope, EvidenceVerifiers, RawEvidence } from '@smart-citizen/core';
import {
  IdentificationSession,
  createMemoryAuditLog,
  decideFromRawEvidence,
  isSmartCitizenError,
  readDecisionAudit,
  verifyAuditChain,
} from '@smart-citizen/core';
import {
  citizenA,
  citizenB,
  citizenC,
  createSessionStore,
  expectCatalogued,
  fingerprintA,
  faceImage,
  makeVerifiers,
  qrPayloadOf,
} from './fixtures/session.js';

const setup = () => createSessionStore();

/** What the audit log says about the last decision, next to what the caller got. */
async function lastDecision(audit: AuditLog) {
  const entries = (await audit.list()).filter((e) => e.action === 'session.decide');
  expect(entries).toHaveLength(1);
  return readDecisionAudit(entries[0] as (typeof entries)[number]);
}

const qrPayloads = [
  qrPayloadOf(citizenA),
  qrPayloadOf(citizenB),
  qrPayloadOf(citizenC),
  qrPayloadOf({ ...citizenA, fullName: 'Nguyễn Văn Khác' }),
  qrPayloadOf({ ...citizenA, idNumber: '001099012399' }),
  qrPayloadOf({ ...citizenB, idNumber: '079185000999' }),
  'not|a|payload',
  '',
];
const images = [
  faceImage(1, 5),
  faceImage(1, 7),
  faceImage(2, 3),
  faceImage(3, 1),
  faceImage(1, 2, true),
  new Uint8Array(3),
];
const fingerprints = [fingerprintA, fingerprintA.map((x, i) => (i % 2 ? x ^ 0x55 : x)), new Uint8Array(0)];
const scopes: ConsentScope[] = ['face', 'fingerprint', 'face-search'];

/** Mostly the first choice (the genuine citizen A), so that every level is reached. */
const mostlyFirst = <T>(values: readonly T[]) =>
  fc.oneof({ arbitrary: fc.constant(values[0] as T), weight: 2 }, { arbitrary: fc.constantFrom(...values), weight: 3 });
const fewOf = <T>(values: readonly T[]) =>
  fc.oneof({ arbitrary: fc.constant<T[]>([]), weight: 3 }, { arbitrary: fc.subarray([...values]), weight: 1 });

const rawEvidence: fc.Arbitrary<RawEvidence> = fc
  .record(
    {
      qrPayload: mostlyFirst(qrPayloads),
      faceImage: mostlyFirst(images),
      livenessImage: mostlyFirst(images),
      documentPortrait: fc.constantFrom(...images),
      fingerprint: mostlyFirst(fingerprints),
      consent: fc
        .oneof({ arbitrary: fc.constant(scopes), weight: 1 }, { arbitrary: fc.subarray(scopes), weight: 2 })
        .map((scope) => ({ scope })),
    },
    { requiredKeys: [] },
  )
  .map((r) => r as RawEvidence);

const scenario = fc.record({
  raw: rawEvidence,
  level: fc.constantFrom(1 as const, 2 as const, 3 as const),
  faceSearch: fc.boolean(),
  onNotFound: fc.constantFrom('needs_review' as const, 'rejected' as const),
  rejectExpiredDocument: fc.boolean(),
  // Verifiers that are missing or fail on their input, as a broken reader would.
  drop: fewOf(['qr', 'face', 'liveness', 'fingerprint'] as const),
  failing: fewOf(['qr', 'liveness'] as const),
});

function verifiersFor(drop: readonly string[], failing: readonly string[]): EvidenceVerifiers {
  const v: EvidenceVerifiers = makeVerifiers();
  const boom = () => {
    throw new Error('reader failed');
  };
  if (failing.includes('qr')) v.qr = boom;
  if (failing.includes('liveness')) v.liveness = async () => boom();
  for (const k of drop) delete v[k as keyof EvidenceVerifiers];
  return v;
}

describe('decideFromRawEvidence audits the decision it returns', () => {
  it('valid QR, a face image and no consent: the audit says needs_review with consent/missing, as returned', async () => {
    const { store, clock, audit } = await setup();
    const d = await decideFromRawEvidence(
      { qrPayload: qrPayloadOf(citizenA), faceImage: faceImage(1, 5) },
      makeVerifiers(),
      store,
      { clock, audit },
    );
    expect(d.outcome).toBe('needs_review');
    expect(d.reasons.map((r) => r.code)).toContain('consent/missing');
    expect(await lastDecision(audit)).toEqual({
      outcome: 'needs_review',
      requestedLevel: 1,
      achievedLevel: 1,
      reasons: ['consent/missing'],
      idNumber: citizenA.idNumber,
    });
  });

  it('an unreadable QR is audited as the review the caller gets', async () => {
    const { store, clock, audit } = await setup();
    const d = await decideFromRawEvidence({ qrPayload: 'junk' }, makeVerifiers(), store, { clock, audit });
    const audited = await lastDecision(audit);
    expect(audited.outcome).toBe(d.outcome);
    expect(audited.reasons).toEqual(expect.arrayContaining(['evidence/qr-unreadable']));
  });

  it('for random evidence, audited outcome, levels and reasons equal what is returned', async () => {
    const outcomes = new Set<string>();
    const levels = new Set<number>();
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { store, clock, audit } = await setup();
        const d = await decideFromRawEvidence(s.raw, verifiersFor(s.drop, s.failing), store, {
          clock,
          audit,
          actor: 'desk-9',
          policy: {
            level: s.level,
            onNotFound: s.onNotFound,
            rejectExpiredDocument: s.rejectExpiredDocument,
            faceSearch: { enabled: s.faceSearch, minSimilarity: 0.8 },
          },
        });
        expect(await lastDecision(audit)).toEqual({
          outcome: d.outcome,
          requestedLevel: d.requestedLevel,
          achievedLevel: d.achievedLevel,
          reasons: [...new Set(d.reasons.map((r) => r.code))],
          ...(d.idNumber ? { idNumber: d.idNumber } : {}),
        });
        // Every code and severity the session, the raw-evidence path and the real QR reader emit is catalogued.
        expectCatalogued(d.reasons);
        expectCatalogued(d.issues);
        outcomes.add(d.outcome);
        levels.add(d.achievedLevel);
        // Verified means nothing above info was found.
        if (d.outcome === 'verified') expect(d.reasons.filter((r) => r.severity !== 'info')).toEqual([]);
        expect(await verifyAuditChain(audit)).toMatchObject({ ok: true });
      }),
      { seed: 1306, numRuns: 600 },
    );
    // The cases reach every outcome and level, so the property is not checked on one path only.
    expect([...outcomes].sort()).toEqual(['needs_review', 'rejected', 'verified']);
    expect([...levels].sort()).toEqual([0, 1, 2, 3]);
  });

  it('records every reason code even when they do not fit one audit value', async () => {
    const { store, clock, audit } = await setup();
    const session = new IdentificationSession({ store, clock, audit });
    const codes = Array.from({ length: 40 }, (_, i) => `reader/problem-number-${String(i).padStart(3, '0')}`);
    for (const code of codes) session.addIssue({ code, severity: 'warning', message: 'a reader problem' });
    const d = await session.decide();
    expect(d.outcome).toBe('needs_review');
    const entry = (await audit.list()).find((e) => e.action === 'session.decide');
    expect(Object.keys(entry?.details ?? {})).toContain('reasons-3');
    expect((await lastDecision(audit)).reasons).toEqual([...new Set(d.reasons.map((r) => r.code))]);
    expect((await lastDecision(audit)).reasons).toEqual(expect.arrayContaining(codes));
  });

  it('refuses an issue without a code or severity', async () => {
    const { store } = await setup();
    const session = new IdentificationSession({ store });
    expect(() => session.addIssue({ code: 'x/y', severity: 'fatal' as never, message: '' })).toThrow(
      expect.objectContaining({ code: 'session/invalid-evidence' }),
    );
  });

  it('fails closed: when the decision cannot be audited, no decision is returned', async () => {
    const { store, clock } = await setup();
    const inner = createMemoryAuditLog({ clock });
    const audit: AuditLog = {
      append: (e) => (e.action === 'session.decide' ? Promise.reject(new Error('disk full')) : inner.append(e)),
      list: (o) => inner.list(o),
      close: () => inner.close(),
    };
    const raw: RawEvidence = {
      qrPayload: qrPayloadOf(citizenA),
      faceImage: faceImage(1, 5),
      consent: { scope: ['face'] },
    };
    const run = decideFromRawEvidence(raw, makeVerifiers(), store, { clock, audit, policy: { level: 2 } });
    await expect(run).rejects.toSatisfy((e: unknown) => isSmartCitizenError(e, 'session/audit-failed'));
    // The same evidence with a working log is verified: the failure, not the evidence, withheld it.
    const ok = await decideFromRawEvidence(raw, makeVerifiers(), store, {
      clock,
      audit: createMemoryAuditLog({ clock }),
      policy: { level: 2 },
    });
    expect(ok.outcome).toBe('verified');
  });
});
