import { describe, expect, it } from 'vitest';
import type { RecognizedChar, RecognizedLine } from '../ocr/ctcDecode.js';
import { createNameLexicon } from './nameLexicon.js';
import { readName } from './readName.js';

/** A line read surely except at `doubt`: that character at its confidence, with the recogniser's alternatives. */
function lineWith(text: string, doubt: Record<number, [number, [string, number][]]>): RecognizedLine {
  const chars: RecognizedChar[] = [...text].map((char, i) => {
    const d = doubt[i];
    return d
      ? { char, confidence: d[0], alternatives: d[1].map(([c, p]) => ({ char: c, confidence: p })) }
      : { char, confidence: 0.99 };
  });
  return { text, confidence: Math.min(...chars.map((c) => c.confidence)), chars };
}

// a frequency list shaped like ../shared/data/names (counts made up for the tests)
const lexicon = createNameLexicon({
  family: [
    ['Nguyễn', 2700],
    ['Nguyên', 3],
    ['Trần', 850],
  ],
  middle: [
    ['Văn', 950],
    ['Đăng', 40],
  ],
  given: [
    ['Tuấn', 175],
    ['Tuân', 12],
    ['Quang', 90],
    ['Thắng', 88],
    ['Thăng', 4],
  ],
});
const codes = (r: { issues: { code: string }[] }) => r.issues.map((i) => i.code);

describe('readName: doubtful marks against the name list', () => {
  it('takes the common spelling the alternatives clearly support (a family name the fold alone cannot settle)', () => {
    // NGUYỂN: the hook read at 0.43, the tilde an alternative at 0.09; Nguyễn is 900 times commoner than Nguyên
    const r = readName(
      lineWith('NGUYỂN ĐĂNG QUANG', {
        4: [
          0.43,
          [
            ['Ề', 0.37],
            ['Ễ', 0.09],
            ['Ê', 0.05],
          ],
        ],
      }),
      {
        lexicon,
      },
    );
    expect(r.value).toBe('NGUYỄN ĐĂNG QUANG');
    expect(codes(r)).toContain('idcard/name-marks-from-list');
    expect(r.confidence).toBeLessThanOrEqual(0.75);
  });

  it('keeps the reading and lowers the confidence when two spellings fit about equally', () => {
    // TUÂN read at 0.68, Ấ at 0.10: 0.68 × 12 against 0.10 × 175 is within the margin
    const r = readName(
      lineWith('TRẦN VĂN TUÂN', {
        11: [
          0.68,
          [
            ['Ả', 0.21],
            ['Ấ', 0.1],
          ],
        ],
      }),
      { lexicon },
    );
    expect(r.value).toBe('TRẦN VĂN TUÂN');
    expect(codes(r)).toContain('idcard/name-marks-ambiguous');
    expect(r.confidence).toBeLessThanOrEqual(0.5);
  });

  it('keeps a rare name against a common one of the same letters that fits less than clearly better', () => {
    // THĂNG at 0.69, Ắ at 0.08: Thắng scores 0.08 × 88 = 7.0 against 0.69 × 4 = 2.8, under the margin
    const r = readName(
      lineWith('TRẦN VĂN THĂNG', {
        11: [
          0.69,
          [
            ['Ã', 0.23],
            ['Ắ', 0.08],
          ],
        ],
      }),
      { lexicon },
    );
    expect(r.value).toBe('TRẦN VĂN THĂNG');
    expect(codes(r)).toContain('idcard/name-marks-ambiguous');
  });

  it('never changes a word the recogniser was sure of, nor uses a letter it gave no weight', () => {
    const sure = readName(lineWith('TRẦN VĂN TUÂN', {}), { lexicon });
    expect(sure.value).toBe('TRẦN VĂN TUÂN');
    expect(codes(sure)).not.toContain('idcard/name-marks-ambiguous');
    // Ấ below the support threshold: Tuấn is not a candidate, the reading stands unflagged
    const noWeight = readName(lineWith('TRẦN VĂN TUÂN', { 11: [0.7, [['Ấ', 0.01]]] }), { lexicon });
    expect(noWeight.value).toBe('TRẦN VĂN TUÂN');
    expect(codes(noWeight)).not.toContain('idcard/name-marks-ambiguous');
  });
});

