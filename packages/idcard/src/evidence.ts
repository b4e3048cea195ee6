import {
  type CardType as IdentityCardType,
  type CitizenIdentity,
  type DocumentReading,
  type EvidenceVerifiers,
  type Issue,
  issue,
  type ParsedMrz,
  type PartialDate,
  parseMrz,
} from '@smart-citizen/core';
import type { CardFieldName, CardType } from './cardTypes.js';
import { IdCardError } from './errors.js';
import { LOW_CONFIDENCE } from './fields/FieldReading.js';
import type { FieldValue } from './fields/readCardFields.js';
import type { IdCardReader, IdCardReadResult, SideResult } from './IdCardReader.js';

const identityCardType: Record<CardType, IdentityCardType> = {
  'cmnd-9': 'cmnd',
  'cmnd-12': 'cmnd',
  'cccd-2016': 'cccd-2016',
  'cccd-2021': 'cccd-chip-2021',
  'cancuoc-2024': 'can-cuoc-2024',
};

/** Printed text fields and the identity field each fills. */
const textFields: Partial<Record<CardFieldName, keyof CitizenIdentity>> = {
  fullName: 'fullName',
  nationality: 'nationality',
  ethnicity: 'ethnicity',
  religion: 'religion',
  placeOfOrigin: 'placeOfOrigin',
  // Căn cước 2024 prints "Nơi đăng ký khai sinh" where older cards print "Quê quán"
  placeOfBirthRegistration: 'placeOfOrigin',
  placeOfResidence: 'placeOfResidence',
  personalIdentification: 'identifyingMarks',
  issuePlace: 'issuingAuthority',
};

const nonInfo = (issues: readonly Issue[]): Issue[] => issues.filter((i) => i.severity !== 'info');

/**
 * The MRZ as session evidence (source `mrz`): the 12-digit personal number, the name (without
 * diacritics: the session's cross-check takes a folded match as agreement), date of birth, sex,
 * expiry (or no expiry) and nationality. A zone whose check digits fail keeps its fields at
 * confidence 0.3 with the failing checks as issues, so it cannot outvote the other sources.
 */
export function mrzReadingEvidence(mrz: ParsedMrz): DocumentReading {
  const fields: Partial<CitizenIdentity> = {};
  if (mrz.personalNumber && /^\d{12}$/.test(mrz.personalNumber)) fields.idNumber = mrz.personalNumber;
  if (mrz.fullName) fields.fullName = mrz.fullName;
  if (mrz.dateOfBirth) fields.dateOfBirth = mrz.dateOfBirth;
  if (mrz.sex) fields.sex = mrz.sex;
  if (mrz.expiryDate) fields.expiryDate = mrz.expiryDate;
  else if (/^<+$/.test(mrz.expiryDateRaw)) fields.noExpiry = true;
  if (mrz.nationality === 'VNM') fields.nationality = 'Việt Nam';
  return { fields, confidence: mrz.valid ? 1 : 0.3, issues: nonInfo(mrz.issues) };
}

/**
 * The printed fields of the sides read as session evidence (source `ocr`). A field enters only
 * with a value and a confidence of at least {@link LOW_CONFIDENCE}: a field the reader doubts is
 * left out (its `idcard/low-confidence` issue stays), so a misread cannot disagree with the QR or
 * the chip as if it were printed so. The reading's confidence is the lowest of the fields that
 * name the citizen (number, name, date of birth).
 */
export function ocrReadingEvidence(result: IdCardReadResult): DocumentReading {
  const fields: Partial<CitizenIdentity> = {};
  const issues: Issue[] = [];
  const key: number[] = [];
  for (const side of [result.front, result.back]) {
    if (side?.status !== 'read') continue;
    issues.push(...nonInfo(side.issues));
    fields.cardType ??= identityCardType[side.documentType];
    for (const [name, v] of Object.entries(side.fields) as [CardFieldName, FieldValue | undefined][]) {
      if (!v || v.value === undefined || v.confidence < LOW_CONFIDENCE) continue;
      if (name === 'idNumber' || name === 'fullName' || name === 'dateOfBirth') key.push(v.confidence);
      if (name === 'idNumber') {
        if (v.value.length === 9) fields.oldIdNumber = v.value;
        else fields.idNumber = v.value;
      } else if (name === 'sex' && (v.parsed === 'M' || v.parsed === 'F')) fields.sex = v.parsed;
      else if (name === 'dateOfBirth' || name === 'issueDate' || name === 'expiryDate') {
        if (v.parsed === 'none') fields.noExpiry = true;
        else if (typeof v.parsed === 'object') fields[name] = v.parsed as PartialDate;
      } else {
        const target = textFields[name];
        if (target) (fields as Record<string, unknown>)[target] = v.value;
      }
    }
  }
  issues.push(...nonInfo(result.issues));
  return { fields, confidence: key.length ? Math.min(...key) : 0, issues };
}

