export { createPostgresIdentityStore, vectorLiteral } from './createPostgresIdentityStore.js';
export type {
  FaceSearchMode,
  PostgresIdentityStore,
  PostgresIdentityStoreOptions,
} from './createPostgresIdentityStore.js';
export { createPostgresAuditLog } from './createPostgresAuditLog.js';
export type { PostgresAuditLog, PostgresAuditLogOptions } from './createPostgresAuditLog.js';
export { runPostgresMigrations, isConnectionLoss } from './pgSupport.js';
export type { PostgresMigration, PostgresTarget } from './pgSupport.js';
export { auditMigrations, faceVectorMigrations, identityMigrations } from './migrations.js';
