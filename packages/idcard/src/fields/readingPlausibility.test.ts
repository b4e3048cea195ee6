import { describe, expect, it } from 'vitest';
import { lineOf } from '../../test/fixtures/recognizedLine.js';
import type { CardType } from '../cardTypes.js';
import { cardLayout } from '../layout/layouts.js';
import { mrzFromLines } from '../ocr/readMrz.js';
import type { FieldLines } from './readCardFields.js';
import { readingPlausibility } from './readingPlausibility.js';

const today = new Date(Date.UTC(2026, 11, 6));

/** A front's lines under a layout: each field's lines answered from `texts` (missing lines read as nothing). */
function linesOf(type: CardType, texts: Record<string, string[]>, confidence = 0.95): FieldLines[] {
  return cardLayout(type, 'front').fields.map((f) => ({
    field: f.field,
    format: f.format,
    lines: f.lines.map((_, i) => lineOf(texts[f.field]?.[i] ?? '', confidence)),
  }));
}

describe('readingPlausibility', () => {
  it("prefers a CMND 9 front read under its own layout to the same card read as a Căn cước 2024 front's lines", () => {
    const own = linesOf('cmnd-9', {
      idNumber: ['012035039'],
      fullName: ['NGUYỄN VĂN AN'],
      dateOfBirth: ['16/12/1960'],
      placeOfOrigin: ['Xã Phan Thanh, Huyện Nguyên Bình', 'Tỉnh Cao Bằng'],
      placeOfResidence: ['Số 165 Điện Biên Phủ, Xã Thịnh Lộc', 'Huyện Thạch Hà, Tỉnh Hà Tĩnh'],
    });
    // the other layout's boxes fall between the printed lines and on labels: noise the rules refuse
    const other = linesOf(
      'cancuoc-2024',
      { idNumber: ['011671271960'], fullName: ['Hạ tến'], dateOfBirth: ['406610'], sex: ['N'] },
      0.6,
    );
    const a = readingPlausibility(own, undefined, { cardType: 'cmnd-9', today });
    const b = readingPlausibility(other, undefined, { cardType: 'cancuoc-2024', today });
    expect(a.score).toBeGreaterThan(0.7);
    expect(b.score).toBeLessThan(0.5);
    expect(a.evidence).toBeGreaterThan(b.evidence);
  });

  it('counts an ID number of the wrong length for the type and an unparseable date as implausible', () => {
    const texts = {
      idNumber: ['001093047064'],
      fullName: ['UNG HOÀNG HIỆP'],
      dateOfBirth: ['05/10/1993'],
      sex: ['Nam'],
    };
    const right = readingPlausibility(linesOf('cccd-2021', texts), undefined, { cardType: 'cccd-2021', today });
    const shortId = readingPlausibility(linesOf('cccd-2021', { ...texts, idNumber: ['0010930'] }), undefined, {
      cardType: 'cccd-2021',
      today,
    });
    const badDate = readingPlausibility(linesOf('cccd-2021', { ...texts, dateOfBirth: ['4O6 61'] }), undefined, {
      cardType: 'cccd-2021',
      today,
    });
    expect(right.score).toBeGreaterThan(shortId.score);
    expect(right.score).toBeGreaterThan(badDate.score);
  });

  it("weighs a reading that finds more of the card's fields above a cleaner reading of fewer", () => {
    const person = {
      idNumber: ['001093047064'],
      fullName: ['UNG HOÀNG HIỆP'],
      dateOfBirth: ['05/10/1993'],
      sex: ['Nam'],
    };
    // a CCCD 2016 front read under its layout, its place lines doubtful, and the same card's
    // number and name read under the Căn cước 2024 front's boxes, which overlap theirs
    const own = linesOf('cccd-2016', {
      ...person,
      nationality: ['Việt Nam'],
      placeOfOrigin: ['Xã Phan Thanh, Huyện Nguyên Bình, Tỉnh Cao Bằng'],
      placeOfResidence: ['Số 165 Điện Biên Phủ, Xã Thịnh Lộc', 'Huyện Thạch Hà, Tỉnh Hà Tĩnh'],
      expiryDate: ['05/10/2033'],
    }).map((f) => (f.format === 'place' ? { ...f, lines: f.lines.map((l) => ({ ...l, confidence: 0.1 })) } : f));
    const other = linesOf('cancuoc-2024', { ...person, dateOfBirth: [''], nationality: ['Việt Nam'] });
    const a = readingPlausibility(own, undefined, { cardType: 'cccd-2016', today });
    const b = readingPlausibility(other, undefined, { cardType: 'cancuoc-2024', today });
    // the fewer fields read cleaner on average, but explain less of the card
    expect(a.score).toBeLessThan(b.score);
    expect(a.evidence).toBeGreaterThan(b.evidence);
  });

  it("weighs the MRZ's check digits: a zone that parses with its checks holding beats noise", () => {
    const lines = cardLayout('cccd-2021', 'back').fields.map((f) => ({
      field: f.field,
      format: f.format,
      lines: f.lines.map(() => lineOf('', 0)),
    }));
    const good = mrzFromLines(
      ['IDVNM0930470641001093047064<<2', '9301054M3301052VNM<<<<<<<<<<<8', 'UNG<<HOANG<HIEP<<<<<<<<<<<<<<<'].map((t) =>
        lineOf(t),
      ),
      { today },
    );
    const noise = mrzFromLines(
      ['IDVNM09304', 'M330', 'UNG'].map((t) => lineOf(t, 0.5)),
      { today },
    );
    expect(readingPlausibility(lines, good, { cardType: 'cccd-2021', today }).score).toBeGreaterThan(
      readingPlausibility(lines, noise, { cardType: 'cccd-2021', today }).score,
    );
  });
});
