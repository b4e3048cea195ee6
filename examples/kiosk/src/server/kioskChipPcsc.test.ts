// The kiosk's chip path through the real PC/SC stack: Debian's pcscd with vsmartcard's virtual
// reader (vpcd), the chip package's software card plugged into its second slot (Virtual PCD 00 01)
// over vpcd's socket, the kiosk server watching the reader with pcsc-mini and reading through
// @smart-citizen/chip's PC/SC transport. Skips outside CI when vpcd is not there.
import { connectVirtualCard, type VirtualCardConnection } from '@smart-citizen/chip/node';
import { SoftwareCard, createTestPki } from '@smart-citizen/chip/testing';
import { hasVpcd, lockVpcdSlot, vpcdPort } from '@smart-citizen/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chipCardFor } from './chipTestCard.js';
import { createKioskServer, type KioskServer } from './createKioskServer.js';
import { generateCitizens } from './seed.js';

/** The answers these tests read. */
interface ApiJson {
  error?: { code: string };
  decision?: { outcome: string };
  [field: string]: unknown;
}

const available = await hasVpcd();
/** The second vpcd slot (the chip package's own tests use the first). */
const port = vpcdPort + 1;
const readerName = 'Virtual PCD 00 01';

describe.skipIf(!available)('kiosk chip path through pcscd + vpcd', () => {
  const pki = createTestPki();
  let server: KioskServer;
  let release: () => void = () => undefined;
  let citizens: Awaited<ReturnType<typeof generateCitizens>>;
  let connection: VirtualCardConnection | undefined;
  const api = (path: string) => new URL(path, server.url).href;
  const status = async () => (await (await fetch(api('/api/chip/status'))).json()) as { state: string; code?: string };
  const until = async (state: string, timeoutMs = 20_000) => {
    const end = Date.now() + timeoutMs;
    let s = await status();
    while (s.state !== state && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      s = await status();
    }
    expect(s.state).toBe(state);
    return s;
  };
  const post = async (path: string, body: unknown) => {
    const r = await fetch(api(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: r.status, json: (await r.json()) as ApiJson };
  };

  beforeAll(async () => {
    release = await lockVpcdSlot(port);
    citizens = (await generateCitizens(8)).filter((c) => c.expiryDate);
    server = await createKioskServer({
      port: 0,
      face: false,
      idcard: false,
      seedCitizens: 8,
      chip: 'pcsc',
      chipReader: readerName,
      chipCscas: [pki.csca.der],
      log: () => undefined,
    });
  }, 120_000);
  afterAll(async () => {
    await connection?.close();
    await server?.close();
    release();
  });

  it('sees the virtual reader and the card, reads it over PC/SC and decides with it', async () => {
    expect(await until('ready')).toMatchObject({ reader: expect.stringContaining(readerName) });
    const citizen = citizens[0]!;
    const { sessionId } = (await (await fetch(api('/api/sessions'), { method: 'POST' })).json()) as {
      sessionId: string;
    };
    await post(`/api/sessions/${sessionId}/card`, { qrText: citizen.qrText });
    connection = await connectVirtualCard(new SoftwareCard(chipCardFor(citizen, { pki })), { port });
    await until('card');
    const t0 = performance.now();
    const chip = await post(`/api/sessions/${sessionId}/chip`, {});
    const ms = performance.now() - t0;
    expect(chip.json).toMatchObject({
      status: 'read',
      authenticated: true,
      protocol: 'PACE',
      checks: { passive: 'passed', chip: 'passed', active: 'passed' },
      identity: { idNumber: citizen.idNumber },
    });
    console.log(`[kiosk chip pcsc] read over pcscd + vpcd in ${Math.round(ms)} ms, ${connection.apdus} APDUs`);
    expect(await status()).toMatchObject({ state: 'read' });
    const consent = await post(`/api/sessions/${sessionId}/consent`, { accepted: false, scope: ['face'] });
    expect(consent.json.decision).toMatchObject({ outcome: 'verified' });
    // The card leaves the reader: the kiosk sees it.
    await connection.close();
    connection = undefined;
    await until('ready');
  }, 120_000);

  it('answers chip/card-removed when the card leaves the reader during the read', async () => {
    const citizen = citizens[1]!;
    const card = new SoftwareCard(chipCardFor(citizen, { pki }));
    // Pulled out during the 30th APDU, in the middle of the data groups: vpcd's socket closes
    // before the answer goes back.
    const icc = {
      process: (apdu: Uint8Array) => {
        if (conn.apdus >= 29) void conn.close();
        return card.process(apdu);
      },
      reset: () => card.reset(),
    };
    const conn: VirtualCardConnection = await connectVirtualCard(icc, { port });
    connection = conn;
    await until('card');
    const { sessionId } = (await (await fetch(api('/api/sessions'), { method: 'POST' })).json()) as {
      sessionId: string;
    };
    const r = await post(`/api/sessions/${sessionId}/chip`, { can: citizen.idNumber.slice(6) });
    expect([r.status, r.json.error?.code]).toEqual([409, 'chip/card-removed']);
    connection = undefined;
    await until('error');
  }, 120_000);
});
