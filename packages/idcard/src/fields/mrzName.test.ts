import { parseMrz } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import { malformedNameLine, settleMrzName } from './mrzName.js';
import { createNameLexicon } from './nameLexicon.js';

const today = new Date(Date.UTC(2026, 11, 6));
/** Lines 1 and 2 of the issue's example zone (check digits holding), with a name line of its own. */
const right: [string, string, string] = [
  'IDVNM0930470641001093047064<<2',
  '9301054M3301052VNM<<<<<<<<<<<8',
  'LE<<VIET<QUYET'.padEnd(30, '<'),
];
/** The zone as read with the name's T read as I (no check digit covers line 3: it parses valid). */
const misread = parseMrz([right[0], right[1], right[2].replace('VIET', 'VIEI')], { today });
const lexicon = createNameLexicon({ family: ['LÊ', 'NGUYỄN'], middle: ['VIỆT', 'VĂN'], given: ['QUYẾT', 'HÙNG'] });
/** The name line's character confidences: sure everywhere, `at` (the misread T) as given. */
const confidences = (at: number) => Array.from({ length: 30 }, (_, k) => (k === 7 ? at : 0.99));

describe('settleMrzName', () => {
  it("takes the QR code's letters for a misread letter of the name line", () => {
    expect(misread.valid).toBe(true);
    const s = settleMrzName(misread, { qrName: 'Lê Việt Quyết' }, lexicon, { today });
    expect(s.from).toBe('qr');
    expect(s.mrz.lines).toEqual(right);
    expect(s.mrz.valid).toBe(true);
    expect(s.issues.map((i) => i.code)).toEqual(['idcard/mrz-name-from-qr']);
  });

  it("takes the print's letters where the print reads a known name, the MRZ none, and the OCR doubted the MRZ letter", () => {
    const s = settleMrzName(misread, { printedName: 'LÊ VIỆT QUYẾT', nameLineConfidences: confidences(0.6) }, lexicon, {
      today,
    });
    expect(s.from).toBe('print');
    expect(s.mrz.lines[2]).toBe(right[2]);
    expect(s.uncertain).toBe(false);
  });

  it('keeps a sure MRZ letter as read but says the name line is uncertain', () => {
    const s = settleMrzName(
      misread,
      { printedName: 'LÊ VIỆT QUYẾT', nameLineConfidences: confidences(0.99) },
      lexicon,
      { today },
    );
    expect(s.from).toBeUndefined();
    expect(s.mrz.lines[2]).toBe(misread.lines[2]);
    expect(s.uncertain).toBe(true);
    expect(s.issues.map((i) => i.code)).toEqual(['idcard/mrz-name-uncertain']);
  });

  it('leaves a right name line alone when the print is the one misread', () => {
    const zone = parseMrz(right, { today });
    // the print's VIEI is no known name, the MRZ's VIET is: readName takes the MRZ letters for the print
    const s = settleMrzName(zone, { printedName: 'LÊ VIEI QUYẾT', nameLineConfidences: confidences(0.6) }, lexicon, {
      today,
    });
    expect(s.mrz).toBe(zone);
    expect(s.uncertain).toBe(false);
    expect(s.issues).toEqual([]);
  });

  it("keeps the line's own split of a two-word family name that spells the QR's name", () => {
    const zone = parseMrz([right[0], right[1], 'TON<NU<<BICH<HANH'.padEnd(30, '<')], { today });
    const s = settleMrzName(zone, { qrName: 'Tôn Nữ Bích Hạnh' }, lexicon, { today });
    expect(s.mrz).toBe(zone);
    expect(s.uncertain).toBe(false);
    // and a letter misread there is put back in place, the split kept
    const bad = parseMrz([right[0], right[1], 'TON<NU<<BICH<HAMH'.padEnd(30, '<')], { today });
    expect(settleMrzName(bad, { qrName: 'Tôn Nữ Bích Hạnh' }, lexicon, { today }).mrz.lines[2]).toBe(zone.lines[2]);
  });

  it("gives a word the letter the OCR dropped or takes the one it inserted, from the QR's name", () => {
    const zone = parseMrz([right[0], right[1], 'NGUYEN<<BICH<TY'.padEnd(30, '<')], { today });
    const dropped = parseMrz([right[0], right[1], 'NGUYEN<<BICH<T'.padEnd(30, '<')], { today });
    const s = settleMrzName(dropped, { qrName: 'Nguyễn Bích Tỵ' }, lexicon, { today });
    expect(s.from).toBe('qr');
    expect(s.mrz.lines[2]).toBe(zone.lines[2]);
    expect(s.uncertain).toBe(false);
    const inserted = parseMrz([right[0], right[1], 'NGUYEN<<CHI<NIAM'.padEnd(30, '<')], { today });
    expect(settleMrzName(inserted, { qrName: 'Nguyễn Chí Nam' }, lexicon, { today }).mrz.lines[2]).toBe(
      'NGUYEN<<CHI<NAM'.padEnd(30, '<'),
    );
    // the line's own split is kept: a two-word family name before the << stays so
    const split = parseMrz([right[0], right[1], 'TON<NU<<BICH<HAH'.padEnd(30, '<')], { today });
    expect(settleMrzName(split, { qrName: 'Tôn Nữ Bích Hạnh' }, lexicon, { today }).mrz.lines[2]).toBe(
      'TON<NU<<BICH<HANH'.padEnd(30, '<'),
    );
    // but not three edits, nor a word more or less
    expect(settleMrzName(dropped, { qrName: 'Nguyễn Bích Tường' }, lexicon, { today }).uncertain).toBe(true);
    expect(settleMrzName(dropped, { qrName: 'Nguyễn Bích' }, lexicon, { today }).uncertain).toBe(true);
  });

  it('drops a letter the OCR doubted from a word that is then a known name, with nothing else to ask', () => {
    // the back read alone: `NAM` read `NIAM`, its I doubted (a filler pushed past the 30th column)
    const names = createNameLexicon({ family: ['NGUYỄN'], middle: ['CHÍ'], given: ['NAM'] });
    const inserted = parseMrz([right[0], right[1], 'NGUYEN<<CHI<NIAM'.padEnd(30, '<')], { today });
    const doubtedAt = (k: number, c: number) => Array.from({ length: 30 }, (_, i) => (i === k ? c : 0.99));
    const s = settleMrzName(inserted, { nameLineConfidences: doubtedAt(13, 0.55), nameLineReadLength: 31 }, names, {
      today,
    });
    expect(s.from).toBe('names');
    expect(s.mrz.lines[2]).toBe('NGUYEN<<CHI<NAM'.padEnd(30, '<'));
    expect(s.mrz.valid).toBe(true);
    expect(s.issues.map((i) => i.code)).toEqual(['idcard/mrz-name-from-names']);
    // a sure letter, a doubted letter whose removal spells no known name, or no confidences: left as read
    for (const c of [doubtedAt(13, 0.99), doubtedAt(15, 0.55), undefined]) {
      const kept = settleMrzName(inserted, { nameLineConfidences: c, nameLineReadLength: 31 }, names, { today });
      expect(kept.mrz).toBe(inserted);
      expect(kept.issues).toEqual([]);
    }
    // nor a line read at its 30 characters: nothing says a letter was inserted there
    {
      const kept = settleMrzName(
        inserted,
        { nameLineConfidences: doubtedAt(13, 0.55), nameLineReadLength: 30 },
        names,
        {
          today,
        },
      );
      expect(kept.mrz).toBe(inserted);
      expect(kept.issues).toEqual([]);
    }
    // the front's print read with it settles the same insertion from the print
    const p = settleMrzName(
      inserted,
      { printedName: 'NGUYỄN CHÍ NAM', nameLineConfidences: doubtedAt(13, 0.55) },
      names,
      { today },
    );
    expect(p.from).toBe('print');
    expect(p.mrz.lines[2]).toBe('NGUYEN<<CHI<NAM'.padEnd(30, '<'));
  });

  it('a back read alone whose name line has fillers where a letter stands: uncertain, left as read', () => {
    // `VO<<SON<DUONG` read with the S as a filler, the OCR sure of it
    const lost = parseMrz([right[0], right[1], 'VO<<<ON<DUONG'.padEnd(30, '<')], { today });
    const s = settleMrzName(lost, { nameLineConfidences: confidences(0.99), nameLineReadLength: 30 }, lexicon, {
      today,
    });
    expect(s.mrz).toBe(lost);
    expect(s.uncertain).toBe(true);
    expect(s.issues.map((i) => i.code)).toEqual(['idcard/mrz-name-uncertain']);
    // a well-formed line stays settled
    expect(settleMrzName(misread, { nameLineConfidences: confidences(0.99) }, lexicon, { today }).uncertain).toBe(
      false,
    );
  });

  it('malformedNameLine: the shapes a name line cannot have', () => {
    for (const ok of ['LE<<VIET<QUYET', 'NGUYEN<<AN', 'TON<NU<<MAI<ANH', 'NGUYEN', 'LY<<MY', 'KSOR<<Y<MOAN'])
      expect(malformedNameLine(ok.padEnd(30, '<'))).toBe(false);
    for (const bad of ['VO<<<ON<DUONG', '<LE<<VIET', 'LE<<VIET<<QUYET', 'LE<<<<VIET', 'LAI<<NGC<THI', 'NG<<VAN<AN'])
      expect(malformedNameLine(bad.padEnd(30, '<'))).toBe(true);
  });

  it('does not rewrite a name line into another name: a QR name far from it leaves it uncertain', () => {
    const s = settleMrzName(misread, { qrName: 'Nguyễn Văn Hùng' }, lexicon, { today });
    expect(s.from).toBeUndefined();
    expect(s.mrz.lines[2]).toBe(misread.lines[2]);
    expect(s.uncertain).toBe(true);
  });
});