/**
 * What a photo that could not be read tells the session: one issue per unread side
 * (`idcard/no-card`, `idcard/too-blurred`, …), for `session.addIssue` before `decide()`.
 */
export function idcardProblems(result: IdCardReadResult): Issue[] {
  const out: Issue[] = [];
  for (const [slot, side] of [
    ['front', result.front],
    ['back', result.back],
  ] as const) {
    if (!side || side.status === 'read') continue;
    const first = side.issues[0];
    out.push(
      issue(
        `idcard/${side.status}`,
        'warning',
        `the ${slot} photo could not be read: ${first?.message ?? side.status}`,
        slot,
      ),
    );
  }
  return out;
}

/** A session as far as {@link addIdCardEvidence} uses it (core's `IdentificationSession`). */
export interface IdCardEvidenceSink {
  addEvidence(evidence: { kind: 'document'; source: 'ocr' | 'mrz' } & DocumentReading): void;
  addIssue(problem: Issue): void;
}

/**
 * Desk path: put a card read into an identification session before `decide()` — the printed
 * fields as `ocr` evidence, the MRZ (when a side carries one that parsed) as `mrz` evidence, and
 * every side that could not be read as an issue, so the decision and its audit entry carry them.
 * The session's cross-check then compares the printed fields with the MRZ, the QR and the chip.
 */
export function addIdCardEvidence(session: IdCardEvidenceSink, result: IdCardReadResult): void {
  const read = [result.front, result.back].filter((s): s is Extract<SideResult, { status: 'read' }> => {
    return s?.status === 'read';
  });
  if (read.length > 0) session.addEvidence({ kind: 'document', source: 'ocr', ...ocrReadingEvidence(result) });
  const mrz = read.find((s) => s.mrz)?.mrz;
  if (mrz) session.addEvidence({ kind: 'document', source: 'mrz', ...mrzReadingEvidence(mrz) });
  for (const p of idcardProblems(result)) session.addIssue(p);
}

/** Options of {@link idcardEvidenceVerifiers}. */
export interface IdCardEvidenceOptions {
  /** Reads `RawEvidence.cardImage` (OCR evidence); without one only the `mrz` verifier is returned. */
  reader?: IdCardReader;
  /** Reference date for the MRZ's two-digit years. @default now */
  today?: Date;
}

/**
 * Server path: wire the MRZ parser and the card reader into core's `decideFromRawEvidence` as its
 * `mrz` and `ocr` verifiers. `mrz` re-parses the three lines the client sent (`RawEvidence.mrzText`;
 * text that is not a TD1 zone throws a typed `mrz/*` error, recorded as `evidence/mrz-unreadable`);
 * `ocr` reads the card photo (`RawEvidence.cardImage`) with the reader. A photo without a readable
 * card throws `idcard/unreadable-photo`, naming the reason (no card, cut off, blurred…), which the
 * session records as `evidence/ocr-unreadable`.
 * @example
 * await using reader = await IdCardReader.create({ recognizer: 'builtin' });
 * const verifiers = combineEvidenceVerifiers(qrEvidenceVerifiers(), idcardEvidenceVerifiers({ reader }));
 * const decision = await decideFromRawEvidence({ qrPayload, cardImage }, verifiers, store, { audit });
 */
export function idcardEvidenceVerifiers(
  options: IdCardEvidenceOptions = {},
): Required<Pick<EvidenceVerifiers, 'mrz'>> & Pick<EvidenceVerifiers, 'ocr'> {
  const { reader, today } = options;
  return {
    mrz(text) {
      return mrzReadingEvidence(parseMrz(text, today ? { today } : {}));
    },
    ...(reader
      ? {
          async ocr(image: Uint8Array) {
            const side = await reader.readSide(image);
            if (side.status !== 'read')
              throw new IdCardError('idcard/unreadable-photo', `the card photo could not be read: ${side.status}`, {
                details: { status: side.status },
              });
            return ocrReadingEvidence(side.side === 'back' ? { back: side, issues: [] } : { front: side, issues: [] });
          },
        }
      : {}),
  };
}
