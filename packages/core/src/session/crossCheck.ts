import type { Issue } from '../errors/index.js';
import { issue } from '../errors/index.js';
import { citizenIdentityFieldKinds, citizenIdentityFieldsOf } from '../identity/CitizenIdentity.js';
import type { CitizenIdentity, PartialDate } from '../identity/index.js';
import { comparePartialDates, isValidPartialDate, validateIdNumber } from '../rules/index.js';
import { equalsVietnamese, foldForCompare, similarityVietnamese } from '../text/index.js';
import type { DocumentEvidence } from './evidence.js';
import type { DocumentSource } from './evidenceSources.js';
import { evidenceSource } from './evidenceSources.js';

/** Rank of a source when sources disagree on a field (1 = most trusted), from {@link evidenceSources}. */
const trustOf = (source: DocumentSource) => evidenceSource(source)?.trust ?? Number.POSITIVE_INFINITY;
const machineRead = (source: DocumentSource) => evidenceSource(source)?.machineRead === true;

/** Options of {@link crossCheckDocuments}. */
export interface CrossCheckOptions {
  /** Today, to detect an expired document. */
  today: PartialDate;
  /**
   * Similarity from which differing text is a near match (warning) rather than a mismatch.
   * @default 0.85
   */
  nearMatchSimilarity?: number;
  /**
   * Report a disagreement between two documents as a warning instead of an error when one of
   * them is not machine-read (OCR, typed): more likely a reading error than fraud.
   * @default false
   */
  softenUnlessMachineRead?: boolean;
}

/** Result of {@link crossCheckDocuments}. */
export interface CrossCheckResult {
  /** The identity the sources agree on, each field from the most trustworthy source that has it. */
  identity: Partial<CitizenIdentity>;
  /** Disagreements and rule violations; each `path` names the field, never a value. */
  issues: Issue[];
  /** Document evidence that was counted. */
  sources: DocumentSource[];
}

const isAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);
const digits = (s: string) => s.replace(/\s+/g, '');

/**
 * Compare one field's values from two places and describe any difference.
 * @param prefix - issue code prefix (`crosscheck` between documents, `store` against the record)
 * @internal
 */
export function compareField(
  field: keyof CitizenIdentity,
  a: unknown,
  b: unknown,
  prefix: string,
  near: number,
  where: string,
): Issue | undefined {
  if (a === undefined || b === undefined) return undefined;
  const kind = citizenIdentityFieldKinds[field];
  if (kind === 'number') {
    if (digits(String(a)) !== digits(String(b))) {
      return issue(`${prefix}/number-mismatch`, 'error', `${field} differs between ${where}`, field);
    }
    return undefined;
  }
  if (kind === 'date') {
    const da = a as PartialDate;
    const db = b as PartialDate;
    if (!isValidPartialDate(da) || !isValidPartialDate(db)) {
      return issue(`${prefix}/date-invalid`, 'error', `${field} is not a valid date in ${where}`, field);
    }
    if (comparePartialDates(da, db) !== 0) {
      return issue(`${prefix}/date-mismatch`, 'error', `${field} differs between ${where}`, field);
    }
    return undefined;
  }
  if (kind === 'sex') {
    return a === b ? undefined : issue(`${prefix}/sex-mismatch`, 'error', `sex differs between ${where}`, field);
  }
  if (kind === 'flag' || kind === 'card-type') {
    return a === b
      ? undefined
      : issue(`${prefix}/field-mismatch`, 'warning', `${field} differs between ${where}`, field);
  }
  const sa = String(a);
  const sb = String(b);
  if (equalsVietnamese(sa, sb)) return undefined;
  // Names: a mismatch is an error. Other text: OCR and the 2025 address reorganisation make
  // differences common, so a mismatch is a warning.
  const isName = kind === 'name';
  if (equalsVietnamese(sa, sb, { ignoreDiacritics: true })) {
    // MRZ and some legacy systems carry no diacritics: equal once folded is agreement.
    if (isAscii(sa) || isAscii(sb)) return undefined;
    return issue(
      `${prefix}/diacritics-differ`,
      'warning',
      `${field} differs only in diacritics between ${where}`,
      field,
    );
  }
  const sim = foldForCompare(sa).length + foldForCompare(sb).length > 4000 ? 0 : similarityVietnamese(sa, sb);
  if (sim >= near) {
    return issue(`${prefix}/text-near-match`, 'warning', `${field} nearly matches between ${where}`, field);
  }
  return issue(`${prefix}/text-mismatch`, isName ? 'error' : 'warning', `${field} differs between ${where}`, field);
}

