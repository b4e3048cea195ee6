// The card-photo step over HTTP, with the real IdCardReader (tesseract.js OCR) on generated cards
// WITHOUT a QR code: an old 9-digit CMND and a CCCD 2016 of seeded citizens are read, found and
// verified at level 1; a card of nobody in the store, a card whose name disagrees with the
// record, a photo with no card, a card cut off or too small, corrupt bytes and an oversize body
// each get their answer. No ../shared needed (drawn portraits); face verification is off here
// (the e2e test takes the OCR path through the face step in Chromium).
import { loadavg } from 'node:os';
import { createRng } from '@smart-citizen/core';
import { cardLayout, type MmBox, mmBoxToPx } from '@smart-citizen/idcard';
import { loadGeneratorData, renderCardSide } from '@smart-citizen/idcard/testing';
import { encodePng, type RasterImage, toRgb } from '@smart-citizen/image';
import { createBarcodeWriter } from '@smart-citizen/qr/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noQrCardFront, place } from '../e2e/cardFrames.js';
import { createKioskServer, type KioskServer } from './createKioskServer.js';
import { generateCitizens, type SeededCitizen } from './seed.js';

let server: KioskServer;
let citizens: SeededCitizen[];
const logs: string[] = [];

const api = (path: string) => new URL(path, server.url).href;
async function session(): Promise<string> {
  const r = await fetch(api('/api/sessions'), { method: 'POST' });
  const json = (await r.json()) as { sessionId: string; cardOcr: boolean };
  expect(json.cardOcr).toBe(true);
  return json.sessionId;
}
async function photo(id: string, bytes: Uint8Array, type = 'image/png') {
  const r = await fetch(api(`/api/sessions/${id}/card-photo`), {
    method: 'POST',
    headers: { 'content-type': type },
    body: bytes as Uint8Array<ArrayBuffer>,
  });
  return { status: r.status, json: (await r.json().catch(() => null)) as Record<string, unknown> };
}
const png = (img: RasterImage) => encodePng(img);

/** Each card read by OCR here: CPU of this process (server + tesseract worker threads) and wall time. */
const reads: { card: string; cpuMs: number; wallMs: number; load: number; number: boolean; name: string }[] = [];
async function readCard(card: string, id: string, image: Uint8Array, truth: { number: string; name: string }) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await photo(id, image);
  const cpu = process.cpuUsage(cpu0);
  const shown = (r.json.identity ?? {}) as { idNumber?: string; fullName?: string };
  reads.push({
    card,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    wallMs: Math.round(performance.now() - t0),
    load: Number(loadavg()[0]?.toFixed(1)),
    number: shown.idNumber === truth.number,
    // As printed (upper case), or the record's spelling when the read name was doubtful but agreed without diacritics.
    name:
      shown.fullName === truth.name.toLocaleUpperCase('vi')
        ? 'read'
        : shown.fullName === truth.name
          ? 'record'
          : shown.fullName === undefined
            ? 'not shown'
            : 'wrong',
  });
  return r;
}
/** Paints a box of an RGB image white (glare over a field). */
function whiteOut(img: RasterImage, box: { x: number; y: number; width: number; height: number }): void {
  for (let y = box.y; y < Math.min(img.height, box.y + box.height); y++)
    img.data.fill(255, (y * img.width + box.x) * 3, (y * img.width + Math.min(img.width, box.x + box.width)) * 3);
}

/** A seeded citizen old enough to have held a 9-digit CMND. */
const withOldCmnd = () => citizens.find((c) => c.oldIdNumber) as SeededCitizen & { oldIdNumber: string };

beforeAll(async () => {
  // Groups left out keep their defaults; photos here come faster than a citizen's.
  const rateLimits = { 'card-ocr': { burst: 100, perMinute: 6000 } };
  server = await createKioskServer({ port: 0, face: false, seedCitizens: 10, rateLimits, log: (l) => logs.push(l) });
  citizens = await generateCitizens(10);
}, 120_000);
afterAll(async () => {
  await server?.close();
  if (reads.length) console.table(reads);
});

