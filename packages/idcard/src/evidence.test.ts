import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AssurancePolicyInput,
  IdentificationSession,
  createManualClock,
  createMemoryIdentityStore,
  createStaticKeyProvider,
  decideFromRawEvidence,
  decisionReason,
} from '@smart-citizen/core';
import { createRng } from '@smart-citizen/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { printedTextRecognizer } from '../test/fixtures/printedTextRecognizer.js';
import { type SideProblem, IdCardReader } from './IdCardReader.js';
import { addIdCardEvidence, idcardEvidenceVerifiers, mrzReadingEvidence, ocrReadingEvidence } from './evidence.js';
import { generateCardSide, type GeneratorData, loadGeneratorData, photographCard } from './testing/index.js';

// The card reader's evidence in core's real IdentificationSession and decideFromRawEvidence: the
// printed fields (ocr) and the MRZ (mrz) go through the session's cross-check against each other
// and the store; unread photos enter as issues before decide().

// level 1 asks for a document and the citizen in the store: each test decides on the card alone
const cardLevel = [['document'], ['in-store']] as const;
const policy: AssurancePolicyInput = { level: 1, levels: { 1: cardLevel, 2: cardLevel, 3: cardLevel } };
const codes = (issues: readonly { code: string }[]) => issues.map((i) => i.code);
const today = new Date(Date.UTC(2026, 11, 6));
let data: GeneratorData;
beforeAll(async () => {
  data = await loadGeneratorData(undefined);
});

async function storeWith({
  idNumber,
  fullName,
  dateOfBirth,
  sex,
}: {
  idNumber: string;
  fullName: string;
  dateOfBirth: unknown;
  sex: unknown;
}) {
  const clock = createManualClock(today.getTime());
  const keys = createStaticKeyProvider({ keys: [{ id: 'k1', key: new Uint8Array(32).fill(3) }] });
  const store = createMemoryIdentityStore({ clock, keys });
  await store.upsert({ idNumber, fullName, dateOfBirth, sex } as never);
  return { store, clock };
}

async function cardPhotos(seed: number) {
  const rng = createRng(seed);
  const front = await generateCardSide('cancuoc-2024', 'front', data, rng);
  const back = await generateCardSide('cancuoc-2024', 'back', data, rng, { identity: front.identity });
  return {
    identity: front.identity,
    lines: { ...front.card.fieldLines, ...back.card.fieldLines },
    front: (await photographCard(front.card.image, 0, rng)).jpeg,
    back: (await photographCard(back.card.image, 0, rng)).jpeg,
  };
}

/**
 * The desk: photos of a card (seed), a store holding its holder, and a reader that recognises the
 * card's printed lines (through `alter`, to forge one). Disposing of it closes the reader.
 */
async function deskWithCard(seed: number, alter?: Parameters<typeof printedTextRecognizer>[2]) {
  const c = await cardPhotos(seed);
  const { store, clock } = await storeWith(c.identity as never);
  const reader = await IdCardReader.create({
    recognizer: printedTextRecognizer(c.lines, c.identity.mrz, alter),
    today,
  });
  return { c, store, clock, reader, [Symbol.asyncDispose]: () => reader[Symbol.asyncDispose]() };
}

