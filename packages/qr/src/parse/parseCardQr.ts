import {
  type CardType,
  type CitizenIdentity,
  comparePartialDates,
  type Issue,
  issue,
  type PartialDate,
  parseSex,
  SmartCitizenError,
  safeParseDate,
  toPartialDate,
  validateCmndNumber,
  validateIdNumber,
} from '@smart-citizen/core';
import { detectPayloadKind, type PayloadKind, trimPayload } from './payloadKind.js';

/** Codes of the errors {@link parseCardQr} throws. */
export type CardQrErrorCode = 'qr/empty-payload' | 'qr/not-a-card-payload' | 'qr/truncated-payload';

/** Options of {@link parseCardQr}. */
export interface ParseCardQrOptions {
  /**
   * Today's date, to flag dates in the future.
   * @default new Date()
   */
  today?: Date;
}

/** A parsed CCCD / Căn cước QR payload. */
export interface CardQrData {
  /** The payload as decoded (untouched). */
  raw: string;
  /** The `|`-separated fields after trimming NUL / whitespace, in Unicode NFC. */
  fields: string[];
  /** The identity the payload names. */
  identity: CitizenIdentity;
  /** Non-empty fields after the seventh (2024 cards may carry more). */
  extraFields: string[];
  /** Problems found in the data (ID-number structure, dates, sex, ...). */
  issues: Issue[];
}

/** Outcome of {@link safeParseCardQr}. */
export type SafeParseCardQrResult =
  | { ok: true; value: CardQrData }
  | { ok: false; error: SmartCitizenError<CardQrErrorCode> };

/** Longest payload accepted: a version-40 QR code holds at most 2,953 bytes. */
const MAX_PAYLOAD_CHARS = 4096;
const FIELD_COUNT = 7;
const INVISIBLE = /[\u200B-\u200D\u2060\u00AD\uFEFF\u0000]/g;
const SPACES = /\s+/g;
const DIGITS8_PREFIX = /^\d{0,7}$/;
const HAS_DIGIT = /\d/;
/** The chip CCCD (the first card with a QR code) was first issued on 1 January 2021. */
const CHIP_CARD_START: PartialDate = { year: 2021, month: 1, day: 1 };
/** The Căn cước card replaced the CCCD on 1 July 2024 (Luật Căn cước 2023). */
const CAN_CUOC_START: PartialDate = { year: 2024, month: 7, day: 1 };

function fail(
  code: CardQrErrorCode,
  message: string,
  details: Record<string, unknown>,
): SmartCitizenError<CardQrErrorCode> {
  return new SmartCitizenError(code, message, { pkg: 'qr', details });
}

function cleanField(text: string): string {
  return text.normalize('NFC').replace(INVISIBLE, '').replace(SPACES, ' ').trim();
}

const KIND_MESSAGES: Record<PayloadKind, string> = {
  cccd: 'not a card payload',
  vietqr: 'this is a VietQR payment code, not a citizen card',
  emvco: 'this is an EMVCo payment code, not a citizen card',
  'health-insurance': 'this is a health-insurance (BHYT) card code, not a citizen card',
  url: 'this is a web address, not a citizen card',
  empty: 'the payload is empty',
  unknown: 'the payload is not a CCCD / Căn cước QR payload',
};

function parseDateField(text: string, path: 'dateOfBirth' | 'issueDate', issues: Issue[]): PartialDate | undefined {
  if (text === '') {
    issues.push(issue('qr/date-missing', 'error', `the ${path} field is empty`, path));
    return undefined;
  }
  const r = safeParseDate(text, 'ddmmyyyy');
  if (!r.ok) {
    issues.push(issue(r.error.code, 'error', `the ${path} field is not a DDMMYYYY date`, path));
    return undefined;
  }
  return r.value;
}

