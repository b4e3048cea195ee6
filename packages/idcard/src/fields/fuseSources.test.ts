import { formatVietnamTd1Mrz, type Issue, parseMrz } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import type { CardFieldName } from '../cardTypes.js';
import type { RecognizedLine } from '../ocr/ctcDecode.js';
import {
  confirmedByMrz,
  confirmedByQr,
  fuseConfirmed,
  mergeConfirmed,
  mrzFromPrint,
  rebuildMrzFromSources,
  repairMrzFromPrint,
  repairMrzFromSources,
} from './fuseSources.js';
import type { FieldValue } from './readCardFields.js';
import { readName } from './readName.js';
import { createNameLexicon } from './nameLexicon.js';

const today = new Date(Date.UTC(2026, 11, 6));
const holder = {
  personalNumber: '001093047064',
  fullName: 'UNG HOÀNG HIỆP',
  dateOfBirth: { year: 1993, month: 1, day: 5 },
  sex: 'M' as const,
  expiryDate: { year: 2033, month: 1, day: 5 },
};
const lines = formatVietnamTd1Mrz(holder);
const line = (text: string, confidence = 0.95): RecognizedLine => ({
  text,
  confidence,
  chars: [...text].map((char) => ({ char, confidence })),
});
const set = (l: string, at: number, ch: string) => `${l.slice(0, at)}${ch}${l.slice(at + 1)}`;

describe('confirmedByMrz / confirmedByQr', () => {
  it('vouches only for the fields whose check digit holds', () => {
    const ok = confirmedByMrz(parseMrz(lines, { today }));
    expect(ok.idNumber?.value).toBe('001093047064');
    expect(ok.dateOfBirth?.value).toBe('05/01/1993');
    expect(ok.expiryDate?.value).toBe('05/01/2033');
    expect(ok.sex?.value).toBe('Nam');
    // a birth digit misread: its check and the composite fail, the number still holds
    const bad = confirmedByMrz(parseMrz([lines[0], set(lines[1], 1, '4'), lines[2]], { today }));
    expect(bad.dateOfBirth).toBeUndefined();
    expect(bad.sex).toBeUndefined();
    expect(bad.idNumber?.value).toBe('001093047064');
  });

  it('takes the century of a two-digit birth year from the number (2000s for century digit 2/3)', () => {
    const young = formatVietnamTd1Mrz({
      ...holder,
      personalNumber: '001205047064',
      dateOfBirth: { year: 2005, month: 3, day: 9 },
    });
    expect(confirmedByMrz(parseMrz(young, { today })).dateOfBirth?.value).toBe('09/03/2005');
  });

  it('a QR and an MRZ that disagree vouch for neither, and say so', () => {
    const mrz = confirmedByMrz(parseMrz(lines, { today }));
    const qr = confirmedByQr({ idNumber: '001093047065', fullName: 'Ung Hoàng Hiệp', dateOfBirth: holder.dateOfBirth });
    expect(qr.fullName?.value).toBe('UNG HOÀNG HIỆP');
    const { confirmed, issues } = mergeConfirmed(mrz, qr);
    expect(confirmed.idNumber).toBeUndefined();
    expect(confirmed.dateOfBirth?.value).toBe('05/01/1993');
    expect(issues.map((i) => [i.code, i.path])).toEqual([['idcard/qr-mrz-mismatch', 'idNumber']]);
  });
});

