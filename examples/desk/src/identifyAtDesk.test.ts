import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createSqliteAuditLog, createSqliteIdentityStore } from '@smart-citizen/adapter-sqlite';
import type { SqliteIdentityStore } from '@smart-citizen/adapter-sqlite';
import {
  createManualClock,
  createStaticKeyProvider,
  encodeEmbedding,
  isSmartCitizenError,
  verifyAuditChain,
} from '@smart-citizen/core';
import type { AuditLog } from '@smart-citizen/core';
import { FaceVerifier } from '@smart-citizen/face';
import { parseCardQr } from '@smart-citizen/qr';
import { repoRoot, sharedData } from '@smart-citizen/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greyBmp } from './fixtures.js';
import { RESIDENCE_PURPOSE, createDeskQueue, identifyAtDesk } from './identifyAtDesk.js';
import type { DeskDeps } from './identifyAtDesk.js';

const cardPhoto = new Uint8Array(readFileSync(resolve(repoRoot, 'examples/data/cccd-qr-photo.jpg')));
const payload = readFileSync(resolve(repoRoot, 'examples/data/cccd-qr-photo.txt'), 'utf8').trim();
const today = new Date(Date.UTC(2026, 10, 29));
// 09:00 in Hà Nội (UTC+7).
const clock = createManualClock(Date.UTC(2026, 10, 29, 2));
const answers = { recipient: 'Công an phường Hòa Khánh', request: 'Đăng ký tạm trú', phone: '0912345678' };

