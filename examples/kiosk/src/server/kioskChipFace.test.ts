// The chip path with a live face (level 3): the portrait in an authenticated chip's DG2 is the
// face reference, not the printed one. A software chip personalised for a seeded citizen carries
// a real photo (../shared/data/face/deepface) as its DG2 (JPEG 2000, as ICAO 9303 chips store it); the live frames are another photo of
// the same person, the head turn synthesised as in the e2e fake camera. Real face models.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestPki, SoftwareCard } from '@smart-citizen/chip/testing';
import { FaceVerifier } from '@smart-citizen/face';
import { decodeImage, encodePng, type RasterImage, resize, toRgb } from '@smart-citizen/image';
import { encodeJpeg2000 } from '@smart-citizen/image/testing';
import { sharedData } from '@smart-citizen/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headTurns, place } from '../e2e/fakeCamera.js';
import { chipCardFor } from './chipTestCard.js';
import { createKioskServer, type KioskServer } from './createKioskServer.js';
import { defaultRateLimits } from './http.js';
import { generateCitizens } from './seed.js';
import { createSoftwareSlot } from './softwareSlot.js';

const deepface = sharedData('face/deepface');

describe.skipIf(!deepface)('kiosk chip path with a live face (DG2 as the reference, level 3)', () => {
  const pki = createTestPki();
  const slot = createSoftwareSlot('Test reader');
  let server: KioskServer;
  let citizens: Awaited<ReturnType<typeof generateCitizens>>;
  const logs: string[] = [];
  const b64 = (img: RasterImage) => Buffer.from(encodePng(img)).toString('base64');
  const photo = async (f: string) =>
    toRgb(await decodeImage(new Uint8Array(readFileSync(join(deepface as string, f))), { maxDimension: 1280 }));
  let dg2: { bytes: Uint8Array; format: 'jpeg2000'; width: number; height: number };
  const live: Record<'same' | 'other', { frontal: string; left: string }> = {
    same: { frontal: '', left: '' },
    other: { frontal: '', left: '' },
  };

  beforeAll(async () => {
    // identities.json: img1 and img2 are deepface_01; img3, img13, img29 and img16 are not.
    const portrait = await photo('img2.jpg');
    const s = 480 / Math.max(portrait.width, portrait.height);
    const small = resize(portrait, { width: Math.round(portrait.width * s), height: Math.round(portrait.height * s) });
    dg2 = { bytes: await encodeJpeg2000(small), format: 'jpeg2000', width: small.width, height: small.height };
    const fv = await FaceVerifier.create({ profile: 'default', liveness: false });
    try {
      const same = place(await photo('img1.jpg'), 1);
      live.same = { frontal: b64(same), left: b64((await headTurns(fv, same)).left) };
      // Another person: the first whose synthesised left turn reads clearly as one (as the
      // challenge test picks it; some photos are already a little turned).
      for (const f of ['img3.jpg', 'img13.jpg', 'img29.jpg', 'img16.jpg']) {
        const frontal = place(await photo(f), 1);
        const t = await headTurns(fv, frontal);
        if (t.yaw.left <= 25) continue;
        live.other = { frontal: b64(frontal), left: b64(t.left) };
        break;
      }
      if (!live.other.frontal) throw new Error('no clear left turn of another person');
    } finally {
      await fv.close();
    }
    citizens = (await generateCitizens(12)).filter((c) => c.expiryDate);
    server = await createKioskServer({
      port: 0,
      idcard: false,
      seedCitizens: 12,
      chip: { slot },
      chipCscas: [pki.csca.der],
      challenge: 'turn-left',
      log: (l) => logs.push(l),
      rateLimits: { ...defaultRateLimits, kiosk: { burst: 200, perMinute: 6000 } },
    });
  }, 300_000);
  afterAll(async () => server?.close());

  async function post(path: string, body?: unknown) {
    const r = await fetch(new URL(path, server.url), {
      method: 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  }

  /** QR read, chip read on the reader (PACE with the QR's CAN), consent to the face step. */
  async function chipSession(citizen: (typeof citizens)[number]): Promise<string> {
    const id = (await post('/api/sessions')).json.sessionId as string;
    expect((await post(`/api/sessions/${id}/card`, { qrText: citizen.qrText })).json).toMatchObject({ known: true });
    slot.insert(new SoftwareCard(chipCardFor(citizen, { pki, portrait: dg2 })));
    for (let i = 0; i < 100; i++) {
      const st = (await (await fetch(new URL('/api/chip/status', server.url))).json()) as { state: string };
      if (st.state === 'card') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const chip = await post(`/api/sessions/${id}/chip`, {});
    expect(chip.json).toMatchObject({ status: 'read', authenticated: true, portrait: true });
    slot.remove();
    expect((await post(`/api/sessions/${id}/consent`, { accepted: true, scope: ['face'] })).status).toBe(200);
    return id;
  }
  const face = (id: string, f: { frontal: string; left: string }) =>
    post(`/api/sessions/${id}/face`, {
      frontal: { image: f.frontal, atMs: 1000 },
      turned: { image: f.left, atMs: 3000 },
    });

  it('verifies the live face against the chip portrait at level 3', async () => {
    const r = await face(await chipSession(citizens[0]!), live.same);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ outcome: 'verified', achievedLevel: 3 });
    expect(r.json.met).toEqual(expect.arrayContaining(['chip-authenticated']));
  }, 120_000);

  it('does not verify another person against the chip portrait', async () => {
    const r = await face(await chipSession(citizens[1]!), live.other);
    expect(r.status).toBe(200);
    // The head turn passes (it is this person's own turn), the face does not match the chip's.
    expect(r.json.outcome).not.toBe('verified');
    expect(JSON.stringify(r.json.reasons)).not.toMatch(/liveness\/challenge/);
    expect(JSON.stringify(r.json.reasons)).toMatch(/face/);
  }, 120_000);

  it('keeps the chip holder out of the logs', () => {
    const all = logs.join('\n');
    for (const c of citizens.slice(0, 2)) {
      expect(all).not.toContain(c.idNumber);
      expect(all).not.toContain(c.fullName);
    }
  });
});