describe('card photo (a card without a QR code, read by OCR on the server)', () => {
  it('reads an old 9-digit CMND, finds the citizen by the old number and verifies at level 1', async () => {
    const c = withOldCmnd();
    const { card } = await noQrCardFront(c, 'cmnd-9');
    const id = await session();
    const r = await readCard('cmnd-9 (1st read: workers start)', id, png(place(card, 0.92)), {
      number: c.oldIdNumber,
      name: c.fullName,
    });
    expect(r.status).toBe(200);
    // The name as printed, or (read without sure diacritics but equal without them) the record's.
    const shownName = (r.json.identity as { fullName?: string } | undefined)?.fullName ?? '';
    expect([c.fullName.toLocaleUpperCase('vi'), c.fullName]).toContain(shownName);
    expect(r.json).toMatchObject({
      status: 'read',
      known: true,
      cardType: 'cmnd-9',
      identity: { idNumber: c.oldIdNumber },
    });
    const consent = await fetch(api(`/api/sessions/${id}/consent`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accepted: false, scope: ['face'] }),
    });
    const decision = ((await consent.json()) as { decision: Record<string, unknown> }).decision;
    expect(decision).toMatchObject({ outcome: 'verified', achievedLevel: 1 });
    const ticket = await fetch(api(`/api/sessions/${id}/ticket`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ procedureId: 'residence' }),
    });
    expect(ticket.status).toBe(200);
    // The form is filled from the record found by the old number: the 12-digit number.
    const form = (await (await fetch(api(`/api/sessions/${id}/form`))).json()) as { data: { idNumber: string } };
    expect(form.data.idNumber).toBe(c.idNumber);
    const audit = await server.audit.list();
    const read = audit.find((e) => e.action === 'card.ocr-read' && e.details.outcome === 'found');
    expect(read?.subject).toBe(c.idNumber);
    // The decision records the OCR evidence.
    expect(audit.some((e) => e.action === 'session.decide' && e.subject === c.idNumber)).toBe(true);
  }, 180_000);

  it('reads a CCCD 2016 (12 digits, no QR) of a seeded citizen', async () => {
    const c = citizens[2] as SeededCitizen;
    const { card } = await noQrCardFront(c, 'cccd-2016', { seed: 5 });
    const r = await readCard('cccd-2016', await session(), png(place(card, 0.92)), {
      number: c.idNumber,
      name: c.fullName,
    });
    expect(r.json).toMatchObject({
      status: 'read',
      known: true,
      cardType: 'cccd-2016',
      identity: { idNumber: c.idNumber },
    });
  }, 180_000);

  it('asks for the back when the front’s number is under glare (CCCD 2021, damaged QR), and reads its MRZ', async () => {
    // A seeded citizen whose card has not expired (the MRZ carries the expiry).
    const c = citizens.find((x) => !x.expiryDate || x.expiryDate.year > 2027) as SeededCitizen;
    const rng = createRng(3);
    const portrait = (await (await loadGeneratorData()).pickPortrait(rng)).image;
    const writer = await createBarcodeWriter();
    const front = await renderCardSide(
      cardLayout('cccd-2021', 'front'),
      c,
      { portrait, qr: await writer.write(c.qrText ?? '', 'QRCode', 'M') },
      rng,
    );
    const back = await renderCardSide(cardLayout('cccd-2021', 'back'), c, {}, rng);
    const layout = cardLayout('cccd-2021', 'front');
    const numberBox = layout.fields.find((f) => f.field === 'idNumber')?.lines[0];
    const frontImage = toRgb(front.image);
    // Glare over the number and across the QR code (damaged: no code to read live).
    for (const box of [numberBox, layout.qr]) whiteOut(frontImage, mmBoxToPx(box as MmBox, 0.5));
    const id = await session();
    const first = await readCard('cccd-2021 front, number under glare', id, png(place(frontImage, 0.92)), {
      number: '(asks for the back)',
      name: '(asks for the back)',
    });
    expect(first.json).toMatchObject({ status: 'retake', side: 'back' });
    expect(first.json.issues).toEqual(expect.arrayContaining(['kiosk/show-back', 'idcard/glare']));
    const second = await readCard('cccd-2021 back (MRZ)', id, png(place(toRgb(back.image), 0.92)), {
      number: c.idNumber,
      name: c.fullName,
    });
    expect(second.json).toMatchObject({ status: 'read', known: true, identity: { idNumber: c.idNumber } });
    const consent = await fetch(api(`/api/sessions/${id}/consent`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accepted: false, scope: ['face'] }),
    });
    // The printed fields (ocr) and the MRZ (mrz, re-parsed) agree with each other and the record.
    expect(((await consent.json()) as { decision: unknown }).decision).toMatchObject({ outcome: 'verified' });
  }, 180_000);

  it('asks for another photo when the printed name disagrees with the record, and shows nothing of the record', async () => {
    const c = citizens[4] as SeededCitizen;
    const { card } = await noQrCardFront(c, 'cccd-2016', { seed: 6, fullName: 'Lê Văn Tám' });
    const r = await readCard('cccd-2016, another name', await session(), png(place(card, 0.92)), {
      number: '(not shown)',
      name: '(not shown)',
    });
    expect(r.json).toMatchObject({ status: 'retake', side: 'front', issues: ['kiosk/card-differs-from-record'] });
    expect(JSON.stringify(r.json)).not.toContain(c.idNumber);
  }, 180_000);

  it('says known: false for a card of nobody in the store', async () => {
    // A valid number for the date of birth and sex (province 001, century/sex digit, birth year).
    const base = citizens[5] as SeededCitizen;
    const digit = base.sex === 'M' ? '0' : '1';
    const number = `001${digit}${String(base.dateOfBirth.year % 100).padStart(2, '0')}012345`;
    const stranger = { ...base, idNumber: number, fullName: 'Trần Thị Mai' };
    const { card } = await noQrCardFront(stranger, 'cccd-2016', { seed: 7 });
    const r = await readCard('cccd-2016, not in the store', await session(), png(place(card, 0.92)), {
      number,
      name: stranger.fullName,
    });
    expect(r.json).toMatchObject({ status: 'read', known: false, identity: { idNumber: number } });
    // Not found: no consent and no ticket.
    const id = await session();
    const consent = await fetch(api(`/api/sessions/${id}/consent`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accepted: true, scope: ['face'] }),
    });
    expect(consent.status).toBe(409);
  }, 180_000);

  it('gives the reader’s guidance for a photo it cannot use', async () => {
    const c = citizens[1] as SeededCitizen;
    const { card } = await noQrCardFront(c, 'cccd-2016', { seed: 8 });
    const id = await session();
    const blank = place({ width: 8, height: 8, channels: 3, data: new Uint8Array(8 * 8 * 3).fill(90) }, 0.1);
    const cases: [RasterImage, string][] = [
      [blank, 'idcard/no-card'],
      [place(card, 0.9, { x: 0.85, y: 0.5 }), 'idcard/card-cut-off'],
      [place(card, 0.3), 'idcard/too-small'],
    ];
    for (const [img, code] of cases) {
      const r = await photo(id, png(img));
      expect(r.status, code).toBe(200);
      expect(r.json, code).toMatchObject({ status: 'retake', side: 'front' });
      expect((r.json.issues as string[])[0], code).toBe(code);
    }
    const corrupt = await photo(id, new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]), 'image/jpeg');
    expect(corrupt.json).toMatchObject({ status: 'retake', issues: ['idcard/bad-image'] });
  }, 120_000);

  it('refuses an oversize body, an empty one, an unknown session, and too many photos', async () => {
    const id = await session();
    expect((await photo(id, new Uint8Array(1_600_000))).status).toBe(413);
    expect((await photo(id, new Uint8Array(0))).status).toBe(400);
    expect((await photo(crypto.randomUUID(), new Uint8Array([1, 2, 3]))).status).toBe(404);
    // Photos without a card do not count; photos with one do (here: a card too small to read).
    for (let i = 0; i < 8; i++) expect((await photo(id, new Uint8Array([1, 2, 3, 4]))).status).toBe(200);
    const { card } = await noQrCardFront(citizens[1] as SeededCitizen, 'cccd-2016', { seed: 8 });
    const small = png(place(card, 0.3));
    const answers: unknown[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await photo(id, small);
      answers.push(r.status === 200 ? r.json.attemptsLeft : r.status);
    }
    expect(answers).toEqual([5, 4, 3, 2, 1, 0, 429]);
  });

  it('lists the route in the OpenAPI document with its rate-limit group', async () => {
    const doc = (await (await fetch(api('/api/openapi.json'))).json()) as {
      paths: Record<string, { post?: Record<string, unknown> }>;
    };
    const op = doc.paths['/api/sessions/{sessionId}/card-photo']?.post;
    expect(op).toMatchObject({ operationId: 'session-card-photo', 'x-rate-limit-group': 'card-ocr' });
    expect(JSON.stringify(op?.requestBody)).toContain('1500000');
  });

  it('logs nothing personal', () => {
    const log = logs.join('\n');
    for (const c of citizens) {
      expect(log).not.toContain(c.idNumber);
      expect(log).not.toContain(c.fullName);
      if (c.oldIdNumber) expect(log).not.toContain(c.oldIdNumber);
    }
    expect(logs.some((l) => JSON.parse(l).route === '/api/sessions/{sessionId}/card-photo')).toBe(true);
  });
});

describe('card photo with OCR off (KIOSK_IDCARD=0)', () => {
  it('answers 503 idcard/unavailable and says so at session start', async () => {
    const off = await createKioskServer({ port: 0, face: false, idcard: false, seedCitizens: 0, log: () => undefined });
    try {
      const s = (await (await fetch(new URL('/api/sessions', off.url), { method: 'POST' })).json()) as {
        sessionId: string;
        cardOcr: boolean;
      };
      expect(s.cardOcr).toBe(false);
      const r = await fetch(new URL(`/api/sessions/${s.sessionId}/card-photo`, off.url), {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: new Uint8Array([1, 2, 3]) as Uint8Array<ArrayBuffer>,
      });
      expect(r.status).toBe(503);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('idcard/unavailable');
    } finally {
      await off.close();
    }
  });
});
