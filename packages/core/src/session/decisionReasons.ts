import type { IssueSeverity } from '../errors/index.js';

/** One row of {@link decisionReasons}: a code a decision can carry and what it means. */
export interface DecisionReason {
  /** The issue code. */
  code: string;
  /**
   * The severities the code is emitted with; the first is the usual one. Where there are two, the
   * choice is made from data, never from the message: e.g. `store/not-found` is an error only under
   * `onNotFound: 'rejected'`, a cross-check disagreement is a warning when a source that is not
   * machine-read (OCR, typed) is involved.
   */
  severities: readonly IssueSeverity[];
  /** Which part emits it. */
  from: 'session' | 'cross-check' | 'record' | 'id-rules' | 'raw-evidence' | 'qr' | 'mrz' | 'chip' | 'idcard';
  /** What it means, for people. */
  meaning: string;
}

const reason = (
  code: string,
  from: DecisionReason['from'],
  meaning: string,
  ...severities: [IssueSeverity, ...IssueSeverity[]]
): DecisionReason => ({ code, severities, from, meaning });

/** The same comparison codes, between documents (`crosscheck/…`) and against the record (`store/…`). */
function comparisonReasons(prefix: 'crosscheck' | 'store'): DecisionReason[] {
  const from = prefix === 'crosscheck' ? 'cross-check' : 'record';
  const where = prefix === 'crosscheck' ? 'between two documents' : 'between the documents and the record';
  // Between documents an error softens to a warning when a source read by OCR or typed is involved.
  const hard: [IssueSeverity, ...IssueSeverity[]] = prefix === 'crosscheck' ? ['error', 'warning'] : ['error'];
  return [
    reason(`${prefix}/number-mismatch`, from, `an ID or CMND number differs ${where}`, ...hard),
    reason(`${prefix}/date-invalid`, from, `a date is not a valid date ${where}`, ...hard),
    reason(`${prefix}/date-mismatch`, from, `a date differs ${where}`, ...hard),
    reason(`${prefix}/sex-mismatch`, from, `sex differs ${where}`, ...hard),
    reason(
      `${prefix}/text-mismatch`,
      from,
      `a name (error) or other text (warning) differs ${where}`,
      'error',
      'warning',
    ),
    reason(`${prefix}/text-near-match`, from, `text nearly matches ${where}`, 'warning'),
    reason(`${prefix}/diacritics-differ`, from, `text differs only in diacritics ${where}`, 'warning'),
    reason(`${prefix}/field-mismatch`, from, `the no-expiry flag or the card type differs ${where}`, 'warning'),
  ];
}

const requirementReasons = [
  'document',
  'in-store',
  'face-match',
  'liveness',
  'fingerprint-match',
  'chip-authenticated',
  'fingerprint-match-or-chip-authenticated',
].map((name) =>
  reason(
    `requirement/${name}-missing`,
    'session',
    `the requested level needs ${name.split('-or-').join(' or ')}; a custom policy group names its code the same way`,
    'warning',
  ),
);

