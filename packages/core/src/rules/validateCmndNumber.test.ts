import { describe, expect, it } from 'vitest';
import { validateCmndNumber } from './validateCmndNumber.js';

const today = new Date('2026-11-29');

describe('validateCmndNumber', () => {
  it('accepts a 9-digit CMND', () => {
    expect(validateCmndNumber('012345678')).toEqual({ number: '012345678', kind: 'cmnd-9', issues: [] });
    expect(validateCmndNumber(' 012 345 678 ').number).toBe('012345678');
  });

  it('flags a 9-digit number that repeats one digit', () => {
    expect(validateCmndNumber('000000000').issues.map((i) => i.code)).toEqual(['cmnd/repeated-digits']);
  });

  it('checks a 12-digit CMND like an identification number, with the oldIdNumber path', () => {
    const r = validateCmndNumber('079185001234', { dateOfBirth: { year: 1985 }, sex: 'F', today });
    expect(r.kind).toBe('cmnd-12');
    expect(r.parts?.provinceName).toBe('Hồ Chí Minh');
    expect(r.issues).toEqual([]);
    const bad = validateCmndNumber('003085001234', { sex: 'F', today });
    expect(bad.issues.map((i) => [i.code, i.path])).toEqual([
      ['id/province-unknown', 'oldIdNumber'],
      ['id/sex-mismatch', 'sex'],
    ]);
  });

  it.each(['', '12345678', '1234567890', '12345678901', '1234567890123', '01234567a', 'CMND 012345678'])(
    'reports %j as malformed',
    (text) => {
      const r = validateCmndNumber(text);
      expect(r.number).toBeUndefined();
      expect(r.kind).toBeUndefined();
      expect(r.issues.map((i) => i.code)).toEqual(['cmnd/malformed']);
    },
  );
});
