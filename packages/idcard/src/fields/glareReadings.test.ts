import { describe, expect, it } from 'vitest';
import type { RecognizedLine } from '../ocr/ctcDecode.js';
import { chooseGlareReadings } from './glareReadings.js';
import type { FieldLines } from './readCardFields.js';

const line = (text: string, confidence: number): RecognizedLine => ({
  text,
  confidence,
  chars: [...text].map((char) => ({ char, confidence })),
});

/** A CMND 12 front's number and date of birth as read from the plain crops. */
const side = (dob: RecognizedLine): FieldLines[] => [
  { field: 'idNumber', format: 'id-number', lines: [line('001090012345', 0.95)] },
  { field: 'dateOfBirth', format: 'date', lines: [dob] },
];

describe('chooseGlareReadings', () => {
  it("takes the cleared crop's reading when the field's rules accept it and not the glared one", () => {
    const r = chooseGlareReadings(
      side(line('1/0/19', 0.3)),
      [{ field: 'dateOfBirth', clear: [line('12/03/1990', 0.5)] }],
      {
        cardType: 'cmnd-12',
      },
    );
    expect(r.cleared).toEqual(['dateOfBirth']);
    expect(r.lines.find((f) => f.field === 'dateOfBirth')?.lines[0]?.text).toBe('12/03/1990');
    expect(r.lines.find((f) => f.field === 'idNumber')?.lines[0]?.text).toBe('001090012345');
  });

  it('keeps the plain reading when the cleared one is no better by the rules, or only ties', () => {
    const plain = side(line('12/03/1990', 0.5));
    for (const clear of [line('12/03/19', 0.5), line('12/08/1990', 0.5), line('', 1)]) {
      const r = chooseGlareReadings(plain, [{ field: 'dateOfBirth', clear: [clear] }], { cardType: 'cmnd-12' });
      expect(r.cleared).toEqual([]);
      expect(r.lines.find((f) => f.field === 'dateOfBirth')?.lines[0]?.text).toBe('12/03/1990');
    }
  });

  it('swaps only the lines that had a cleared reading', () => {
    const two: FieldLines[] = [
      { field: 'placeOfResidence', format: 'text', lines: [line('Số 8 Nguyễn Huệ,', 0.9), line('Xa An Tâ', 0.2)] },
    ];
    const r = chooseGlareReadings(two, [{ field: 'placeOfResidence', clear: [undefined, line('Xã An Tập', 0.5)] }], {});
    expect(r.lines[0]?.lines.map((l) => l.text)).toEqual(['Số 8 Nguyễn Huệ,', 'Xã An Tập']);
  });
});
