// The server re-runs the head-turn challenge on the frames it receives (the browser's verdict is
// never sent): frontal then turned the asked way, one person. Real models, real photos
// (../shared/data/face/deepface), the turns synthesised as in the e2e test's fake camera.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FaceVerifier } from '@smart-citizen/face';
import { decodeImage, encodePng, type RasterImage, toRgb } from '@smart-citizen/image';
import { sharedData } from '@smart-citizen/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headTurns, place } from '../e2e/fakeCamera.js';
import { createKioskServer, type KioskServer } from './createKioskServer.js';
import { generateCitizens } from './seed.js';

const deepface = sharedData('face/deepface');

describe.skipIf(!deepface)('server-side head-turn challenge', () => {
  let server: KioskServer;
  let citizens: Awaited<ReturnType<typeof generateCitizens>>;
  const b64 = (img: RasterImage) => Buffer.from(encodePng(img)).toString('base64');
  let frontal: string;
  let left: string;
  let right: string;
  let otherLeft: string;
  const logs: string[] = [];

  beforeAll(async () => {
    const photo = async (f: string) =>
      place(
        toRgb(await decodeImage(new Uint8Array(readFileSync(join(deepface as string, f))), { maxDimension: 1280 })),
        1,
      );
    const fv = await FaceVerifier.create({ profile: 'default', liveness: false });
    try {
      // Another person (identities.json: img1 is deepface_01, these are not): the first whose
      // synthesised left turn reads clearly as one (some photos are already a little turned).
      const a = await photo('img1.jpg');
      const t = await headTurns(fv, a);
      let o: Awaited<ReturnType<typeof headTurns>> | undefined;
      for (const f of ['img3.jpg', 'img13.jpg', 'img29.jpg', 'img16.jpg']) {
        o = await headTurns(fv, await photo(f));
        if (o.yaw.left > 25) break;
      }
      if (!o || o.yaw.left <= 25) throw new Error('no clear left turn of another person');
      frontal = b64(a);
      left = b64(t.left);
      right = b64(t.right);
      otherLeft = b64(o.left);
    } finally {
      await fv.close();
    }
    // The server asks every session to turn left.
    server = await createKioskServer({ port: 0, seedCitizens: 5, challenge: 'turn-left', log: (l) => logs.push(l) });
    citizens = await generateCitizens(5);
  }, 300_000);
  afterAll(async () => {
    await server?.close();
  });

  async function post(path: string, body?: unknown) {
    const r = await fetch(new URL(path, server.url), {
      method: 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  }
  async function consentedSession(): Promise<string> {
    const id = (await post('/api/sessions')).json.sessionId as string;
    await post(`/api/sessions/${id}/card`, { qrText: citizens[0]?.qrText });
    await post(`/api/sessions/${id}/consent`, { accepted: true, scope: ['face'] });
    return id;
  }
  const face = async (id: string, f: string, fAt: number, t: string, tAt: number) =>
    post(`/api/sessions/${id}/face`, { frontal: { image: f, atMs: fAt }, turned: { image: t, atMs: tAt } });

  it('passes the turn it asked for, then decides on the frontal frame', async () => {
    const r = await face(await consentedSession(), frontal, 1000, left, 3000);
    expect(r.status).toBe(200);
    expect(r.json.outcome).not.toBe('retry');
    expect(String(r.json.reasons)).not.toMatch(/liveness\/challenge/);
  }, 120_000);

  it('refuses the other turn, a turn of another person, frames out of order and two frontal frames', async () => {
    const id = await consentedSession();
    expect((await face(id, frontal, 1000, right, 3000)).json).toMatchObject({
      outcome: 'retry',
      reasons: ['liveness/challenge-not-passed'],
      attemptsLeft: 2,
    });
    expect((await face(id, frontal, 1000, otherLeft, 3000)).json).toMatchObject({
      outcome: 'retry',
      reasons: ['liveness/challenge-different-person'],
    });
    const id2 = await consentedSession();
    expect((await face(id2, frontal, 3000, left, 1000)).json.reasons).toEqual([
      'liveness/challenge-frames-out-of-order',
    ]);
    expect((await face(id2, frontal, 1000, frontal, 2000)).json.reasons).toEqual(['liveness/challenge-not-passed']);
    // The failures are audited, with codes only.
    const entries = (await server.audit.list()).filter((e) => e.action === 'liveness.challenge-failed');
    expect(entries.length).toBeGreaterThanOrEqual(4);
    expect(logs.join('\n')).not.toContain(citizens[0]?.idNumber ?? '-');
  }, 120_000);
});
