// Test helpers for adapter authors: `@smart-citizen/core/testing`. Imports vitest, so it is a
// separate entry point that the runtime bundle never pulls in.
// Every conformance suite is `describe<Port>Conformance(name, factory)` (the queue's lives in
// `@smart-citizen/queue/testing`).
export { conformanceCitizens, describeIdentityStoreConformance } from './testing/identityStoreConformance.js';
export type {
  IdentityStoreConformanceContext,
  IdentityStoreConformanceTarget,
} from './testing/identityStoreConformance.js';
export { describeAuditLogConformance } from './testing/auditLogConformance.js';
export type { AuditLogConformanceTarget } from './testing/auditLogConformance.js';
