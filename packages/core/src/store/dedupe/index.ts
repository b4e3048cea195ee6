export { acceptPairs, DEDUPE_PREFILTER, DEDUPE_PURPOSE, dedupeFaces } from './dedupeFaces.js';
export type {
  ConflictReason,
  CorroborationOptions,
  DedupeCheckpoint,
  DedupeCheckpointStore,
  DedupeCluster,
  DedupeConflict,
  DedupeOptions,
  DedupePair,
  DedupeProgress,
  DedupeResult,
  DedupeStats,
  DedupeStore,
} from './dedupeFaces.js';
export { dedupeDecisions, recordDedupeDecision } from './decision.js';
export type { DedupeDecision, DedupeDecisionInput } from './decision.js';
export { dedupeReportCsv, dedupeReportHtml, dedupeReportRows } from './report.js';
export type { DedupeFindings, DedupeReportRow } from './report.js';
export { ImpostorModel, normalisedScore } from './impostorModel.js';
export type { ImpostorModelJson, ImpostorStats } from './impostorModel.js';
export { UnionFind } from './unionFind.js';
