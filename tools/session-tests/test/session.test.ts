import { describe, expect, it } from 'vitest';
import type { DocumentEvidence, FaceMatchEvidence, LivenessEvidence } from '@smart-citizen/core';
import {
  IdentificationSession,
  createManualClock,
  createMemoryAuditLog,
  createMemoryIdentityStore,
  createStaticKeyProvider,
  crossCheckDocuments,
  encodeEmbedding,
  verifyAuditChain,
} from '@smart-citizen/core';
import { citizenA, citizenB, citizenC, qrFields } from './fixtures/session.js';

const NOW = Date.UTC(2026, 10, 29, 9, 0, 0);
const today = { year: 2026, month: 11, day: 29 };

const doc = (
  source: DocumentEvidence['source'],
  fields: DocumentEvidence['fields'],
  extra: Partial<DocumentEvidence> = {},
) => ({ kind: 'document', source, fields, confidence: 0.95, issues: [], ...extra }) as DocumentEvidence;

async function setup() {
  const clock = createManualClock(NOW);
  const keys = createStaticKeyProvider({ keys: [{ id: 'k1', key: new Uint8Array(32).fill(4) }] });
  const store = createMemoryIdentityStore({ clock, keys });
  for (const c of [citizenA, citizenB, citizenC]) await store.upsert(c);
  const audit = createMemoryAuditLog({ clock });
  return { clock, store, audit };
}

describe('crossCheckDocuments', () => {
  const qr = doc('qr', qrFields(citizenA));

  it('agrees across QR, an upper-case OCR and a diacritic-free MRZ', () => {
    const r = crossCheckDocuments(
      [
        qr,
        doc('ocr', {
          fullName: 'NGUYỄN VĂN THỬ',
          dateOfBirth: { year: 1999, month: 3, day: 7 },
          idNumber: '001 099 012 345',
        }),
        doc('mrz', { fullName: 'NGUYEN VAN THU', sex: 'M', dateOfBirth: { year: 1999, month: 3, day: 7 } }),
      ],
      { today },
    );
    expect(r.issues).toEqual([]);
    expect(r.identity.fullName).toBe('Nguyễn Văn Thử');
    expect(r.identity.idNumber).toBe('001099012345');
  });

  it('names each disagreement with a code and the field', () => {
    const r = crossCheckDocuments(
      [
        qr,
        doc('chip', { idNumber: '001099012346', fullName: 'Nguyễn Văn Thủ', dateOfBirth: { year: 1999, month: 4 } }),
        doc('ocr', { fullName: 'Nguyễn Văn Thừ', sex: 'F', placeOfResidence: 'Số 1 Phố Thử, Phường Ba Đình, Hà Nội' }),
      ],
      { today },
    );
    const codes = r.issues.map((i) => `${i.code}@${i.path}`);
    expect(codes).toContain('crosscheck/number-mismatch@idNumber');
    expect(codes).toContain('crosscheck/diacritics-differ@fullName');
    expect(codes).toContain('crosscheck/date-mismatch@dateOfBirth');
    expect(codes).toContain('crosscheck/sex-mismatch@sex');
    // The authenticated-or-not chip outranks the QR when merging.
    expect(r.identity.idNumber).toBe('001099012346');
  });

  it('compares partial dates on the precision both have, and flags near matches and real mismatches', () => {
    const r = crossCheckDocuments(
      [
        doc('qr', { fullName: 'Trần Thị Mẫu', dateOfBirth: { year: 1985, month: 11, day: 2 } }),
        doc('ocr', { fullName: 'Trần Thị Mẫn', dateOfBirth: { year: 1985 } }),
        doc('manual', { fullName: 'Phạm Minh Khác' }),
      ],
      { today },
    );
    const codes = r.issues.map((i) => i.code);
    expect(codes).not.toContain('crosscheck/date-mismatch');
    expect(codes).toContain('crosscheck/text-near-match');
    expect(r.issues.find((i) => i.code === 'crosscheck/text-mismatch')?.severity).toBe('error');
  });

  it('validates the ID number against the date of birth and sex, and flags an expired card', () => {
    const r = crossCheckDocuments(
      [
        doc('qr', {
          idNumber: '001099012345',
          dateOfBirth: { year: 1998 },
          sex: 'F',
          expiryDate: { year: 2024, month: 1 },
        }),
      ],
      { today },
    );
    const codes = r.issues.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['id/birth-year-mismatch', 'id/sex-mismatch', 'document/expired']));
  });
});

