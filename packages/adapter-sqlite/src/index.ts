export { createSqliteIdentityStore } from './createSqliteIdentityStore.js';
export type { SqliteIdentityStore, SqliteIdentityStoreOptions } from './createSqliteIdentityStore.js';
export { createSqliteAuditLog } from './createSqliteAuditLog.js';
export type { SqliteAuditLog, SqliteAuditLogOptions } from './createSqliteAuditLog.js';
export { runSqliteMigrations, identityMigrations, auditMigrations } from './migrations.js';
export type { SqliteMigration } from './migrations.js';
export type { SqliteTarget } from './openDatabase.js';