describe('fuseConfirmed', () => {
  const confirmed = confirmedByMrz(parseMrz(lines, { today }));
  const field = (value: string | undefined, confidence: number): FieldValue => ({
    value,
    confidence,
    text: value ?? '',
  });

  it('raises an agreeing field, replaces a doubtful misread and keeps the disagreement as an issue', () => {
    const fields: Partial<Record<CardFieldName, FieldValue>> = {
      idNumber: field('001093047064', 0.7),
      dateOfBirth: field('05/01/1998', 0.7),
    };
    const issues: Issue[] = [
      { code: 'idcard/low-confidence', severity: 'warning', message: 'x', path: 'idNumber' },
      { code: 'date/implausible', severity: 'error', message: 'x', path: 'dateOfBirth' },
    ];
    const ocr = new Map([
      ['idNumber', line('001093047064', 0.7)],
      [
        'dateOfBirth',
        {
          ...line('05/01/1998', 0.97),
          chars: [...'05/01/1998'].map((char, i) => ({ char, confidence: i === 9 ? 0.5 : 0.97 })),
        },
      ],
    ] as const);
    expect(fuseConfirmed(fields, issues, confirmed, new Map(ocr))).toBe(1);
    expect(fields.idNumber?.confidence).toBeGreaterThanOrEqual(0.98);
    expect(fields.dateOfBirth).toMatchObject({ value: '05/01/1993', confidence: 0.85, parsed: holder.dateOfBirth });
    expect(issues.map((i) => i.code).sort()).toEqual(['idcard/date-mrz-mismatch', 'idcard/fused-from-mrz']);
  });

  it('a sure reading that disagrees takes the confirmed value below the confidence floor', () => {
    const fields: Partial<Record<CardFieldName, FieldValue>> = { sex: field('Nữ', 0.97) };
    const issues: Issue[] = [];
    fuseConfirmed(fields, issues, confirmed, new Map([['sex', line('Nữ', 0.97)]]));
    expect(fields.sex).toMatchObject({ value: 'Nam', confidence: 0.5, parsed: 'M' });
    expect(issues.map((i) => i.code)).toContain('idcard/sex-mrz-mismatch');
    expect(issues.map((i) => i.code)).toContain('idcard/low-confidence');
  });
});

/** The holder's printed fields, as a perfect reading of the print gives them. */
const printed = {
  idNumber: holder.personalNumber,
  fullName: holder.fullName,
  dateOfBirth: holder.dateOfBirth,
  sex: holder.sex,
  expiryDate: holder.expiryDate,
};

describe('repairMrzFromPrint', () => {
  it('takes misread digits from the print where the check digits then hold', () => {
    const misread = [set(lines[0], 20, '8'), set(lines[1], 3, '7'), lines[2]];
    expect(parseMrz(misread, { today }).valid).toBe(false);
    const fixed = repairMrzFromPrint(misread, printed, { today });
    expect(fixed?.valid).toBe(true);
    expect(fixed?.lines).toEqual(lines);
  });

  it('recomputes a misread check digit only where the MRZ and the print read the same value', () => {
    const check = Number(lines[1][6]);
    const misread = [lines[0], set(lines[1], 6, String((check + 1) % 10)), lines[2]];
    expect(repairMrzFromPrint(misread, printed, { today })?.lines).toEqual(lines);
  });

  it('leaves the MRZ alone when the print does not make it hold', () => {
    const misread = [set(lines[0], 20, '8'), lines[1], lines[2]];
    expect(repairMrzFromPrint(misread, { ...printed, idNumber: '001093047065' }, { today })).toBeUndefined();
    expect(repairMrzFromPrint(misread, {}, { today })).toBeUndefined();
  });
});

describe('readName with the MRZ letters', () => {
  const lexicon = createNameLexicon({
    family: [
      ['NGUYỄN', 30],
      ['NGÔ', 2],
    ],
    middle: [
      ['THỊ', 10],
      ['VĂN', 10],
    ],
    given: [
      ['HƯƠNG', 5],
      ['HƯỜNG', 1],
      ['TUẤN', 3],
    ],
  });

  it('picks the list word with the MRZ letters that is closest to the print, marks counted', () => {
    // HƯƠMG: one letter misread, doubtfully; the MRZ spells HUONG → HƯƠNG (not HƯỜNG: one mark further)
    const text = 'NGUYỄN THỊ HƯƠMG';
    const chars = [...text].map((char, i) => ({ char, confidence: i === 14 ? 0.4 : 0.95 }));
    const r = readName({ text, confidence: 0.4, chars }, { lexicon, mrzName: 'NGUYEN THI HUONG' });
    expect(r.value).toBe('NGUYỄN THỊ HƯƠNG');
    expect(r.confidence).toBe(0.4);
    expect(r.issues.map((i) => i.code)).toContain('idcard/fused-from-mrz');
    expect(r.issues.map((i) => i.code)).toContain('idcard/name-mrz-mismatch');
  });

  it('keeps a known printed word that no list word of the MRZ letters matches, and the disagreement', () => {
    const r = readName(line('NGÔ VĂN TUẤN', 0.95), { lexicon, mrzName: 'NGO VAN TUAM' });
    expect(r.value).toBe('NGÔ VĂN TUẤN');
    expect(r.confidence).toBeLessThanOrEqual(0.3);
  });
});

