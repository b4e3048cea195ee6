// DG2 → face: a software card personalised with a real photo (JPEG 2000, as chips store it) is
// read through the transport port; its portrait is the face reference of a live photo.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AssurancePolicyInput,
  combineEvidenceVerifiers,
  createManualClock,
  createMemoryIdentityStore,
  createStaticKeyProvider,
  decideFromRawEvidence,
} from '@smart-citizen/core';
import { FaceVerifier, faceEvidenceVerifiers } from '@smart-citizen/face';
import { decodeImage, detectImageFormat } from '@smart-citizen/image';
import { encodeJpeg2000 } from '@smart-citizen/image/testing';
import { sharedData } from '@smart-citizen/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChipReader } from './ChipReader.js';
import type { ChipReadResult } from './ChipReader.js';
import { chipEvidenceVerifiers, chipReadingEvidence } from './evidence.js';
import { SoftwareCard, createTestDocument, createTestPki } from './testing.js';

const faces = sharedData('face/deepface');
const photo = (f: string) => new Uint8Array(readFileSync(join(faces as string, f)));

describe.skipIf(!faces)('DG2 portrait (JPEG 2000) as the face reference', () => {
  const pki = createTestPki();
  let fv: FaceVerifier;
  let doc: ReturnType<typeof createTestDocument>;
  let read: ChipReadResult;

  beforeAll(async () => {
    // deepface_01 is the holder: img1.jpg goes on the chip, img2.jpg is the live capture.
    const img = await decodeImage(photo('img1.jpg'), { maxDimension: 360 });
    const bytes = await encodeJpeg2000(img);
    doc = createTestDocument({ pki, portrait: { bytes, format: 'jpeg2000', width: img.width, height: img.height } });
    const reader = await ChipReader.create({ transport: new SoftwareCard(doc), timeoutMs: 5000 });
    read = await reader.read({ key: { can: doc.can }, cscas: [pki.csca.der] });
    await reader.close();
    fv = await FaceVerifier.create({ profile: 'default' });
  }, 120_000);
  afterAll(async () => fv?.close());

  it('reads the JPEG 2000 portrait off the chip and decodes it', async () => {
    expect(read.authentication.passive.status).toBe('passed');
    expect(read.portrait?.format).toBe('jpeg2000');
    const bytes = read.portrait?.bytes as Uint8Array;
    expect(detectImageFormat(bytes)).toBe('jpeg2000');
    const img = await decodeImage(bytes);
    expect([img.width, img.height]).toEqual([read.portrait?.width, read.portrait?.height]);
  });

  it('verifies the holder against the chip portrait and refuses an impostor (reference type chip-portrait)', async () => {
    const ref = read.portrait?.bytes as Uint8Array;
    const same = await fv.verify(photo('img2.jpg'), ref, { referenceType: 'chip-portrait' });
    const other = await fv.verify(photo('img26.jpg'), ref, { referenceType: 'chip-portrait' });
    expect(same.status).toBe('compared');
    expect(other.status).toBe('compared');
    if (same.status !== 'compared' || other.status !== 'compared') return;
    expect(same.threshold).toBe(fv.thresholds['chip-portrait']);
    expect(same.match).toBe(true);
    expect(other.match).toBe(false);
    expect(same.score).toBeGreaterThan(other.score);
  });

  it('in the session: an authenticated chip lends its portrait as the reference when no template is enrolled', async () => {
    const clock = createManualClock(Date.now());
    const keys = createStaticKeyProvider({ keys: [{ id: 'k1', key: new Uint8Array(32).fill(9) }] });
    const store = createMemoryIdentityStore({ clock, keys });
    const { portrait: _portrait, ...reading } = chipReadingEvidence(read);
    await store.upsert({ ...reading.fields, idNumber: doc.holder.idNumber });
    const chipLevel = [['document'], ['in-store'], ['chip-authenticated'], ['face-match']] as const;
    const policy: AssurancePolicyInput = { level: 1, levels: { 1: chipLevel, 2: chipLevel, 3: chipLevel } };
    const chip = { ...doc.files } as Record<string, Uint8Array>;
    /** The session's decision on this chip and a live photo, with or without a CSCA to trust. */
    const decide = (photoFile: string, cscas: Uint8Array[]) =>
      decideFromRawEvidence(
        { chip, faceImage: photo(photoFile), consent: { scope: ['face'] } },
        combineEvidenceVerifiers(
          chipEvidenceVerifiers({ cscas }),
          faceEvidenceVerifiers(fv, { referenceType: 'chip-portrait' }),
        ),
        store,
        { policy, clock },
      );
    const holder = await decide('img2.jpg', [pki.csca.der]);
    expect(holder.outcome).toBe('verified');
    const impostor = await decide('img26.jpg', [pki.csca.der]);
    expect(impostor.outcome).toBe('rejected');
    expect(impostor.reasons.map((r) => r.code)).toContain('face/no-match');
    // Without a CSCA the chip is not authenticated: its portrait is not used as a reference.
    const untrusted = await decide('img2.jpg', []);
    expect(untrusted.reasons.map((r) => r.code)).toContain('face/no-reference');
  }, 60_000);
});
