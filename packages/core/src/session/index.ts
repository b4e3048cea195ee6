export { IdentificationSession, readDecisionAudit } from './IdentificationSession.js';
export { decisionReason, decisionReasonCodes, decisionReasons } from './decisionReasons.js';
export type { DecisionReason } from './decisionReasons.js';
export { documentSources, evidenceContributions, evidenceSource, evidenceSources } from './evidenceSources.js';
export type { EvidenceSource, EvidenceSourceId, EvidenceSourceKind } from './evidenceSources.js';
export { combineEvidenceVerifiers } from './combineEvidenceVerifiers.js';
export type { EvidenceVerifierSlice } from './combineEvidenceVerifiers.js';
export type {
  AuditedDecision,
  Decision,
  DecisionOutcome,
  IdentificationSessionOptions,
  Resolution,
  SessionConsent,
} from './IdentificationSession.js';
export { checkEvidence } from './evidence.js';
export type {
  DocumentEvidence,
  DocumentSource,
  Evidence,
  FaceMatchEvidence,
  FingerprintMatchEvidence,
  LivenessEvidence,
} from './evidence.js';
export { crossCheckDocuments, compareWithRecord } from './crossCheck.js';
export type { CrossCheckOptions, CrossCheckResult } from './crossCheck.js';
export { defaultAssurancePolicy, defaultLevelRequirements, resolvePolicy } from './policy.js';
export type {
  AssuranceLevel,
  AssurancePolicy,
  AssurancePolicyInput,
  LevelRequirements,
  Requirement,
} from './policy.js';
export { decideFromRawEvidence } from './decideFromRawEvidence.js';
export type {
  DecideFromRawEvidenceOptions,
  DocumentReading,
  EvidenceVerifiers,
  RawDecision,
  RawEvidence,
} from './decideFromRawEvidence.js';