/** Codes of the chip reader and its authentication (`@smart-citizen/chip`, through `chipReadingEvidence`). */
const chipReasons: DecisionReason[] = [
  reason(
    'chip/clone-suspected',
    'chip',
    'the issuer signed the data groups but the chip failed chip or active authentication: a cloned chip',
    'error',
  ),
  reason(
    'chip/dg-hash-mismatch',
    'chip',
    'a data group does not match its hash in the SOD: the data was altered',
    'error',
  ),
  reason('chip/dg-not-in-sod', 'chip', 'a data group read is not listed in the SOD', 'error'),
  reason('chip/no-data-groups', 'chip', 'no data group was given to check against the SOD', 'error'),
  reason('chip/no-sod', 'chip', 'the SOD (the issuer signature over the data groups) was not read', 'error'),
  reason('chip/sod-malformed', 'chip', 'the SOD cannot be parsed', 'error'),
  reason('chip/sod-unsupported-hash', 'chip', 'the SOD uses a hash algorithm the reader does not implement', 'error'),
  reason('chip/sod-bad-certificate', 'chip', 'a certificate in the SOD cannot be parsed', 'warning'),
  reason('chip/sod-no-signer', 'chip', 'the SOD carries no document signer certificate matching its signer', 'error'),
  reason('chip/sod-message-digest', 'chip', 'the SOD messageDigest attribute does not match its content', 'error'),
  reason('chip/sod-content-type', 'chip', 'the SOD contentType attribute is not the LDS security object', 'error'),
  reason(
    'chip/sod-bad-signature',
    'chip',
    'the SOD signature does not verify with its document signer certificate',
    'error',
  ),
  reason('chip/sod-unsupported-signature', 'chip', 'the SOD signature algorithm is not implemented', 'error'),
  reason(
    'chip/ds-outside-validity',
    'chip',
    'the document signer certificate is outside its validity period',
    'warning',
  ),
  reason(
    'chip/no-trust-anchor',
    'chip',
    'no CSCA was given: the SOD signer is not tied to the issuing state',
    'warning',
  ),
  reason('chip/csca-bad-certificate', 'chip', 'a CSCA certificate of the trust list cannot be parsed', 'warning'),
  reason('chip/unknown-csca', 'chip', 'the document signer was not issued by any trusted CSCA', 'error'),
  reason('chip/ds-bad-signature', 'chip', 'the document signer certificate does not verify with its CSCA', 'error'),
  reason(
    'chip/ds-unsupported-signature',
    'chip',
    'the document signer certificate signature algorithm is not implemented',
    'error',
  ),
  reason('chip/ca-failed', 'chip', 'chip authentication failed: the chip does not hold the DG14 private key', 'error'),
  reason('chip/ca-not-available', 'chip', 'DG14 offers no chip authentication this reader runs', 'info'),
  reason('chip/ca-unsupported-key', 'chip', 'the DG14 chip authentication key type is not implemented', 'warning'),
  reason('chip/aa-bad-key', 'chip', 'the DG15 active authentication key cannot be parsed', 'error'),
  reason('chip/aa-unsupported-key', 'chip', 'the DG15 active authentication key type is not implemented', 'warning'),
  reason('chip/aa-refused', 'chip', 'the chip refused active authentication', 'error'),
  reason(
    'chip/aa-bad-signature',
    'chip',
    'the active authentication signature does not verify with the DG15 key',
    'error',
  ),
  reason(
    'chip/aa-no-algorithm',
    'chip',
    'DG15 holds an EC key but DG14 names no active authentication algorithm',
    'error',
  ),
  reason('chip/malformed-file', 'chip', 'a file read from the chip is malformed', 'error'),
  reason('chip/no-card-access', 'chip', 'EF.CardAccess is absent or unusable, so PACE is not offered', 'info'),
  reason('chip/pace-fallback-bac', 'chip', 'PACE failed and the chip was read with BAC', 'warning'),
  reason(
    'chip/file-absent',
    'chip',
    'a file could not be read (absent, or refused under the access protocol used)',
    'info',
    'warning',
  ),
  reason('chip/dg1-mrz-invalid', 'chip', 'the MRZ in DG1 fails a check digit or field rule', 'error'),
  reason('chip/dg1-not-td1', 'chip', 'DG1 is not a TD1 zone the MRZ parser reads', 'warning'),
  reason('chip/dg1-dg13-mismatch', 'chip', 'the personal number in DG1 differs from the ID number in DG13', 'error'),
  reason('chip/dg13-no-id-number', 'chip', 'DG13 holds no ID number', 'error'),
  reason('chip/dg13-bad-id-number', 'chip', 'the DG13 ID number is not 12 digits', 'error'),
  reason('chip/dg13-bad-date', 'chip', 'a DG13 date is not a dd/mm/yyyy calendar date', 'error'),
  reason('chip/dg13-bad-sex', 'chip', 'the DG13 sex is not Nam or Nữ', 'error'),
  reason('chip/dg13-duplicate-id', 'chip', 'a DG13 entry id appears more than once (the last is used)', 'warning'),
  reason(
    'chip/dg13-unknown-id',
    'chip',
    'DG13 holds an entry id the reader does not know (kept as a raw entry)',
    'info',
  ),
];

