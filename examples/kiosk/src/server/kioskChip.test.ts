// The kiosk's chip path over HTTP with the chip package's software card in a software slot (in
// process, no pcscd): the reader's status and its event stream, the chip read with the key from
// the card's QR or a typed CAN, what the citizen is shown, the decision with the chip's evidence,
// typed guidance for every failure, the routes' validation, the audit trail and the logs.
import { SoftwareCard, createTestPki } from '@smart-citizen/chip/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chipCardFor } from './chipTestCard.js';
import { createKioskServer, type KioskServer } from './createKioskServer.js';
import { defaultRateLimits } from './http.js';
import { generateCitizens } from './seed.js';
import { createSoftwareSlot } from './softwareSlot.js';

const pki = createTestPki();
const slot = createSoftwareSlot('Test reader');
let server: KioskServer;
const logs: string[] = [];
let citizens: Awaited<ReturnType<typeof generateCitizens>>;

/** The answers these tests read. */
interface ApiJson {
  error?: { code: string };
  decision?: { outcome: string; achievedLevel: number; met: string[]; reasons: string[] };
  issues?: string[];
  [field: string]: unknown;
}

const api = (path: string) => new URL(path, server.url).href;
async function post(path: string, body?: unknown) {
  const r = await fetch(api(path), {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: r.status, json: (await r.json().catch(() => null)) as ApiJson };
}
const session = async () => (await post('/api/sessions')).json.sessionId as string;
/** The generated citizens whose cards expire (the MRZ needs the date). */
const withExpiry = () => citizens.filter((c) => c.expiryDate);

beforeAll(async () => {
  citizens = await generateCitizens(12);
  server = await createKioskServer({
    port: 0,
    face: false,
    idcard: false,
    seedCitizens: 12,
    chip: { slot },
    chipCscas: [pki.csca.der],
    log: (l) => logs.push(l),
    rateLimits: { ...defaultRateLimits, kiosk: { burst: 200, perMinute: 6000 } },
  });
});
afterAll(async () => server?.close());

describe('kiosk chip path (software card, in process)', () => {
  it('lists the chip routes in the OpenAPI document with their limits', async () => {
    const doc = (await (await fetch(api('/api/openapi.json'))).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const read = doc.paths['/api/sessions/{sessionId}/chip']?.post;
    expect(read).toMatchObject({ operationId: 'session-chip', 'x-rate-limit-group': 'kiosk' });
    expect(JSON.stringify(read?.requestBody)).toContain('^\\\\d{6}$');
    expect(doc.paths['/api/chip/status']?.get).toMatchObject({ 'x-rate-limit-group': 'read' });
    expect(doc.paths['/api/chip/events']?.get).toBeDefined();
  });

  it('streams the reader status, reads the chip with the CAN from the QR and decides with it', async () => {
    const citizen = withExpiry()[0]!;
    const doc = chipCardFor(citizen, { pki });
    const ctrl = new AbortController();
    const events = await fetch(api('/api/chip/events'), { signal: ctrl.signal });
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const waitFor = async (needle: string) => {
      while (!text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await waitFor('"state":"ready"');
    expect(await (await fetch(api('/api/chip/status'))).json()).toEqual({ state: 'ready', reader: 'Test reader' });

    const id = await session();
    const card = await post(`/api/sessions/${id}/card`, { qrText: citizen.qrText });
    expect(card.json).toMatchObject({ status: 'read', known: true });
    slot.insert(new SoftwareCard(doc));
    await waitFor('"state":"card"');
    const chip = await post(`/api/sessions/${id}/chip`, {});
    expect(chip.status).toBe(200);
    expect(chip.json).toMatchObject({
      status: 'read',
      known: true,
      authenticated: true,
      protocol: 'PACE',
      checks: { passive: 'passed', chip: 'passed', active: 'passed' },
      portrait: true,
      identity: { idNumber: citizen.idNumber, fullName: citizen.fullName, sex: citizen.sex },
    });
    await waitFor('"state":"reading"');
    await waitFor('"state":"read"');
    ctrl.abort();
    // The event stream carried no personal data.
    expect(text).not.toContain(citizen.idNumber);
    expect(text).not.toContain(citizen.fullName);

    // Level 1 (no face): QR and chip agree, the citizen is in the store: verified, ticket issued.
    const consent = await post(`/api/sessions/${id}/consent`, { accepted: false, scope: ['face'] });
    expect(consent.json.decision).toMatchObject({ outcome: 'verified', achievedLevel: 1 });
    expect(consent.json.decision?.met).toContain('chip-authenticated');
    expect((await post(`/api/sessions/${id}/ticket`, { procedureId: 'residence' })).status).toBe(200);
    const audit = await server.audit.list();
    const entry = audit.find((e) => e.action === 'chip.read');
    expect(entry?.details).toMatchObject({
      protocol: 'PACE',
      passive: 'passed',
      chipAuthentication: 'passed',
      activeAuthentication: 'passed',
      authenticated: true,
    });
    expect(JSON.stringify(entry?.details)).not.toContain(citizen.fullName);
    slot.remove();
  });

  it('reads the chip first with a typed CAN, or the MRZ key (BAC), without a QR', async () => {
    const citizen = withExpiry()[1]!;
    const doc = chipCardFor(citizen, { pki });
    slot.insert(new SoftwareCard(doc, { refusePace: true }));
    const id = await session();
    const noKey = await post(`/api/sessions/${id}/chip`, {});
    expect([noKey.status, noKey.json.error?.code]).toEqual([409, 'chip/no-key']);
    // This chip refuses PACE: the CAN alone does not open it, the MRZ key does (BAC).
    const can = await post(`/api/sessions/${id}/chip`, { can: doc.can });
    expect([can.status, can.json.error?.code]).toEqual([422, 'chip/wrong-key']);
    slot.insert(new SoftwareCard(doc, { refusePace: true }));
    const mrz = await post(`/api/sessions/${id}/chip`, { mrz: doc.mrzKey });
    expect(mrz.json).toMatchObject({ status: 'read', protocol: 'BAC', identity: { idNumber: citizen.idNumber } });
    const consent = await post(`/api/sessions/${id}/consent`, { accepted: false, scope: ['face'] });
    // The chip is authenticated, but a chip that refused PACE is the chip package's warning: review.
    expect(mrz.json.authenticated).toBe(true);
    expect(consent.json.decision).toMatchObject({ outcome: 'needs_review', reasons: ['chip/pace-fallback-bac'] });
    slot.remove();
  });

  it('answers guidance codes: no card, wrong key, garbage, card lifted mid-read; audits the failures', async () => {
    const citizen = withExpiry()[2]!;
    const doc = chipCardFor(citizen, { pki });
    const id = await session();
    await post(`/api/sessions/${id}/card`, { qrText: citizen.qrText });
    const code = async (body: unknown = {}) => {
      const r = await post(`/api/sessions/${id}/chip`, body);
      return [r.status, r.json.error?.code];
    };
    expect(await code()).toEqual([409, 'chip/no-card']);
    slot.insert(new SoftwareCard(doc));
    expect(await code({ can: '000000' })).toEqual([422, 'chip/wrong-key']);
    expect((await (await fetch(api('/api/chip/status'))).json()) as unknown).toMatchObject({
      state: 'error',
      code: 'chip/wrong-key',
    });
    slot.insert(new SoftwareCard(doc, { fault: { kind: 'garbage', afterApdus: 15 } }));
    expect(await code()).toEqual([422, 'chip/unreadable']);
    slot.insert(new SoftwareCard(doc, { fault: { kind: 'removed', afterApdus: 20 } }));
    expect(await code()).toEqual([409, 'chip/card-removed']);
    slot.remove();
    const failed = (await server.audit.list()).filter((e) => e.action === 'chip.read-failed');
    expect(failed.map((e) => e.details?.code)).toEqual(
      expect.arrayContaining(['chip/no-card', 'chip/wrong-key', 'chip/unreadable', 'chip/card-removed']),
    );
  });

  it('does not authenticate a clone: the chip does not count, the decision is not verified', async () => {
    const citizen = withExpiry()[3]!;
    slot.insert(new SoftwareCard(chipCardFor(citizen, { pki }), { clone: true }));
    const id = await session();
    const chip = await post(`/api/sessions/${id}/chip`, { can: citizen.idNumber.slice(6) });
    expect(chip.json).toMatchObject({
      status: 'read',
      authenticated: false,
      checks: { passive: 'passed', chip: 'failed', active: 'failed' },
    });
    expect(chip.json.issues).toContain('chip/clone-suspected');
    const consent = await post(`/api/sessions/${id}/consent`, { accepted: false, scope: ['face'] });
    expect(consent.json.decision?.outcome).not.toBe('verified');
    expect(consent.json.decision?.reasons).toContain('chip/clone-suspected');
    slot.remove();
  });

  it('validates the chip request: key formats, extra fields, size', async () => {
    const id = await session();
    for (const body of [{ can: '12' }, { can: 123456 }, { mrz: { documentNumber: 'x' } }, { pin: '1234' }]) {
      const r = await post(`/api/sessions/${id}/chip`, body);
      expect([r.status, r.json.error?.code]).toEqual([400, 'request/invalid']);
    }
    expect((await post(`/api/sessions/${id}/chip`, { can: '1'.repeat(2000) })).status).toBe(413);
    expect((await post(`/api/sessions/${crypto.randomUUID()}/chip`, {})).status).toBe(404);
  });

  it('logs route templates only: no ID number, no name', () => {
    const log = logs.join('\n');
    for (const c of withExpiry().slice(0, 4)) {
      expect(log).not.toContain(c.idNumber);
      expect(log).not.toContain(c.fullName);
    }
    expect(logs.some((l) => JSON.parse(l).route === '/api/sessions/{sessionId}/chip')).toBe(true);
  });
});

describe('kiosk without a chip reader', () => {
  it('says off and answers a read with chip/no-reader', async () => {
    const plain = await createKioskServer({
      port: 0,
      face: false,
      idcard: false,
      seedCitizens: 0,
      log: () => undefined,
    });
    try {
      const status = await (await fetch(new URL('/api/chip/status', plain.url))).json();
      expect(status).toEqual({ state: 'off' });
      const { sessionId } = (await (await fetch(new URL('/api/sessions', plain.url), { method: 'POST' })).json()) as {
        sessionId: string;
      };
      const r = await fetch(new URL(`/api/sessions/${sessionId}/chip`, plain.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ can: '123456' }),
      });
      expect(r.status).toBe(503);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('chip/no-reader');
    } finally {
      await plain.close();
    }
  });
});
