// Test helpers for adapter authors: `@smart-citizen/core/testing`. Imports vitest, so it is a
// separate entry point that the runtime bundle never pulls in.
export { runIdentityStoreConformance, conformanceCitizens } from './store/conformance.js';
export type { IdentityStoreConformanceContext, IdentityStoreConformanceTarget } from './store/conformance.js';
export { runAuditLogConformance } from './privacy/auditConformance.js';
export type { AuditLogConformanceTarget } from './privacy/auditConformance.js';