/** What `@smart-citizen/idcard` reports about a card photo and its printed fields (OCR and MRZ evidence). */
const idcardReasons: DecisionReason[] = [
  ...(
    [
      ['bad-image', 'the card photo cannot be decoded'],
      ['image-too-large', 'the card photo has too many pixels'],
      ['no-card', 'no card outline was found in the photo'],
      ['card-cut-off', 'the card runs off the edge of the photo'],
      ['too-small', 'the card is too small in the photo'],
      ['too-blurred', 'the card is too blurred to read'],
      ['unknown-card', 'the photo does not show a known Vietnamese ID card'],
    ] as const
  ).map(([c, m]) => reason(`idcard/${c}`, 'idcard', m, 'error', 'warning')),
  reason('idcard/type-uncertain', 'idcard', 'another card type scores almost as well', 'warning'),
  reason('idcard/type-mismatch', 'idcard', 'the front and the back are of different card types', 'error'),
  reason('idcard/side-mismatch', 'idcard', 'a photo shows the other side than the one it was given as', 'warning'),
  reason('idcard/glare', 'idcard', 'glare lies over a printed field', 'warning'),
  reason('idcard/low-confidence', 'idcard', 'a printed field was read with low confidence', 'warning'),
  reason('idcard/field-unreadable', 'idcard', 'nothing was read in a printed field', 'error'),
  reason('idcard/mrz-unreadable', 'idcard', 'the MRZ printed on the card could not be parsed', 'error'),
  reason('idcard/mrz-invalid', 'idcard', 'a check digit of the MRZ read from the card does not hold', 'error'),
  reason('idcard/id-mrz-mismatch', 'idcard', 'the printed number differs from the MRZ', 'error'),
  reason('idcard/name-mrz-mismatch', 'idcard', 'the printed name and the MRZ name differ in their letters', 'error'),
  reason('idcard/date-mrz-mismatch', 'idcard', 'a printed date differs from the MRZ', 'error'),
  reason('idcard/sex-mrz-mismatch', 'idcard', 'the printed sex differs from the MRZ', 'error'),
  reason('idcard/nationality-mrz-mismatch', 'idcard', 'the MRZ nationality is not VNM', 'error'),
  reason('idcard/name-unreadable', 'idcard', 'no letters were read in the printed name', 'error'),
  reason('idcard/name-repaired', 'idcard', 'a doubtful name word was matched to a known name', 'warning'),
  reason('idcard/name-word-unknown', 'idcard', 'a name word is not in the name list', 'info'),
  reason('idcard/name-spaces-from-mrz', 'idcard', 'the name word breaks were taken from the MRZ', 'info'),
  reason('idcard/date-implausible', 'idcard', 'a printed date lies outside the years its kind allows', 'error'),
  reason('idcard/date-in-future', 'idcard', 'a printed date of birth or issue lies in the future', 'error'),
  reason('idcard/date-separators-repaired', 'idcard', 'date separators were restored from its 8 digits', 'info'),
  reason('idcard/sex-unreadable', 'idcard', 'the printed sex reads as neither Nam nor Nữ', 'error'),
  reason('idcard/sex-repaired', 'idcard', 'the printed sex was read from a damaged word', 'info'),
  reason('idcard/nationality-unexpected', 'idcard', 'the printed nationality does not read as Việt Nam', 'error'),
  reason('idcard/nationality-repaired', 'idcard', 'the printed nationality was matched to Việt Nam', 'info'),
  reason('idcard/place-unreadable', 'idcard', 'nothing was read in a printed place', 'error'),
  reason('idcard/place-unknown', 'idcard', 'no administrative unit was recognised in a printed place', 'warning'),
  reason('idcard/place-repaired', 'idcard', 'place parts were matched to the administrative-unit list', 'info'),
  reason('idcard/place-trimmed', 'idcard', 'stray marks after a printed place were dropped', 'info'),
  reason('idcard/ocr-not-configured', 'idcard', 'the card reader has no line recogniser: fields not read', 'info'),
];

/**
 * Every code a decision of the identification session can carry in `reasons` or `issues`: from
 * the session, the cross-checks, the comparison with the record, core's ID rules, the raw-evidence
 * path, core's MRZ parser and the readers shipped as verifier slices (`@smart-citizen/qr`…). A test fails when a code
 * is emitted that this table lacks, or with a severity it does not list. Dashboards and docs read it.
 */
