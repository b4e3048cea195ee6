import type { Issue } from '../errors/index.js';
import { SmartCitizenError } from '../errors/index.js';
import type { CitizenIdentity } from '../identity/index.js';

import type { DocumentSource } from './evidenceSources.js';
import { documentSources } from './evidenceSources.js';

export type { DocumentSource } from './evidenceSources.js';

/** Identity fields read from one source (QR payload, MRZ, OCR of the card, chip data groups, typed by an officer). */
export interface DocumentEvidence {
  kind: 'document';
  source: DocumentSource;
  fields: Partial<CitizenIdentity>;
  /** How sure the reader is of these fields, 0–1. */
  confidence: number;
  /** Issues the reader found (bad check digit, unreadable field…). */
  issues: Issue[];
  /** Chip only: passive authentication (SOD signature and hashes) succeeded. */
  authenticated?: boolean;
}

/** A 1:1 face comparison between the live capture and a reference. */
export interface FaceMatchEvidence {
  kind: 'face-match';
  source: 'face';
  /** Similarity score of the comparison. */
  score: number;
  /** Threshold of the model profile at its operating point; a match is `score >= threshold`. */
  threshold: number;
  /** What the capture was compared with. */
  against: 'store-template' | 'document-portrait';
  confidence: number;
  issues: Issue[];
}

/** Presentation-attack (liveness) check of the live capture. */
export interface LivenessEvidence {
  kind: 'liveness';
  source: 'liveness';
  live: boolean;
  /** Liveness score, 0–1. */
  score: number;
  confidence: number;
  issues: Issue[];
}

/** A 1:1 fingerprint comparison with an enrolled template. */
export interface FingerprintMatchEvidence {
  kind: 'fingerprint-match';
  source: 'fingerprint';
  score: number;
  threshold: number;
  confidence: number;
  issues: Issue[];
}

/** Anything the identification session weighs. */
export type Evidence = DocumentEvidence | FaceMatchEvidence | LivenessEvidence | FingerprintMatchEvidence;

const sources = new Set<string>(documentSources);

/**
 * Check the shape of evidence before the session accepts it.
 * @throws SmartCitizenError `session/invalid-evidence` naming what is wrong (never a value)
 */
export function checkEvidence(e: Evidence): void {
  const bad = (m: string) => new SmartCitizenError('session/invalid-evidence', m);
  if (typeof e !== 'object' || e === null) throw bad('evidence must be an object');
  if (!(typeof e.confidence === 'number' && e.confidence >= 0 && e.confidence <= 1)) {
    throw bad('evidence confidence must be a number in [0, 1]');
  }
  if (!Array.isArray(e.issues)) throw bad('evidence needs an issues array');
  switch (e.kind) {
    case 'document':
      if (!sources.has(e.source)) throw bad('unknown document source');
      if (typeof e.fields !== 'object' || e.fields === null) throw bad('document evidence needs fields');
      return;
    case 'face-match':
    case 'fingerprint-match':
      if (!Number.isFinite(e.score) || !Number.isFinite(e.threshold))
        throw bad('match evidence needs a score and threshold');
      return;
    case 'liveness':
      if (typeof e.live !== 'boolean' || !Number.isFinite(e.score)) throw bad('liveness evidence needs live and score');
      return;
    default:
      throw bad('unknown evidence kind');
  }
}
