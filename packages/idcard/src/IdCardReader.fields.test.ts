import { createRng } from '@smart-citizen/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { printedTextRecognizer } from '../test/fixtures/printedTextRecognizer.js';
import type { CardFieldName, CardType } from './cardTypes.js';
import { type FieldLineRecognizer, IdCardReader } from './IdCardReader.js';
import { crop, decodeImage, type RasterImage } from '@smart-citizen/image';
import {
  generateCardSide,
  type GeneratorData,
  loadGeneratorData,
  photographCard,
  randomIdentity,
} from './testing/index.js';

// The reader's field post-processing on generated cards: photographed at level 0, read by a
// recogniser that answers each line crop with the printed text (as a perfect OCR would), with
// chosen lines altered. This checks the wiring (which post-processing, which MRZ, which side)
// apart from the OCR engine; the real engine is measured by `pnpm bench idcard`.

let data: GeneratorData;
beforeAll(async () => {
  data = await loadGeneratorData(undefined);
});

const today = new Date(Date.UTC(2026, 11, 6));

async function cardPair(type: CardType, seed: number) {
  const rng = createRng(seed);
  const front = await generateCardSide(type, 'front', data, rng);
  const back = await generateCardSide(type, 'back', data, rng, { identity: front.identity });
  const photoRng = createRng(seed + 1);
  return {
    identity: front.identity,
    front: { card: front.card, photo: await photographCard(front.card.image, 0, photoRng) },
    back: { card: back.card, photo: await photographCard(back.card.image, 0, photoRng) },
  };
}

