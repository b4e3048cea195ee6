// The kiosk's chip station over a software slot, in process (no pcscd): presence and progress
// as the page sees them, and every failure a citizen can cause as its guidance code.
import { SoftwareCard, createTestDocument, createTestPki } from '@smart-citizen/chip/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChipStation, type ChipStatus, createChipStation } from './chipStation.js';
import { HttpError } from './http.js';
import { createSoftwareSlot } from './softwareSlot.js';

const pki = createTestPki();
const doc = createTestDocument({ pki });
let station: ChipStation | undefined;
afterEach(async () => station?.close());

function setUp(timeoutMs = 5000) {
  const slot = createSoftwareSlot('Test reader');
  station = createChipStation({ slot, cscas: [pki.csca.der], timeoutMs });
  const seen: ChipStatus[] = [];
  station.subscribe((s) => seen.push(s));
  return { slot, station, seen };
}
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('the read should have failed');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(HttpError);
      return e as HttpError;
    },
  );

describe('chip station (software slot)', () => {
  it('follows the reader and the card, reads with the CAN and reports progress', async () => {
    const { slot, station, seen } = setUp();
    expect(station.status()).toEqual({ state: 'ready', reader: 'Test reader' });
    slot.insert(new SoftwareCard(doc));
    expect(station.status().state).toBe('card');
    const r = await station.read({ can: doc.can });
    expect(r.identity.idNumber).toBe(doc.holder.idNumber);
    expect(r.accessControl.protocol).toBe('PACE');
    expect(r.authentication.passive.status).toBe('passed');
    expect(r.authentication.chip.status).toBe('passed');
    expect(r.authentication.active.status).toBe('passed');
    expect(station.status().state).toBe('read');
    const steps = seen.filter((s) => s.state === 'reading').map((s) => s.step);
    expect(steps).toEqual(expect.arrayContaining(['pace', 'read', 'passive-authentication']));
    expect(seen.some((s) => s.state === 'reading' && s.progress === 1)).toBe(true);
    // Nothing personal in what the page is sent.
    expect(JSON.stringify(seen)).not.toContain(doc.holder.idNumber);
    slot.remove();
    expect(station.status().state).toBe('ready');
    slot.attach(false);
    expect(station.status()).toEqual({ state: 'no-reader' });
  });

  it('falls back to BAC with the MRZ key when the chip refuses PACE', async () => {
    const { slot, station } = setUp();
    slot.insert(new SoftwareCard(doc, { refusePace: true }));
    const r = await station.read({ can: doc.can, mrz: doc.mrzKey });
    expect(r.accessControl.protocol).toBe('BAC');
    // Without the MRZ key there is no way in (the chip answers PACE with 6982): guidance, not a crash.
    const e = await failure(station.read({ can: doc.can }));
    expect([e.status, e.code]).toEqual([422, 'chip/wrong-key']);
  });

  it('turns each failure into its guidance code and status', async () => {
    const { slot, station } = setUp(400);
    expect((await failure(station.read({ can: doc.can }))).code).toBe('chip/no-card');
    slot.insert(new SoftwareCard(doc));
    const wrong = await failure(station.read({ can: '000000' }));
    expect([wrong.status, wrong.code]).toEqual([422, 'chip/wrong-key']);
    expect(station.status()).toMatchObject({ state: 'error', code: 'chip/wrong-key' });
    // Garbage instead of a response, a card that goes silent, one pulled out: each its own code.
    slot.insert(new SoftwareCard(doc, { fault: { kind: 'garbage', afterApdus: 12 } }));
    expect(station.status().state).toBe('card');
    expect((await failure(station.read({ can: doc.can }))).code).toBe('chip/unreadable');
    slot.insert(new SoftwareCard(doc, { fault: { kind: 'silent', afterApdus: 12 } }));
    const silent = await failure(station.read({ can: doc.can }));
    expect([silent.status, silent.code]).toEqual([504, 'chip/timeout']);
    slot.insert(new SoftwareCard(doc));
    const stop = station.subscribe((s) => {
      if (s.state === 'reading' && s.step === 'read') slot.remove();
    });
    const removed = await failure(station.read({ can: doc.can }));
    stop();
    expect([removed.status, removed.code]).toEqual([409, 'chip/card-removed']);
    expect(station.status()).toMatchObject({ state: 'error', code: 'chip/card-removed' });
    // A card put back starts over.
    slot.insert(new SoftwareCard(doc));
    expect(station.status().state).toBe('card');
    slot.attach(false);
    expect((await failure(station.read({ can: doc.can }))).code).toBe('chip/no-reader');
  });

  it('reads one card at a time', async () => {
    const { slot, station } = setUp();
    slot.insert(new SoftwareCard(doc));
    const first = station.read({ can: doc.can });
    const second = await failure(station.read({ can: doc.can }));
    expect([second.status, second.code]).toEqual([409, 'chip/busy']);
    await expect(first).resolves.toMatchObject({ apdus: expect.any(Number) });
  });
});