function parseFields(raw: string, options: ParseCardQrOptions): SafeParseCardQrResult {
  if (typeof raw !== 'string') {
    return { ok: false, error: fail('qr/not-a-card-payload', 'the payload is not a string', { kind: 'unknown' }) };
  }
  if (raw.length > MAX_PAYLOAD_CHARS) {
    return {
      ok: false,
      error: fail('qr/not-a-card-payload', 'the payload is longer than any card payload', { length: raw.length }),
    };
  }
  const kind = detectPayloadKind(raw);
  const trimmed = trimPayload(raw);
  if (kind === 'empty') return { ok: false, error: fail('qr/empty-payload', KIND_MESSAGES.empty, { kind }) };
  if (kind !== 'cccd') {
    // A lone 12-digit number is the start of a card payload cut short.
    if (/^\d{12}$/.test(trimmed)) {
      return { ok: false, error: fail('qr/truncated-payload', 'the payload ends after the ID number', { fields: 1 }) };
    }
    return { ok: false, error: fail('qr/not-a-card-payload', KIND_MESSAGES[kind], { kind }) };
  }
  const fields = trimmed.split('|').map(cleanField);
  if (fields.length < FIELD_COUNT) {
    return {
      ok: false,
      error: fail('qr/truncated-payload', `a card payload has ${FIELD_COUNT} fields`, { fields: fields.length }),
    };
  }
  const issueDateText = fields[6] ?? '';
  if (fields.length === FIELD_COUNT && DIGITS8_PREFIX.test(issueDateText)) {
    return {
      ok: false,
      error: fail('qr/truncated-payload', 'the payload ends inside the issue date', { fields: fields.length }),
    };
  }
  const [idNumber = '', oldIdNumber = '', fullName = '', dobText = '', sexText = '', address = ''] = fields;
  const today = options.today ?? new Date();
  const issues: Issue[] = [];

  const dateOfBirth = parseDateField(dobText, 'dateOfBirth', issues);
  const issueDate = parseDateField(issueDateText, 'issueDate', issues);
  const sex = parseSex(sexText);
  if (sex === undefined) issues.push(issue('qr/sex-unrecognised', 'error', 'the sex field is not Nam or Nữ', 'sex'));

  const idCheck = validateIdNumber(idNumber, {
    today,
    ...(dateOfBirth ? { dateOfBirth } : {}),
    ...(sex ? { sex } : {}),
  });
  issues.push(...idCheck.issues);
  if (oldIdNumber !== '') issues.push(...validateCmndNumber(oldIdNumber, { today }).issues);

  if (fullName === '') issues.push(issue('qr/name-missing', 'error', 'the name field is empty', 'fullName'));
  else if (HAS_DIGIT.test(fullName)) {
    issues.push(issue('qr/name-has-digits', 'warning', 'the name contains digits', 'fullName'));
  }
  if (address === '') {
    issues.push(issue('qr/address-missing', 'warning', 'the residence field is empty', 'placeOfResidence'));
  }

  const now = toPartialDate(today);
  if (dateOfBirth && comparePartialDates(dateOfBirth, now) > 0) {
    issues.push(issue('qr/birth-date-in-future', 'error', 'the date of birth is in the future', 'dateOfBirth'));
  }
  if (issueDate) {
    if (comparePartialDates(issueDate, now) > 0) {
      issues.push(issue('qr/issue-date-in-future', 'error', 'the issue date is in the future', 'issueDate'));
    }
    if (dateOfBirth && comparePartialDates(issueDate, dateOfBirth) < 0) {
      issues.push(issue('qr/issue-before-birth', 'error', 'the card was issued before the date of birth', 'issueDate'));
    }
    if (comparePartialDates(issueDate, CHIP_CARD_START) < 0) {
      issues.push(
        issue('qr/issue-date-before-chip-cards', 'warning', 'QR cards were first issued in 2021', 'issueDate'),
      );
    }
  }

  let cardType: CardType = 'unknown';
  if (issueDate) cardType = comparePartialDates(issueDate, CAN_CUOC_START) >= 0 ? 'can-cuoc-2024' : 'cccd-chip-2021';
  const identity: CitizenIdentity = {
    idNumber,
    ...(oldIdNumber !== '' ? { oldIdNumber } : {}),
    ...(fullName !== '' ? { fullName } : {}),
    ...(dateOfBirth ? { dateOfBirth } : {}),
    ...(sex ? { sex } : {}),
    ...(address !== '' ? { placeOfResidence: address } : {}),
    ...(issueDate ? { issueDate } : {}),
    cardType,
  };
  const extraFields = fields.slice(FIELD_COUNT).filter((f) => f !== '');
  if (extraFields.length > 0) {
    issues.push(issue('qr/extra-fields', 'info', `the payload carries ${extraFields.length} extra field(s)`));
  }
  return { ok: true, value: { raw, fields, identity, extraFields, issues } };
}

/**
 * Parse the payload of the QR code on a chip CCCD (front, 2021) or a Căn cước card (back,
 * 2024): UTF-8 text separated by `|`,
 * `ID12|oldCMND|Full Name|DDMMYYYY|Nam/Nữ|address|DDMMYYYY(issue)`. The old CMND field may
 * be empty, further fields may follow, and NUL / whitespace padding is ignored. The data is
 * checked with core's rules (ID-number structure, dates, sex against the century digit,
 * birth year against the number); problems come back as issues.
 *
 * @param text - The decoded payload.
 * @param options - {@link ParseCardQrOptions}.
 * @returns The {@link CardQrData}.
 * @throws SmartCitizenError `qr/empty-payload`, `qr/not-a-card-payload` (a payment code, a
 *   health-insurance code, a URL, other text; `details.kind` says which) or
 *   `qr/truncated-payload` (fewer than seven fields, or cut inside the issue date).
 * @example
 * ```ts
 * const { identity, issues } = parseCardQr('001099012345|123456789|Nguyễn Văn An|01011999|Nam|Số 1 Láng Hạ, Đống Đa, Hà Nội|15072021');
 * identity.fullName; // 'Nguyễn Văn An'
 * ```
 */
export function parseCardQr(text: string, options: ParseCardQrOptions = {}): CardQrData {
  const r = parseFields(text, options);
  if (!r.ok) throw r.error;
  return r.value;
}

/**
 * {@link parseCardQr} that returns a result instead of throwing.
 *
 * @param text - The decoded payload.
 * @param options - {@link ParseCardQrOptions}.
 * @returns `{ ok: true, value }` or `{ ok: false, error }` with the typed error.
 */
export function safeParseCardQr(text: string, options: ParseCardQrOptions = {}): SafeParseCardQrResult {
  return parseFields(text, options);
}