describe('readName: spellings weighed by the name list and the syllables Vietnamese writes', () => {
  // the shipped list's shape: every word once, no frequencies
  const plain = createNameLexicon({
    family: ['Võ', 'Dương', 'Trần'],
    middle: ['Đăng', 'Minh'],
    given: ['Đạt', 'Duyên', 'Kiên', 'Hưng'],
  });
  // syllables of administrative units' names with how many units use them (made up for the tests)
  const syllables = new Map([
    ['KỲ', 200],
    ['KÝ', 1],
    ['KIẾN', 160],
    ['HUNG', 3],
    ['ĐĂNG', 30],
  ]);

  it('takes the listed spelling over a sure reading that no list knows (Ă read as Ã)', () => {
    const line = lineWith('VÕ ĐÃNG ĐẠT', { 4: [0.9, [['Ă', 0.1]]] });
    const r = readName(line, { lexicon: plain, syllables });
    expect(r.value).toBe('VÕ ĐĂNG ĐẠT');
    expect(codes(r)).toContain('idcard/name-marks-from-list');
    expect(r.confidence).toBeLessThanOrEqual(0.75);
    // without the syllables an unlisted reading may be a rare real name: flagged, not changed
    const blind = readName(line, { lexicon: plain });
    expect(blind.value).toBe('VÕ ĐÃNG ĐẠT');
    expect(codes(blind)).toContain('idcard/name-marks-ambiguous');
  });

  it('restores a horn lost under glare when the plain letters spell a syllable units hardly use', () => {
    const r = readName(lineWith('TRẦN HUNG ĐẠT', { 6: [0.92, [['Ư', 0.08]]] }), { lexicon: plain, syllables });
    expect(r.value).toBe('TRẦN HƯNG ĐẠT');
  });

  it('takes the common syllable when neither spelling is a listed name', () => {
    const r = readName(
      lineWith('DƯƠNG KÝ DUYÊN', {
        7: [
          0.72,
          [
            ['Ỳ', 0.26],
            ['Ỷ', 0.03],
          ],
        ],
      }),
      {
        lexicon: plain,
        syllables,
      },
    );
    expect(r.value).toBe('DƯƠNG KỲ DUYÊN');
    expect(codes(r)).toContain('idcard/name-marks-from-syllables');
  });

  it('keeps a real syllable that is no listed name against a listed one the recogniser saw less', () => {
    // KIẾN is in no list but units use it: 0.85 × 0.3 against Kiên's 0.12 × 1
    const r = readName(lineWith('TRẦN MINH KIẾN', { 12: [0.85, [['Ê', 0.12]]] }), { lexicon: plain, syllables });
    expect(r.value).toBe('TRẦN MINH KIẾN');
  });

  it('weighs spellings with a lexicon whose role list is empty', () => {
    const noGiven = createNameLexicon({ family: ['Trần'], middle: ['Minh'], given: [] });
    const r = readName(lineWith('TRẦN MINH KÝ', { 11: [0.72, [['Ỳ', 0.26]]] }), { lexicon: noGiven, syllables });
    expect(r.value).toBe('TRẦN MINH KỲ');
    expect(r.confidence).toBeGreaterThan(0);
  });

  it('reads a vowel the decoder emitted twice with two tones once, keeping the surer', () => {
    const r = readName(lineWith('TRẦN MINH CẢẤNH', { 11: [0.96, []], 12: [0.62, [['Ả', 0.1]]] }), {
      lexicon: plain,
      syllables,
    });
    expect(r.value).toBe('TRẦN MINH CẢNH');
    expect(codes(r)).toContain('idcard/name-vowel-doubled');
    // the decoder also saw another tone there: the name is no surer than the tone dropped
    expect(r.confidence).toBeLessThanOrEqual(0.62);
    const unsure = readName(lineWith('DƯƠNG CHUẦẤN KHOA', { 9: [0.45, [['Ấ', 0.36]]] }), { lexicon: plain });
    expect(unsure.value).toBe('DƯƠNG CHUẤN KHOA');
    expect(unsure.confidence).toBeLessThan(0.6);
    expect(codes(unsure)).toContain('idcard/low-confidence');
    // two vowels of different letters, or one toned vowel beside a plain one, are spellings (HOÀI, NGUYỄN)
    expect(readName(lineWith('NGUYỄN THỊ HOÀI', {}), { lexicon: plain }).value).toBe('NGUYỄN THỊ HOÀI');
    expect(readName(lineWith('LƯU VĂN XOÒNG', {}), { lexicon: plain }).value).toBe('LƯU VĂN XOÒNG');
  });
});

describe('readName: spellings the decoder or the orthography doubled', () => {
  it('reads once a vowel emitted twice, toned once (LÊỆ) or twice (CHUẦẤN: the surer tone stays)', () => {
    const names = createNameLexicon({ family: ['Phùng', 'Dương'], middle: ['Lệ', 'Chuẩn'], given: ['Quyên', 'Khoa'] });
    const r = readName(lineWith('PHÙNG LÊỆ QUYÊN', {}), { lexicon: names });
    expect(r.value).toBe('PHÙNG LỆ QUYÊN');
    expect(codes(r)).toContain('idcard/name-vowel-doubled');
    expect(readName(lineWith('DƯƠNG CHUẦẤN KHOA', { 9: [0.4, []] }), { lexicon: names }).value).toBe(
      'DƯƠNG CHUẤN KHOA',
    );
  });

  it('keeps a family name whose tone sits on the other vowel of its final oa than the list writes (HOÀ, HÒA)', () => {
    const names = createNameLexicon({ family: ['Hoa', 'Nguyễn'], middle: ['Xuân'], given: ['Hòa', 'Cao'] });
    expect(readName(lineWith('HOÀ XUÂN CAO', {}), { lexicon: names }).value).toBe('HOÀ XUÂN CAO');
    // a word the list knows in neither placement is still folded to the one family name it spells
    expect(readName(lineWith('NGUYÊN XUÂN CAO', {}), { lexicon: names }).value).toBe('NGUYỄN XUÂN CAO');
  });
});

