import { issue, type Issue } from '../errors/Issue.js';
import { type IdNumberParts, type ValidateIdNumberOptions, safeParseIdNumber } from './idNumber.js';

/** Outcome of {@link validateCmndNumber}. */
export interface CmndValidation {
  /** The digits, whitespace removed, when the shape is right. */
  number?: string;
  /** `cmnd-9`: the 9-digit card (1979–2021); `cmnd-12`: the 12-digit card (2012–2016). */
  kind?: 'cmnd-9' | 'cmnd-12';
  /** For a 12-digit CMND: its parts, which follow the personal identification number's layout. */
  parts?: IdNumberParts;
  issues: Issue[];
}

/**
 * Check an old identity card (Chứng minh nhân dân) number. A 9-digit number is checked for
 * its shape (the first two digits were a police-region code, not a province code of the
 * 12-digit table, so they are not checked against it) and for a repeated digit; a 12-digit
 * CMND uses the personal-identification-number layout (Nghị định 106/2013/NĐ-CP) and gets the
 * same checks as {@link validateIdNumber}. Never throws on bad input.
 *
 * Issue codes: `cmnd/malformed` (error; not 9 or 12 digits), `cmnd/repeated-digits` (error),
 * and the `id/*` codes for 12 digits.
 *
 * @param text - The number (whitespace ignored).
 * @param options - For 12-digit numbers, facts to check against (see {@link ValidateIdNumberOptions}).
 * @returns `{ number?, kind?, parts?, issues }`.
 */
export function validateCmndNumber(text: string, options: ValidateIdNumberOptions = {}): CmndValidation {
  const digits = typeof text === 'string' && text.length <= 256 ? text.replace(/\s+/g, '') : '';
  if (/^\d{9}$/.test(digits)) {
    const issues: Issue[] = [];
    if (/^(\d)\1{8}$/.test(digits)) {
      issues.push(issue('cmnd/repeated-digits', 'error', 'the number repeats one digit', 'oldIdNumber'));
    }
    return { number: digits, kind: 'cmnd-9', issues };
  }
  if (/^\d{12}$/.test(digits)) {
    const r = safeParseIdNumber(digits, options);
    if (r.ok) {
      return {
        number: digits,
        kind: 'cmnd-12',
        parts: r.value,
        issues: r.issues.map((i) => (i.path === 'idNumber' ? { ...i, path: 'oldIdNumber' } : i)),
      };
    }
  }
  return { issues: [issue('cmnd/malformed', 'error', 'a CMND number has 9 or 12 digits', 'oldIdNumber')] };
}
