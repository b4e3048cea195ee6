import {
  type CitizenIdentity,
  type PartialDate,
  checkCitizenIdentity,
  citizenIdentityFields,
  comparePartialDates,
  type IdentityFieldProblem,
  toPartialDate,
  validateIdNumber,
} from '@smart-citizen/core';
import { type FormIssue, formIssue } from '../FormIssue.js';
import { FormsError } from '../errors.js';

/** English and Vietnamese reasons for the problems of core's {@link checkCitizenIdentity}. */
const FIELD_PROBLEM_MESSAGES: Record<IdentityFieldProblem, [string, string]> = {
  'bad-date': ['not a valid date', 'ngày không hợp lệ'],
  'bad-sex': ["must be 'M' or 'F'", "phải là 'M' hoặc 'F'"],
  'bad-boolean': ['must be true or false', 'phải là true hoặc false'],
  'bad-card-type': ['unknown card type', 'loại thẻ không xác định'],
  'bad-old-id-number': ['must be 9 or 12 digits', 'phải gồm 9 hoặc 12 chữ số'],
  'bad-text': ['must be text', 'phải là chuỗi ký tự'],
};
/** Longest text accepted from a card field (the longest printed address is about 150 characters). */
const MAX_TEXT = 300;
// Control characters (C0, DEL, C1), bidirectional overrides and isolates: never meaningful on
// a card, and a way to make printed text read differently from the data.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Vietnamese messages for the core ID-number issue codes. */
const ID_MESSAGES_VI: Record<string, string> = {
  'id/malformed': 'Số định danh cá nhân không đúng định dạng 12 chữ số.',
  'id/repeated-digits': 'Số định danh cá nhân lặp lại một chữ số.',
  'id/province-unknown': 'Mã tỉnh trong số định danh cá nhân không có trong bảng mã.',
  'id/century-in-future': 'Mã thế kỷ trong số định danh cá nhân không hợp lệ.',
  'id/birth-year-in-future': 'Năm sinh suy ra từ số định danh cá nhân ở tương lai.',
  'id/serial-zero': 'Sáu chữ số cuối của số định danh cá nhân đều bằng 0.',
  'id/birth-year-mismatch': 'Năm sinh trong số định danh cá nhân khác với ngày sinh trên thẻ.',
  'id/sex-mismatch': 'Giới tính trong số định danh cá nhân khác với giới tính trên thẻ.',
};

/** Result of {@link checkIdentity}. */
export interface IdentityCheck {
  /** The identity with unusable fields removed and text cleaned (control characters, length). */
  identity: CitizenIdentity;
  issues: FormIssue[];
}

/**
 * Check an identity before it fills a form: every field has the right type, dates are real,
 * the ID number agrees with the date of birth and sex, the card dates are in order. Unusable
 * fields are left out (and reported); contradictions are reported and the fields kept, so the
 * citizen can see them. Only a non-object throws.
 *
 * @param input - A {@link CitizenIdentity} (e.g. parsed from JSON).
 * @param today - Today, for dates in the future. @default new Date()
 * @returns The cleaned identity and the issues (`forms/identity-…`, `id/…`).
 * @throws SmartCitizenError `forms/invalid-identity` when `input` is not an object.
 */
export function checkIdentity(input: unknown, today: Date = new Date()): IdentityCheck {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new FormsError('forms/invalid-identity', 'the identity must be an object');
  }
  const checked = checkCitizenIdentity(input);
  const problemOf = new Map(checked.problems.map((p) => [p.field as string, p.problem]));
  const out = checked.identity as Record<string, unknown>;
  const issues: FormIssue[] = [];
  const drop = (field: string, en: string, vi: string) =>
    issues.push(
      formIssue('forms/identity-field-invalid', 'error', { en: `${field}: ${en}`, vi: `${field}: ${vi}` }, field),
    );

  // Issues in field order, as the citizen reads the card.
  for (const field of citizenIdentityFields) {
    const problem = problemOf.get(field);
    if (problem) {
      const [en, vi] = FIELD_PROBLEM_MESSAGES[problem];
      drop(field, en, vi);
      continue;
    }
    const v = out[field];
    if (typeof v !== 'string' || field === 'sex' || field === 'cardType') continue;
    const clean = v.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
    if (clean.length > MAX_TEXT) {
      delete out[field];
      drop(field, `longer than ${MAX_TEXT} characters`, `dài quá ${MAX_TEXT} ký tự`);
    } else if (clean.length > 0) out[field] = clean;
    else delete out[field];
  }
  for (const key of checked.unknownFields) {
    issues.push(
      formIssue(
        'forms/identity-unknown-field',
        'warning',
        {
          en: `unknown identity field '${key.slice(0, 40)}' ignored`,
          vi: `Bỏ qua trường không xác định '${key.slice(0, 40)}'.`,
        },
        key.slice(0, 40),
      ),
    );
  }
  const identity = out as CitizenIdentity;

  if (identity.idNumber !== undefined) {
    const opts: { dateOfBirth?: PartialDate; sex?: 'M' | 'F'; today: Date } = { today };
    if (identity.dateOfBirth) opts.dateOfBirth = identity.dateOfBirth;
    if (identity.sex) opts.sex = identity.sex;
    const v = validateIdNumber(identity.idNumber, opts);
    for (const i of v.issues) {
      const vi = ID_MESSAGES_VI[i.code] ?? 'Số định danh cá nhân có vấn đề.';
      const out: FormIssue = { ...i, messageVi: vi };
      issues.push(out);
    }
    // A number that is not 12 digits is never copied into a form.
    if (!v.parts) delete identity.idNumber;
  }
  const now = toPartialDate(today);
  const order = (a: keyof CitizenIdentity, b: keyof CitizenIdentity, en: string, vi: string) => {
    const x = identity[a] as PartialDate | undefined;
    const y = identity[b] as PartialDate | undefined;
    if (x && y && comparePartialDates(x, y) > 0) {
      issues.push(formIssue('forms/identity-contradiction', 'error', { en, vi }, String(b)));
    }
  };
  order('dateOfBirth', 'issueDate', 'the card was issued before the date of birth', 'Ngày cấp thẻ trước ngày sinh.');
  order('issueDate', 'expiryDate', 'the card expires before it was issued', 'Ngày hết hạn trước ngày cấp thẻ.');
  if (identity.dateOfBirth && comparePartialDates(identity.dateOfBirth, now) > 0) {
    issues.push(
      formIssue(
        'forms/identity-contradiction',
        'error',
        { en: 'the date of birth is in the future', vi: 'Ngày sinh ở tương lai.' },
        'dateOfBirth',
      ),
    );
  }
  if (identity.noExpiry === true && identity.expiryDate) {
    issues.push(
      formIssue(
        'forms/identity-contradiction',
        'warning',
        {
          en: 'the card has both an expiry date and "no expiry"',
          vi: 'Thẻ vừa có ngày hết hạn vừa ghi "không thời hạn".',
        },
        'expiryDate',
      ),
    );
  }
  return { identity, issues };
}
