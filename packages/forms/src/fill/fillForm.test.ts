import type { CitizenIdentity } from '@smart-citizen/core';
import { isSmartCitizenError } from '@smart-citizen/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AddressNormalizer } from '../address/AddressNormalizer.js';
import { createFormRegistry } from '../registry/FormRegistry.js';
import { birthRegistrationAnswers, holder, holderWithNationality } from '../../test/fixtures.js';
import { type FormAnswers, fillForm } from './fillForm.js';

const identity: CitizenIdentity = {
  idNumber: '001199012345',
  fullName: 'nguyễn thị thuý hằng',
  dateOfBirth: { year: 1999, month: 3, day: 14 },
  sex: 'F',
  nationality: 'Việt Nam',
  ethnicity: 'Kinh',
  religion: 'Không',
  placeOfOrigin: 'Xã Tân Phú, Huyện Đồng Phú, Tỉnh Bình Phước',
  placeOfResidence: 'Số 15 ngõ 34 phố Quán Thánh, Phường Quán Thánh, Quận Ba Đình, Thành phố Hà Nội',
  issueDate: { year: 2021, month: 7, day: 20 },
  issuingAuthority: 'Cục Cảnh sát quản lý hành chính về trật tự xã hội',
  motherName: 'Trần Thị Lan',
  spouseName: 'Lê Văn Nam',
  cardType: 'cccd-chip-2021',
};
const today = new Date('2026-11-29T00:00:00Z');