describe('idcard evidence in the identification session', () => {
  it('mrz verifier: the example of issue 14 verifies against the store; text that is not a zone is recorded as unreadable', async () => {
    const lines = [
      'IDVNM0930470641001093047064<<2',
      '9301054M3301052VNM<<<<<<<<<<<8',
      'UNG<<HOANG<HIEP<<<<<<<<<<<<<<<',
    ];
    const r = mrzReadingEvidence((await import('@smart-citizen/core')).parseMrz(lines, { today }));
    expect(r.fields).toMatchObject({ idNumber: '001093047064', fullName: 'UNG HOANG HIEP', sex: 'M' });
    const { store, clock } = await storeWith({
      idNumber: '001093047064',
      fullName: 'UNG HOÀNG HIỆP',
      dateOfBirth: { year: 1993, month: 1, day: 5 },
      sex: 'M',
    });
    const verifiers = idcardEvidenceVerifiers({ today });
    const ok = await decideFromRawEvidence({ mrzText: lines.join('\n') }, verifiers, store, { policy, clock });
    expect(ok.outcome).toBe('verified');
    const junk = await decideFromRawEvidence({ mrzText: 'not an mrz' }, verifiers, store, { policy, clock });
    expect(codes(junk.reasons)).toContain('evidence/mrz-unreadable');
    expect(junk.outcome).not.toBe('verified');
  });

  it('desk path: a card read front and back enters as ocr + mrz evidence and verifies against the store', async () => {
    await using desk = await deskWithCard(51);
    const { c, store, clock, reader } = desk;
    const result = await reader.read({ front: c.front, back: c.back });
    const ocr = ocrReadingEvidence(result);
    expect(ocr.fields).toMatchObject({
      idNumber: c.identity.idNumber,
      fullName: c.identity.fullName.toLocaleUpperCase('vi'),
      dateOfBirth: c.identity.dateOfBirth,
      sex: c.identity.sex,
      cardType: 'can-cuoc-2024',
    });
    const session = new IdentificationSession({ store, clock, policy });
    addIdCardEvidence(session, result);
    const d = await session.decide();
    expect(codes(d.reasons).filter((r) => r.startsWith('crosscheck/'))).toEqual([]);
    expect(d.outcome).toBe('verified');
  });

  it('a printed name that the MRZ contradicts keeps the decision from verifying', async () => {
    await using desk = await deskWithCard(53, (field, text) =>
      field === 'fullName' ? text.replace(/^\S+/, 'TRỊNH') : text,
    );
    const { c, store, clock, reader } = desk;
    const session = new IdentificationSession({ store, clock, policy });
    addIdCardEvidence(session, await reader.read({ front: c.front, back: c.back }));
    const d = await session.decide();
    expect(d.outcome).not.toBe('verified');
    expect(codes(d.reasons)).toContain('idcard/name-mrz-mismatch');
  });

  it('unread photos enter the session as issues before decide(); the server path records ocr-unreadable', async () => {
    await using desk = await deskWithCard(55);
    const { c, store, clock, reader } = desk;
    const blank = { width: 640, height: 480, channels: 3 as const, data: new Uint8Array(640 * 480 * 3).fill(128) };
    const session = new IdentificationSession({ store, clock, policy });
    addIdCardEvidence(session, await reader.read({ front: blank, back: c.back }));
    const d = await session.decide();
    expect(codes(d.reasons)).toContain('idcard/no-card');
    const server = await decideFromRawEvidence(
      { cardImage: new Uint8Array([0xff, 0xd8, 0xff, 0, 1, 2]) },
      idcardEvidenceVerifiers({ reader, today }),
      store,
      { policy, clock },
    );
    expect(codes(server.reasons)).toContain('evidence/ocr-unreadable');
    const readable = await decideFromRawEvidence({ cardImage: c.back }, idcardEvidenceVerifiers({ reader }), store, {
      policy,
      clock,
    });
    expect(readable.evaluated).toContain('ocr');
  });
});

describe("idcard issue codes in core's reason catalogue", () => {
  it('lists every code the idcard package emits, with the severity it is emitted with', () => {
    const src = dirname(fileURLToPath(import.meta.url));
    const statuses: SideProblem[] = [
      'bad-image',
      'image-too-large',
      'no-card',
      'card-cut-off',
      'too-small',
      'too-blurred',
      'unknown-card',
    ];
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('testing'),
    );
    const found: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(src, f), 'utf8');
      for (const m of text.matchAll(
        /\bissue\(\s*(['`])(idcard\/[a-z0-9${}.-]+)\1,\s*('(?:error|warning|info)'|[^,]+),/g,
      )) {
        const template = m[2] as string;
        const codes = template.includes('${') ? statuses.map((s) => `idcard/${s}`) : [template];
        const sev = /^'(\w+)'$/.exec((m[3] as string).trim())?.[1];
        for (const code of codes) {
          const row = decisionReason(code);
          expect(row, `${code} (${f}) is missing from decisionReasons`).toBeDefined();
          if (sev) expect(row?.severities, `${code}: ${sev}`).toContain(sev);
          found.push(code);
        }
      }
    }
    expect(new Set(found).size).toBeGreaterThanOrEqual(30);
  });
});