describe('IdentificationSession', () => {
  it('verifies at level 1 with one consistent document found in the store', async () => {
    const { store, clock, audit } = await setup();
    const s = new IdentificationSession({ store, clock, audit, actor: 'desk-3' });
    s.addEvidence(doc('qr', qrFields(citizenA)));
    const d = await s.decide();
    expect(d.outcome).toBe('verified');
    expect(d.achievedLevel).toBe(1);
    expect(d.idNumber).toBe(citizenA.idNumber);
    expect(d.resolution).toMatchObject({ status: 'found', by: 'id-number' });
    const entries = await audit.list();
    expect(entries.map((e) => [e.action, e.subject, e.actor])).toEqual([
      ['identity.read', citizenA.idNumber, 'desk-3'],
      ['session.decide', citizenA.idNumber, 'desk-3'],
    ]);
    expect(entries[1]?.details).toMatchObject({ outcome: 'verified', achievedLevel: 1 });
    expect(await verifyAuditChain(audit)).toMatchObject({ ok: true, count: 2 });
  });

  it('asks for review when level 2 lacks the face match and liveness', async () => {
    const { store, clock } = await setup();
    const s = new IdentificationSession({ store, clock, policy: { level: 2 } });
    s.addEvidence(doc('qr', qrFields(citizenA)));
    const d = await s.decide();
    expect(d.outcome).toBe('needs_review');
    expect(d.achievedLevel).toBe(1);
    expect(d.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['requirement/face-match-missing', 'requirement/liveness-missing']),
    );
  });

  it('counts biometric evidence only under consent, and stores the consent given at the desk', async () => {
    const { store, clock } = await setup();
    const face: FaceMatchEvidence = {
      kind: 'face-match',
      source: 'face',
      score: 0.91,
      threshold: 0.8,
      against: 'store-template',
      confidence: 1,
      issues: [],
    };
    const live: LivenessEvidence = {
      kind: 'liveness',
      source: 'liveness',
      live: true,
      score: 0.97,
      confidence: 1,
      issues: [],
    };
    const s1 = new IdentificationSession({ store, clock, policy: { level: 2 } });
    s1.addEvidence(doc('qr', qrFields(citizenA)));
    s1.addEvidence(face);
    s1.addEvidence(live);
    const d1 = await s1.decide();
    expect(d1.outcome).toBe('needs_review');
    expect(d1.reasons.filter((r) => r.code === 'consent/missing').map((r) => r.path)).toEqual([
      'face-match',
      'liveness',
    ]);

    const s2 = new IdentificationSession({ store, clock, policy: { level: 2 } });
    s2.addEvidence(doc('qr', qrFields(citizenA)));
    s2.grantConsent({ scope: ['face'], reference: 'kiosk-screen-7' });
    s2.addEvidence(face);
    s2.addEvidence(live);
    const d2 = await s2.decide();
    expect(d2.outcome).toBe('verified');
    expect(d2.achievedLevel).toBe(2);
    const consents = await store.listConsents(citizenA.idNumber);
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({ purpose: 'identification', scope: ['face'], reference: 'kiosk-screen-7' });

    // The stored consent now covers a later session without a new grant, until withdrawn.
    const s3 = new IdentificationSession({ store, clock, policy: { level: 2 } });
    s3.addEvidence(doc('qr', qrFields(citizenA)));
    s3.addEvidence(face);
    s3.addEvidence(live);
    expect((await s3.decide()).outcome).toBe('verified');
    clock.advance(1000);
    await store.withdrawConsent(consents[0]?.id as string);
    const s4 = new IdentificationSession({ store, clock, policy: { level: 2 } });
    s4.addEvidence(doc('qr', qrFields(citizenA)));
    s4.addEvidence(face);
    s4.addEvidence(live);
    expect((await s4.decide()).reasons.map((r) => r.code)).toContain('consent/missing');
  });

  it('rejects a face that does not match, a failed liveness check and a wrong fingerprint', async () => {
    const { store, clock } = await setup();
    const s = new IdentificationSession({ store, clock, policy: { level: 3 } });
    s.addEvidence(doc('qr', qrFields(citizenA)));
    s.grantConsent({ scope: ['face', 'fingerprint'] });
    s.addEvidence({
      kind: 'face-match',
      source: 'face',
      score: 0.31,
      threshold: 0.8,
      against: 'store-template',
      confidence: 1,
      issues: [],
    });
    s.addEvidence({ kind: 'liveness', source: 'liveness', live: false, score: 0.1, confidence: 1, issues: [] });
    s.addEvidence({
      kind: 'fingerprint-match',
      source: 'fingerprint',
      score: 0.2,
      threshold: 0.5,
      confidence: 1,
      issues: [],
    });
    const d = await s.decide();
    expect(d.outcome).toBe('rejected');
    expect(d.achievedLevel).toBe(0);
    expect(d.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['face/no-match', 'liveness/failed', 'fingerprint/no-match']),
    );
  });

  it('reaches level 3 with an authenticated chip instead of a fingerprint', async () => {
    const { store, clock } = await setup();
    const s = new IdentificationSession({ store, clock, policy: { level: 3 } });
    s.addEvidence(doc('qr', qrFields(citizenA)));
    s.addEvidence(doc('chip', { ...citizenA }, { authenticated: true }));
    s.grantConsent({ scope: ['face'] });
    s.addEvidence({
      kind: 'face-match',
      source: 'face',
      score: 0.9,
      threshold: 0.8,
      against: 'store-template',
      confidence: 1,
      issues: [],
    });
    s.addEvidence({ kind: 'liveness', source: 'liveness', live: true, score: 0.9, confidence: 1, issues: [] });
    const d = await s.decide();
    expect(d.outcome).toBe('verified');
    expect(d.achievedLevel).toBe(3);
    expect(d.met).toEqual(
      expect.arrayContaining(['chip-authenticated', 'face-match', 'liveness', 'document', 'in-store']),
    );
  });

  it('rejects documents that contradict each other or the record', async () => {
    const { store, clock } = await setup();
    const s = new IdentificationSession({ store, clock });
    s.addEvidence(doc('qr', qrFields(citizenA)));
    s.addEvidence(doc('chip', { ...citizenA, idNumber: '001099012399' }, { authenticated: true }));
    expect((await s.decide()).reasons.map((r) => r.code)).toContain('crosscheck/number-mismatch');

    const s2 = new IdentificationSession({ store, clock });
    s2.addEvidence(doc('qr', qrFields({ ...citizenA, dateOfBirth: { year: 1999, month: 8, day: 1 } })));
    const d2 = await s2.decide();
    expect(d2.outcome).toBe('rejected');
    expect(d2.reasons.map((r) => `${r.code}@${r.path}`)).toContain('store/date-mismatch@dateOfBirth');
  });

  it('sends an OCR disagreement to review instead of rejecting it', async () => {
    const { store, clock } = await setup();
    const s = new IdentificationSession({ store, clock });
    s.addEvidence(doc('qr', qrFields(citizenA)));
    s.addEvidence(doc('ocr', { fullName: 'Nguyễn Văn Thư', dateOfBirth: { year: 1989, month: 3, day: 7 } }));
    const d = await s.decide();
    expect(d.outcome).toBe('needs_review');
    expect(d.reasons.find((r) => r.code === 'crosscheck/date-mismatch')?.severity).toBe('warning');
  });

  it('resolves by old CMND number, reports ambiguity, and handles an unknown citizen by policy', async () => {
    const { store, clock } = await setup();
    const s = new IdentificationSession({ store, clock });
    s.addEvidence(doc('ocr', { oldIdNumber: '013456789', fullName: 'Nguyễn Văn Thử' }));
    expect(await s.resolve()).toMatchObject({ status: 'found', by: 'old-id-number' });
    expect((await s.decide()).outcome).toBe('verified');

    const amb = new IdentificationSession({ store, clock });
    amb.addEvidence(doc('ocr', { oldIdNumber: '023456780' }));
    const da = await amb.decide();
    expect(da.resolution).toEqual({ status: 'ambiguous', by: 'old-id-number', candidates: 2 });
    expect(da.outcome).toBe('needs_review');

    const unknown = { ...citizenA, idNumber: '001099099999', oldIdNumber: '099999999' };
    const u1 = new IdentificationSession({ store, clock });
    u1.addEvidence(doc('qr', qrFields(unknown)));
    expect((await u1.decide()).outcome).toBe('needs_review');
    const u2 = new IdentificationSession({ store, clock, policy: { onNotFound: 'rejected' } });
    u2.addEvidence(doc('qr', qrFields(unknown)));
    const d2 = await u2.decide();
    expect(d2.outcome).toBe('rejected');
    expect(d2.reasons.map((r) => r.code)).toContain('store/not-found');
  });

  it('ignores low-confidence documents and says so', async () => {
    const { store, clock } = await setup();
    const s = new IdentificationSession({ store, clock });
    s.addEvidence(doc('ocr', { idNumber: citizenA.idNumber }, { confidence: 0.3 }));
    const d = await s.decide();
    expect(d.outcome).toBe('needs_review');
    expect(d.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['document/low-confidence', 'requirement/document-missing']),
    );
  });

  it('finds the citizen 1:N by face only with face-search consent', async () => {
    const { store, clock } = await setup();
    const v = new Float32Array(16).map((_, i) => Math.cos(i));
    await store.enrolTemplate(citizenB.idNumber, { kind: 'face', format: 'f32', data: encodeEmbedding(v) });
    await store.enrolTemplate(citizenC.idNumber, {
      kind: 'face',
      format: 'f32',
      data: encodeEmbedding(new Float32Array(16).map((_, i) => Math.sin(i * 3))),
    });
    const probe = v.map((x, i) => x + (i % 3 === 0 ? 0.05 : -0.02));
    const without = new IdentificationSession({ store, clock, policy: { faceSearch: { enabled: true } } });
    expect(await without.resolve({ faceProbe: probe })).toEqual({ status: 'not-found' });
    const withConsent = new IdentificationSession({ store, clock, policy: { faceSearch: { enabled: true } } });
    withConsent.grantConsent({ scope: ['face-search'] });
    const r = await withConsent.resolve({ faceProbe: probe });
    expect(r).toMatchObject({ status: 'found', by: 'face-search' });
    expect(r.status === 'found' && r.record.identity.idNumber).toBe(citizenB.idNumber);
  });

  it('refuses malformed evidence and policies', async () => {
    const { store } = await setup();
    const s = new IdentificationSession({ store });
    expect(() => s.addEvidence({ ...doc('qr', {}), confidence: 2 })).toThrow(/confidence/);
    expect(() => s.addEvidence({ kind: 'x' } as never)).toThrow();
    expect(() => new IdentificationSession({ store, policy: { level: 4 as 1 } })).toThrow(RangeError);
  });
});
