import { describe, expect, it } from 'vitest';
import { cardTypes, checkCitizenIdentity } from './checkCitizenIdentity.js';

describe('checkCitizenIdentity', () => {
  it('keeps well-typed fields, copies dates to {year, month?, day?} and reports the rest in field order', () => {
    const r = checkCitizenIdentity({
      idNumber: '001099012345',
      fullName: 'Nguyễn Văn An',
      dateOfBirth: { year: 1999, month: 2, day: 3, extra: 1 },
      sex: 'X',
      issueDate: { year: 2021, month: 2, day: 31 },
      noExpiry: 'yes',
      oldIdNumber: '12345',
      cardType: 'passport',
      placeOfOrigin: 42,
      shoeSize: 43,
    });
    expect(r.identity).toEqual({
      idNumber: '001099012345',
      fullName: 'Nguyễn Văn An',
      dateOfBirth: { year: 1999, month: 2, day: 3 },
    });
    expect(r.problems.map((p) => `${p.field}:${p.problem}`)).toEqual([
      'oldIdNumber:bad-old-id-number',
      'sex:bad-sex',
      'placeOfOrigin:bad-text',
      'issueDate:bad-date',
      'noExpiry:bad-boolean',
      'cardType:bad-card-type',
    ]);
    expect(r.unknownFields).toEqual(['shoeSize']);
  });

  it('accepts every card type of the list, and null/undefined fields count as absent', () => {
    for (const cardType of cardTypes) expect(checkCitizenIdentity({ cardType }).problems).toEqual([]);
    expect(checkCitizenIdentity({ fullName: null, sex: undefined })).toEqual({
      identity: {},
      problems: [],
      unknownFields: [],
    });
  });
});