describe('readName: marks the line model loses on capitals', () => {
  it('restores the breve lost on a capital A where the word with it is a listed name of its role (HÀNG, THÂNG)', () => {
    // read with all the weight and no alternative: the shipped list has Hằng and Thắng as given names, not Hàng / Thâng
    const hang = readName(lineWith('NGUYỄN THU HÀNG', {}));
    expect(hang.value).toBe('NGUYỄN THU HẰNG');
    expect(codes(hang)).toContain('idcard/name-marks-from-list');
    expect(hang.confidence).toBeLessThanOrEqual(0.75);
    expect(readName(lineWith('NGUYỄN NGỌC HÀNG', { 12: [0.92, [['Ằ', 0.07]]] })).value).toBe('NGUYỄN NGỌC HẰNG');
    expect(readName(lineWith('NGUYỄN ĐÌNH THÂNG', {})).value).toBe('NGUYỄN ĐÌNH THẮNG');
  });

  it('keeps a reading its role lists, one whose breve spelling only another role lists, and one with two breve spellings listed', () => {
    const lists = createNameLexicon({
      family: ['Lăng', 'Trần'],
      middle: ['Văn'],
      given: ['Hàng', 'Hằng', 'Thắng', 'Thẳng'],
    });
    expect(readName(lineWith('TRẦN VĂN HÀNG', {}), { lexicon: lists }).value).toBe('TRẦN VĂN HÀNG');
    // Lăng is a family name: a given name read LÃNG is left as read
    expect(readName(lineWith('TRẦN VĂN LÃNG', {}), { lexicon: lists }).value).toBe('TRẦN VĂN LÃNG');
    expect(readName(lineWith('LÃNG VĂN HẰNG', {}), { lexicon: lists }).value).toBe('LĂNG VĂN HẰNG');
    // Thắng and Thẳng both listed: nothing tells which breve was lost
    const two = readName(lineWith('TRẦN VĂN THÂNG', {}), { lexicon: lists });
    expect(two.value).toBe('TRẦN VĂN THÂNG');
    expect(codes(two)).toContain('idcard/name-word-unknown');
    // the shipped list's Toàn is not taken for a breve spelling, nor is a grave read on another vowel
    expect(readName(lineWith('TRẦN ĐỨC TOÀN', {})).value).toBe('TRẦN ĐỨC TOÀN');
    expect(readName(lineWith('TRẦN THỊ HÈNG', {})).value).toBe('TRẦN THỊ HÈNG');
  });

  it('weighs a hook alternative double: the model drops hooks on capitals and does not invent them', () => {
    // KỶ read KÝ (Ỷ 0.23): neither a listed family name nor a syllable units use ≥ 5 times
    const syllables = new Map([
      ['KỲ', 89],
      ['KỶ', 3],
      ['KÝ', 1],
    ]);
    const ky = readName(lineWith('KÝ VIỆT YẾN', { 1: [0.76, [['Ỷ', 0.23]]] }), { syllables });
    expect(ky.value).toBe('KÝ VIỆT YẾN');
    expect(codes(ky)).toContain('idcard/name-marks-ambiguous');
    expect(ky.confidence).toBeLessThan(0.6);
    // as weighed before (the hook at what the model gave it), KÝ fits more than 3 times better: kept, not flagged
    const plainHook = readName(lineWith('KÝ VIỆT YẾN', { 1: [0.76, [['Ỳ', 0.23]]] }), { syllables });
    expect(codes(plainHook)).not.toContain('idcard/name-marks-ambiguous');
    // a listed name still wins against a doubled hook the model weighed at less than a sixth (DIỀM: Ể 0.37, Ễ 0.06)
    const diem = readName(
      lineWith('LÊ DIỀM MY', {
        5: [
          0.56,
          [
            ['Ể', 0.37],
            ['Ễ', 0.06],
          ],
        ],
      }),
      { lexicon: createNameLexicon({ family: ['Lê'], middle: ['Diễm'], given: ['My'] }), syllables },
    );
    expect(diem.value).toBe('LÊ DIỄM MY');
  });
});
