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
