import { describe, expect, it } from 'vitest';
import type { Logger } from '@smart-citizen/core';
import { decideFromRawEvidence, foldForCompare, verifyAuditChain } from '@smart-citizen/core';
import {
  citizenA,
  citizenB,
  citizenC,
  createSessionStore,
  faceImage,
  fingerprintA,
  makeVerifiers,
  qrPayloadOf,
} from './fixtures/session.js';

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

const setup = (logger?: Logger) => createSessionStore(logger);

describe('decideFromRawEvidence', () => {
  it('recomputes a level-2 decision from the QR text and the live image', async () => {
    const { store, clock, audit } = await setup();
    const v = makeVerifiers();
    const d = await decideFromRawEvidence(
      { qrPayload: qrPayloadOf(citizenA), faceImage: faceImage(1, 5), consent: { scope: ['face'] } },
      v,
      store,
      { policy: { level: 2 }, clock, audit, actor: 'kiosk-1' },
    );
    expect(d.outcome).toBe('verified');
    expect(d.achievedLevel).toBe(2);
    expect(d.evaluated).toEqual(['qr', 'face', 'liveness']);
    expect(v.calls).toMatchObject({ qr: 1, embed: 1, liveness: 1 });
    const actions = (await audit.list()).map((e) => e.action);
    expect(actions).toEqual(['identity.read', 'template.read', 'session.decide']);
    expect(await verifyAuditChain(audit)).toMatchObject({ ok: true });
  });

  it('never trusts client scores: an impostor image is rejected whatever the client claims', async () => {
    const { store, clock } = await setup();
    const raw = {
      qrPayload: qrPayloadOf(citizenA),
      faceImage: faceImage(3, 1),
      consent: { scope: ['face'] as const },
      faceScore: 0.99,
      live: true,
      decision: 'verified',
    };
    const d = await decideFromRawEvidence(raw, makeVerifiers(), store, { policy: { level: 2 }, clock });
    expect(d.outcome).toBe('rejected');
    expect(d.reasons.map((r) => r.code)).toContain('face/no-match');
  });

  it('does not run any biometric processing without consent', async () => {
    const { store, clock } = await setup();
    const v = makeVerifiers();
    const d = await decideFromRawEvidence(
      { qrPayload: qrPayloadOf(citizenA), faceImage: faceImage(1, 5), fingerprint: fingerprintA },
      v,
      store,
      { policy: { level: 3 }, clock },
    );
    expect(v.calls.embed).toBe(0);
    expect(v.calls.liveness).toBe(0);
    expect(v.calls.fingerprint).toBe(0);
    expect(d.outcome).toBe('needs_review');
    expect(d.reasons.filter((r) => r.code === 'consent/missing').map((r) => r.path)).toEqual(
      expect.arrayContaining(['face', 'fingerprint']),
    );
  });

  it('reaches level 3 with a fingerprint match against the enrolled template', async () => {
    const { store, clock } = await setup();
    const v = makeVerifiers();
    const d = await decideFromRawEvidence(
      {
        qrPayload: qrPayloadOf(citizenA),
        faceImage: faceImage(1, 9),
        fingerprint: fingerprintA,
        consent: { scope: ['face', 'fingerprint'] },
      },
      v,
      store,
      { policy: { level: 3 }, clock },
    );
    expect(d.outcome).toBe('verified');
    expect(d.achievedLevel).toBe(3);
    const wrong = await decideFromRawEvidence(
      {
        qrPayload: qrPayloadOf(citizenA),
        faceImage: faceImage(1, 9),
        fingerprint: fingerprintA.map((x, i) => (i % 2 ? x ^ 0x55 : x)),
        consent: { scope: ['face', 'fingerprint'] },
      },
      v,
      store,
      { policy: { level: 3 }, clock },
    );
    expect(wrong.outcome).toBe('rejected');
    expect(wrong.reasons.map((r) => r.code)).toContain('fingerprint/no-match');
  });

  it('rejects a printed photo through the liveness check', async () => {
    const { store, clock } = await setup();
    const d = await decideFromRawEvidence(
      {
        qrPayload: qrPayloadOf(citizenA),
        faceImage: faceImage(1, 2),
        livenessImage: faceImage(1, 2, true),
        consent: { scope: ['face'] },
      },
      makeVerifiers(),
      store,
      { policy: { level: 2 }, clock },
    );
    expect(d.outcome).toBe('rejected');
    expect(d.reasons.map((r) => r.code)).toContain('liveness/failed');
  });

  it('turns unreadable input into issues, not crashes', async () => {
    const { store, clock } = await setup();
    const d = await decideFromRawEvidence(
      { qrPayload: 'not|a|payload', faceImage: new Uint8Array(3), consent: { scope: ['face'] } },
      makeVerifiers(),
      store,
      { clock },
    );
    expect(d.outcome).toBe('needs_review');
    expect(d.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['evidence/qr-unreadable', 'requirement/document-missing']),
    );
    for (const junk of ['', '|||||||', 'x'.repeat(100_000), '001099012345|||||||']) {
      const r = await decideFromRawEvidence({ qrPayload: junk }, makeVerifiers(), store, { clock });
      expect(['needs_review', 'rejected']).toContain(r.outcome);
    }
  });

  it('identifies 1:N by face when no document is shown, with face-search consent', async () => {
    const { store, clock } = await setup();
    const d = await decideFromRawEvidence(
      { faceImage: faceImage(2, 4), consent: { scope: ['face-search', 'face'] } },
      makeVerifiers(),
      store,
      { clock, policy: { faceSearch: { enabled: true, minSimilarity: 0.8 } } },
    );
    expect(d.resolution).toMatchObject({ status: 'found', by: 'face-search' });
    expect(d.idNumber).toBe(citizenB.idNumber);
    // No document: level 1 is not met, so a person must look.
    expect(d.outcome).toBe('needs_review');
    expect(d.reasons.map((r) => r.code)).toContain('requirement/document-missing');
  });

  it('writes no personal data to the logs', async () => {
    const logger = capturingLogger();
    const { store, clock, audit } = await setup(logger);
    const v = makeVerifiers();
    const runs = [
      { qrPayload: qrPayloadOf(citizenA), faceImage: faceImage(1, 5), consent: { scope: ['face'] as const } },
      { qrPayload: qrPayloadOf(citizenB), faceImage: faceImage(3, 5), consent: { scope: ['face'] as const } },
      { qrPayload: qrPayloadOf({ ...citizenC, dateOfBirth: { year: 2001 } }) },
      { qrPayload: 'broken' },
      { faceImage: faceImage(2, 4), consent: { scope: ['face-search'] as const } },
    ];
    for (const [i, raw] of runs.entries()) {
      await decideFromRawEvidence(raw, v, store, {
        clock,
        audit,
        logger,
        policy: { level: i === 0 ? 2 : 1, faceSearch: { enabled: true } },
      });
    }
    await store.rotateKeys?.();
    expect(logger.lines.length).toBeGreaterThanOrEqual(runs.length);
    const secrets = [citizenA, citizenB, citizenC].flatMap((c) => [
      c.idNumber,
      c.oldIdNumber as string,
      c.fullName as string,
      foldForCompare(c.fullName as string),
      (c.fullName as string).toUpperCase(),
      ...(c.fullName as string).split(' ').slice(-2).join(' ').split('|'),
    ]);
    for (const line of logger.lines) {
      for (const secret of secrets) expect(line.toLowerCase()).not.toContain(secret.toLowerCase());
      expect(line).not.toMatch(/\d{9,}/);
    }
  });
});
