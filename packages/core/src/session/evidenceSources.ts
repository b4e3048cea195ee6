import type { ConsentScope } from '../privacy/consent.js';
import type { BiometricMethod, EvidenceVerifiers, RawEvidence } from './decideFromRawEvidence.js';
import type { AssuranceLevel, LevelRequirements, Requirement } from './policy.js';
import { defaultLevelRequirements } from './policy.js';

/**
 * What a source gives the session: identity fields read from a card (`document`), a biometric
 * comparison or check of the person at the desk (`biometric`), or the citizen's record in the
 * identity store (`record`).
 */
export type EvidenceSourceKind = 'document' | 'biometric' | 'record';

/** One row of {@link evidenceSources}. */
export interface EvidenceSource {
  /** The `source` of the evidence it yields (`DocumentEvidence.source`, `FaceMatchEvidence.source`…). */
  id: string;
  /** What it is, for people. */
  label: string;
  kind: EvidenceSourceKind;
  /**
   * Read by a machine from data the issuer wrote for machines (QR, MRZ, chip). A disagreement
   * between machine-read sources is an error; one that involves a source read by OCR or typed by
   * a person is more likely a reading error, so it is a warning.
   */
  machineRead: boolean;
  /** Consent scope the person must have given before the source is processed or counted. */
  consent?: ConsentScope;
  /** Requirements of the assurance levels (see `defaultLevelRequirements`) the source can meet. */
  meets: readonly Requirement[];
  /**
   * Document sources: rank when sources disagree on a field (1 = most trusted). An authenticated
   * chip outranks every other source whatever its rank.
   */
  trust?: number;
  /** The {@link RawEvidence} field the server reads it from. */
  raw?: keyof RawEvidence;
  /** Biometric sources: the raw input used when `raw` is absent (liveness runs on the face capture). */
  rawFallback?: keyof RawEvidence;
  /** The {@link EvidenceVerifiers} entry that turns the raw input into evidence. */
  verifier?: keyof EvidenceVerifiers;
  /** Biometric sources: how `decideFromRawEvidence` runs the verifier (its shape follows the method). */
  method?: BiometricMethod;
  /** Biometric sources compared with enrolled templates: the template kind in the identity store. */
  template?: 'face' | 'fingerprint';
  /** Embedding sources: the raw reference compared with when no template is enrolled (the card portrait). */
  reference?: keyof RawEvidence;
}

/**
 * The evidence sources of an identification, one row each: the session, `decideFromRawEvidence`,
 * the cross-checks and docs/identification.md all read this table. Documents are read in row
 * order. Adding a source is one row here plus the sensor package's verifier slice (see
 * docs/identification.md, "Adding an evidence source").
 */
export const evidenceSources = [
  {
    id: 'qr',
    label: 'QR code on the card',
    kind: 'document',
    machineRead: true,
    meets: ['document'],
    trust: 2,
    raw: 'qrPayload',
    verifier: 'qr',
  },
  {
    id: 'mrz',
    label: 'MRZ (three TD1 lines on the back of the card)',
    kind: 'document',
    machineRead: true,
    meets: ['document'],
    trust: 3,
    raw: 'mrzText',
    verifier: 'mrz',
  },
  {
    id: 'ocr',
    label: 'Printed text of the card, read by OCR',
    kind: 'document',
    machineRead: false,
    meets: ['document'],
    trust: 4,
    raw: 'cardImage',
    verifier: 'ocr',
  },
  {
    id: 'chip',
    label: 'Chip data groups, with passive authentication',
    kind: 'document',
    machineRead: true,
    meets: ['document', 'chip-authenticated'],
    trust: 1,
    raw: 'chip',
    verifier: 'chip',
  },
  {
    id: 'manual',
    label: 'Fields typed by an officer',
    kind: 'document',
    machineRead: false,
    meets: ['document'],
    trust: 5,
  },
  {
    id: 'face',
    label: 'Live face compared with the enrolled template or the card portrait',
    kind: 'biometric',
    machineRead: true,
    consent: 'face',
    meets: ['face-match'],
    raw: 'faceImage',
    verifier: 'face',
    method: 'embedding',
    template: 'face',
    reference: 'documentPortrait',
  },
  {
    id: 'liveness',
    label: 'Passive liveness of the live capture',
    kind: 'biometric',
    machineRead: true,
    consent: 'face',
    meets: ['liveness'],
    raw: 'livenessImage',
    rawFallback: 'faceImage',
    verifier: 'liveness',
    method: 'check',
  },
  {
    id: 'fingerprint',
    label: 'Fingerprint compared with the enrolled template',
    kind: 'biometric',
    machineRead: true,
    consent: 'fingerprint',
    meets: ['fingerprint-match'],
    raw: 'fingerprint',
    verifier: 'fingerprint',
    method: 'match',
    template: 'fingerprint',
  },
  {
    id: 'record',
    label: 'Citizen record in the identity store',
    kind: 'record',
    machineRead: true,
    meets: ['in-store'],
  },
] as const satisfies readonly EvidenceSource[];

type Row = (typeof evidenceSources)[number];

/** The id of a source in {@link evidenceSources}. */
export type EvidenceSourceId = Row['id'];

/** Where identity fields were read from: the `document` rows of {@link evidenceSources}. */
export type DocumentSource = Extract<Row, { kind: 'document' }>['id'];

const byId = new Map<string, EvidenceSource>(evidenceSources.map((s) => [s.id, s]));

/** The row of a source, or `undefined` for an unknown id. */
export function evidenceSource(id: string): EvidenceSource | undefined {
  return byId.get(id);
}

/** The document sources, in reading order. */
export const documentSources: readonly DocumentSource[] = evidenceSources
  .filter((s): s is Extract<Row, { kind: 'document' }> => s.kind === 'document')
  .map((s) => s.id);

/**
 * What each source contributes to each assurance level: the requirements of the level it can meet.
 * @param levels - requirements per level @default defaultLevelRequirements
 * @returns per source id, per level, the requirements it meets there (empty when none)
 */
export function evidenceContributions(
  levels: Readonly<Record<AssuranceLevel, LevelRequirements>> = defaultLevelRequirements,
): Record<EvidenceSourceId, Record<AssuranceLevel, Requirement[]>> {
  const out = {} as Record<EvidenceSourceId, Record<AssuranceLevel, Requirement[]>>;
  for (const s of evidenceSources) {
    const per = {} as Record<AssuranceLevel, Requirement[]>;
    for (const level of [1, 2, 3] as const) {
      per[level] = (s.meets as readonly Requirement[]).filter((r) => levels[level].some((g) => g.includes(r)));
    }
    out[s.id] = per;
  }
  return out;
}
