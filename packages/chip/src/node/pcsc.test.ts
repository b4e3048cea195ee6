import { hasVpcd, lockVpcdSlot, vpcdPort } from '@smart-citizen/test-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChipReader } from '../ChipReader.js';
import { isChipError } from '../errors.js';
import { SoftwareCard, createTestDocument } from '../testing.js';
import { type VirtualCardConnection, connectVirtualCard } from './vpcdBridge.js';
import { createPcscTransport } from './pcscTransport.js';

// Through the real PC/SC stack: Debian's pcscd with vsmartcard's virtual reader, the software
// card plugged in over vpcd's socket, and the pcsc-mini binding on the reading side.
const available = await hasVpcd();
const doc = createTestDocument();
let connection: VirtualCardConnection | undefined;
// vpcd's first slot, by its full name: "Virtual PCD 00" alone also matches the second slot
// ("Virtual PCD 00 01"), where the CLI and kiosk tests plug their cards.
const readerName = 'Virtual PCD 00 00';
let release: (() => void) | undefined;

beforeAll(async () => {
  if (available) release = await lockVpcdSlot(vpcdPort);
}, 200_000);
afterAll(() => release?.());

afterEach(async () => {
  await connection?.close();
  connection = undefined;
  // let pcscd notice the card is gone before the next test plugs one in
  await new Promise((r) => setTimeout(r, 300));
});

describe.skipIf(!available)('PC/SC through pcscd + vsmartcard-vpcd', () => {
  it('reads and authenticates the software card end to end', async () => {
    connection = await connectVirtualCard(new SoftwareCard(doc), { port: vpcdPort });
    const transport = await createPcscTransport({ reader: readerName, waitMs: 10_000 });
    expect(transport.readerName).toBe(readerName);
    const reader = await ChipReader.create({ transport });
    const r = await reader.read({ key: { can: doc.can }, cscas: [doc.pki.csca.der] });
    await reader.close();
    expect(r.accessControl.protocol).toBe('PACE');
    expect(r.identity.idNumber).toBe(doc.holder.idNumber);
    expect(r.authentication.passive.status).toBe('passed');
    expect(r.authentication.chip.status).toBe('passed');
    expect(r.authentication.active.status).toBe('passed');
    expect(connection.apdus).toBe(r.apdus);
  });

  it('falls back to BAC over PC/SC when the chip refuses PACE', async () => {
    connection = await connectVirtualCard(new SoftwareCard(doc, { refusePace: true }), { port: vpcdPort });
    const transport = await createPcscTransport({ reader: readerName });
    const reader = await ChipReader.create({ transport });
    const r = await reader.read({ key: { can: doc.can, mrz: doc.mrzKey }, files: ['DG1', 'DG13', 'SOD'] });
    await reader.close();
    expect(r.accessControl).toMatchObject({ protocol: 'BAC', paceFailure: { sw: '6982' } });
    expect(r.authentication.passive.status).toBe('no-trust-anchor');
  });

  it('turns a card pulled out of the reader mid-read into chip/transport', async () => {
    const card = new SoftwareCard(doc);
    const conn = await connectVirtualCard(card, { port: vpcdPort });
    connection = conn;
    const transport = await createPcscTransport({ reader: readerName });
    const reader = await ChipReader.create({ transport, timeoutMs: 5000 });
    const err = await reader
      .read({
        key: { can: doc.can },
        onProgress: (p) => {
          if (p.type === 'file' && p.file === 'DG2' && p.bytesRead > 0) void conn.close();
        },
      })
      .then(
        () => undefined,
        (e) => e,
      );
    await reader.close();
    expect(isChipError(err), String(err)).toBe(true);
    expect(['chip/transport', 'chip/timeout']).toContain(err.code);
  });

  it('says which readers it saw when none matches', async () => {
    const err = await createPcscTransport({ reader: 'no such reader', waitMs: 500 }).catch((e) => e);
    expect(isChipError(err, 'chip/transport')).toBe(true);
  });
});
