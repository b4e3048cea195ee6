export { IdentificationSession, decisionReasonCodes, readDecisionAudit } from './IdentificationSession.js';
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