describe('IdCardReader fields (post-processing wired in)', () => {
  it('returns every field of a CCCD 2021 with value and confidence, confirmed by the MRZ on the back', async () => {
    const c = await cardPair('cccd-2021', 41);
    expect(c.back.card.fields).toBeDefined();
    const lines = { ...c.front.card.fieldLines, ...c.back.card.fieldLines };
    const recognizer = printedTextRecognizer(lines, c.identity.mrz);
    await using reader = await IdCardReader.create({ recognizer, today });
    const r = await reader.read({ front: c.front.photo.jpeg, back: c.back.photo.jpeg });
    expect(r.front?.status).toBe('read');
    expect(r.back?.status).toBe('read');
    if (r.front?.status !== 'read' || r.back?.status !== 'read') return;
    expect(r.back.mrz?.valid).toBe(true);
    expect(r.back.mrzConfidence).toBeGreaterThanOrEqual(0.9);
    for (const [name, truth] of Object.entries(c.front.card.fields)) {
      const f = r.front.fields[name as CardFieldName];
      expect(f?.value, name).toBe(truth);
      expect(f?.confidence, name).toBeGreaterThan(0.6);
    }
    // fields the MRZ also carries are raised above the line's 0.9
    expect(r.front.fields.idNumber?.confidence).toBeGreaterThan(0.95);
    expect(r.front.fields.fullName?.confidence).toBeGreaterThan(0.9);
    expect(r.front.fields.dateOfBirth?.parsed).toEqual(c.identity.dateOfBirth);
    expect(r.front.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('flags a printed name or date that the MRZ contradicts, gives the field the value the MRZ and QR vouch for, below the confidence floor', async () => {
    const c = await cardPair('cancuoc-2024', 43);
    const lines = { ...c.front.card.fieldLines, ...c.back.card.fieldLines };
    const forged = printedTextRecognizer(lines, c.identity.mrz, (field, text) => {
      if (field === 'fullName') return text.replace(/^\S+/, 'TRỊNH');
      if (field === 'dateOfBirth') return text.replace(/\d{4}$/, (y) => String(Number(y) - 1));
      return text;
    });
    await using reader = await IdCardReader.create({ recognizer: forged, today });
    const r = await reader.read({ front: c.front.photo.jpeg, back: c.back.photo.jpeg });
    if (r.front?.status !== 'read') throw new Error(`front: ${r.front?.status}`);
    const codes = r.front.issues.map((i) => i.code);
    expect(codes).toContain('idcard/name-mrz-mismatch');
    expect(codes).toContain('idcard/date-mrz-mismatch');
    // the print was read surely and differs: a misread or a forged print, which the session must look at
    expect(r.front.fields.fullName?.confidence).toBeLessThan(0.6);
    expect(r.front.fields.dateOfBirth?.confidence).toBeLessThan(0.6);
    // the MRZ's check digit (date) and the back's QR code (name with its marks) give the values
    expect(r.front.fields.dateOfBirth?.value).toBe(c.front.card.fields.dateOfBirth);
    expect(r.front.fields.fullName?.value).toBe(c.front.card.fields.fullName);
    expect(codes).toContain('idcard/fused-from-mrz');
    // read alone, the front has no MRZ to contradict it
    const alone = await reader.readSide(c.front.photo.jpeg);
    if (alone.status !== 'read') throw new Error(alone.status);
    expect(alone.issues.map((i) => i.code)).not.toContain('idcard/name-mrz-mismatch');
  });

  it('repairs an MRZ from the QR code where the print misread the same field, and says so', async () => {
    const c = await cardPair('cancuoc-2024', 43);
    const lines = { ...c.front.card.fieldLines, ...c.back.card.fieldLines };
    const bump = (d: string) => String((Number(d) + 1) % 10);
    // the day of birth misread on the front's print and in the MRZ, differently
    const misread = printedTextRecognizer(lines, c.identity.mrz, (field, text) => {
      if (field === 'dateOfBirth') return text.replace(/^(\d)(\d)/, (_, a: string, b: string) => `${a}${bump(b)}`);
      if (field === 'mrz' && /^\d{7}[MF]/.test(text))
        return `${text.slice(0, 5)}${bump(bump(text[5] as string))}${text.slice(6)}`;
      return text;
    });
    await using reader = await IdCardReader.create({ recognizer: misread, today });
    const r = await reader.read({ front: c.front.photo.jpeg, back: c.back.photo.jpeg });
    if (r.back?.status !== 'read' || r.front?.status !== 'read')
      throw new Error(`${r.front?.status} / ${r.back?.status}`);
    expect(r.back.mrz?.valid).toBe(true);
    expect(r.back.mrz?.lines).toEqual(c.identity.mrz);
    const codes = r.issues.map((i) => i.code);
    expect(codes).toContain('idcard/mrz-repaired-from-qr');
    expect(codes).not.toContain('idcard/mrz-repaired-from-print');
    expect(r.front.fields.dateOfBirth?.value).toBe(c.front.card.fields.dateOfBirth);
    // without the QR the print alone does not make the check digits hold: the MRZ stays invalid
    await using noQr = await IdCardReader.create({ recognizer: misread, today, qr: false });
    const alone = await noQr.read({ front: c.front.photo.jpeg, back: c.back.photo.jpeg });
    if (alone.back?.status !== 'read') throw new Error(String(alone.back?.status));
    expect(alone.back.mrz?.valid ?? false).toBe(false);
    expect(alone.issues.map((i) => i.code)).not.toContain('idcard/mrz-repaired-from-print');
  });

  it("repairs the MRZ of a back read alone from the recogniser's second choices, at confidence 0.8, and says so", async () => {
    const c = await cardPair('cccd-2021', 41);
    const mrz = c.identity.mrz as [string, string, string];
    const bump = (d: string) => String((Number(d) + 1) % 10);
    // a digit of the number shared by the document and personal numbers misread alike in both places, the
    // right digit each time the recogniser's second choice; a back carries nothing else to repair it from
    const withAlternatives = (second: (right: string) => string) => {
      const base = printedTextRecognizer(c.back.card.fieldLines, mrz);
      let mrzCalls = 0;
      return {
        async recognize(image: Parameters<typeof base.recognize>[0], o: { field: CardFieldName | 'mrz' }) {
          if (o.field !== 'mrz') return base.recognize(image, o);
          const text = mrz[mrzCalls++ % 3] as string;
          const chars = [...text].map((char) => ({ char, confidence: 0.99 }));
          if (text === mrz[0])
            for (const col of [9, 22]) {
              const right = text[col] as string;
              chars[col] = {
                char: bump(right),
                confidence: 0.6,
                alternatives: [{ char: second(right), confidence: 0.35 }],
              } as never;
            }
          return { text: chars.map((x) => x.char).join(''), confidence: 0.6, chars };
        },
      };
    };
    await using reader = await IdCardReader.create({ recognizer: withAlternatives((d) => d), today });
    const r = await reader.readSide(c.back.photo.jpeg);
    if (r.status !== 'read') throw new Error(r.status);
    expect(r.mrz?.valid).toBe(true);
    expect(r.mrz?.lines).toEqual(mrz);
    expect(r.mrzConfidence).toBe(0.8);
    expect(r.issues.map((i) => i.code)).toContain('idcard/mrz-repaired-from-alternatives');
    // the right digit nowhere among the second choices: the zone stays invalid, at low confidence
    await using wrong = await IdCardReader.create({ recognizer: withAlternatives((d) => bump(bump(d))), today });
    const w = await wrong.readSide(c.back.photo.jpeg);
    if (w.status !== 'read') throw new Error(w.status);
    expect(w.mrz?.valid ?? false).toBe(false);
    expect(w.mrzConfidence ?? 0).toBeLessThan(0.6);
    expect(w.issues.map((i) => i.code)).not.toContain('idcard/mrz-repaired-from-alternatives');
  });

  it('gives a cut-off front the fields the MRZ of its back vouches for, said to come from there', async () => {
    const c = await cardPair('cccd-2021', 41);
    const cut = await photographCard(c.front.card.image, 0, createRng(44), { cutOff: true });
    const lines = { ...c.front.card.fieldLines, ...c.back.card.fieldLines };
    await using reader = await IdCardReader.create({ recognizer: printedTextRecognizer(lines, c.identity.mrz), today });
    const r = await reader.read({ front: cut.jpeg, back: c.back.photo.jpeg });
    expect(r.front?.status).toBe('card-cut-off');
    if (!r.front || r.front.status === 'read') return;
    expect(r.front.documentType).toBe('cccd-2021');
    expect(r.front.side).toBe('front');
    expect(r.front.fields?.idNumber?.value).toBe(c.front.card.fields.idNumber);
    expect(r.front.fields?.dateOfBirth?.value).toBe(c.front.card.fields.dateOfBirth);
    // a name the MRZ spells without its marks is not given; a QR read from the photo gives it with them
    const name = r.front.fields?.fullName?.value;
    if (name !== undefined) expect(name).toBe(c.front.card.fields.fullName);
    expect(r.front.issues.filter((i) => i.code === 'idcard/field-from-other-side').map((i) => i.path)).toEqual(
      expect.arrayContaining(['idNumber', 'dateOfBirth']),
    );
    // read alone, the cut-off side has nothing to stand in for its print
    const alone = await reader.readSide(cut.jpeg);
    expect(alone.status).toBe('card-cut-off');
    if (alone.status !== 'read') expect(alone.fields).toBeUndefined();
  });

  it('reads a back whose outline the photo cuts off by placing the card from its MRZ, and says so', async () => {
    const c = await cardPair('cccd-2021', 41);
    const whole = await decodeImage(c.back.photo.jpeg);
    // the photo from the card's middle down: its top edge is out of the picture, the MRZ is in it
    const top = Math.round((c.back.photo.quad[0].y + c.back.photo.quad[3].y) / 2);
    const cut = crop(whole, { x: 0, y: top, width: whole.width, height: whole.height - top });
    const lines = { ...c.front.card.fieldLines, ...c.back.card.fieldLines };
    await using reader = await IdCardReader.create({ recognizer: printedTextRecognizer(lines, c.identity.mrz), today });
    const r = await reader.readSide(cut);
    expect(r.status).toBe('read');
    if (r.status !== 'read') return;
    expect(r).toMatchObject({ documentType: 'cccd-2021', side: 'back' });
    expect(r.mrz?.valid).toBe(true);
    expect(r.mrz?.lines).toEqual(c.identity.mrz);
    expect(r.issues.map((i) => i.code)).toContain('idcard/outline-from-mrz');
    // the whole photo's outline is right: it is read as before, not from the MRZ
    await using again = await IdCardReader.create({ recognizer: printedTextRecognizer(lines, c.identity.mrz), today });
    const w = await again.readSide(whole);
    expect(w.status).toBe('read');
    expect(w.issues.map((i) => i.code)).not.toContain('idcard/outline-from-mrz');
    // without an MRZ that reads, the cut-off photo is not read (its outline was not found)
    await using blind = await IdCardReader.create({ recognizer: printedTextRecognizer(lines, undefined), today });
    const b = await blind.readSide(cut);
    expect(b.status).toBe('no-card');
    expect(b.issues.map((i) => i.code)).not.toContain('idcard/outline-from-mrz');
  });

  it("weighs a name word's marks by the units' syllables on a front that prints no place (Căn cước 2024)", async () => {
    const c = await cardPair('cancuoc-2024', 43);
    const base = printedTextRecognizer(c.front.card.fieldLines, undefined);
    // the recogniser reads Ý where Ỳ is printed, Ỳ its second choice: KỲ is a syllable units use, KÝ hardly
    const read = 'DƯƠNG KÝ DUYÊN';
    const recognizer = {
      recognize: async (image: RasterImage, o: { field: CardFieldName | 'mrz' }) =>
        o.field === 'fullName'
          ? {
              text: read,
              confidence: 0.72,
              chars: [...read].map((char) =>
                char === 'Ý'
                  ? { char, confidence: 0.72, alternatives: [{ char: 'Ỳ', confidence: 0.26 }] }
                  : { char, confidence: 0.99 },
              ),
            }
          : base.recognize(image, o),
    };
    expect(c.front.card.fieldLines.placeOfOrigin ?? c.front.card.fieldLines.placeOfResidence).toBeUndefined();
    await using reader = await IdCardReader.create({ recognizer, today });
    const r = await reader.readSide(c.front.photo.jpeg);
    if (r.status !== 'read') throw new Error(r.status);
    expect(r.documentType).toBe('cancuoc-2024');
    expect(r.fields.fullName?.value).toBe('DƯƠNG KỲ DUYÊN');
    expect(r.issues.map((i) => i.code)).toContain('idcard/name-marks-from-syllables');
  });

  it('sets aside an unreadable number and repairs a place to the administrative unit', async () => {
    const c = await cardPair('cccd-2016', 47);
    const recognizer = printedTextRecognizer(c.front.card.fieldLines, undefined, (field, text) => {
      if (field === 'idNumber') return text.slice(0, 7);
      // drop one letter from the province (the last part of the place of origin)
      if (field === 'placeOfOrigin') return text.replace(/(\S)(\S)$/, '$2');
      return text;
    });
    await using reader = await IdCardReader.create({ recognizer, today });
    const r = await reader.readSide(c.front.photo.jpeg);
    if (r.status !== 'read') throw new Error(r.status);
    expect(r.fields.idNumber?.value).toBeUndefined();
    expect(r.fields.idNumber?.confidence).toBe(0);
    expect(r.issues.map((i) => i.code)).toContain('id/malformed');
    expect(r.fields.placeOfOrigin?.value).toBe(c.front.card.fields.placeOfOrigin);
    expect(r.issues.map((i) => i.code)).toContain('idcard/place-repaired');
  });

  it.each([
    ['ctc', 'builtin'],
    ['tesseract', 'builtin'],
    // the deprecated name of the built-in recogniser and of its options still work
    ['ctc', 'tesseract'],
  ] as const)(
    'reads a CMND 9 front with the real %s line OCR (recognizer %s): number and date exact, doubt said',
    async (engine, recognizer) => {
      const f = await generateCardSide('cmnd-9', 'front', data, createRng(5));
      const photo = await photographCard(f.card.image, 1, createRng(9));
      const options = { engine, tesseractWorkers: 1 };
      await using reader = await IdCardReader.create(
        recognizer === 'builtin' ? { recognizer, lineRecognizer: options } : { recognizer, tesseract: options },
      );
      const r = await reader.readSide(photo.jpeg);
      if (r.status !== 'read') throw new Error(r.status);
      expect(r.fields.idNumber?.value).toBe(f.card.fields.idNumber);
      expect(r.fields.dateOfBirth?.value).toBe(f.card.fields.dateOfBirth);
      expect(r.fields.idNumber?.confidence).toBeGreaterThan(0.6);
      for (const [name, v] of Object.entries(r.fields)) {
        expect(v?.confidence, name).toBeGreaterThanOrEqual(0);
        expect(v?.confidence, name).toBeLessThanOrEqual(1);
        // a field the reader is unsure of says so: no value, or an issue on its path
        if ((v?.confidence ?? 0) < 0.6 && v?.value !== undefined)
          expect(
            r.issues.some((i) => i.path === name && i.severity !== 'info'),
            name,
          ).toBe(true);
      }
    },
  );

  it("reads a CCCD 2016 back's PDF417 and checks its number against the front's, and flags the back of another card", async () => {
    const c = await cardPair('cccd-2016', 43);
    const other = await cardPair('cccd-2016', 44);
    const lines = { ...c.front.card.fieldLines, ...c.back.card.fieldLines };
    await using reader = await IdCardReader.create({ recognizer: printedTextRecognizer(lines, undefined), today });
    const r = await reader.read({ front: c.front.photo.jpeg, back: c.back.photo.jpeg });
    if (r.front?.status !== 'read' || r.back?.status !== 'read') throw new Error('both sides should read');
    expect(r.front.fields.idNumber?.value).toBe(c.identity.idNumber);
    expect(r.back.barcode?.format).toBe('PDF417');
    expect(r.back.barcode?.text).toContain(c.identity.idNumber);
    expect(r.back.issues.map((i) => i.code)).toContain('idcard/barcode-agrees');
    const mixedLines = { ...c.front.card.fieldLines, ...other.back.card.fieldLines };
    await using mixedReader = await IdCardReader.create({
      recognizer: printedTextRecognizer(mixedLines, undefined),
      today,
    });
    const mixed = await mixedReader.read({ front: c.front.photo.jpeg, back: other.back.photo.jpeg });
    if (mixed.back?.status !== 'read') throw new Error('the other back should read');
    expect(mixed.back.issues.find((i) => i.code === 'idcard/barcode-disagrees')?.severity).toBe('warning');
    // a back read alone has no number to compare: the text is there, no verdict
    await using aloneReader = await IdCardReader.create({ recognizer: printedTextRecognizer(lines, undefined), today });
    const alone = await aloneReader.readSide(c.back.photo.jpeg);
    if (alone.status !== 'read') throw new Error('the back should read alone');
    expect(alone.barcode?.text).toContain(c.identity.idNumber);
    expect(alone.issues.map((i) => i.code)).not.toContain('idcard/barcode-disagrees');
  });

  it.each(['cccd-2016', 'cmnd-12', 'cancuoc-2024'] as const)(
    'cuts a %s name line under its label with the tone stacked on the circumflex whole (CẨN, not CÂN)',
    async (type) => {
      // the same card printed with CÂN and with CẨN: the crops differ only by the hook above the Â,
      // which must lie inside the crop, clear of its top edge (it was clipped before session 13)
      const nameCrop = async (fullName: string): Promise<RasterImage> => {
        const rng = createRng(47);
        const identity = { ...randomIdentity(rng, type, data.names, data.units), fullName };
        const side = await generateCardSide(type, 'front', data, rng, { identity });
        const photo = await photographCard(side.card.image, 0, createRng(48));
        let crop: RasterImage | undefined;
        await using reader = await IdCardReader.create({
          places: false,
          recognizer: {
            async recognize(image, { field }) {
              // the first outline's crop: a reading of nothing is read again within other outlines
              if (field === 'fullName') crop ??= image;
              return { text: '', confidence: 0 };
            },
          },
        });
        await reader.readSide(photo.jpeg);
        if (!crop) throw new Error('no name crop');
        return crop;
      };
      const plain = await nameCrop('TRẦN DUY CÂN');
      const hook = await nameCrop('TRẦN DUY CẨN');
      expect([hook.width, hook.height]).toEqual([plain.width, plain.height]);
      const rowsWithHook: number[] = [];
      for (let y = 0; y < hook.height; y++) {
        let d = 0;
        for (let x = 0; x < hook.width; x++) {
          const i = (y * hook.width + x) * hook.channels;
          d = Math.max(d, Math.abs((hook.data[i] as number) - (plain.data[i] as number)));
        }
        if (d > 60) rowsWithHook.push(y);
      }
      expect(rowsWithHook.length).toBeGreaterThan(0);
      // the hook starts at least 2 px (0.17 mm on the 12 px/mm card) below the crop's top edge
      expect(Math.min(...rowsWithHook)).toBeGreaterThanOrEqual(2);
    },
  );
  it("reads a side whose first reading is implausible again within the photo's other outlines, and keeps a plausible one", async () => {
    const c = await cardPair('cccd-2021', 41);
    const lines = c.front.card.fieldLines;
    // the lines as read within the first outline are noise no field rule accepts (as within an
    // outline millimetres off), the lines as read within the next one are the print
    const misreadFirst = (): FieldLineRecognizer => {
      const good = printedTextRecognizer(lines, undefined);
      const seen = new Map<string, number>();
      return {
        async recognize(image, o) {
          const n = seen.get(o.field) ?? 0;
          seen.set(o.field, n + 1);
          if (n < (lines[o.field as CardFieldName]?.length ?? 1)) return { text: '', confidence: 0.1 };
          return good.recognize(image, o);
        },
      };
    };
    await using reader = await IdCardReader.create({ recognizer: misreadFirst(), today });
    const r = await reader.readSide(c.front.photo.jpeg);
    if (r.status !== 'read') throw new Error(r.status);
    expect(r.issues.map((i) => i.code)).toContain('idcard/outline-from-reading');
    expect(r.fields.idNumber?.value).toBe(c.front.card.fields.idNumber);
    expect(r.fields.dateOfBirth?.value).toBe(c.front.card.fields.dateOfBirth);
    // a plausible first reading is kept as it is: each line read once, no other outline looked at
    const once = printedTextRecognizer(lines, undefined);
    await using plain = await IdCardReader.create({ recognizer: once, today });
    const p = await plain.readSide(c.front.photo.jpeg);
    if (p.status !== 'read') throw new Error(p.status);
    expect(p.issues.map((i) => i.code)).not.toContain('idcard/outline-from-reading');
    expect(once.calls).toBe(Object.values(lines).flat().length);
    // every outline reads as noise: the first reading stands, unmarked
    const noise: FieldLineRecognizer = { recognize: async () => ({ text: '', confidence: 0.1 }) };
    await using deaf = await IdCardReader.create({ recognizer: noise, today });
    const d = await deaf.readSide(c.front.photo.jpeg);
    if (d.status !== 'read') throw new Error(d.status);
    expect(d.issues.map((i) => i.code)).not.toContain('idcard/outline-from-reading');
  });
});
