/** Assurance level: 1 = a document read and consistent and the citizen found, 2 = plus a live face match, 3 = plus a fingerprint match or an authenticated chip. */
export type AssuranceLevel = 1 | 2 | 3;

/** One thing a level asks for. */
export type Requirement =
  /** At least one document source with enough confidence. */
  | 'document'
  /** The citizen was found in the identity store. */
  | 'in-store'
  /** The live face matched a reference (store template or card portrait). */
  | 'face-match'
  /** The live capture passed the liveness check. */
  | 'liveness'
  /** A fingerprint matched an enrolled template. */
  | 'fingerprint-match'
  /** The chip was read and passed passive authentication. */
  | 'chip-authenticated';

/**
 * What a level requires: every group must be met; a group is met when any of its requirements is.
 * `[['document'], ['fingerprint-match', 'chip-authenticated']]` = a document and (fingerprint or chip).
 */
export type LevelRequirements = readonly (readonly Requirement[])[];

/** Decision policy of an identification session. Every field has a default. */
export interface AssurancePolicy {
  /**
   * Level the service needs.
   * @default 1
   */
  level: AssuranceLevel;
  /**
   * What each level requires.
   * @default {@link defaultLevelRequirements}
   */
  levels: Readonly<Record<AssuranceLevel, LevelRequirements>>;
  /**
   * Document evidence below this confidence is not counted.
   * @default 0.6
   */
  minDocumentConfidence: number;
  /**
   * Purpose recorded with consents and audit entries; consents are matched on it.
   * @default 'identification'
   */
  purpose: string;
  /**
   * Outcome when no citizen is found in the store: the document may be genuine but the database
   * out of date, so a person should look.
   * @default 'needs_review'
   */
  onNotFound: 'needs_review' | 'rejected';
  /**
   * Reject an expired document; `false` sends it to review instead.
   * @default true
   */
  rejectExpiredDocument: boolean;
  /**
   * Two text values whose similarity (0–1, after folding) is at least this are reported as a
   * near match (warning) rather than a mismatch (error). OCR of names rarely reaches 1.
   * @default 0.85
   */
  nearMatchSimilarity: number;
  /**
   * 1:N face search when no document names the citizen (needs consent scope `face-search`).
   * @default { enabled: false, minSimilarity: 0.5, minMargin: 0.05 }
   */
  faceSearch: { enabled: boolean; minSimilarity: number; minMargin: number };
}

/** Default requirements of each level. */
export const defaultLevelRequirements: Readonly<Record<AssuranceLevel, LevelRequirements>> = {
  1: [['document'], ['in-store']],
  2: [['document'], ['in-store'], ['face-match'], ['liveness']],
  3: [['document'], ['in-store'], ['face-match'], ['liveness'], ['fingerprint-match', 'chip-authenticated']],
};

/** The default policy. */
export const defaultAssurancePolicy: AssurancePolicy = {
  level: 1,
  levels: defaultLevelRequirements,
  minDocumentConfidence: 0.6,
  purpose: 'identification',
  onNotFound: 'needs_review',
  rejectExpiredDocument: true,
  nearMatchSimilarity: 0.85,
  faceSearch: { enabled: false, minSimilarity: 0.5, minMargin: 0.05 },
};

/** A partial policy, merged over the defaults. */
export type AssurancePolicyInput = Partial<Omit<AssurancePolicy, 'faceSearch'>> & {
  faceSearch?: Partial<AssurancePolicy['faceSearch']>;
};

/**
 * Merge a partial policy over {@link defaultAssurancePolicy}.
 * @throws RangeError for an unknown level or a threshold outside [0, 1]
 */
export function resolvePolicy(input: AssurancePolicyInput = {}): AssurancePolicy {
  const p: AssurancePolicy = {
    ...defaultAssurancePolicy,
    ...input,
    faceSearch: { ...defaultAssurancePolicy.faceSearch, ...input.faceSearch },
  };
  if (![1, 2, 3].includes(p.level)) throw new RangeError('[@smart-citizen/core] assurance level must be 1, 2 or 3');
  for (const v of [p.minDocumentConfidence, p.nearMatchSimilarity]) {
    if (!(v >= 0 && v <= 1)) throw new RangeError('[@smart-citizen/core] policy thresholds must be in [0, 1]');
  }
  if (typeof p.purpose !== 'string' || p.purpose.length === 0) {
    throw new RangeError('[@smart-citizen/core] policy purpose must be a non-empty string');
  }
  return p;
}
