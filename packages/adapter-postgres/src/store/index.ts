export {
  createPostgresIdentityDriver,
  createPostgresIdentityStore,
  vectorLiteral,
} from './createPostgresIdentityStore.js';
export type {
  FaceSearchMode,
  PostgresIdentityDriver,
  PostgresIdentityDriverOptions,
  PostgresIdentityStore,
  PostgresIdentityStoreOptions,
} from './createPostgresIdentityStore.js';
export type { FaceIndexOptions, FaceQuantization, IterativeScan } from './faceIndex.js';
export { createPostgresAuditDriver, createPostgresAuditLog } from './createPostgresAuditLog.js';
export type { PostgresAuditDriver, PostgresAuditLog, PostgresAuditLogOptions } from './createPostgresAuditLog.js';
export { runPostgresMigrations, isConnectionLoss, queueErrors, storeErrors } from '../pgSupport.js';
export type { MigrationLedger, PgErrorCodes, PostgresMigration, PostgresTarget } from '../pgSupport.js';
export { auditMigrations, faceVectorMigrations, identityMigrations } from './migrations.js';