/** The fields merged and compared, in the order their issues are reported (the card type comes last, separately). */
const allFields: readonly (keyof CitizenIdentity)[] = (
  ['number', 'name', 'date', 'sex', 'text', 'flag'] as const
).flatMap(citizenIdentityFieldsOf);

/**
 * Cross-check identity fields across document sources (normalised Vietnamese text, partial dates,
 * numbers), validate the ID number against the date of birth and sex, flag an expired document,
 * and merge the fields.
 * @param docs - document evidence already filtered by confidence
 * @param options - today, near-match threshold
 * @returns the merged identity and the issues
 */
export function crossCheckDocuments(docs: readonly DocumentEvidence[], options: CrossCheckOptions): CrossCheckResult {
  const near = options.nearMatchSimilarity ?? 0.85;
  const soften = options.softenUnlessMachineRead === true;
  const issues: Issue[] = [];
  const ordered = [...docs].sort(
    (a, b) =>
      Number(b.authenticated === true) - Number(a.authenticated === true) || trustOf(a.source) - trustOf(b.source),
  );
  const seen = new Set<string>();
  for (let i = 0; i < ordered.length; i++) {
    for (let j = i + 1; j < ordered.length; j++) {
      const a = ordered[i] as DocumentEvidence;
      const b = ordered[j] as DocumentEvidence;
      for (const f of allFields) {
        let found = compareField(f, a.fields[f], b.fields[f], 'crosscheck', near, `${a.source} and ${b.source}`);
        if (!found) continue;
        if (soften && found.severity === 'error' && !(machineRead(a.source) && machineRead(b.source))) {
          found = { ...found, severity: 'warning' };
        }
        const key = `${found.code}|${f}|${a.source}|${b.source}`;
        if (seen.has(key)) continue;
        seen.add(key);
        issues.push(found);
      }
    }
  }
  const identity: Record<string, unknown> = {};
  for (const f of [...allFields, 'cardType'] as const) {
    let chosen: unknown;
    for (const d of ordered) {
      const v = d.fields[f];
      if (v === undefined || v === '') continue;
      if (chosen === undefined) chosen = v;
      // Prefer a value with diacritics over an MRZ-style ASCII one.
      if (typeof chosen === 'string' && typeof v === 'string' && isAscii(chosen) && !isAscii(v)) chosen = v;
    }
    if (chosen !== undefined) identity[f] = typeof chosen === 'object' ? { ...(chosen as object) } : chosen;
  }
  const merged = identity as Partial<CitizenIdentity>;
  if (merged.idNumber !== undefined) {
    const v = validateIdNumber(merged.idNumber, {
      ...(merged.dateOfBirth ? { dateOfBirth: merged.dateOfBirth } : {}),
      ...(merged.sex ? { sex: merged.sex } : {}),
      today: new Date(Date.UTC(options.today.year, (options.today.month ?? 1) - 1, options.today.day ?? 1)),
    });
    issues.push(...v.issues);
  }
  if (merged.expiryDate && !merged.noExpiry && isValidPartialDate(merged.expiryDate)) {
    if (comparePartialDates(merged.expiryDate, options.today) < 0) {
      issues.push(issue('document/expired', 'error', 'the document has expired', 'expiryDate'));
    }
  }
  return { identity: merged, issues, sources: ordered.map((d) => d.source) };
}

/**
 * Compare the identity read from documents with the stored record.
 * @returns issues with codes `store/…`
 */
export function compareWithRecord(
  read: Partial<CitizenIdentity>,
  stored: CitizenIdentity,
  nearMatchSimilarity = 0.85,
): Issue[] {
  const out: Issue[] = [];
  for (const f of allFields) {
    if (f === 'placeOfResidence' || f === 'noExpiry') continue; // residence changes; the card may predate the record
    const found = compareField(f, read[f], stored[f], 'store', nearMatchSimilarity, 'the documents and the record');
    if (found) out.push(found);
  }
  return out;
}
