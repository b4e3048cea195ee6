import { describe, expect, it } from 'vitest';
import { holder } from '../../test/fixtures.js';
import { createFormRegistry } from '../registry/FormRegistry.js';
import { isVnDate, isVnFullDate, isVnName, isVnPersonalId, isVnPhone } from './formats.js';
import { validateFormData } from './validateFormData.js';

const today = new Date('2026-11-29T00:00:00Z');

describe('formats', () => {
  it('accept and refuse what a clerk would', () => {
    expect(isVnDate('29/02/2024')).toBe(true);
    expect(isVnDate('29/02/2023')).toBe(false);
    expect(isVnDate('1999')).toBe(true);
    expect(isVnDate('1999-01-01')).toBe(false);
    expect(isVnFullDate('03/1999')).toBe(false);
    expect(isVnPersonalId('001199012345')).toBe(true);
    expect(isVnPersonalId('00119901234')).toBe(false);
    expect(isVnPhone('0912 345 678')).toBe(true);
    expect(isVnPhone('+84 24 3825 1234')).toBe(true);
    expect(isVnPhone('12345')).toBe(false);
    expect(isVnName('Nguyễn Thị Hằng')).toBe(true);
    expect(isVnName('H\u0027Hen Niê')).toBe(true);
    expect(isVnName('<b>x</b>')).toBe(false);
    expect(isVnName('Nguyen 2')).toBe(false);
  });
});

describe('validateFormData', () => {
  const registry = createFormRegistry();

  it('reports required, format, enum and length problems with Vietnamese and English messages', () => {
    const issues = validateFormData(
      registry.get('ct01'),
      { fullName: 'A'.repeat(101), dateOfBirth: '31/02/1999', sex: 'male', idNumber: '123', email: 'not-an-email' },
      { today },
    );
    const byPath = new Map(issues.map((i) => [`${i.code}@${i.path}`, i]));
    expect(byPath.get('forms/required@recipient')?.messageVi).toBe('Kính gửi: chưa khai (bắt buộc).');
    expect(byPath.get('forms/required@recipient')?.message).toBe('To: required.');
    expect(byPath.get('forms/format@dateOfBirth')?.messageVi).toContain('ngày/tháng/năm');
    expect(byPath.get('forms/enum@sex')?.message).toBe('Sex: must be one of: Nam, Nữ.');
    expect(byPath.get('forms/format@idNumber')?.messageVi).toContain('12 chữ số');
    expect(byPath.get('forms/maxLength@fullName')?.messageVi).toBe(
      'Họ, chữ đệm và tên khai sinh: không được dài quá 100 ký tự.',
    );
    expect(byPath.get('forms/format@email')?.message).toContain('email');
    for (const i of issues) {
      expect(i.messageVi).not.toContain('undefined');
      expect(i.message).not.toContain('AAAA');
    }
  });

  it('checks cross-field dates: not in the future, child after the parents with a gap', () => {
    const form = registry.get('birth-registration');
    const base = {
      recipient: 'UBND',
      requester: { fullName: 'A', residence: 'x', idNumber: '001199012345', relationship: 'Mẹ' },
      child: {
        fullName: 'B',
        dateOfBirth: '01/02/2025',
        dateOfBirthInWords: 'ngày 01 tháng 02 năm 2025',
        sex: 'Nam',
        ethnicity: 'Kinh',
        nationality: 'Việt Nam',
        placeOfBirth: 'Hà Nội',
      },
      mother: { fullName: 'C', dateOfBirth: '1999' },
    };
    expect(validateFormData(form, base, { today })).toEqual([]);
    const future = validateFormData(form, { ...base, child: { ...base.child, dateOfBirth: '01/02/2027' } }, { today });
    expect(future.map((i) => i.code)).toContain('forms/date-in-future');
    const young = validateFormData(form, { ...base, mother: { fullName: 'C', dateOfBirth: '2020' } }, { today });
    expect(young.map((i) => [i.code, i.path])).toContainEqual(['forms/date-order', 'child.dateOfBirth']);
    // A year-only parent date that could still satisfy the gap is not an error.
    const edge = validateFormData(form, { ...base, mother: { fullName: 'C', dateOfBirth: '2015' } }, { today });
    expect(edge.map((i) => i.code)).not.toContain('forms/date-order');
  });

  it('checks conditional requirements', () => {
    const form = registry.get('cc01');
    const issues = validateFormData(
      form,
      { request: { kind: 'Cấp lại' }, maritalStatus: 'Đã kết hôn' },
      { today, reportRequired: false },
    );
    const codes = issues.map((i) => `${i.code}@${i.path}`);
    expect(codes).toContain('forms/required-if@request.reason');
    expect(codes).toContain('forms/required-if@spouse.fullName');
    expect(codes.some((c) => c.startsWith('forms/required@'))).toBe(false);
  });

  it('DC02: an empty request or an unchecked box is refused, with a message in both languages', () => {
    const form = registry.get('dc02');
    const base = {
      recipient: 'Công an phường Ba Đình',
      requester: { ...holder, residence: 'Phường Ba Đình, Thành phố Hà Nội' },
    };
    expect(validateFormData(form, { ...base, request: { card: true } }, { today })).toEqual([]);
    const empty = validateFormData(form, { ...base, request: {} }, { today });
    expect(empty.map((i) => `${i.code}@${i.path}`)).toEqual(['forms/minProperties@request']);
    expect(empty[0]?.messageVi).toContain('cần chọn ít nhất 1 nội dung');
    const unchecked = validateFormData(form, { ...base, request: { card: false } }, { today });
    expect(unchecked.map((i) => i.code)).toContain('forms/const');
  });
});
