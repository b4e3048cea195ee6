import { describe, expect, it } from 'vitest';
import { lineOf } from '../../test/fixtures/recognizedLine.js';
import { LOW_CONFIDENCE, joinLines } from './FieldReading.js';
import { createNameLexicon, fallbackNameLexicon, isVietnameseWord, parseNameTsv } from './nameLexicon.js';
import { readDate } from './readDate.js';
import { readIdNumber } from './readIdNumber.js';
import { readName } from './readName.js';
import { readNationality } from './readNationality.js';
import { readSex } from './readSex.js';

const today = new Date(Date.UTC(2026, 11, 6));
const codes = (r: { issues: { code: string }[] }) => r.issues.map((i) => i.code);

describe('readDate', () => {
  it('reads dd/mm/yyyy and restores lost separators', () => {
    expect(readDate(lineOf('14/01/1991'), { kind: 'birth', today }).value).toEqual({ year: 1991, month: 1, day: 14 });
    const r = readDate(lineOf('1401.1991'), { kind: 'birth', today });
    expect(r.value).toEqual({ year: 1991, month: 1, day: 14 });
    expect(codes(r)).toContain('idcard/date-separators-repaired');
  });

  it('refuses impossible and implausible dates instead of returning them', () => {
    expect(readDate(lineOf('31/02/1991'), { kind: 'birth', today }).value).toBeUndefined();
    expect(readDate(lineOf('01/01/2030'), { kind: 'birth', today }).value).toBeUndefined();
    expect(readDate(lineOf('01/01/1830'), { kind: 'birth', today }).confidence).toBe(0);
    expect(readDate(lineOf('12/1991'), { kind: 'birth', today }).issues[0]?.code).toBe('date/malformed');
  });

  it('reads "Không thời hạn" as no expiry and checks against the MRZ', () => {
    expect(readDate(lineOf('Không thời hạn'), { kind: 'expiry', today }).value).toBe('none');
    expect(readDate(lineOf('Không thùi can'), { kind: 'expiry', today }).value).toBe('none');
    expect(readDate(lineOf('Nam'), { kind: 'expiry', today }).value).toBeUndefined();
    const agree = readDate(lineOf('14/01/2031', 0.7), {
      kind: 'expiry',
      today,
      mrz: { year: 2031, month: 1, day: 14 },
    });
    expect(agree.confidence).toBeGreaterThan(0.9);
    const disagree = readDate(lineOf('14/01/2031'), { kind: 'expiry', today, mrz: { year: 2031, month: 1, day: 17 } });
    expect(disagree.confidence).toBeLessThan(LOW_CONFIDENCE);
    expect(codes(disagree)).toContain('idcard/date-mrz-mismatch');
  });
});

describe('readIdNumber', () => {
  it('accepts a valid 12-digit number and flags a low-confidence reading', () => {
    const r = readIdNumber(lineOf('001099012345', 0.99), { today });
    expect(r.value).toBe('001099012345');
    const low = readIdNumber(lineOf('001099012345', 0.4), { today });
    expect(codes(low)).toContain('idcard/low-confidence');
  });

  it("sets aside a number of the other length than the card type prints (a 12-digit card's crop that lost digits)", () => {
    // '023824388' passes the CMND rules alone; on a 12-digit card it is a misread, not a CMND number
    expect(readIdNumber(lineOf('023824388', 0.9), { today }).value).toBe('023824388');
    const short = readIdNumber(lineOf('023824388', 0.9), { today, digits: 12 });
    expect(short.value).toBeUndefined();
    expect(short.confidence).toBe(0);
    expect(codes(short)).toContain('id/malformed');
    expect(readIdNumber(lineOf('001099012345', 0.9), { today, digits: 9 }).value).toBeUndefined();
    expect(readIdNumber(lineOf('001099012345', 0.9), { today, digits: 12 }).value).toBe('001099012345');
    expect(readIdNumber(lineOf('023824388', 0.9), { today, digits: 9 }).value).toBe('023824388');
  });

  it('drops the one doubtful digit of a reading a digit too long, when the rules then accept it', () => {
    const sure = (text: string, doubtfulAt: number) => ({
      text,
      confidence: 0.5,
      chars: [...text].map((char, i) => ({ char, confidence: i === doubtfulAt ? 0.5 : 0.99 })),
    });
    const r = readIdNumber(sure('0010990123450', 12), { today, digits: 12 });
    expect(r.value).toBe('001099012345');
    expect(r.text).toBe('0010990123450');
    expect(r.confidence).toBeLessThanOrEqual(0.5);
    expect(codes(r)).toContain('idcard/id-digit-dropped');
    // two doubtful digits, none, or no card type to say the length: set aside as before
    expect(
      readIdNumber(
        {
          ...sure('0010990123450', 12),
          chars: sure('0010990123450', 12).chars.map((c, i) => (i === 3 ? { ...c, confidence: 0.5 } : c)),
        },
        { today, digits: 12 },
      ).value,
    ).toBeUndefined();
    expect(readIdNumber(sure('0010990123450', 99), { today, digits: 12 }).value).toBeUndefined();
    expect(readIdNumber(sure('0010990123450', 12), { today }).value).toBeUndefined();
    // nor when the number left fails the rules (a female century digit against a male sex)
    expect(readIdNumber(sure('0010990123450', 12), { today, digits: 12, sex: 'F' }).value).toBeUndefined();
  });

  it('sets aside a number the rules reject or the MRZ contradicts', () => {
    expect(readIdNumber(lineOf('00109901234'), { today }).value).toBeUndefined();
    expect(readIdNumber(lineOf('0010990123A5'), { today }).value).toBeUndefined();
    // century digit 0 = male born 1900s; the printed sex says female
    expect(readIdNumber(lineOf('001099012345'), { today, sex: 'F' }).value).toBeUndefined();
    const mismatch = readIdNumber(lineOf('001099012345'), { today, mrzNumber: '099012346' });
    expect(mismatch.confidence).toBeLessThan(LOW_CONFIDENCE);
    expect(readIdNumber(lineOf('001099012345', 0.7), { today, mrzNumber: '099012345' }).confidence).toBeGreaterThan(
      0.95,
    );
  });
});

