import type { IssueSeverity } from '../errors/index.js';
import catalogue from './decisionReasons.json' with { type: 'json' };

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

const emitters: readonly string[] = [
  'session',
  'cross-check',
  'record',
  'id-rules',
  'raw-evidence',
  'qr',
  'mrz',
  'chip',
  'idcard',
] satisfies readonly DecisionReason['from'][];
const severityNames: readonly string[] = ['error', 'warning', 'info'] satisfies readonly IssueSeverity[];

/** A row of the data file, checked: the file is data, so a typo must fail loudly, not widen the types. */
function checked(code: string, from: string, severities: readonly string[], meaning: string): DecisionReason {
  if (!emitters.includes(from) || severities.length === 0 || !severities.every((s) => severityNames.includes(s))) {
    throw new TypeError(
      `@smart-citizen/core: decisionReasons.json row ${code} has from ${from}, severities ${severities}`,
    );
  }
  return { code, severities: severities as IssueSeverity[], from: from as DecisionReason['from'], meaning };
}

/** The same comparison codes, between documents (`crosscheck/…`) and against the record (`store/…`). */
function comparisonReasons(prefix: string): DecisionReason[] {
  const betweenDocuments = prefix === 'crosscheck';
  const where = betweenDocuments ? 'between two documents' : 'between the documents and the record';
  return catalogue.comparisons.map((c) =>
    checked(
      `${prefix}/${c.name}`,
      betweenDocuments ? 'cross-check' : 'record',
      // Between documents an error softens to a warning when a source read by OCR or typed is involved.
      betweenDocuments && 'softensBetweenDocuments' in c ? [...c.severities, 'warning'] : c.severities,
      c.meaning.replace('{where}', where),
    ),
  );
}

const requirementReasons = catalogue.requirements.map((name) =>
  checked(
    `requirement/${name}-missing`,
    'session',
    ['warning'],
    `the requested level needs ${name.split('-or-').join(' or ')}; a custom policy group names its code the same way`,
  ),
);

/**
 * Every code a decision of the identification session can carry in `reasons` or `issues`: from
 * the session, the cross-checks, the comparison with the record, core's ID rules, the raw-evidence
 * path, core's MRZ parser and the readers shipped as verifier slices (`@smart-citizen/qr`,
 * `@smart-citizen/chip`, `@smart-citizen/idcard`). The rows are data (`decisionReasons.json`);
 * the requirement codes and the comparison codes, which come in families, are expanded here. A
 * test fails when a code is emitted that this table lacks, or with a severity it does not list.
 * Dashboards and docs read it.
 */
export const decisionReasons: readonly DecisionReason[] = catalogue.reasons.flatMap((row) => {
  if ('family' in row) {
    if (row.family === 'requirements') return requirementReasons;
    if (row.family === 'comparisons' && 'prefix' in row) return comparisonReasons(row.prefix);
    throw new TypeError(`@smart-citizen/core: decisionReasons.json names an unknown family ${row.family}`);
  }
  return [checked(row.code, row.from, row.severities, row.meaning)];
});

/** The codes of {@link decisionReasons}, for documentation and dashboards. */
export const decisionReasonCodes: readonly string[] = decisionReasons.map((r) => r.code);

const byCode = new Map(decisionReasons.map((r) => [r.code, r]));

/** The catalogue row of a code, or `undefined` when the catalogue lacks it. */
export function decisionReason(code: string): DecisionReason | undefined {
  return byCode.get(code);
}
