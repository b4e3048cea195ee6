export { createSqliteIdentityDriver, createSqliteIdentityStore } from './createSqliteIdentityStore.js';
export type {
  SqliteIdentityDriver,
  SqliteIdentityDriverOptions,
  SqliteIdentityStore,
  SqliteIdentityStoreOptions,
} from './createSqliteIdentityStore.js';
export { createSqliteAuditDriver, createSqliteAuditLog } from './createSqliteAuditLog.js';
export type { SqliteAuditDriver, SqliteAuditLog, SqliteAuditLogOptions } from './createSqliteAuditLog.js';
export { runSqliteMigrations, identityMigrations, auditMigrations } from './migrations.js';
export type { SqliteMigration } from './migrations.js';
export type { SqliteTarget } from './openDatabase.js';