describe('fillForm', () => {
  const registry = createFormRegistry();
  let addressNormalizer: AddressNormalizer;
  beforeAll(async () => {
    addressNormalizer = await AddressNormalizer.create();
  });
  const opts = () => ({ registry, addressNormalizer, today });
  /** Fills a form for the card holder, with her answers if any. */
  const fill = (formId: string, answers?: FormAnswers) =>
    fillForm(formId, answers === undefined ? { identity } : { identity, answers }, opts());

  it('fills CT01 from the card: upper-case name with diacritics, dd/mm/yyyy, sex in Vietnamese', async () => {
    const r = await fill('ct01');
    expect(r.data).toEqual(holder);
    // Never invents: what the card does not say is missing, not guessed.
    expect(r.missing.map((m) => m.path)).toEqual(['recipient', 'request']);
    expect(r.missing.every((m) => m.expectedFrom === 'citizen')).toBe(true);
    expect(r.issues).toEqual([]);
    expect(r.complete).toBe(false);
  });

  it('takes the answers, completes the form, and flags an answer that contradicts the card', async () => {
    const r = await fill('ct01', {
      recipient: 'Công an phường Ba Đình',
      request: 'Đăng ký thường trú',
      'householdHead.fullName': 'trần thị lan',
      sex: 'Nam',
    });
    expect(r.data.householdHead).toEqual({ fullName: 'TRẦN THỊ LAN' });
    expect(r.data.sex).toBe('Nam');
    expect(r.issues.map((i) => [i.code, i.path])).toContainEqual(['forms/answer-differs-from-card', 'sex']);
    expect(r.missing).toEqual([]);
  });

  it('reports answers that are not fields and never copies them', async () => {
    const r = await fillForm(
      'ct01',
      { answers: { bogus: 1, __proto__: { polluted: true } } as Record<string, unknown> },
      opts(),
    );
    expect(r.issues.map((i) => i.code)).toContain('forms/unknown-answer');
    expect(r.data).not.toHaveProperty('bogus');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('CC01: moves the old address to the current units and keeps the old one', async () => {
    const r = await fill('cc01');
    expect(r.data.permanentResidence).toEqual({
      line: 'Số 15 ngõ 34 phố Quán Thánh, Phường Ba Đình, Thành phố Hà Nội',
      houseNumber: 'Số 15',
      street: 'ngõ 34 phố Quán Thánh',
      ward: 'Phường Ba Đình',
      province: 'Thành phố Hà Nội',
      previous: {
        line: 'Số 15 ngõ 34 phố Quán Thánh, Phường Quán Thánh, Quận Ba Đình, Thành phố Hà Nội',
        ward: 'Phường Quán Thánh',
        district: 'Quận Ba Đình',
        province: 'Thành phố Hà Nội',
      },
    });
    expect(r.issues.map((i) => i.code)).toContain('forms/address-updated');
    // A CCCD carries "Quê quán", not "Nơi đăng ký khai sinh": the latter is left to the citizen.
    expect(r.data.placeOfOrigin).toBe('Xã Tân Phú, Huyện Đồng Phú, Tỉnh Bình Phước');
    expect(r.data.birthRegistrationPlace).toBeUndefined();
    expect(r.missing.map((m) => m.path)).toContain('birthRegistrationPlace');
    expect(r.data.mother).toEqual({ fullName: 'TRẦN THỊ LAN' });
    expect(r.data.previousCard).toEqual({
      document:
        'Căn cước công dân số 001199012345, cấp ngày 20/07/2021, nơi cấp: Cục Cảnh sát quản lý hành chính về trật tự xã hội',
    });
  });

  it('does not guess the card type: without it the number is named for what it is', async () => {
    const { cardType: _omit, ...noType } = identity;
    const r = await fillForm('cc01', { identity: noType }, opts());
    expect(r.data.previousCard).toEqual({ document: 'Số định danh cá nhân 001199012345' });
    // Quê quán vs nơi đăng ký khai sinh depends on the card type: neither is filled.
    expect(r.data.placeOfOrigin).toBeUndefined();
    expect(r.data.birthRegistrationPlace).toBeUndefined();
    // The 2025 business-household form asks for the personal identification number, not the card.
    const b = await fillForm('business-household', { identity: noType }, opts());
    expect((b.data.owner as Record<string, unknown>).idNumber).toBe('001199012345');
    expect(b.data.owner).not.toHaveProperty('document');
  });

  it('keeps the address as written when normalisation is turned off', async () => {
    const r = await fillForm('cc01', { identity }, { ...opts(), addressNormalizer: false });
    expect((r.data.permanentResidence as { ward: string }).ward).toBe('Phường Quán Thánh');
    expect(r.issues.map((i) => i.code)).not.toContain('forms/address-updated');
  });

  it('DC02 (Thông tư 17/2024): the card fills the requester, the request itself is left to the citizen', async () => {
    const r = await fill('dc02');
    expect(r.data.requester).toEqual({
      ...holder,
      residence: 'Số 15 ngõ 34 phố Quán Thánh, Phường Ba Đình, Thành phố Hà Nội',
    });
    // What the citizen asks for, the office and a representative are never taken from the card.
    expect(r.data.request).toBeUndefined();
    expect(r.data.representative).toBeUndefined();
    expect(r.missing.map((m) => [m.path, m.expectedFrom])).toEqual(
      expect.arrayContaining([
        ['recipient', 'citizen'],
        ['request', 'citizen'],
      ]),
    );
    // The request group is named in both languages, not by its data path.
    expect(r.missing.find((m) => m.path === 'request')?.label).toEqual({
      vi: 'Nội dung đề nghị (chọn ít nhất một)',
      en: 'Request (tick at least one)',
    });
    expect(r.complete).toBe(false);

    const done = await fill('dc02', {
      recipient: 'Công an phường Ba Đình',
      request: { card: true },
      details: 'Cấp đổi thẻ căn cước do thẻ hết hạn',
    });
    expect(done.complete).toBe(true);
    // Ticking nothing is not a request: at least one of the nine contents must be chosen.
    const none = await fill('dc02', { recipient: 'Công an phường Ba Đình', request: {} });
    expect(none.complete).toBe(false);
  });

  it('birth registration: the mother is the card holder, the date is also written in words', async () => {
    const r = await fill('birth-registration', {
      ...birthRegistrationAnswers,
      child: { ...birthRegistrationAnswers.child, sex: 'nam' },
    });
    expect(r.data.child).toMatchObject({
      fullName: 'LÊ MINH AN',
      dateOfBirthInWords: 'ngày 01 tháng 02 năm 2025',
      sex: 'Nam',
    });
    // TT 04/2024: the parents' full date of birth when known (footnote 5), the requester's date of birth.
    expect(r.data.mother).toMatchObject({
      fullName: 'NGUYỄN THỊ THÚY HẰNG',
      dateOfBirth: '14/03/1999',
      idNumber: '001199012345',
    });
    expect(r.data.requester).toMatchObject({ fullName: 'NGUYỄN THỊ THÚY HẰNG', dateOfBirth: '14/03/1999' });
    // The mother's spouse (chip) is not assumed to be the child's father: that is the citizen's answer.
    expect(r.data.father).toBeUndefined();
    expect(r.complete).toBe(true);
  });

  it("birth registration (TT 04/2024): the parents' marriage certificate is the citizen's answer, its date not in the future", async () => {
    const answers = {
      ...birthRegistrationAnswers,
      parentsMarriage: {
        number: '125',
        book: '01/2023',
        date: '20/05/2023',
        place: 'Ủy ban nhân dân phường Quán Thánh',
      },
    };
    const r = await fill('birth-registration', answers);
    expect(r.data.parentsMarriage).toEqual(answers.parentsMarriage);
    expect(r.complete).toBe(true);
    const later = await fill('birth-registration', {
      ...answers,
      parentsMarriage: { ...answers.parentsMarriage, date: '01/01/2027' },
    });
    expect(later.issues.find((i) => i.code === 'forms/date-in-future')?.path).toBe('parentsMarriage.date');
    // Without an answer nothing is guessed from the chip's spouse name.
    const none = await fill('birth-registration', { requester: { relationship: 'Mẹ' } });
    expect(none.data.parentsMarriage).toBeUndefined();
  });

  it("marital status (re-checked against TT 04/2024): the requester's date of birth comes from the card", async () => {
    const r = await fill('marital-status', {
      recipient: 'Ủy ban nhân dân phường Ba Đình',
      requester: { relationship: 'Bản thân' },
      maritalStatus: 'Hiện tại chưa đăng ký kết hôn với ai',
      purpose: 'Đăng ký kết hôn',
    });
    expect(r.data.requester).toMatchObject({
      fullName: 'NGUYỄN THỊ THÚY HẰNG',
      dateOfBirth: '14/03/1999',
      idNumber: '001199012345',
    });
    expect(r.complete).toBe(true);
    const future = await fillForm(
      'marital-status',
      { answers: { requester: { fullName: 'Trần Văn B', dateOfBirth: '01/01/2030' } } },
      opts(),
    );
    expect(future.issues.find((i) => i.code === 'forms/date-in-future')?.path).toBe('requester.dateOfBirth');
  });

  it('birth registration: a child born before the mother is an error in Vietnamese and English', async () => {
    const r = await fill('birth-registration', {
      requester: { relationship: 'mẹ' },
      child: { dateOfBirth: '01/02/1990' },
    });
    const order = r.issues.find((i) => i.code === 'forms/date-order');
    expect(order?.path).toBe('child.dateOfBirth');
    expect(order?.messageVi).toContain('người mẹ');
    expect(order?.message).toContain('mother');
    expect(r.complete).toBe(false);
  });

  it('business household (Mẫu số 1, TT 68/2025): owner from the card in two-level units, capital in words', async () => {
    const r = await fill('business-household', {
      business: {
        name: 'Hộ kinh doanh Hằng Nguyễn',
        capital: 150_000_000,
        address: 'Số 8 phố Hàng Bạc, Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội',
      },
    });
    const owner = r.data.owner as Record<string, unknown>;
    expect(owner).toMatchObject(holderWithNationality);
    // Nơi thường trú: moved to the units in force since 1 July 2025 (no district), old line kept.
    const permanent = owner.permanentAddress as Record<string, unknown>;
    expect(permanent).toMatchObject({ ward: 'Phường Ba Đình', province: 'Thành phố Hà Nội' });
    expect(permanent.district).toBeUndefined();
    expect((permanent.previous as { line: string }).line).toContain('Quận Ba Đình');
    // The 2023 items are gone: no card type/issue date/issuer, no "Địa chỉ liên lạc", no "tư cách".
    expect(owner).not.toHaveProperty('document');
    expect(r.data).not.toHaveProperty('role');
    const business = r.data.business as Record<string, unknown>;
    expect(business.name).toBe('HỘ KINH DOANH HẰNG NGUYỄN');
    expect(business.capitalInWords).toBe('Một trăm năm mươi triệu đồng');
    expect(business.address).toMatchObject({
      houseNumber: 'Số 8',
      street: 'phố Hàng Bạc',
      ward: 'Phường Hoàn Kiếm',
      province: 'Thành phố Hà Nội',
    });
    // What only the citizen can say is listed, not guessed.
    expect(r.missing.map((m) => m.path)).toEqual(
      expect.arrayContaining(['recipient', 'business.activities', 'business.vatMethod', 'founder']),
    );
    expect(r.missing.find((m) => m.path === 'business.vatMethod')?.expectedFrom).toBe('citizen');
    expect(r.complete).toBe(false);
  });

  it('business household: members are required when the household members found it, and the start date is checked', async () => {
    const answers = {
      recipient: 'Phòng Kinh tế phường Hoàn Kiếm',
      business: {
        name: 'Hộ kinh doanh Hằng Nguyễn',
        address: 'Số 8 phố Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội',
        activities: [{ name: 'Bán lẻ hàng may mặc', code: '4771', main: true }],
        capital: 150_000_000,
        vatMethod: 'Phương pháp khoán',
        startDate: '01/01/2026',
      },
      founder: 'Các thành viên hộ gia đình',
    };
    const r = await fill('business-household', answers);
    expect(r.issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.path])).toEqual([
      ['forms/required-if', 'members'],
    ]);
    const member = {
      ...holderWithNationality,
      permanentAddress: 'Số 15 ngõ 34 phố Quán Thánh, Phường Ba Đình, Thành phố Hà Nội',
    };
    const ok = await fill('business-household', { ...answers, members: [member] });
    expect(ok.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(ok.complete).toBe(true);
    const early = await fill('business-household', {
      ...answers,
      founder: 'Cá nhân',
      business: { ...answers.business, startDate: '01/01/2015' },
    });
    expect(early.issues.find((i) => i.code === 'forms/date-order')?.path).toBe('business.startDate');
    const badMethod = await fill('business-household', {
      ...answers,
      founder: 'Cá nhân',
      business: { ...answers.business, vatMethod: 'Khoán' },
    });
    expect(badMethod.issues.find((i) => i.code === 'forms/enum')?.path).toBe('business.vatMethod');
    // A main activity's code is the 4-digit code of the Vietnamese classification.
    const badCode = await fill('business-household', {
      ...answers,
      founder: 'Cá nhân',
      business: { ...answers.business, activities: [{ name: 'Bán lẻ', code: '47711' }] },
    });
    expect(badCode.issues.map((i) => i.code)).toContain('forms/pattern');
  });

  it('reports an identity whose ID number contradicts its sex and birth year', async () => {
    const r = await fillForm('ct01', { identity: { ...identity, sex: 'M', dateOfBirth: { year: 1985 } } }, opts());
    const codes = r.issues.map((i) => i.code);
    expect(codes).toContain('id/sex-mismatch');
    expect(codes).toContain('id/birth-year-mismatch');
    expect(r.issues.every((i) => i.messageVi.length > 0)).toBe(true);
  });

  it('drops unusable identity fields with typed issues, and never copies a malformed ID number', async () => {
    const r = await fillForm(
      'ct01',
      {
        identity: {
          idNumber: '12345',
          fullName: 42,
          dateOfBirth: { year: 1999, month: 13 },
          sex: 'X',
        } as unknown as CitizenIdentity,
      },
      opts(),
    );
    expect(r.data).toEqual({});
    expect(
      r.issues
        .filter((i) => i.code === 'forms/identity-field-invalid')
        .map((i) => i.path)
        .sort(),
    ).toEqual(['dateOfBirth', 'fullName', 'sex']);
    expect(r.issues.map((i) => i.code)).toContain('id/malformed');
    expect(r.missing.map((m) => m.path)).toContain('idNumber');
  });

  it('reports card dates out of order', async () => {
    const r = await fillForm('ct01', { identity: { ...identity, issueDate: { year: 1990 } } }, opts());
    expect(r.issues.map((i) => i.code)).toContain('forms/identity-contradiction');
  });

  it('keeps a hostile name as text and flags it by format, in both languages', async () => {
    const name = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const r = await fillForm('ct01', { identity: { ...identity, fullName: name } }, opts());
    expect(r.data.fullName).toBe(name.toUpperCase());
    const f = r.issues.find((i) => i.code === 'forms/format' && i.path === 'fullName');
    expect(f?.messageVi).toContain('Họ, chữ đệm và tên');
    expect(f?.message).toContain('Full name');
  });

  it('throws typed errors for an unknown form and for inputs that are not objects', async () => {
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: unknown) => (isSmartCitizenError(e) ? e.code : 'untyped'),
      );
    expect(await code(fillForm('no-such-form', {}, opts()))).toBe('forms/unknown-form');
    expect(await code(fillForm('ct01', { identity: 'x' as unknown as CitizenIdentity }, opts()))).toBe(
      'forms/invalid-identity',
    );
    expect(await code(fillForm('ct01', { answers: [] as unknown as Record<string, unknown> }, opts()))).toBe(
      'forms/invalid-answers',
    );
  });

  it('never throws an untyped error on random identities and answers (fuzz)', async () => {
    let seed = 99;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const values: unknown[] = [
      null,
      0,
      -1,
      1e308,
      '',
      ' ',
      'Nguyễn',
      '<script>x</script>',
      '\u202e\u0000',
      '31/02/2020',
      '01/01/1999',
      '079080001234',
      { year: 1999 },
      { year: 1999, month: 2, day: 30 },
      [],
      [1, 2],
      { line: 'Phường 1, Quận 1, TP.HCM' },
      'M',
      'F',
      true,
    ];
    const pick = () => values[Math.floor(rand() * values.length)];
    const fieldNames = [
      'idNumber',
      'fullName',
      'dateOfBirth',
      'sex',
      'placeOfResidence',
      'issueDate',
      'cardType',
      'spouseName',
      'x',
    ];
    const answerPaths = [
      'recipient',
      'fullName',
      'child.dateOfBirth',
      'requester.relationship',
      'business.capital',
      'members',
      'permanentResidence',
      'a.b.c',
    ];
    const forms = ['ct01', 'birth-registration', 'marital-status', 'dc02', 'cc01', 'business-household'];
    for (let i = 0; i < 300; i++) {
      const identity: Record<string, unknown> = {};
      const answers: Record<string, unknown> = {};
      for (const f of fieldNames) if (rand() < 0.5) identity[f] = pick();
      for (const p of answerPaths) if (rand() < 0.4) answers[p] = pick();
      const r = await fillForm(forms[i % forms.length]!, { identity: identity as CitizenIdentity, answers }, opts());
      expect(Array.isArray(r.issues)).toBe(true);
      expect(typeof r.complete).toBe('boolean');
    }
  });
});
