import { describe, expect, it } from 'vitest';
import { lineOf } from '../../test/fixtures/recognizedLine.js';
import { reconcileBirth } from './reconcileBirth.js';
import { type FieldLines, readCardFields } from './readCardFields.js';

const codes = (r: { issues: { code: string }[] }) => r.issues.map((i) => i.code);
const cccd = { expiryIsBirthday: true };

describe('reconcileBirth', () => {
  it("takes a doubtful day of birth from the expiry, which is the holder's birthday on a CCCD", () => {
    // "03/02/1987" with its first digit read as 9 (doubtful); the expiry 03/02/2027 read surely
    const r = reconcileBirth({ dateOfBirth: lineOf('93/02/1987', 0.98, [0]), expiryDate: lineOf('03/02/2027') }, cccd);
    expect(r.lines.dateOfBirth?.text).toBe('03/02/1987');
    expect(r.lines.dateOfBirth?.confidence).toBeLessThan(0.98);
    expect(codes(r)).toEqual(['idcard/birth-date-repaired']);
    // and the other way round: the expiry's doubtful month from the date of birth
    const e = reconcileBirth({ dateOfBirth: lineOf('03/02/1987'), expiryDate: lineOf('03/08/2027', 0.98, [4]) }, cccd);
    expect(e.lines.expiryDate?.text).toBe('03/02/2027');
    expect(codes(e)).toEqual(['idcard/expiry-repaired']);
  });

  it('does not use the expiry on a CMND, whose expiry counts from the issue date', () => {
    const r = reconcileBirth(
      { dateOfBirth: lineOf('05/08/1990', 0.98, [1]), expiryDate: lineOf('06/08/2030') },
      { expiryIsBirthday: false },
    );
    expect(r.lines.dateOfBirth?.text).toBe('05/08/1990');
    expect(r.issues).toEqual([]);
  });

  it("settles the birth year with the ID number's digits, whichever read them less surely gives way", () => {
    // ID 0 (male, 1900s) 78 → 1978; the date's year read 1973 with a doubtful last digit
    const dob = reconcileBirth(
      { idNumber: lineOf('040078824388'), dateOfBirth: lineOf('07/04/1973', 0.98, [9]) },
      cccd,
    );
    expect(dob.lines.dateOfBirth?.text).toBe('07/04/1978');
    expect(codes(dob)).toEqual(['idcard/birth-date-repaired']);
    // the ID's birth-year digit doubtful: the ID gives way
    const id = reconcileBirth({ idNumber: lineOf('040073824388', 0.98, [5]), dateOfBirth: lineOf('07/04/1978') }, cccd);
    expect(id.lines.idNumber?.text).toBe('040078824388');
    expect(codes(id)).toEqual(['idcard/id-number-repaired']);
    // an expiry 40 years after 1978 decides against a surer-looking wrong year
    const exp = reconcileBirth(
      { idNumber: lineOf('040078824388', 0.9), dateOfBirth: lineOf('07/04/1973'), expiryDate: lineOf('07/04/2018') },
      cccd,
    );
    expect(exp.lines.dateOfBirth?.text).toBe('07/04/1978');
  });

  it('leaves agreeing fields and unparseable lines alone', () => {
    const lines = {
      idNumber: lineOf('040078824388'),
      dateOfBirth: lineOf('07/04/1978'),
      expiryDate: lineOf('07/04/2018'),
    };
    expect(reconcileBirth(lines, cccd)).toEqual({ lines, issues: [] });
    const short = { idNumber: lineOf('04007882438'), dateOfBirth: lineOf('07/04/197') };
    expect(reconcileBirth(short, cccd).issues).toEqual([]);
  });

  it('lets readCardFields keep an ID number that only disagreed with a misread birth year', () => {
    const raw: FieldLines[] = [
      { field: 'idNumber', format: 'id-number', lines: [lineOf('040078824388')] },
      { field: 'dateOfBirth', format: 'date', lines: [lineOf('07/04/1973', 0.98, [9])] },
      { field: 'sex', format: 'sex', lines: [lineOf('Nam')] },
    ];
    const r = readCardFields(raw, { cardType: 'cccd-2016', today: new Date(Date.UTC(2026, 11, 6)) });
    expect(r.fields.idNumber?.value).toBe('040078824388');
    expect(r.fields.dateOfBirth?.value).toBe('07/04/1978');
    expect(codes(r)).toContain('idcard/birth-date-repaired');
  });
});