describe('mrzFromPrint', () => {
  it('recognises a zone that glare made unparseable when every check digit read sits where the print puts it', () => {
    // characters inserted and changed, as glare does; the check digits still read right
    const damaged = [
      `${lines[0].slice(0, 3)}72${lines[0].slice(5)}`,
      `${lines[1].slice(0, 2)}0${lines[1].slice(2)}`,
      lines[2],
    ];
    expect(parseMrz(damaged, { today }).valid).toBe(false);
    expect(mrzFromPrint(damaged, printed, { today })?.lines).toEqual(lines);
  });

  it('refuses when a check digit read disagrees with the print, or the print lacks a field', () => {
    const damaged = [`${lines[0].slice(0, 3)}72${lines[0].slice(5)}`, lines[1], lines[2]];
    expect(mrzFromPrint(damaged, { ...printed, idNumber: '001093047065' }, { today })).toBeUndefined();
    expect(mrzFromPrint(damaged, { ...printed, sex: undefined }, { today })).toBeUndefined();
    expect(mrzFromPrint(['garbage', 'x', ''], printed, { today })).toBeUndefined();
  });
});

describe('repairMrzFromSources: the QR payload beside the print', () => {
  const qr = { ...printed, fullName: 'Ung Hoàng Hiệp', source: 'qr' as const };
  const dobMisread = [lines[0], set(lines[1], 3, '7'), lines[2]];

  it('takes a value from the QR where the print misread it and the check digits confirm the QR', () => {
    const badPrint = { ...printed, dateOfBirth: { year: 1993, month: 1, day: 8 }, source: 'print' as const };
    expect(repairMrzFromSources(dobMisread, [badPrint], { today })).toBeUndefined();
    const fixed = repairMrzFromSources(dobMisread, [qr, badPrint], { today });
    expect(fixed?.mrz.lines).toEqual(lines);
    expect(fixed?.from).toEqual(['qr']);
  });

  it('says the print when the print gave the value too', () => {
    expect(repairMrzFromSources(dobMisread, [qr, { ...printed, source: 'print' }], { today })?.from).toEqual(['print']);
  });

  it('never takes a QR value that the check digits read do not confirm', () => {
    // the QR names another date of birth: the MRZ's date check digit and composite hold for neither
    const forgedQr = { ...qr, dateOfBirth: { year: 1993, month: 1, day: 7 } };
    expect(repairMrzFromSources(dobMisread, [forgedQr], { today })).toBeUndefined();
    // beside a print that reads it right, the print's value is the one taken
    const fixed = repairMrzFromSources(dobMisread, [forgedQr, { ...printed, source: 'print' }], { today });
    expect(fixed?.mrz.lines).toEqual(lines);
    expect(fixed?.from).toEqual(['print']);
    expect(fixed?.mrz.dateOfBirthRaw).toBe('930105');
  });
});

describe('rebuildMrzFromSources', () => {
  const damaged = [
    `${lines[0].slice(0, 3)}72${lines[0].slice(5)}`,
    `${lines[1].slice(0, 2)}0${lines[1].slice(2)}`,
    lines[2],
  ];
  const badIdPrint = { ...printed, idNumber: '001093047065', source: 'print' as const };

  it('rebuilds the zone from the QR number where the print misread it', () => {
    expect(rebuildMrzFromSources(damaged, [badIdPrint], { today })).toBeUndefined();
    const qr = { idNumber: holder.personalNumber, fullName: 'Ung Hoàng Hiệp', source: 'qr' as const };
    const r = rebuildMrzFromSources(damaged, [qr, badIdPrint], { today });
    expect(r?.mrz.lines).toEqual(lines);
    expect(r?.from).toEqual(['print', 'qr']);
  });

  it('refuses a QR number that disagrees with the check digits read', () => {
    const qr = { idNumber: '001093047066', fullName: 'Ung Hoàng Hiệp', source: 'qr' as const };
    expect(rebuildMrzFromSources(damaged, [qr, badIdPrint], { today })).toBeUndefined();
  });

  it('takes the source name closest to a name line that is not a clean line of letters', () => {
    const smudged = [damaged[0], damaged[1], `UNG<<H0ANG<HIEP${'<'.repeat(15)}`] as string[];
    const qr = { fullName: 'Ung Hoàng Hiệp', source: 'qr' as const };
    const print = { ...printed, fullName: 'UNG HOÀNG HIỆT', source: 'print' as const };
    const r = rebuildMrzFromSources(smudged, [print, qr], { today });
    expect(r?.mrz.lines[2]).toBe(lines[2]);
    expect(r?.from).toEqual(['print', 'qr']);
  });
});
