import { isValidPartialDate } from '../rules/dates.js';
import {
  type CardType,
  type CitizenIdentity,
  citizenIdentityFields,
  citizenIdentityFieldsOf,
  type PartialDate,
} from './CitizenIdentity.js';

/** Every {@link CardType}, in the order the cards were introduced. The one list the store and forms check against. */
export const cardTypes = [
  'cmnd',
  'cccd-2016',
  'cccd-chip-2021',
  'can-cuoc-2024',
  'unknown',
] as const satisfies readonly CardType[];

/** Why a field of an identity cannot be used as it is. */
export type IdentityFieldProblem =
  /** Not a real partial date `{ year, month?, day? }` between 1800 and 2300 (31/02 is not real). */
  | 'bad-date'
  /** `sex` is not `'M'` or `'F'`. */
  | 'bad-sex'
  /** `noExpiry` is not a boolean. */
  | 'bad-boolean'
  /** `cardType` is not one of {@link cardTypes}. */
  | 'bad-card-type'
  /** `oldIdNumber` is not 9 or 12 ASCII digits. */
  | 'bad-old-id-number'
  /** A text field that is not a string. */
  | 'bad-text';

/** One field that failed {@link checkCitizenIdentity}. */
export interface IdentityFieldIssue {
  field: (typeof citizenIdentityFields)[number];
  problem: IdentityFieldProblem;
}

/** Result of {@link checkCitizenIdentity}. */
export interface CitizenIdentityCheck {
  /** The fields that passed, dates copied to `{ year, month?, day? }`; text is left as given (callers clean it their way). */
  identity: CitizenIdentity;
  /** The fields that failed, in the order of `citizenIdentityFields`. */
  problems: IdentityFieldIssue[];
  /** Own keys of the input that are not identity fields. */
  unknownFields: string[];
}

const dateFields = new Set<string>(citizenIdentityFieldsOf('date'));
const cardTypeSet = new Set<string>(cardTypes);

function isStoredDate(v: unknown): v is PartialDate {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const d = v as PartialDate;
  return isValidPartialDate(d) && d.year >= 1800 && d.year <= 2300;
}

/**
 * The one type check of a {@link CitizenIdentity}, used by the identity store (which refuses an
 * identity with a problem) and by forms (which drops the field and tells the citizen). It checks
 * what each field is; it does not judge agreement between fields (the ID-number rules and the
 * session's cross-checks do) nor clean text. Never throws; `undefined` and `null` fields are absent.
 *
 * @param input - any object, e.g. parsed JSON
 * @returns the usable fields, the problems and the unknown keys
 */
export function checkCitizenIdentity(input: object): CitizenIdentityCheck {
  const src = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const problems: IdentityFieldIssue[] = [];
  for (const field of citizenIdentityFields) {
    if (!Object.hasOwn(src, field)) continue;
    const v = src[field];
    if (v === undefined || v === null) continue;
    let problem: IdentityFieldProblem | undefined;
    if (dateFields.has(field)) {
      if (isStoredDate(v)) {
        out[field] = {
          year: v.year,
          ...(v.month !== undefined ? { month: v.month } : {}),
          ...(v.day !== undefined ? { day: v.day } : {}),
        };
      } else problem = 'bad-date';
    } else if (field === 'sex') {
      if (v === 'M' || v === 'F') out[field] = v;
      else problem = 'bad-sex';
    } else if (field === 'noExpiry') {
      if (typeof v === 'boolean') out[field] = v;
      else problem = 'bad-boolean';
    } else if (field === 'cardType') {
      if (typeof v === 'string' && cardTypeSet.has(v)) out[field] = v;
      else problem = 'bad-card-type';
    } else if (field === 'oldIdNumber') {
      if (typeof v === 'string' && /^(\d{9}|\d{12})$/.test(v)) out[field] = v;
      else problem = 'bad-old-id-number';
    } else if (typeof v === 'string') out[field] = v;
    else problem = 'bad-text';
    if (problem) problems.push({ field, problem });
  }
  const known = new Set<string>(citizenIdentityFields);
  const unknownFields = Object.keys(src).filter((k) => !known.has(k));
  return { identity: out as CitizenIdentity, problems, unknownFields };
}
