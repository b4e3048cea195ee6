import { describe, expect, it } from 'vitest';
import { lineOf } from '../../test/fixtures/recognizedLine.js';
import { betterMrzReading, mrzFromLines } from './readMrz.js';

const today = new Date(Date.UTC(2026, 11, 6));
const issue1 = ['IDVNM0930470641001093047064<<2', '9301054M3301052VNM<<<<<<<<<<<8', 'UNG<<HOANG<HIEP<<<<<<<<<<<<<<<'];

describe('mrzFromLines', () => {
  it('parses the issue example with high confidence on check-confirmed fields', () => {
    const r = mrzFromLines(
      issue1.map((l) => lineOf(l, 0.9)),
      { today },
    );
    expect(r.mrz?.valid).toBe(true);
    expect(r.mrz?.personalNumber).toBe('001093047064');
    expect(r.fieldConfidence.dateOfBirth).toBeGreaterThan(0.98);
    // names carry no check digit: they keep the characters' confidence
    expect(r.fieldConfidence.name).toBeCloseTo(0.9, 5);
    expect(r.confidence).toBeGreaterThan(0.85);
  });

  it('repairs an O read for 0 only because the check digit confirms it, and drops OCR spaces', () => {
    const bad = ['IDVNM0930470641001093047064<<2', '93O1054M3301052VNM<<<<<<<<<<<8', 'UNG<<HOANG<HIEP<<<<< <<<<<<<<<<'];
    const r = mrzFromLines(
      bad.map((l) => lineOf(l, 0.9, [2])),
      { today },
    );
    expect(r.mrz?.valid).toBe(true);
    expect(r.mrz?.dateOfBirthRaw).toBe('930105');
    expect(r.mrz?.repairs.length).toBeGreaterThan(0);
  });

  it('reads a digit in the name line as its look-alike letter: the name line holds no digits', () => {
    const read = [issue1[0], issue1[1], 'UNG<<H0ANG<HIEP<<<<<<<<<<<<<<<'];
    const r = mrzFromLines(
      read.map((l) => lineOf(l as string, 0.95)),
      { today },
    );
    expect(r.mrz?.valid).toBe(true);
    expect(r.mrz?.lines[2]).toBe(issue1[2]);
    expect(r.issues.map((i) => i.code)).toContain('idcard/mrz-name-repaired');
    expect(r.fieldConfidence.name).toBeLessThanOrEqual(0.7);
  });

  it('says so when a check digit fails instead of returning a confident MRZ', () => {
    const wrong = [
      'IDVNM0930470641001093047064<<2',
      '9301064M3301052VNM<<<<<<<<<<<8',
      'UNG<<HOANG<HIEP<<<<<<<<<<<<<<<',
    ];
    const r = mrzFromLines(
      wrong.map((l) => lineOf(l, 0.99)),
      { today },
    );
    expect(r.mrz?.valid).toBe(false);
    expect(r.confidence).toBeLessThanOrEqual(0.3);
    expect(r.issues.map((i) => i.code)).toContain('idcard/mrz-invalid');
    expect(mrzFromLines([lineOf('hello')], { today }).mrz).toBeUndefined();
  });
});

describe('betterMrzReading', () => {
  const read = (lines: readonly string[]) =>
    mrzFromLines(
      lines.map((l) => lineOf(l, 0.95)),
      { today },
    );

  it('keeps a valid second reading over a first whose checks all hold but whose line has a stray character', () => {
    // a mark past the card's edge read as a 31st character: the line is cut back, every check holds, yet it is invalid
    const first = read([`${issue1[0]}P`, issue1[1] as string, issue1[2] as string]);
    const again = read(issue1);
    expect(first.mrz?.valid).toBe(false);
    expect(first.mrz?.checks.every((c) => c.valid)).toBe(true);
    expect(again.mrz?.valid).toBe(true);
    expect(betterMrzReading(first, again)).toBe(again);
    expect(betterMrzReading(again, first)).toBe(again);
  });

  it('otherwise keeps the reading with more check digits holding, the first on a tie', () => {
    const oneWrong = read([issue1[0] as string, '9301054M3301053VNM<<<<<<<<<<<8', issue1[2] as string]);
    const twoWrong = read(['IDVNM0930470641001093047064<<3', '9301054M3301053VNM<<<<<<<<<<<8', issue1[2] as string]);
    expect(oneWrong.mrz?.valid).toBe(false);
    expect(betterMrzReading(twoWrong, oneWrong)).toBe(oneWrong);
    expect(betterMrzReading(oneWrong, twoWrong)).toBe(oneWrong);
    expect(
      betterMrzReading(oneWrong, read([issue1[0] as string, '9301054M3301053VNM<<<<<<<<<<<8', issue1[2] as string])),
    ).toBe(oneWrong);
  });
});