export const decisionReasons: readonly DecisionReason[] = [
  ...requirementReasons,
  reason('document/low-confidence', 'session', 'a document reading is below the confidence floor', 'warning'),
  reason(
    'document/expired',
    'cross-check',
    'the document has expired (rejected unless the policy says review)',
    'error',
  ),
  reason('store/not-found', 'session', 'no citizen found in the store', 'warning', 'error'),
  reason('store/ambiguous', 'session', 'more than one citizen matches', 'warning'),
  reason('face/no-match', 'session', 'the live face does not match the reference', 'error'),
  reason('liveness/failed', 'session', 'the live capture failed the liveness check', 'error'),
  reason('fingerprint/no-match', 'session', 'the fingerprint does not match the enrolled template', 'error'),
  reason('chip/not-authenticated', 'session', 'the chip failed or skipped passive authentication', 'warning'),
  reason(
    'consent/missing',
    'session',
    'biometric input not processed or not counted for lack of consent',
    'warning',
    'info',
  ),
  ...comparisonReasons('crosscheck'),
  ...comparisonReasons('store'),
  reason('evidence/qr-unreadable', 'raw-evidence', 'the QR payload could not be read', 'warning'),
  reason('evidence/mrz-unreadable', 'raw-evidence', 'the MRZ text could not be read', 'warning'),
  reason('evidence/ocr-unreadable', 'raw-evidence', 'the card photo could not be read by OCR', 'warning'),
  reason('evidence/chip-unreadable', 'raw-evidence', 'the chip data groups could not be read', 'warning'),
  reason('evidence/liveness-unreadable', 'raw-evidence', 'the liveness check could not be run', 'warning'),
  reason('face/no-face', 'raw-evidence', 'no usable face in the live capture', 'warning'),
  reason('face/no-reference', 'raw-evidence', 'no enrolled face or card portrait to compare with', 'warning'),
  reason('fingerprint/no-reference', 'raw-evidence', 'no enrolled fingerprint to compare with', 'warning'),
  reason('id/malformed', 'id-rules', 'the ID number does not have 12 digits', 'error'),
  reason('id/repeated-digits', 'id-rules', 'the ID number repeats one digit', 'error'),
  reason('id/province-unknown', 'id-rules', 'the province code of the ID number is not in the table', 'warning'),
  reason('id/century-in-future', 'id-rules', 'the century digit of the ID number is in the future', 'error'),
  reason('id/birth-year-in-future', 'id-rules', 'the birth year the ID number implies is in the future', 'error'),
  reason('id/serial-zero', 'id-rules', 'the serial digits of the ID number are all zero', 'warning'),
  reason('id/birth-year-mismatch', 'id-rules', 'the ID number disagrees with the date of birth', 'error'),
  reason('id/sex-mismatch', 'id-rules', 'the sex digit of the ID number disagrees with the sex', 'error'),
  reason('cmnd/malformed', 'id-rules', 'the old CMND number has neither 9 nor 12 digits', 'error'),
  reason('cmnd/repeated-digits', 'id-rules', 'the old CMND number repeats one digit', 'error'),
  reason('date/malformed', 'id-rules', 'a date field is not in the expected format', 'error'),
  reason('date/invalid', 'id-rules', 'a date is not a calendar date', 'error'),
  reason('qr/date-missing', 'qr', 'a date field of the QR payload is empty', 'error'),
  reason('qr/sex-unrecognised', 'qr', 'the sex field of the QR payload is not Nam or Nữ', 'error'),
  reason('qr/name-missing', 'qr', 'the name field of the QR payload is empty', 'error'),
  reason('qr/name-has-digits', 'qr', 'the name in the QR payload contains digits', 'warning'),
  reason('qr/address-missing', 'qr', 'the residence field of the QR payload is empty', 'warning'),
  reason('qr/birth-date-in-future', 'qr', 'the date of birth in the QR payload is in the future', 'error'),
  reason('qr/issue-date-in-future', 'qr', 'the issue date in the QR payload is in the future', 'error'),
  reason('qr/issue-before-birth', 'qr', 'the QR payload says the card was issued before birth', 'error'),
  reason('qr/issue-date-before-chip-cards', 'qr', 'the issue date is before QR cards existed (2021)', 'warning'),
  reason('qr/extra-fields', 'qr', 'the QR payload carries fields after the seventh', 'info'),
  reason('mrz/line-length', 'mrz', 'an MRZ line does not have 30 characters', 'error'),
  reason('mrz/invalid-character', 'mrz', 'an MRZ field holds characters not allowed there', 'error'),
  reason('mrz/check-digit', 'mrz', 'an MRZ check digit does not hold', 'error'),
  reason('mrz/document-code', 'mrz', 'the MRZ document code is not that of an ID card', 'warning'),
  reason('mrz/date-invalid', 'mrz', 'an MRZ date is not a calendar date', 'error'),
  reason('mrz/no-expiry', 'mrz', 'the MRZ gives no expiry date (cards of holders over 60)', 'info'),
  reason('mrz/sex-invalid', 'mrz', 'the MRZ sex is not M, F, X or <', 'error'),
  reason('mrz/name-missing', 'mrz', 'the MRZ name line holds no primary identifier', 'error'),
  reason('mrz/vn-optional-data', 'mrz', 'the Vietnamese optional data is not 12 digits, << and a check digit', 'error'),
  reason('mrz/vn-document-number', 'mrz', 'the MRZ document number is not the end of the personal number', 'error'),
  ...chipReasons,
  ...idcardReasons,
];

/** The codes of {@link decisionReasons}, for documentation and dashboards. */
export const decisionReasonCodes: readonly string[] = decisionReasons.map((r) => r.code);

const byCode = new Map(decisionReasons.map((r) => [r.code, r]));

/** The catalogue row of a code, or `undefined` when the catalogue lacks it. */
export function decisionReason(code: string): DecisionReason | undefined {
  return byCode.get(code);
}