const dir = mkdtempSync(join(tmpdir(), 'sc-example-desk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh SQLite file with the card's citizen enrolled from the payload. */
async function openDesk(name: string, enrol = true): Promise<{ store: SqliteIdentityStore; audit: AuditLog }> {
  const keys = createStaticKeyProvider({ keys: [{ id: 'desk-2026', key: new Uint8Array(32).fill(42) }] });
  const store = createSqliteIdentityStore({ path: join(dir, `${name}.db`), keys, clock });
  const audit = createSqliteAuditLog({ database: store.database, clock });
  if (enrol) {
    const { identity } = parseCardQr(payload, { today });
    await store.upsert({ ...identity, idNumber: identity.idNumber ?? '' });
  }
  return { store, audit };
}

describe('identifyAtDesk: card photo only (level 1)', () => {
  it('verifies the enrolled citizen, gives an elderly-group ticket and pre-fills CT01', async () => {
    const { store, audit } = await openDesk('level1');
    const queue = createDeskQueue(undefined, clock);
    const deps: DeskDeps = { store, audit, queue, actor: 'desk-07', clock, today };
    const r = await identifyAtDesk({ cardImage: cardPhoto, answers }, deps);

    expect(r.card.found).toBe(true);
    expect(r.decision.outcome).toBe('verified');
    expect(r.decision.requestedLevel).toBe(1);
    expect(r.decision.achievedLevel).toBe(1);
    expect(r.decision.idNumber).toBe('027142843987');
    // Born 08/06/1942: 84 years old on 29/11/2026 → the `elderly` group of the default template.
    expect(r.ticket).toMatchObject({ number: 'C001', serviceId: 'residence', groupId: 'elderly', status: 'waiting' });
    expect(JSON.stringify(r.ticket)).not.toContain('027142843987');
    expect(r.form?.data).toMatchObject({
      fullName: 'HOÀNG THU ANH LAN',
      dateOfBirth: '08/06/1942',
      sex: 'Nữ',
      idNumber: '027142843987',
    });
    expect(r.form?.missing).toEqual([]);
    expect(r.form?.issues.filter((i) => i.severity === 'error')).toEqual([]);

    const entries = await audit.list();
    expect(entries.map((e) => e.action)).toContain('session.decide');
    expect(entries.find((e) => e.action === 'session.decide')).toMatchObject({
      actor: 'desk-07',
      purpose: RESIDENCE_PURPOSE,
    });
    expect(await verifyAuditChain(audit)).toMatchObject({ ok: true });
    await audit.close();
    await store.close();
  });

  it('sends an unknown citizen to review, with no ticket and no form', async () => {
    const { store, audit } = await openDesk('unknown', false);
    const queue = createDeskQueue(undefined, clock);
    const r = await identifyAtDesk({ cardImage: cardPhoto }, { store, audit, queue, actor: 'desk-07', clock, today });
    expect(r.decision.outcome).toBe('needs_review');
    expect(r.decision.reasons.map((i) => i.code)).toContain('store/not-found');
    expect(r.ticket).toBeUndefined();
    expect(r.form).toBeUndefined();
    expect((await queue.estimateWait('residence')).ahead).toBe(0);
    await audit.close();
    await store.close();
  });

  it('rejects a card whose QR contradicts the record', async () => {
    const { store, audit } = await openDesk('contradiction', false);
    const { identity } = parseCardQr(payload, { today });
    await store.upsert({ ...identity, idNumber: identity.idNumber ?? '', fullName: 'Hoàng Thu Anh Lâm' });
    const queue = createDeskQueue(undefined, clock);
    const r = await identifyAtDesk({ cardImage: cardPhoto }, { store, audit, queue, actor: 'desk-07', clock, today });
    expect(r.decision.outcome).not.toBe('verified');
    expect(r.decision.reasons.map((i) => i.code).some((c) => c.startsWith('store/'))).toBe(true);
    expect(r.ticket).toBeUndefined();
    await audit.close();
    await store.close();
  });

  it('reports a photo without a code, and fails typed on bytes that are not an image', async () => {
    const { store, audit } = await openDesk('no-code');
    const queue = createDeskQueue(undefined, clock);
    const deps: DeskDeps = { store, audit, queue, actor: 'desk-07', clock, today };
    const r = await identifyAtDesk({ cardImage: greyBmp() }, deps);
    expect(r.card.found).toBe(false);
    expect(r.card.issues.map((i) => i.code)).toContain('qr/not-found');
    expect(r.decision.outcome).toBe('needs_review');
    expect(r.ticket).toBeUndefined();
    await expect(identifyAtDesk({ cardImage: new Uint8Array([1, 2, 3, 4, 5]) }, deps)).rejects.toSatisfy(
      (e: unknown) => isSmartCitizenError(e) && e.code.startsWith('image/'),
    );
    await audit.close();
    await store.close();
  });
});

const deepface = sharedData('face/deepface');
describe.skipIf(!deepface)('identifyAtDesk: card photo + live face (level 2, default face profile)', () => {
  const photo = (name: string) => new Uint8Array(readFileSync(join(deepface as string, name)));
  let face: FaceVerifier;
  let store: SqliteIdentityStore;
  let audit: AuditLog;
  let deps: DeskDeps;
  const consent = { scope: ['face'] as const, reference: 'desk-07-screen' };

  beforeAll(async () => {
    face = await FaceVerifier.create({ profile: 'default' });
    ({ store, audit } = await openDesk('level2'));
    // Enrol the citizen's face template from one photo (deepface_01: img1, img2… are one person).
    const enrolled = await face.embed(photo('img1.jpg'), { referenceType: 'photo' });
    if (enrolled.status !== 'ok') throw new Error('no face in the enrolment photo');
    await store.enrolTemplate('027142843987', {
      kind: 'face',
      format: 'f32',
      data: encodeEmbedding(enrolled.embedding),
    });
    deps = { store, audit, queue: createDeskQueue(undefined, clock), face, actor: 'desk-07', clock, today };
  });
  afterAll(async () => {
    await audit?.close();
    await store?.close();
    await face?.close();
  });

  it('does not process the face without consent: review, no ticket', async () => {
    const r = await identifyAtDesk({ cardImage: cardPhoto, faceImage: photo('img2.jpg') }, deps);
    expect(r.decision.outcome).toBe('needs_review');
    expect(r.decision.reasons.map((i) => i.code)).toContain('consent/missing');
    expect(r.ticket).toBeUndefined();
  });

  it('verifies the same person at level 2 and issues a ticket', async () => {
    const r = await identifyAtDesk({ cardImage: cardPhoto, faceImage: photo('img2.jpg'), consent, answers }, deps);
    expect(r.decision.outcome).toBe('verified');
    expect(r.decision.requestedLevel).toBe(2);
    expect(r.decision.achievedLevel).toBe(2);
    expect(r.decision.met).toEqual(expect.arrayContaining(['face-match', 'liveness']));
    expect(r.ticket?.groupId).toBe('elderly');
    expect(r.form?.data).toMatchObject({ idNumber: '027142843987' });
    const actions = (await audit.list()).map((e) => e.action);
    expect(actions).toContain('template.read');
    expect(await verifyAuditChain(audit)).toMatchObject({ ok: true });
  });

  it('rejects a different person: no ticket, no form', async () => {
    const r = await identifyAtDesk({ cardImage: cardPhoto, faceImage: photo('img3.jpg'), consent }, deps);
    expect(r.decision.outcome).toBe('rejected');
    expect(r.decision.reasons.map((i) => i.code)).toContain('face/no-match');
    expect(r.ticket).toBeUndefined();
    expect(r.form).toBeUndefined();
  });
});