describe('readSex and readNationality', () => {
  it('reads Nam / Nữ, repairs a lost mark, and checks the MRZ', () => {
    expect(readSex(lineOf('Nữ')).value).toBe('F');
    const r = readSex(lineOf('Nu'));
    expect(r.value).toBe('F');
    expect(codes(r)).toContain('idcard/sex-repaired');
    expect(readSex(lineOf('Nam'), 'F').confidence).toBeLessThan(LOW_CONFIDENCE);
    expect(readSex(lineOf('Xyz')).value).toBeUndefined();
  });

  it('matches Việt Nam and rejects anything else', () => {
    expect(readNationality(lineOf('Việt Nam')).value).toBe('Việt Nam');
    expect(readNationality(lineOf('Viêt Nam')).value).toBe('Việt Nam');
    expect(readNationality(lineOf('Lào')).value).toBeUndefined();
  });
});

describe('readName', () => {
  it('keeps a name of known words and confirms it with the MRZ', () => {
    const r = readName(lineOf('NGUYỄN THỊ HƯƠNG', 0.7), { mrzName: 'NGUYEN THI HUONG' });
    expect(r.value).toBe('NGUYỄN THỊ HƯƠNG');
    expect(r.confidence).toBeGreaterThan(0.8);
  });

  it('repairs a doubtful stacked mark to a known name, only where the reader doubted', () => {
    // 'TUẤN' misread as 'TUẨN' (ấ/ẩ, the known tesseract confusion), the mark read at 0.4
    const r = readName(lineOf('LÊ ANH TUẨN', 0.97, [9]));
    expect(r.value).toBe('LÊ ANH TUẤN');
    expect(codes(r)).toContain('idcard/name-repaired');
    // same reading, but confident: kept as read, flagged as an unknown word
    const kept = readName(lineOf('LÊ ANH TUẨN', 0.97));
    expect(kept.value).toBe('LÊ ANH TUẨN');
    expect(codes(kept)).toContain('idcard/name-word-unknown');
  });

  it('restores lost spaces from the MRZ and reports a letter mismatch', () => {
    expect(readName(lineOf('PHẠMKHOA'), { mrzName: 'PHAM KHOA' }).value).toBe('PHẠM KHOA');
    const r = readName(lineOf('PHẠM KHOA'), { mrzName: 'PHAN KHOA' });
    expect(codes(r)).toContain('idcard/name-mrz-mismatch');
    expect(r.confidence).toBeLessThan(LOW_CONFIDENCE);
    expect(readName(lineOf('  ')).value).toBeUndefined();
  });

  it('restores the marks of a family name that only its marks keep from a known one', () => {
    const r = readName(lineOf('NGUYÊN VĂN AN', 0.97));
    expect(r.value).toBe('NGUYỄN VĂN AN');
    expect(codes(r)).toContain('idcard/name-repaired');
    // a given name is an open set: the same mark lost there is kept as read
    expect(readName(lineOf('LÊ VĂN TUÂN', 0.97)).value).toBe('LÊ VĂN TUÂN');
  });

  it('builds lexicons from lists and TSV', () => {
    const lex = createNameLexicon({ family: parseNameTsv('name\tcount\nĐàm\t3\n'), middle: [], given: ['Hiệp'] });
    expect(lex.family.get('ĐÀM')).toBe(3);
    expect(fallbackNameLexicon().family.has('NGUYỄN')).toBe(true);
  });

  it('skips list words in the old VNI encoding or in UTF-8 read as Windows-1252', () => {
    for (const w of ['Nguyễn', 'Huỳnh', 'Dương', 'Bùi', 'Đỗ', 'Khánh', 'Ngọc', 'Thuỷ', 'Quý', 'Hoà', 'Uyên']) {
      expect(isVietnameseWord(w), w).toBe(true);
    }
    for (const w of ['Huøynh', 'Döông', 'Vieät', 'Ñoã', 'Chuùc', 'Khaùnh', 'Aùnh', 'BĂši', 'TáşĄ', 'Smith-Jones']) {
      expect(isVietnameseWord(w), w).toBe(false);
    }
    const lex = createNameLexicon({
      family: parseNameTsv('name\tcount\nHuỳnh\t9\nHuøynh\t3\n'),
      middle: [],
      given: [],
    });
    expect([...lex.family.keys()]).toEqual(['HUỲNH']);
    for (const role of ['family', 'middle', 'given'] as const) {
      for (const w of fallbackNameLexicon()[role].keys()) expect(isVietnameseWord(w), w).toBe(true);
    }
  });

  it('joins wrapped lines with their confidences', () => {
    const j = joinLines([lineOf('Xã A,'), lineOf('Tỉnh B', 0.5)]);
    expect(j.text).toBe('Xã A, Tỉnh B');
    expect(j.confidence).toBe(0.5);
  });
});
