// `export *` where a module's whole surface is public; a named list where it keeps internals.
export { IdentificationSession, readDecisionAudit } from './IdentificationSession.js';
export * from './decisionReasons.js';
export { documentSources, evidenceContributions, evidenceSource, evidenceSources } from './evidenceSources.js';
export type { EvidenceSource, EvidenceSourceId, EvidenceSourceKind } from './evidenceSources.js';
export * from './combineEvidenceVerifiers.js';
export type {
  AuditedDecision,
  Decision,
  DecisionOutcome,
  IdentificationSessionOptions,
  Resolution,
  SessionConsent,
} from './IdentificationSession.js';
export * from './evidence.js';
export { crossCheckDocuments, compareWithRecord } from './crossCheck.js';
export type { CrossCheckOptions, CrossCheckResult } from './crossCheck.js';
export * from './policy.js';
export { decideFromRawEvidence } from './decideFromRawEvidence.js';
export type {
  DecideFromRawEvidenceOptions,
  DocumentReading,
  EvidenceVerifiers,
  RawDecision,
  RawEvidence,
} from './decideFromRawEvidence.js';
